/**
 * Consuming: a durable pull consumer (explicit ack) whose every message is validated against the contract,
 * applied inside one PostgreSQL transaction together with an `inbox` row (consumer, event id), and acked only
 * after commit. Redeliveries find the inbox row and skip the handler. Invalid messages and events that keep
 * failing land in the dead-letter stream with the reason, and processing goes on. The consume loop is
 * re-created when heartbeats are missed or it ends, with backoff, forever.
 */
import { headers as natsHeaders } from '@nats-io/nats-core';
import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import type { Validation } from '@vinculo/contracts';
import { sql, type Kysely, type Transaction } from 'kysely';
import { isDatabaseUnavailable } from '../db/index.js';
import { closeWhenStuck } from './consume-watch.js';
import { backoffMs, errorMessage, sleep, type EventsLogger } from './log.js';
import type { EventTables } from './migrations.js';
import { DEFAULT_BACKOFF_MS, type ConsumerDefinition } from './streams.js';

export class HandlerTimeoutError extends Error {
  override name = 'HandlerTimeoutError';
}

export type DeadLetterReason = 'invalid' | 'failed';

/** Headers on every dead letter; the body is JSON `DeadLetter`. */
export const DLQ_HEADERS = {
  reason: 'Vinculo-Dlq-Reason',
  error: 'Vinculo-Dlq-Error',
  subject: 'Vinculo-Dlq-Original-Subject',
  stream: 'Vinculo-Dlq-Original-Stream',
  streamSeq: 'Vinculo-Dlq-Original-Seq',
  deliveryCount: 'Vinculo-Dlq-Delivery-Count',
  consumer: 'Vinculo-Dlq-Consumer',
} as const;

export interface DeadLetter {
  reason: DeadLetterReason;
  errors: string[];
  consumer: string;
  originalSubject: string;
  stream: string;
  streamSeq: number;
  deliveryCount: number;
  /** The parsed message when it was JSON, else undefined and `raw` holds the text. */
  event?: unknown;
  raw?: string;
  deadLetteredAt: string;
}

export interface InboxConsumerStats {
  applied: number;
  duplicates: number;
  failures: number;
  deadLettered: number;
  loops: number;
}

export interface InboxConsumerOptions<DB, E extends { id: string }>
  extends
    Pick<ConsumerDefinition, 'stream' | 'durable' | 'dlq'>,
    Partial<Pick<ConsumerDefinition, 'maxDeliver' | 'backoffMs'>> {
  js: JetStreamClient;
  db: Kysely<DB>;
  log: EventsLogger;
  /** Contract validation, e.g. `validateAnyEvent` or `(v) => validateEvent('registry.org.created', v)`. */
  validate: (value: unknown) => Validation<E>;
  /**
   * Applies the event; runs inside the transaction that records it in the inbox. Throw to retry. `meta.streamSeq`
   * is the message's stream sequence, for read models that record how far they have followed the stream.
   */
  handle: (event: E, trx: Transaction<DB>, meta: { streamSeq: number }) => Promise<void>;
  /** A handler still running after this long counts as a failure and its transaction is rolled back. */
  handlerTimeoutMs?: number;
  /** Messages buffered per pull. */
  batch?: number;
  /** Pull request expiry (heartbeats every half of it); the default suits production. */
  expiresMs?: number;
}

