/**
 * Freshness through the real pieces: registry events → the durable consumer (read model, index, a rematch
 * round in supplier_rematch) → the `supplier-rematch` BullMQ job → matching.candidate.found in the outbox,
 * once per (requirement, supplier), only when the supplier newly qualifies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subject, validateEvent } from '@vinculo/contracts';
import { sql } from '@vinculo/service-kit/db';
import { createJobs, type Jobs } from '@vinculo/service-kit/jobs';
import { isolation, sharedUrls } from '@vinculo/testing';
import { createRequirementRepository } from '../src/db/requirements.repository.js';
import { createRequirementEventWriter } from '../src/events/matching.events.js';
import { createRegistryConsumer } from '../src/events/registry.consumer.js';
import {
  matchingQueues,
  queueRematches,
  startMatchingWorkers,
  type MatchingWorkerDeps,
} from '../src/jobs/matching.queue.js';
import { jetstream, silentLogger, type InboxConsumer } from '@vinculo/service-kit/events';
import {
  bracketsRfq,
  certificationSnapshot,
  eventually,
  registryEvent,
  supplierSnapshot,
} from './fixtures.js';
import { startMatching, type Harness } from './harness.js';

let h: Harness;
let jobs: Jobs<typeof matchingQueues>;
let consumer: InboxConsumer;
let buyer: ReturnType<Harness['org']>;
let requirementId: string;
let draftId: string;
const iso = isolation();

interface OutboxEvent {
  type: string;
  subject: string;
  payload: {
    aggregate: { type: string; id: string; version: number };
    data: { requirementId: string; buyerId: string; supplierId: string; score: number; trigger: string };
  };
}

async function candidateEvents(): Promise<OutboxEvent[]> {
  const r = await sql<OutboxEvent>`
    select type, subject, payload from outbox where type = 'matching.candidate.found' order by seq`.execute(
    h.database.db,
  );
  return r.rows;
}

/** Waits until every rematch round was run by the job (the consumer has applied everything published). */
async function settled(eventsApplied: number): Promise<void> {
  await eventually(async () => {
    const pos = await sql<{ n: string }>`
      select coalesce(sum(events_applied), 0)::text as n from read_model_position`.execute(h.database.db);
    if (Number(pos.rows[0]?.n) < eventsApplied) return false;
    const r = await sql<{ n: number }>`select count(*)::int as n from supplier_rematch`.execute(
      h.database.db,
    );
    return r.rows[0]?.n === 0;
  }, 15_000);
}

let published = 0;
async function publish(...events: { id: string; type: string }[]): Promise<void> {
  for (const e of events) await h.publish(e);
  published += events.length;
}

