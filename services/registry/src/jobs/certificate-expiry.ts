/**
 * Certificate expiry: reminders 60, 30 and 7 days before a certificate's last valid day (09:00 Mexico City)
 * and the expiry itself at the end of that day (00:00 of the next day, America/Mexico_City calendar, as
 * ARCHITECTURE.md reads calendar dates).
 *
 * - Scheduling: one delayed BullMQ job per (certificate, kind, validTo), jobId `cert-<id>-<kind>-<validTo>`,
 *   so scheduling twice is a no-op while the job exists. A changed validTo schedules a fresh set; the old jobs
 *   stay queued and do nothing when they run, because the certificate no longer has their validTo.
 * - Exactly once per (certificate, kind, validTo): the worker records the notice in `certificate_notices`
 *   (`on conflict do nothing`) in the same transaction that checks the certificate and, for `expired`, sets
 *   the status and writes the outbox event. A repeated or retried job finds the row and does nothing. Reminders
 *   go to the notifier after the commit, so they are at most once: a notifier failure after the commit is
 *   logged and not retried (never twice wins over always; the real transport will sit behind the outbox).
 *
 * Its own catalog (not src/jobs/queues.ts) so the expiry worker can be created, scaled and tested on its own.
 */
import { Type } from 'typebox';
import type { Worker } from 'bullmq';
import { inTransaction, type Kysely } from '@vinculo/service-kit/db';
import { defineQueues, type Jobs } from '@vinculo/service-kit/jobs';
import { createCertificateRepository, type NoticeKind } from '../db/certificates.repository.js';
import type { RegistryDb } from '../db/schema.js';
import { certificationSnapshot } from '../domain/certificates.js';
import type { EventWriter } from '../events/registry.events.js';
import type { CertificateScheduler } from '../routes/deps.js';

export const NOTICE_KINDS = [
  'remind-60',
  'remind-30',
  'remind-7',
  'expired',
] as const satisfies readonly NoticeKind[];
const REMINDER_DAYS: Record<Exclude<NoticeKind, 'expired'>, number> = {
  'remind-60': 60,
  'remind-30': 30,
  'remind-7': 7,
};

export const certificateQueues = defineQueues({
  'certificate-expiry': {
    payload: Type.Object({
      certificateId: Type.String({ pattern: '^[0-9a-f-]{36}$' }),
      kind: Type.Union([
        Type.Literal('remind-60'),
        Type.Literal('remind-30'),
        Type.Literal('remind-7'),
        Type.Literal('expired'),
      ]),
      validTo: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
    }),
    attempts: 10,
    backoff: { type: 'exponential', delay: 5_000 },
    // Completed jobs keep their jobId (a second schedule is a no-op); certificate_notices is the real guard.
    removeOnComplete: { count: 10_000 },
    removeOnFail: { count: 5_000 },
  },
});

export type CertificateJobs = Jobs<typeof certificateQueues>;
export type ExpiryJob = { certificateId: string; kind: NoticeKind; validTo: string };

// ---- Mexico City calendar -----------------------------------------------------------------------------------

const MX_TZ = 'America/Mexico_City';
const mxFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: MX_TZ,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Mexico City's offset from UTC at an instant, in ms (e.g. −6 h), from the tz database behind Intl. */
function mexicoCityOffsetMs(instant: number): number {
  const parts = mxFormat.formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wallAsUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return wallAsUtc - Math.floor(instant / 1000) * 1000;
}

