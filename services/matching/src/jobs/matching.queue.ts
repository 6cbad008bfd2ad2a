/**
 * Matching's private queues (BullMQ), declared once, and the workers that run them:
 * - `supplier-rematch` — one job per supplier change round (jobId `rematch-<supplier>-<stamp>`, so a round is
 *   queued once and a later change queues its own): re-evaluates the open requirements (domain/freshness.ts).
 * - `rematch-sweep` — repeatable and once at boot: runs the rounds whose job never came (queued while Redis
 *   was down, or lost with a crash between the consumer's commit and the add).
 * - `requirement-deadlines` — repeatable and once at boot: closes open requirements past their deadline
 *   (jobs/deadlines.worker.ts).
 * Every job is idempotent, so a retry, a duplicate or two replicas running the same sweep change nothing.
 */
import { Type } from 'typebox';
import { defineQueues, type Jobs } from '@vinculo/service-kit/jobs';
import type { RematchRequest } from '../events/registry.consumer.js';
import { rematchSupplier, sweepRematches, type FreshnessDeps } from '../domain/freshness.js';
import { closeExpiredRequirements, type DeadlineDeps } from './deadlines.worker.js';

export const matchingQueues = defineQueues({
  'supplier-rematch': {
    payload: Type.Object({ supplierId: Type.String({ format: 'uuid' }) }),
    attempts: 5,
    backoff: { type: 'exponential', delay: 2_000 },
    // Completed ids are kept so a re-added round is a no-op while they last; supplier_rematch is the real guard.
    removeOnComplete: { count: 1_000 },
    removeOnFail: { count: 5_000 },
  },
  'rematch-sweep': {
    payload: Type.Object({ olderThanMs: Type.Integer({ minimum: 0 }) }),
    attempts: 1, // the next sweep is the retry
    removeOnComplete: { count: 10 },
    removeOnFail: { count: 100 },
  },
  'requirement-deadlines': {
    payload: Type.Object({}),
    attempts: 3,
    backoff: { type: 'exponential', delay: 5_000 },
    removeOnComplete: { count: 10 },
    removeOnFail: { count: 100 },
  },
});

export type MatchingJobs = Jobs<typeof matchingQueues>;

/** A round younger than this probably has its own job queued; the scheduled sweep leaves it alone. */
const STALE_ROUND_MS = 60_000;

export interface MatchingWorkerDeps extends FreshnessDeps, DeadlineDeps {
  deadlineSweepEveryMs: number;
  rematchSweepEveryMs: number;
}

/** Starts the workers (one job at a time each, per replica). */
export function startMatchingWorkers(jobs: MatchingJobs, d: MatchingWorkerDeps): void {
  jobs.worker('supplier-rematch', (p) => rematchSupplier(d, p.supplierId));
  jobs.worker('rematch-sweep', async (p) => {
    const outcomes = await sweepRematches(d, { olderThanMs: p.olderThanMs });
    return { rounds: outcomes.length, announced: outcomes.reduce((n, o) => n + o.announced.length, 0) };
  });
  jobs.worker('requirement-deadlines', async () => ({ closed: (await closeExpiredRequirements(d)).length }));
}

/**
 * Registers the repeatable sweeps (upserted: every replica may call it) and queues one of each now. Needs
 * Redis: main.ts runs it in the background and only logs a failure (the next boot retries).
 */
export async function scheduleSweeps(jobs: MatchingJobs, d: MatchingWorkerDeps): Promise<void> {
  await jobs
    .queue('requirement-deadlines')
    .upsertJobScheduler(
      'requirement-deadlines',
      { every: d.deadlineSweepEveryMs },
      { name: 'requirement-deadlines', data: {} },
    );
  await jobs
    .queue('rematch-sweep')
    .upsertJobScheduler(
      'rematch-sweep',
      { every: d.rematchSweepEveryMs },
      { name: 'rematch-sweep', data: { olderThanMs: STALE_ROUND_MS } },
    );
  await jobs.add('requirement-deadlines', {});
  // At boot every pending round is an orphan as far as this process knows.
  await jobs.add('rematch-sweep', { olderThanMs: 0 });
}

/** What the registry consumer calls after commit: one job per supplier round. */
export function queueRematches(jobs: MatchingJobs): (requests: RematchRequest[]) => Promise<void> {
  return async (requests) => {
    for (const r of requests)
      await jobs.add(
        'supplier-rematch',
        { supplierId: r.supplierId },
        { jobId: `rematch-${r.supplierId}-${r.stamp}` },
      );
  };
}
