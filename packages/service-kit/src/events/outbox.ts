/**
 * Publishing: a use case writes its rows and an outbox row in one transaction (`enqueueEvent`); the relay
 * publishes outbox rows in seq order with Nats-Msg-Id = event id, awaits each PubAck, then marks the rows.
 * A crash between publish and mark re-publishes; JetStream's duplicate window and consumers' inboxes absorb it.
 */
import type { JetStreamClient } from '@nats-io/jetstream';
import type { Actor, AggregateRef, EventOf, EventType } from '@vinculo/contracts';
import type { Kysely, Transaction } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { backoffMs, errorMessage, sleep, type EventsLogger } from './log.js';
import type { EventTables } from './migrations.js';

export interface BuildEventInput<T extends EventType> {
  type: T;
  /** Producing service, e.g. 'registry'. */
  source: string;
  aggregate: AggregateRef;
  data: EventOf<T>['data'];
  orgId?: string;
  actor?: Actor;
  correlationId: string;
  causationId?: string;
}

/** A contract-typed envelope with a fresh uuid v7 id and occurredAt = now. */
export function buildEvent<T extends EventType>(input: BuildEventInput<T>): EventOf<T> {
  const event = {
    id: uuidv7(),
    type: input.type,
    version: 1,
    occurredAt: new Date().toISOString(),
    source: input.source,
    ...(input.orgId === undefined ? {} : { orgId: input.orgId }),
    ...(input.actor === undefined ? {} : { actor: input.actor }),
    correlationId: input.correlationId,
    ...(input.causationId === undefined ? {} : { causationId: input.causationId }),
    aggregate: input.aggregate,
    data: input.data,
  };
  return event as EventOf<T>;
}

/** Inserts the event into the outbox; pass the transaction that writes the change the event announces. */
export async function enqueueEvent<DB>(
  trx: Transaction<DB> | Kysely<DB>,
  event: { id: string; type: string },
  subject: string,
): Promise<void> {
  const db = trx as unknown as Kysely<EventTables>; // the service's DB type includes the event tables
  await db
    .insertInto('outbox')
    .values({ id: event.id, subject, type: event.type, payload: JSON.stringify(event) })
    .execute();
}

export type RelayFaultPoint = 'after-publish';

export interface OutboxRelayOptions<DB> {
  db: Kysely<DB>;
  js: JetStreamClient;
  log: EventsLogger;
  /** Rows published per transaction. */
  batchSize?: number;
  /** Idle poll interval; `notify()` wakes the relay sooner. */
  pollMs?: number;
  /** PubAck timeout per message. */
  publishTimeoutMs?: number;
  /** Test hook: called at the named point; throwing (or exiting the process) simulates a crash there. */
  faultHook?: (point: RelayFaultPoint) => void | Promise<void>;
}

export interface OutboxRelay {
  start(): void;
  /** Stops after the batch in flight is published and marked. */
  stop(): Promise<void>;
  /** Wakes the loop now (call after committing a transaction that enqueued events). */
  notify(): void;
  /** Publishes one batch; resolves to the number of rows marked published. Throws on failure. */
  tick(): Promise<number>;
}

export function createOutboxRelay<DB>(opts: OutboxRelayOptions<DB>): OutboxRelay {
  const db = opts.db as unknown as Kysely<EventTables>;
  const { js, log } = opts;
  const batchSize = opts.batchSize ?? 100;
  const pollMs = opts.pollMs ?? 1_000;
  const publishTimeoutMs = opts.publishTimeoutMs ?? 5_000;
  let running = false;
  let loop: Promise<void> | undefined;
  let wake = new AbortController();
  let stopping = new AbortController();

  async function tick(): Promise<number> {
    const { count, failure } = await db.transaction().execute(async (trx) => {
      // skip locked: a second relay (another replica) takes the next rows instead of waiting.
      const rows = await trx
        .selectFrom('outbox')
        .select(['id', 'seq', 'subject', 'payload'])
        .where('published_at', 'is', null)
        .orderBy('seq')
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      if (rows.length === 0) return { count: 0, failure: undefined };
      const published: string[] = [];
      let failure: unknown = undefined;
      for (const row of rows) {
        try {
          await js.publish(row.subject, JSON.stringify(row.payload), {
            msgID: row.id,
            timeout: publishTimeoutMs,
          });
          published.push(row.id);
        } catch (err) {
          failure = err;
          await trx
            .updateTable('outbox')
            .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: errorMessage(err).slice(0, 1000) }))
            .where('id', '=', row.id)
            .execute();
          break; // keep publish order: later rows wait for this one
        }
      }
      if (published.length > 0) await opts.faultHook?.('after-publish');
      if (published.length > 0) {
        await trx
          .updateTable('outbox')
          .set({ published_at: new Date() })
          .where('id', 'in', published)
          .execute();
      }
      return { count: published.length, failure };
    });
    if (failure !== undefined) {
      throw new Error(`outbox relay: publish failed after ${count} in this batch: ${errorMessage(failure)}`, {
        cause: failure,
      });
    }
    return count;
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (running) {
      let n: number;
      try {
        n = await tick();
        failures = 0;
      } catch (err) {
        failures++;
        const wait = backoffMs(failures, 250, 15_000);
        log.error({ err: errorMessage(err), failures, retryInMs: wait }, 'outbox relay: batch failed');
        await sleep(wait, stopping.signal);
        continue;
      }
      if (n === batchSize) continue; // more are waiting
      await sleep(pollMs, AbortSignal.any([wake.signal, stopping.signal]));
      if (wake.signal.aborted) wake = new AbortController();
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      stopping = new AbortController();
      loop = run().catch((err: unknown) => log.error({ err: errorMessage(err) }, 'outbox relay: loop died'));
    },
    async stop() {
      running = false;
      stopping.abort();
      await loop;
      loop = undefined;
    },
    notify() {
      wake.abort();
    },
    tick,
  };
}
