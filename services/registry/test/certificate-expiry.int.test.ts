/**
 * Certificate expiry against the real Redis (BullMQ) and PostgreSQL, with short offsets instead of 60/30/7
 * days: reminders and expiry fire at their times, survive a worker restart, are never sent twice (re-added jobs,
 * concurrent runs), and a changed validTo reschedules while the old jobs do nothing.
 */
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAnyEvent } from '@vinculo/contracts';
import type { Principal } from '@vinculo/service-kit/auth';
import { newId } from '@vinculo/service-kit/db';
import { createJobs } from '@vinculo/service-kit/jobs';
import { isolation, sharedUrls } from '@vinculo/testing';
import type { NoticeKind } from '../src/db/certificates.repository.js';
import * as certs from '../src/domain/certificates.js';
import { createEventWriter } from '../src/events/registry.events.js';
import {
  certificateQueues,
  createCertificateScheduler,
  expiryJobId,
  processExpiryJob,
  startCertificateExpiryWorker,
  type CertificateJobs,
  type CertificateNotice,
  type ExpiryWorkerDeps,
} from '../src/jobs/certificate-expiry.js';
import { signup, startRegistry, type Harness } from './harness.js';

let h: Harness;
let jobs: CertificateJobs;
let supplier: Awaited<ReturnType<typeof signup>>;
let ctx: { correlationId: string; principal: Principal };
const iso = isolation();
const sent: Array<{ notice: CertificateNotice; at: number }> = [];
let workerDeps: ExpiryWorkerDeps;

// Short stand-ins for 60, 30, 7 days before and the end of the last day.
const OFFSETS: Record<NoticeKind, number> = {
  'remind-60': 1_000,
  'remind-30': 1_800,
  'remind-7': 2_600,
  expired: 4_000,
};
const TOLERANCE_MS = 1_500;

function shortScheduler() {
  const base = Date.now();
  return {
    base,
    scheduler: createCertificateScheduler(jobs, { fireAt: (kind) => new Date(base + OFFSETS[kind]) }),
  };
}

function certDeps(scheduler: ReturnType<typeof createCertificateScheduler>): certs.CertificateDeps {
  return {
    db: h.database.db,
    writeEvent: createEventWriter(h.namespace),
    storage: { put: () => Promise.reject(new Error('unused')), get: () => Promise.resolve(undefined) },
    certificates: scheduler,
  };
}

async function declare(scheduler: ReturnType<typeof createCertificateScheduler>, validTo = '2031-03-31') {
  return certs.createCertificate(
    certDeps(scheduler),
    supplier.orgId,
    {
      standardId: 'iatf-16949-2016',
      certificateNumber: `IATF-${newId().slice(-6)}`,
      issuingBody: 'TÜV',
      validFrom: '2025-01-01',
      validTo,
    },
    ctx,
  );
}

