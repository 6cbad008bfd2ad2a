/**
 * `npm run matching:replay` (node services/matching/dist/replay.js): rebuilds matching's read model of the
 * registry from nothing by replaying the REGISTRY stream, which keeps every event (no age or size limit).
 *
 * 1. One transaction empties the read model (organizations, suppliers, certificates, mandates,
 *    read_model_position) and the inbox rows of the durable consumer `matching-registry`.
 * 2. An ordered ephemeral consumer reads the stream from sequence 1 up to its last sequence at the start, and
 *    each event is applied with the durable consumer's own apply code (applyRegistryEvent) and recorded in the
 *    inbox under `matching-registry`, in transactions of up to BATCH events. Invalid events are skipped (the
 *    durable consumer dead-lettered them); an event that fails is counted and skipped, like a dead letter.
 * 3. It prints one JSON line with the counts and exits (0, or 1 on failure).
 *
 * Afterwards the durable consumer simply continues: whatever it is redelivered up to that sequence finds its
 * inbox row and is skipped, and anything older that slips through is a no-op by aggregate version.
 * Run it with the service stopped (or restart the service afterwards): a running service keeps serving its
 * in-memory index, and while the replay runs the read model is partial. Requirements, freshness rounds and
 * announcements are not the read model and are left alone; a rebuild announces nothing.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import pino from 'pino';
import { streamName, subjectFilter } from '@vinculo/contracts';
import { createDatabase, migrateToLatest, sql, type Kysely } from '@vinculo/service-kit/db';
import { connectNats, jetstream, jetstreamManager, type EventsLogger } from '@vinculo/service-kit/events';
import { loadConfig } from './config.js';
import type { MatchingDb } from './db/schema.js';
import {
  applyRegistryEvent,
  REGISTRY_CONSUMER,
  validateRegistryEvent,
  type RegistryEvent,
} from './events/registry.consumer.js';

type JetStreamClient = ReturnType<typeof jetstream>;
type JetStreamManager = Awaited<ReturnType<typeof jetstreamManager>>;

const BATCH = 500;
const READ_MODEL = ['organizations', 'suppliers', 'certificates', 'mandates', 'read_model_position'] as const;

export interface ReplayCounts {
  /** The stream's last sequence when the replay started: it replays up to there. */
  lastSeq: number;
  read: number;
  applied: number;
  /** Events whose id was already applied (a registry re-publish outside the duplicate window). */
  duplicates: number;
  invalid: number;
  failed: number;
  rows: Record<'organizations' | 'suppliers' | 'certificates' | 'mandates', number>;
  ms: number;
}

export interface ReplayOptions {
  db: Kysely<MatchingDb>;
  js: JetStreamClient;
  jsm: JetStreamManager;
  namespace: string;
  log: EventsLogger;
}

interface Pending {
  seq: number;
  event: RegistryEvent;
}

export async function replayRegistry(opts: ReplayOptions): Promise<ReplayCounts> {
  const started = performance.now();
  const { db, log } = opts;
  const stream = streamName(opts.namespace, 'registry');
  const lastSeq = (await opts.jsm.streams.info(stream)).state.last_seq;
  const counts = { read: 0, applied: 0, duplicates: 0, invalid: 0, failed: 0 };

  await db.transaction().execute(async (trx) => {
    await sql`truncate ${sql.join(READ_MODEL.map((t) => sql.table(t)))}`.execute(trx);
    await trx.deleteFrom('inbox').where('consumer', '=', REGISTRY_CONSUMER).execute();
  });

  const applyBatch = async (batch: Pending[]): Promise<void> => {
    const outcome = await db.transaction().execute(async (trx) => {
      const c = { applied: 0, duplicates: 0 };
      for (const { seq, event } of batch) {
        const fresh = await trx
          .insertInto('inbox')
          .values({ consumer: REGISTRY_CONSUMER, event_id: event.id })
          .onConflict((oc) => oc.doNothing())
          .returning('event_id')
          .executeTakeFirst();
        if (!fresh) {
          c.duplicates++;
          continue;
        }
        await applyRegistryEvent(trx, event, { streamSeq: seq });
        c.applied++;
      }
      return c;
    });
    counts.applied += outcome.applied;
    counts.duplicates += outcome.duplicates;
  };

  /** A batch that fails is applied event by event, so one bad event does not take its neighbours with it. */
  const flush = async (batch: Pending[]): Promise<void> => {
    if (batch.length === 0) return;
    try {
      await applyBatch(batch);
    } catch {
      for (const one of batch) {
        try {
          await applyBatch([one]);
        } catch (err) {
          counts.failed++;
          log.warn(
            { seq: one.seq, type: one.event.type, err: err instanceof Error ? err.message : String(err) },
            'replay: event failed; skipped',
          );
        }
      }
    }
  };

  if (lastSeq > 0) {
    // Ordered consumer: ephemeral, flow-controlled, in stream order from sequence 1, re-created by the client
    // on a gap; nothing to acknowledge.
    const consumer = await opts.js.consumers.get(stream, {
      filter_subjects: subjectFilter(opts.namespace, 'registry'),
    });
    const messages = await consumer.consume({ max_messages: BATCH });
    let batch: Pending[] = [];
    try {
      for await (const m of messages) {
        counts.read++;
        let checked: ReturnType<typeof validateRegistryEvent> | undefined;
        try {
          checked = validateRegistryEvent(m.json());
        } catch {
          checked = undefined;
        }
        if (checked?.ok) batch.push({ seq: m.seq, event: checked.event });
        else counts.invalid++;
        const done = m.seq >= lastSeq || m.info.pending === 0;
        if (batch.length >= BATCH || done) {
          await flush(batch);
          batch = [];
        }
        if (done) break;
      }
    } finally {
      await messages.close().catch(() => undefined);
      await consumer.delete().catch(() => undefined);
    }
  }

  const rows = { organizations: 0, suppliers: 0, certificates: 0, mandates: 0 };
  for (const t of Object.keys(rows) as (keyof typeof rows)[]) {
    const r = await db
      .selectFrom(t)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    rows[t] = Number(r.n);
  }
  return { lastSeq, ...counts, rows, ms: Math.round(performance.now() - started) };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.LOG_LEVEL, base: { service: 'matching-replay' } });
  const database = createDatabase<MatchingDb>({
    url: config.DATABASE_URL,
    schema: 'matching',
    applicationName: 'matching-replay',
    statementTimeoutMs: 120_000,
  });
  await migrateToLatest(database, fileURLToPath(new URL('../migrations', import.meta.url)));
  const nc = await connectNats({
    url: config.NATS_URL,
    name: 'matching-replay',
    log,
    waitOnFirstConnect: false,
  });
  try {
    const counts = await replayRegistry({
      db: database.db,
      js: jetstream(nc),
      jsm: await jetstreamManager(nc),
      namespace: config.EVENT_NAMESPACE,
      log,
    });
    log.info(counts, 'read model replayed');
    console.log(JSON.stringify(counts));
  } finally {
    await nc.drain().catch(() => undefined);
    await database.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exitCode = 1;
  });
}