export interface InboxConsumer {
  start(): void;
  /** Stops pulling, finishes the message in hand, returns buffered ones to the server. */
  stop(): Promise<void>;
  stats(): InboxConsumerStats;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HandlerTimeoutError(`handler timed out after ${ms} ms`)), ms);
  });
  p.catch(() => undefined); // a handler that settles after its timeout must not surface as unhandled
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export function createInboxConsumer<DB, E extends { id: string }>(
  opts: InboxConsumerOptions<DB, E>,
): InboxConsumer {
  const { js, log, durable, stream } = opts;
  const maxDeliver = opts.maxDeliver ?? 5;
  const delays = opts.backoffMs && opts.backoffMs.length > 0 ? opts.backoffMs : DEFAULT_BACKOFF_MS;
  const handlerTimeoutMs = opts.handlerTimeoutMs ?? 10_000;
  const stats: InboxConsumerStats = { applied: 0, duplicates: 0, failures: 0, deadLettered: 0, loops: 0 };
  let running = false;
  let loop: Promise<void> | undefined;
  let current: ConsumerMessages | undefined;
  let stopping = new AbortController();

  const delayFor = (deliveryCount: number): number =>
    delays[Math.min(Math.max(deliveryCount - 1, 0), delays.length - 1)] ?? 1_000;

  async function deadLetter(
    m: JsMsg,
    reason: DeadLetterReason,
    errors: string[],
    event: unknown,
  ): Promise<void> {
    const body: DeadLetter = {
      reason,
      errors,
      consumer: durable,
      originalSubject: m.subject,
      stream: m.info.stream,
      streamSeq: m.seq,
      deliveryCount: m.info.deliveryCount,
      ...(event === undefined ? { raw: m.string().slice(0, 100_000) } : { event }),
      deadLetteredAt: new Date().toISOString(),
    };
    const h = natsHeaders();
    h.set(DLQ_HEADERS.reason, reason);
    h.set(DLQ_HEADERS.error, (errors[0] ?? reason).replace(/[\r\n]+/g, ' ').slice(0, 1_000));
    h.set(DLQ_HEADERS.subject, m.subject);
    h.set(DLQ_HEADERS.stream, m.info.stream);
    h.set(DLQ_HEADERS.streamSeq, String(m.seq));
    h.set(DLQ_HEADERS.deliveryCount, String(m.info.deliveryCount));
    h.set(DLQ_HEADERS.consumer, durable);
    // Msg id = consumer + stream sequence: a dead letter re-sent after a lost ack is dropped as a duplicate.
    await js.publish(opts.dlq.subject, JSON.stringify(body), {
      msgID: `${durable}:${m.info.stream}:${m.seq}`,
      headers: h,
    });
    stats.deadLettered++;
    log.warn({ consumer: durable, subject: m.subject, seq: m.seq, reason, errors }, 'event dead-lettered');
  }

  /** Dead-letters then acks (or terms); if the DLQ cannot be reached, naks so the message is not lost. */
  async function deadLetterAndSettle(m: JsMsg, reason: DeadLetterReason, errors: string[], event: unknown) {
    try {
      await deadLetter(m, reason, errors, event);
    } catch (err) {
      log.error(
        { consumer: durable, seq: m.seq, err: errorMessage(err) },
        'dead-letter publish failed; will retry',
      );
      m.nak(delayFor(m.info.deliveryCount));
      return;
    }
    // No term reason: nats-server before 2.10.4 ignores a '+TERM <reason>' it cannot parse; the DLQ has it.
    if (reason === 'invalid') m.ack();
    else m.term();
  }

  async function processMessage(m: JsMsg): Promise<void> {
    let raw: unknown;
    try {
      raw = JSON.parse(m.string());
    } catch (err) {
      await deadLetterAndSettle(m, 'invalid', [`malformed JSON: ${errorMessage(err)}`], undefined);
      return;
    }
    const checked = opts.validate(raw);
    if (!checked.ok) {
      await deadLetterAndSettle(m, 'invalid', checked.errors, raw);
      return;
    }
    const event = checked.event;
    try {
      const outcome = await opts.db.transaction().execute(async (trx) => {
        const inbox = trx as unknown as Transaction<EventTables>; // the service's DB type includes the event tables
        const fresh = await inbox
          .insertInto('inbox')
          .values({ consumer: durable, event_id: event.id })
          .onConflict((oc) => oc.doNothing())
          .returning('event_id')
          .executeTakeFirst();
        if (!fresh) return 'duplicate' as const;
        await withTimeout(opts.handle(event, trx, { streamSeq: m.seq }), handlerTimeoutMs);
        return 'applied' as const;
      });
      if (outcome === 'applied') stats.applied++;
      else stats.duplicates++;
      m.ack();
    } catch (err) {
      stats.failures++;
      const deliveryCount = m.info.deliveryCount;
      if (isDatabaseUnavailable(err)) {
        // Not the event's fault: retry until the database is back, never dead-letter.
        log.warn(
          { consumer: durable, seq: m.seq, err: errorMessage(err) },
          'database unavailable; event retried',
        );
        m.nak(delayFor(deliveryCount));
        return;
      }
      if (deliveryCount >= maxDeliver) {
        await deadLetterAndSettle(m, 'failed', [errorMessage(err)], raw);
        return;
      }
      log.warn(
        { consumer: durable, seq: m.seq, deliveryCount, err: errorMessage(err) },
        'event handler failed; retrying',
      );
      m.nak(delayFor(deliveryCount));
    }
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (running) {
      try {
        const consumer = await js.consumers.get(stream, durable);
        const messages = await consumer.consume({
          max_messages: opts.batch ?? 100,
          ...(opts.expiresMs === undefined ? {} : { expires: opts.expiresMs }),
        });
        current = messages;
        stats.loops++;
        failures = 0;
        closeWhenStuck(messages, log, { consumer: durable }).catch((err: unknown) =>
          log.warn({ err: errorMessage(err) }, 'consumer status watch ended'),
        );
        for await (const m of messages) {
          if (!running) {
            m.nak(); // hand buffered messages back at once instead of after ack_wait
            continue;
          }
          await processMessage(m);
        }
        if (running) log.warn({ consumer: durable }, 'consume loop ended; re-creating');
      } catch (err) {
        failures++;
        log.error(
          { consumer: durable, err: errorMessage(err), failures },
          'consume loop failed; re-creating',
        );
      } finally {
        current = undefined;
      }
      if (running) await sleep(backoffMs(Math.max(failures, 1), 250, 15_000), stopping.signal);
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      stopping = new AbortController();
      loop = run().catch((err: unknown) => log.error({ err: errorMessage(err) }, 'consumer loop died'));
    },
    async stop() {
      running = false;
      stopping.abort();
      try {
        await current?.close();
      } catch (err) {
        log.warn({ err: errorMessage(err) }, 'closing the consume loop failed');
      }
      await loop;
      loop = undefined;
    },
    stats: () => ({ ...stats }),
  };
}