async function waitFor(cond: () => Promise<boolean> | boolean, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sentFor = (id: string) => sent.filter((s) => s.notice.certificateId === id);
const statusOf = async (id: string) =>
  (
    await h.database.db
      .selectFrom('certificates')
      .select(['status', 'valid_to'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).status;
const noticesOf = (id: string) =>
  h.database.db
    .selectFrom('certificate_notices')
    .select(['kind', 'valid_to'])
    .where('certificate_id', '=', id)
    .orderBy('sent_at')
    .execute();
async function expiredEvents(id: string) {
  const rows = await h.database.db
    .selectFrom('outbox')
    .select(['type', 'payload'])
    .where('type', '=', 'registry.certification.expired')
    .where('payload', '@>', JSON.stringify({ aggregate: { id } }) as never)
    .execute();
  for (const r of rows) expect(validateAnyEvent(r.payload).ok).toBe(true);
  return rows;
}

beforeAll(async () => {
  h = await startRegistry();
  supplier = await signup(h.app, 'supplier');
  await h.database.db.insertInto('supplier_profiles').values({ org_id: supplier.orgId }).execute();
  ctx = {
    correlationId: 'expiry-test',
    principal: { orgId: supplier.orgId, orgType: 'supplier', roles: ['owner'], userId: supplier.userId },
  };
  jobs = createJobs({
    catalog: certificateQueues,
    redisUrl: sharedUrls.redis(),
    prefix: iso.redisPrefix,
    queueName: (base) => iso.queueName(base),
  });
  workerDeps = {
    db: h.database.db,
    writeEvent: createEventWriter(h.namespace),
    notifier: {
      notify: (notice) => {
        sent.push({ notice, at: Date.now() });
        return Promise.resolve();
      },
    },
  };
});

afterAll(async () => {
  await jobs?.close();
  if (h) {
    const keys = await h.redis.keys(`${iso.redisPrefix}*`);
    if (keys.length) await h.redis.del(...keys);
    await h.close();
  }
});

describe('scheduling on the real calendar', () => {
  it('skips reminders whose time has passed, runs a due expiry at once, and names jobs by certificate, kind and date', async () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const scheduler = createCertificateScheduler(jobs, { now: () => now });
    const id = newId();
    await scheduler.schedule({ id, validTo: '2026-06-30' });
    const q = jobs.queue('certificate-expiry');
    const job = async (kind: NoticeKind) =>
      q.getJob(expiryJobId({ certificateId: id, kind, validTo: '2026-06-30' }));
    expect(await job('remind-60')).toBeUndefined();
    expect(await job('remind-30')).toBeUndefined();
    // 09:00 in Mexico City (UTC−6) on June 23rd, and 00:00 on July 1st.
    expect((await job('remind-7'))?.opts.delay).toBe(Date.parse('2026-06-23T15:00:00Z') - now.getTime());
    expect((await job('expired'))?.opts.delay).toBe(Date.parse('2026-07-01T06:00:00Z') - now.getTime());

    const past = newId();
    await scheduler.schedule({ id: past, validTo: '2026-05-01' });
    expect((await job('remind-7'))?.data).toMatchObject({ certificateId: id });
    const expiredNow = await q.getJob(
      expiryJobId({ certificateId: past, kind: 'expired', validTo: '2026-05-01' }),
    );
    expect(expiredNow?.opts.delay).toBe(0);
    expect(
      await q.getJob(expiryJobId({ certificateId: past, kind: 'remind-7', validTo: '2026-05-01' })),
    ).toBeUndefined();
    // Scheduling again is a no-op while the jobs exist.
    await scheduler.schedule({ id, validTo: '2026-06-30' });
    const ids = (await q.getDelayed()).map((j) => j.id).filter((j) => j?.includes(id));
    expect(ids.sort()).toEqual([`cert-${id}-expired-2026-06-30`, `cert-${id}-remind-7-2026-06-30`]);
    await q.remove(`cert-${id}-expired-2026-06-30`);
    await q.remove(`cert-${id}-remind-7-2026-06-30`);
  });
});

describe('with a worker and short offsets', () => {
  let worker: Worker;

  beforeAll(() => {
    worker = startCertificateExpiryWorker(jobs, workerDeps);
  });

  it('reminds at each offset and expires the certificate at the end, once each', async () => {
    const { base, scheduler } = shortScheduler();
    const c = await declare(scheduler);
    await waitFor(async () => (await statusOf(c.id)) === 'expired');
    const mine = sentFor(c.id);
    expect(mine.map((s) => s.notice.kind)).toEqual(['remind-60', 'remind-30', 'remind-7']);
    for (const s of mine) {
      const due = base + OFFSETS[s.notice.kind];
      expect(s.at).toBeGreaterThanOrEqual(due - 50);
      expect(s.at).toBeLessThanOrEqual(due + TOLERANCE_MS);
    }
    expect(mine[2]?.notice).toMatchObject({
      supplierId: supplier.orgId,
      daysBefore: 7,
      validTo: '2031-03-31',
      standardId: 'iatf-16949-2016',
    });
    expect((await noticesOf(c.id)).map((n) => n.kind)).toEqual([
      'remind-60',
      'remind-30',
      'remind-7',
      'expired',
    ]);
    const events = await expiredEvents(c.id);
    expect(events).toHaveLength(1);
    expect(events[0]?.payload).toMatchObject({ data: { status: 'expired', validTo: '2031-03-31' } });
  });

  it('sends nothing twice when the same job runs concurrently or is re-added after it ran', async () => {
    // Declared without scheduling: this test drives the jobs itself.
    const c = await declare({ schedule: () => Promise.resolve() });
    for (const kind of ['remind-60', 'remind-30', 'remind-7', 'expired'] as const) {
      const job = { certificateId: c.id, kind, validTo: '2031-03-31' };
      const outcomes = await Promise.all([1, 2, 3].map(() => processExpiryJob(workerDeps, job)));
      expect(outcomes.sort()).toEqual([
        'already-done',
        'already-done',
        kind === 'expired' ? 'expired' : 'reminded',
      ]);
    }
    expect(await statusOf(c.id)).toBe('expired');
    // Re-queued under fresh ids (a retry or a manual re-queue): the worker runs them and sends nothing.
    const q = jobs.queue('certificate-expiry');
    for (const kind of ['remind-60', 'remind-30', 'remind-7', 'expired'] as const) {
      const job = { certificateId: c.id, kind, validTo: '2031-03-31' };
      await jobs.add('certificate-expiry', job, { jobId: `${expiryJobId(job)}-again` });
    }
    await waitFor(async () => {
      const done = await Promise.all(
        (['remind-60', 'remind-30', 'remind-7', 'expired'] as const).map(async (kind) => {
          const j = await q.getJob(
            `${expiryJobId({ certificateId: c.id, kind, validTo: '2031-03-31' })}-again`,
          );
          return j?.finishedOn !== undefined;
        }),
      );
      return done.every(Boolean);
    });
    expect(sentFor(c.id).map((s) => s.notice.kind)).toEqual(['remind-60', 'remind-30', 'remind-7']);
    expect(await expiredEvents(c.id)).toHaveLength(1);
  });

  it('loses nothing when the worker stops midway and a new one starts', async () => {
    const { base, scheduler } = shortScheduler();
    const c = await declare(scheduler);
    await waitFor(() => sentFor(c.id).length >= 1);
    await worker.close();
    // While no worker runs, the other two reminders fall due (a reminder still pending when the certificate has
    // already expired is dropped as pointless, so the restart comes before the expiry).
    await new Promise((r) => setTimeout(r, base + OFFSETS['remind-7'] + 300 - Date.now()));
    expect(sentFor(c.id).length).toBeLessThan(3);
    worker = startCertificateExpiryWorker(jobs, workerDeps);
    await waitFor(async () => (await statusOf(c.id)) === 'expired');
    // The two that waited for the new worker run concurrently, in either order.
    expect(
      sentFor(c.id)
        .map((s) => s.notice.kind)
        .sort(),
    ).toEqual(['remind-30', 'remind-60', 'remind-7']);
    expect(await expiredEvents(c.id)).toHaveLength(1);
  });

  it('reschedules when validTo changes, and the old jobs do nothing', async () => {
    const { scheduler } = shortScheduler();
    const c = await declare(scheduler, '2031-03-31');
    // Changed before the first reminder: the new date gets its own jobs (same short offsets here).
    const changed = await certs.updateCertificate(
      certDeps(scheduler),
      supplier.orgId,
      c.id,
      { validTo: '2032-03-31' },
      ctx,
    );
    expect(changed.validTo).toBe('2032-03-31');
    const q = jobs.queue('certificate-expiry');
    expect(
      await q.getJob(expiryJobId({ certificateId: c.id, kind: 'expired', validTo: '2032-03-31' })),
    ).toBeDefined();
    await waitFor(async () => (await statusOf(c.id)) === 'expired');
    // Let the old set run too (it was due at the same times).
    const old = (kind: NoticeKind) => expiryJobId({ certificateId: c.id, kind, validTo: '2031-03-31' });
    await waitFor(async () => (await q.getJob(old('expired')))?.finishedOn !== undefined);
    for (const kind of ['remind-60', 'remind-30', 'remind-7', 'expired'] as const) {
      expect((await q.getJob(old(kind)))?.returnvalue).toBe('stale');
    }
    expect(sentFor(c.id).map((s) => [s.notice.kind, s.notice.validTo])).toEqual([
      ['remind-60', '2032-03-31'],
      ['remind-30', '2032-03-31'],
      ['remind-7', '2032-03-31'],
    ]);
    expect((await noticesOf(c.id)).every((n) => n.valid_to === '2032-03-31')).toBe(true);
    expect(await expiredEvents(c.id)).toHaveLength(1);
  });

  it('does nothing for a revoked certificate', async () => {
    const { scheduler } = shortScheduler();
    const c = await declare(scheduler);
    await certs.revokeCertificate(certDeps(scheduler), supplier.orgId, c.id, 'Retirado', ctx);
    const q = jobs.queue('certificate-expiry');
    await waitFor(
      async () =>
        (await q.getJob(expiryJobId({ certificateId: c.id, kind: 'expired', validTo: '2031-03-31' })))
          ?.finishedOn !== undefined,
    );
    expect(sentFor(c.id)).toEqual([]);
    expect(await statusOf(c.id)).toBe('revoked');
    expect(await noticesOf(c.id)).toEqual([]);
  });
});