function parseDate(date: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`not a YYYY-MM-DD date: ${date}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** The instant the Mexico City wall clock shows `hour:minute` on `date` (YYYY-MM-DD). */
export function mexicoCityWallTime(date: string, hour = 0, minute = 0): Date {
  const [y, m, d] = parseDate(date);
  const wall = Date.UTC(y, m - 1, d, hour, minute);
  // Guess with the offset at the wall time read as UTC, then correct once with the offset at the guess: enough
  // for any zone whose offset changes at most once within a few hours (Mexico's old DST switched at 02:00).
  let t = wall - mexicoCityOffsetMs(wall);
  const again = wall - mexicoCityOffsetMs(t);
  if (again !== t) t = again;
  return new Date(t);
}

/** 00:00 in Mexico City on `date`: the start of that calendar day (and the end of the day before). */
export function mexicoCityMidnight(date: string): Date {
  return mexicoCityWallTime(date, 0, 0);
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = parseDate(date);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** When each notice is due: reminders at 09:00 on validTo − N days, expiry at 00:00 on validTo + 1 day. */
export function noticeTime(kind: NoticeKind, validTo: string): Date {
  if (kind === 'expired') return mexicoCityMidnight(addDays(validTo, 1));
  return mexicoCityWallTime(addDays(validTo, -REMINDER_DAYS[kind]), 9, 0);
}

export function expiryJobId(j: ExpiryJob): string {
  return `cert-${j.certificateId}-${j.kind}-${j.validTo}`;
}

// ---- scheduler ----------------------------------------------------------------------------------------------

export interface SchedulerOptions {
  now?: () => Date;
  /** When a notice is due; tests pass short offsets from now. Default noticeTime (the real calendar). */
  fireAt?: (kind: NoticeKind, validTo: string) => Date;
}

export function createCertificateScheduler(
  jobs: CertificateJobs,
  opts: SchedulerOptions = {},
): CertificateScheduler {
  const now = opts.now ?? (() => new Date());
  const fireAt = opts.fireAt ?? noticeTime;
  return {
    async schedule({ id, validTo }) {
      const at = now().getTime();
      for (const kind of NOTICE_KINDS) {
        const delay = fireAt(kind, validTo).getTime() - at;
        // A reminder whose day has passed is pointless; an expiry that is due happens at once.
        if (delay < 0 && kind !== 'expired') continue;
        const job: ExpiryJob = { certificateId: id, kind, validTo };
        await jobs.add('certificate-expiry', job, { jobId: expiryJobId(job), delay: Math.max(0, delay) });
      }
    },
  };
}

/**
 * Schedules every certificate that may still expire (declared, verified, rejected). Run at boot: it repairs
 * schedules lost when Redis was unreachable after a commit; jobIds make it a no-op for the rest.
 */
export async function resyncCertificateExpiry(
  db: Kysely<RegistryDb>,
  scheduler: CertificateScheduler,
): Promise<number> {
  const rows = await createCertificateRepository().listSchedulable(db);
  for (const r of rows) await scheduler.schedule({ id: r.id, validTo: r.valid_to });
  return rows.length;
}

// ---- worker -------------------------------------------------------------------------------------------------

export interface CertificateNotice {
  certificateId: string;
  supplierId: string;
  kind: Exclude<NoticeKind, 'expired'>;
  daysBefore: number;
  validTo: string;
  standardId: string;
  certificateNumber: string;
}

/** Delivers an expiry reminder to the supplier. Until the messaging service exists, the transport is the log. */
export interface CertificateNotifier {
  notify(notice: CertificateNotice): Promise<void>;
}

export function createLogCertificateNotifier(log: {
  info(obj: object, msg?: string): void;
}): CertificateNotifier {
  return {
    notify(notice) {
      log.info({ notice }, 'certificate expiry reminder (log transport)');
      return Promise.resolve();
    },
  };
}

export interface ExpiryWorkerDeps {
  db: Kysely<RegistryDb>;
  writeEvent: EventWriter;
  notifier: CertificateNotifier;
  /** Called after an expiry's outbox event is committed, to wake the relay. */
  onEventsWritten?: () => void;
  log?: { warn(obj: object, msg?: string): void };
}

export type ExpiryOutcome = 'reminded' | 'expired' | 'already-done' | 'stale';

const repo = createCertificateRepository();

/** One job, idempotent: see the file comment. */
export async function processExpiryJob(deps: ExpiryWorkerDeps, job: ExpiryJob): Promise<ExpiryOutcome> {
  const result = await inTransaction(deps.db, async (trx) => {
    const c = await repo.lock(trx, job.certificateId);
    // Deleted, rescheduled to another date, revoked, or (for a reminder) already expired: nothing to do. Checked
    // before recording, so a date changed back later still gets its notices.
    if (!c || c.valid_to !== job.validTo || c.status === 'revoked') return { outcome: 'stale' as const };
    if (job.kind !== 'expired' && c.status === 'expired') return { outcome: 'stale' as const };
    if (!(await repo.recordNotice(trx, c.id, job.kind, job.validTo)))
      return { outcome: 'already-done' as const };
    if (job.kind === 'expired') {
      const row = await repo.update(trx, c.id, { status: 'expired' });
      await deps.writeEvent(
        trx,
        'registry.certification.expired',
        { type: 'certification', id: row.id, version: row.version },
        certificationSnapshot(row),
        row.org_id,
        { correlationId: expiryJobId(job) },
      );
      return { outcome: 'expired' as const };
    }
    const notice: CertificateNotice = {
      certificateId: c.id,
      supplierId: c.org_id,
      kind: job.kind,
      daysBefore: REMINDER_DAYS[job.kind],
      validTo: c.valid_to,
      standardId: c.standard_id,
      certificateNumber: c.certificate_number,
    };
    return { outcome: 'reminded' as const, notice };
  });
  if (result.outcome === 'expired') deps.onEventsWritten?.();
  if (result.outcome === 'reminded') {
    try {
      await deps.notifier.notify(result.notice);
    } catch (err) {
      deps.log?.warn({ err, notice: result.notice }, 'certificate reminder recorded but not delivered');
    }
  }
  return result.outcome;
}

export function startCertificateExpiryWorker(
  jobs: CertificateJobs,
  deps: ExpiryWorkerDeps,
  opts: { concurrency?: number } = {},
): Worker {
  return jobs.worker('certificate-expiry', (payload) => processExpiryJob(deps, payload), {
    concurrency: opts.concurrency ?? 4,
  });
}
