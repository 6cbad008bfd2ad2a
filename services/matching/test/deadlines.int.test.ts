/**
 * The deadline job: open requirements close once their deadline day has ended in Mexico City, through the
 * `requirement-deadlines` BullMQ worker, with the same transition and matching.requirement.closed event as the
 * buyer's close; a second sweep changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@vinculo/service-kit/db';
import { createJobs, type Jobs } from '@vinculo/service-kit/jobs';
import { isolation, sharedUrls } from '@vinculo/testing';
import { createRequirementRepository } from '../src/db/requirements.repository.js';
import { todayInMexico } from '../src/domain/context.js';
import { createRequirementEventWriter } from '../src/events/matching.events.js';
import { closeExpiredRequirements, type DeadlineDeps } from '../src/jobs/deadlines.worker.js';
import { matchingQueues, startMatchingWorkers } from '../src/jobs/matching.queue.js';
import { bracketsRfq, eventually } from './fixtures.js';
import { startMatching, type Harness } from './harness.js';

let h: Harness;
let jobs: Jobs<typeof matchingQueues>;
let buyer: ReturnType<Harness['org']>;
const iso = isolation();
/** The clock the worker reads; each test sets it. */
const clock = { now: new Date() };

const today = todayInMexico(new Date());
const addDays = (date: string, n: number): string => {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
// Mexico City has kept UTC−6 all year since 2022 (no daylight saving time).
const mexicoCity = (date: string, time: string): Date => new Date(`${date}T${time}-06:00`);

let deps: DeadlineDeps;

async function post(deadline: string, open = true): Promise<string> {
  const res = await h.app.inject({
    method: 'POST',
    url: '/requirements',
    headers: buyer.headers,
    payload: { ...bracketsRfq, deadline },
  });
  expect(res.statusCode, res.body).toBe(201);
  const { id } = res.json<{ id: string }>();
  if (open) {
    const opened = await h.app.inject({
      method: 'POST',
      url: `/requirements/${id}/open`,
      headers: buyer.headers,
    });
    expect(opened.statusCode, opened.body).toBe(200);
  }
  return id;
}

async function state(id: string): Promise<{ state: string; version: number; closed_at: Date | null }> {
  const row = await h.database.db
    .selectFrom('requirements')
    .select(['state', 'version', 'closed_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row;
}

async function closedEvents(
  id: string,
): Promise<{ aggregate: { version: number }; data: { state: string } }[]> {
  const r = await sql<{ payload: { aggregate: { version: number }; data: { state: string } } }>`
    select payload from outbox where type = 'matching.requirement.closed' and payload->'aggregate'->>'id' = ${id}
    order by seq`.execute(h.database.db);
  return r.rows.map((x) => x.payload);
}

beforeAll(async () => {
  h = await startMatching();
  buyer = h.org('buyer');
  deps = {
    db: h.database.db,
    requirements: createRequirementRepository(),
    writeEvent: createRequirementEventWriter(h.namespace),
    now: () => clock.now,
  };
  jobs = createJobs({
    catalog: matchingQueues,
    redisUrl: sharedUrls.redis(),
    prefix: iso.redisPrefix,
    queueName: (base) => iso.queueName(base),
  });
  startMatchingWorkers(jobs, {
    ...deps,
    index: h.index,
    namespace: h.namespace,
    deadlineSweepEveryMs: 60_000,
    rematchSweepEveryMs: 60_000,
  });
});

afterAll(async () => {
  await jobs?.close();
  const keys = await h.redis.keys(`${iso.redisPrefix}*`);
  if (keys.length) await h.redis.del(...keys);
  await h?.close();
});

describe('requirement deadlines', () => {
  it('keeps a requirement open through the last second of its deadline day in Mexico City', async () => {
    const id = await post(today);
    clock.now = mexicoCity(today, '23:59:59');
    expect(await closeExpiredRequirements(deps)).not.toContain(id);
    expect((await state(id)).state).toBe('open');
    expect(await closedEvents(id)).toEqual([]);
  });

  it('closes it through the job once that day has ended, with the by-hand close event, and only once', async () => {
    const due = await post(today);
    const later = await post(addDays(today, 30));
    const draft = await post(today, false);
    const byHand = await post(today);
    const closedByHand = await h.app.inject({
      method: 'POST',
      url: `/requirements/${byHand}/close`,
      headers: buyer.headers,
    });
    expect(closedByHand.statusCode).toBe(200);

    clock.now = mexicoCity(addDays(today, 1), '00:00:01');
    await jobs.add('requirement-deadlines', {});
    await eventually(async () => (await state(due)).state === 'closed', 15_000);

    const closed = await state(due);
    expect(closed.version).toBe(3); // created 1, opened 2, closed 3
    expect(closed.closed_at?.toISOString()).toBe(clock.now.toISOString());
    const events = await closedEvents(due);
    expect(events).toHaveLength(1);
    expect(events[0]?.aggregate.version).toBe(3);
    expect(events[0]?.data.state).toBe('closed');

    expect((await state(later)).state).toBe('open');
    expect((await state(draft)).state).toBe('draft');
    expect((await state(byHand)).version).toBe(3);
    expect(await closedEvents(byHand)).toHaveLength(1);

    // Idempotent: a second sweep (another replica, a retry) finds nothing to close.
    expect(await closeExpiredRequirements(deps)).toEqual([]);
    expect(await closedEvents(due)).toHaveLength(1);
    expect((await state(due)).version).toBe(3);
  });
});