/**
 * Snapshot events (`…created/updated/registered`) carry the whole state and the aggregate's version: upsert
 * `row` into `table` only if the held row is older (or absent). Returns whether it was applied, so an older
 * or repeated snapshot is harmless. `row` must include `key` and `versionColumn`; jsonb arrays must be passed
 * JSON.stringify'd (pg sends JS arrays as PostgreSQL arrays).
 */
export async function applyIfNewer<DB>(
  trx: Transaction<DB> | Kysely<DB>,
  opts: { table: string; row: Record<string, unknown>; key?: string; versionColumn?: string },
): Promise<boolean> {
  const key = opts.key ?? 'id';
  const versionColumn = opts.versionColumn ?? 'version';
  const cols = Object.keys(opts.row);
  if (!cols.includes(key) || !cols.includes(versionColumn)) {
    throw new Error(`applyIfNewer: row must include '${key}' and '${versionColumn}'`);
  }
  const updates = cols.filter((c) => c !== key).map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`);
  const result = await sql<{ applied: number }>`
    insert into ${sql.table(opts.table)} (${sql.join(cols.map((c) => sql.ref(c)))})
    values (${sql.join(cols.map((c) => opts.row[c]))})
    on conflict (${sql.ref(key)}) do update set ${sql.join(updates)}
    where ${sql.ref(`${opts.table}.${versionColumn}`)} < excluded.${sql.ref(versionColumn)}
    returning 1 as applied`.execute(trx);
  return result.rows.length > 0;
}