async function postRequirement(body: object, open: boolean): Promise<{ id: string; version: number }> {
  const res = await h.app.inject({
    method: 'POST',
    url: '/requirements',
    headers: buyer.headers,
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(201);
  const created = res.json<{ id: string; version: number }>();
  if (!open) return created;
  const opened = await h.app.inject({
    method: 'POST',
    url: `/requirements/${created.id}/open`,
    headers: buyer.headers,
  });
  expect(opened.statusCode, opened.body).toBe(200);
  return opened.json<{ id: string; version: number }>();
}

beforeAll(async () => {
  h = await startMatching();
  // The harness's consumer does not queue rematch jobs: replace it with the one main.ts wires.
  await h.consumer.stop();
  const queueName = (base: string) => iso.queueName(base);
  jobs = createJobs({
    catalog: matchingQueues,
    redisUrl: sharedUrls.redis(),
    prefix: iso.redisPrefix,
    queueName,
  });
  const deps: MatchingWorkerDeps = {
    db: h.database.db,
    index: h.index,
    namespace: h.namespace,
    requirements: createRequirementRepository(),
    writeEvent: createRequirementEventWriter(h.namespace),
    now: () => new Date(),
    deadlineSweepEveryMs: 60_000,
    rematchSweepEveryMs: 60_000,
  };
  startMatchingWorkers(jobs, deps);
  consumer = createRegistryConsumer({
    namespace: h.namespace,
    js: jetstream(h.nc),
    db: h.database.db,
    log: silentLogger,
    expiresMs: 2_000,
    onSuppliersChanged: (ids) => h.index.refresh(ids),
    onRematchRequested: queueRematches(jobs),
  });
  consumer.start();
  buyer = h.org('buyer');
  requirementId = (await postRequirement(bracketsRfq, true)).id;
  draftId = (await postRequirement({ ...bracketsRfq, title: 'Borrador / draft' }, false)).id;
});

afterAll(async () => {
  await consumer?.stop();
  await jobs?.close();
  const keys = await h.redis.keys(`${iso.redisPrefix}*`);
  if (keys.length) await h.redis.del(...keys);
  await h?.close();
});

describe('freshness: matching.candidate.found', () => {
  const a = supplierSnapshot({ name: 'Maquinados Recién Certificados' });
  const iatfA = certificationSnapshot(a.id, { status: 'verified' });

  it('announces nothing for a supplier that does not qualify (no IATF 16949 yet)', async () => {
    await publish(
      registryEvent('registry.supplier.registered', { type: 'supplier', id: a.id, version: 1 }, a),
    );
    await settled(published);
    expect(await candidateEvents()).toEqual([]);
  });

  it('announces a supplier that newly qualifies once its certificate arrives, for open requirements only', async () => {
    await publish(
      registryEvent(
        'registry.certification.added',
        { type: 'certification', id: iatfA.id, version: 1 },
        iatfA,
      ),
    );
    await settled(published);
    const events = await candidateEvents();
    expect(events).toHaveLength(1);
    const [e] = events;
    expect(e?.subject).toBe(subject(h.namespace, 'matching.candidate.found'));
    expect(validateEvent('matching.candidate.found', e?.payload)).toMatchObject({ ok: true });
    expect(e?.payload.aggregate).toEqual({ type: 'requirement', id: requirementId, version: 2 });
    expect(e?.payload.data).toMatchObject({
      requirementId,
      buyerId: buyer.orgId,
      supplierId: a.id,
      trigger: 'registry.certification.added',
    });
    // The score is the one the buyer's ranking shows.
    const res = await h.app.inject({
      method: 'GET',
      url: `/requirements/${requirementId}/matches`,
      headers: buyer.headers,
    });
    const ranked = res.json<{ candidates: { supplierId: string; score: number }[] }>();
    // The page shows scores to six decimals.
    expect(ranked.candidates.find((c) => c.supplierId === a.id)?.score).toBeCloseTo(
      e?.payload.data.score ?? -1,
      5,
    );
    expect(events.some((x) => x.payload.data.requirementId === draftId)).toBe(false);
  });

  it('does not announce an existing candidate again when it edits its profile', async () => {
    const edited = {
      ...a,
      description: { es: 'Maquinado CNC de soportes', en: 'CNC machining of brackets' },
    };
    await publish(
      registryEvent('registry.supplier.updated', { type: 'supplier', id: a.id, version: 2 }, edited),
    );
    await settled(published);
    expect(await candidateEvents()).toHaveLength(1);
  });

  it('a revoked certificate simply stops qualifying, and qualifying again is not announced twice', async () => {
    const revoked = { ...iatfA, status: 'revoked' as const, statusReason: 'suspendido por el organismo' };
    await publish(
      registryEvent(
        'registry.certification.revoked',
        { type: 'certification', id: iatfA.id, version: 2 },
        revoked,
      ),
    );
    await settled(published);
    expect(await candidateEvents()).toHaveLength(1);
    const res = await h.app.inject({
      method: 'GET',
      url: `/requirements/${requirementId}/matches`,
      headers: buyer.headers,
    });
    const body = res.json<{ candidates: { supplierId: string }[]; nearMisses: { supplierId: string }[] }>();
    expect(body.candidates.map((c) => c.supplierId)).not.toContain(a.id);

    const renewed = certificationSnapshot(a.id, { status: 'verified', certificateNumber: 'IATF-0002' });
    await publish(
      registryEvent(
        'registry.certification.added',
        { type: 'certification', id: renewed.id, version: 1 },
        renewed,
      ),
    );
    await settled(published);
    expect(await candidateEvents()).toHaveLength(1);
  });

  it('announces a supplier whose certificate arrived before its profile when the profile lands', async () => {
    const b = supplierSnapshot({ name: 'Aluminios del Marqués' });
    const iatfB = certificationSnapshot(b.id, { status: 'declared' });
    await publish(
      registryEvent(
        'registry.certification.added',
        { type: 'certification', id: iatfB.id, version: 1 },
        iatfB,
      ),
    );
    await settled(published);
    expect(await candidateEvents()).toHaveLength(1);
    await publish(
      registryEvent('registry.supplier.registered', { type: 'supplier', id: b.id, version: 1 }, b),
    );
    await settled(published);
    const events = await candidateEvents();
    expect(events).toHaveLength(2);
    expect(events[1]?.payload.data).toMatchObject({
      requirementId,
      supplierId: b.id,
      trigger: 'registry.supplier.registered',
    });
    const rows = await sql<{ n: number }>`
      select count(*)::int as n from candidate_notifications where requirement_id = ${requirementId}`.execute(
      h.database.db,
    );
    expect(rows.rows[0]?.n).toBe(2);
  });
});
