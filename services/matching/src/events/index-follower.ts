/**
 * Every replica's matching index follows the streams (ARCHITECTURE.md "Ownership and communication"). The
 * durable consumer `matching-registry` is shared by the replicas: each registry event is applied by ONE of them,
 * and only that replica's consumer refreshes its own index. So each replica also reads REGISTRY with an ordered
 * ephemeral consumer (its own cursor, nothing to ack) and MATCHING's `matching.deal.awarded`, and reloads the
 * suppliers those events touch from committed read-model rows.
 *
 * Where it starts. Before the index is built: the read model's applied position
 * (`read_model_position.stream_seq` of `matching-registry`), lowered to the durable consumer's ack floor when
 * that is behind (the position is the HIGHEST sequence applied; with several replicas an older event may still be
 * in flight on another one, and an acked message is committed or dead-lettered), and MATCHING's last sequence.
 * Everything at or below those is in the rows the build reads; anything after may or may not be, and a refresh is
 * idempotent, so reading some of it again costs nothing.
 *
 * When it refreshes. A follower can see a registry event before the replica that owns its delivery has committed
 * it, and an index refresh must read committed rows or it misses the change for good. So a registry event waits,
 * as (stream seq → event id, supplier), until the position has reached its sequence and its inbox row (written in
 * the same transaction as the effect) exists; the one position row is polled every `pollMs` only while something
 * waits, and everything ready is refreshed in one batch. Events wait independently, so a dead-lettered one never
 * holds back later ones: once the position has passed it for `passedGraceMs` without an inbox row (longer than
 * the durable consumer's retries take), or it has waited `maxWaitMs` in all, it is refreshed anyway and dropped.
 * A deal's row is committed before its event is relayed: deals are refreshed at the next tick without waiting.
 *
 * A refresh that fails keeps its suppliers pending and is retried with backoff; a consume loop that ends is
 * re-created from the sequence after the last one seen.
 */
import { streamName, subject, subjectFilter, validateEvent } from '@vinculo/contracts';
import type { Kysely } from '@vinculo/service-kit/db';
import {
  closeWhenStuck,
  type EventsLogger,
  type jetstream,
  type jetstreamManager,
} from '@vinculo/service-kit/events';
import { appliedEventIds, appliedStreamSeq } from '../db/read-model.repository.js';
import type { MatchingDb } from '../db/schema.js';
import { supplierChangedBy } from '../domain/freshness.js';
import type { SupplierIndex } from '../domain/supplier-index.js';
import { REGISTRY_CONSUMER, validateRegistryEvent } from './registry.consumer.js';

type JetStreamClient = ReturnType<typeof jetstream>;
type JetStreamManager = Awaited<ReturnType<typeof jetstreamManager>>;
type OrderedConsumer = Awaited<ReturnType<JetStreamClient['consumers']['get']>>;
type ConsumerMessages = Awaited<ReturnType<OrderedConsumer['consume']>>;
type JsMsg = ConsumerMessages extends AsyncIterable<infer M> ? M : never;

export interface IndexFollowerOptions {
  namespace: string;
  js: JetStreamClient;
  jsm: JetStreamManager;
  db: Kysely<MatchingDb>;
  index: SupplierIndex;
  log: EventsLogger;
  /** How often the applied position is read while an event waits for its commit. */
  pollMs?: number;
  /** How long an event may stay uncommitted after the position passed it (a dead letter) before it is dropped. */
  passedGraceMs?: number;
  /** How long any event may wait for its commit before it is dropped. */
  maxWaitMs?: number;
  /** Pull expiry of the ordered consumers (heartbeats every half of it); the default suits production. */
  expiresMs?: number;
}

export interface FollowedStreamStats {
  /** The first stream sequence this follower asked for at boot. */
  startSeq: number;
  /** The last stream sequence seen (startSeq - 1 before any). */
  lastSeq: number;
  /** Messages read (of the followed subjects). */
  read: number;
  /** Messages that were not a valid event: skipped (the durable consumer dead-letters them). */
  invalid: number;
  /** Consume loops created. */
  loops: number;
}

export interface IndexFollowerStats {
  registry: FollowedStreamStats;
  deals: FollowedStreamStats;
  /** Registry events waiting for their commit. */
  waiting: number;
  /** Suppliers refreshed (counted per refresh). */
  refreshed: number;
  /** Events refreshed without seeing their commit (dead letters, or a wait past its bound). */
  droppedUncommitted: number;
  refreshFailures: number;
}

export interface IndexFollower {
  /** The boot build of the index, taken after the start positions were read. */
  readonly built: { suppliers: number; ms: number };
  /** Stops both consume loops, finishes the refresh in hand; whatever still waits is dropped. */
  stop(): Promise<void>;
  stats(): IndexFollowerStats;
}

interface Waiting {
  eventId: string;
  supplierId: string;
  seenAt: number;
  /** When the applied position was first seen at or past this sequence with no inbox row yet. */
  passedAt?: number;
}

/** Inbox ids checked per tick: a large backlog is worked through in slices. */
const CHECK_SLICE = 1_000;

/**
 * Reads the start positions, builds the index, then follows REGISTRY and MATCHING (see the file comment).
 * Call it where the index would be built at boot.
 */
export async function startIndexFollower(opts: IndexFollowerOptions): Promise<IndexFollower> {
  const { db, index, log, js } = opts;
  const pollMs = opts.pollMs ?? 50;
  const passedGraceMs = opts.passedGraceMs ?? 180_000;
  const maxWaitMs = opts.maxWaitMs ?? 900_000;
  const registryStream = streamName(opts.namespace, 'registry');
  const matchingStream = streamName(opts.namespace, 'matching');

  // Both start points are taken before the build reads the rows.
  const position = await appliedStreamSeq(db, REGISTRY_CONSUMER);
  const ackFloor = await opts.jsm.consumers
    .info(registryStream, REGISTRY_CONSUMER)
    .then((ci) => ci.ack_floor.stream_seq)
    .catch(() => undefined);
  const registryFrom = Math.min(position, ackFloor ?? position) + 1;
  const dealsFrom = (await opts.jsm.streams.info(matchingStream)).state.last_seq + 1;
  const built = await index.build();

  const waiting = new Map<number, Waiting>();
  const deals = new Set<string>();
  const stats = {
    registry: { startSeq: registryFrom, lastSeq: registryFrom - 1, read: 0, invalid: 0, loops: 0 },
    deals: { startSeq: dealsFrom, lastSeq: dealsFrom - 1, read: 0, invalid: 0, loops: 0 },
    refreshed: 0,
    droppedUncommitted: 0,
    refreshFailures: 0,
  };
  let stopped = false;
  const stopping = new AbortController();

  // ---- refreshing: one tick at a time, only while something waits ----
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  let failures = 0;

  async function tick(): Promise<void> {
    const now = Date.now();
    const ready: number[] = [];
    const dropped: number[] = [];
    if (waiting.size > 0) {
      const applied = await appliedStreamSeq(db, REGISTRY_CONSUMER);
      const due: [number, Waiting][] = [];
      for (const entry of waiting) {
        if (entry[0] <= applied && due.length < CHECK_SLICE) due.push(entry);
        else if (now - entry[1].seenAt > maxWaitMs) dropped.push(entry[0]);
      }
      const committed = await appliedEventIds(
        db,
        REGISTRY_CONSUMER,
        due.map(([, w]) => w.eventId),
      );
      for (const [seq, w] of due) {
        if (committed.has(w.eventId)) {
          ready.push(seq);
          continue;
        }
        // Passed but not applied: in flight on another replica, being retried, or dead-lettered.
        w.passedAt ??= now;
        if (now - w.passedAt > passedGraceMs || now - w.seenAt > maxWaitMs) dropped.push(seq);
      }
    }
    // Taken out now: a deal arriving during the refresh may be committed after its read, so it needs another.
    const dealIds = [...deals];
    deals.clear();
    const ids = new Set(dealIds);
    for (const seq of [...ready, ...dropped]) {
      const w = waiting.get(seq);
      if (w) ids.add(w.supplierId);
    }
    if (ids.size === 0) return;
    try {
      await index.refresh([...ids]);
    } catch (err) {
      for (const id of dealIds) deals.add(id);
      throw err;
    }
    stats.refreshed += ids.size;
    for (const seq of ready) waiting.delete(seq);
    for (const seq of dropped) waiting.delete(seq);
    if (dropped.length > 0) {
      stats.droppedUncommitted += dropped.length;
      log.warn(
        { stream: registryStream, seqs: dropped.slice(0, 20), count: dropped.length },
        'index follower: registry events never seen committed (dead-lettered?); refreshed anyway and dropped',
      );
    }
  }

  function schedule(): void {
    if (stopped || timer !== undefined || ticking !== undefined) return;
    if (waiting.size === 0 && deals.size === 0) return;
    const delay = failures === 0 ? pollMs : Math.min(pollMs * 2 ** failures, 5_000);
    timer = setTimeout(() => {
      timer = undefined;
      ticking = tick()
        .then(
          () => {
            failures = 0;
          },
          (err: unknown) => {
            failures++;
            stats.refreshFailures++;
            log.warn(
              { err: errorMessage(err), waiting: waiting.size, deals: deals.size, failures },
              'index follower: refresh failed; suppliers kept pending and retried',
            );
          },
        )
        .finally(() => {
          ticking = undefined;
          schedule();
        });
    }, delay);
  }

  // ---- following: one ordered consumer per stream, re-created whenever its loop ends ----
  function onRegistryMessage(m: JsMsg): void {
    let checked: ReturnType<typeof validateRegistryEvent> | undefined;
    try {
      checked = validateRegistryEvent(m.json());
    } catch {
      checked = undefined;
    }
    if (!checked?.ok) {
      stats.registry.invalid++;
      return;
    }
    // Mandates, organisations and members do not change what the index holds of a supplier.
    const supplierId = supplierChangedBy(checked.event);
    if (!supplierId) return;
    waiting.set(m.seq, { eventId: checked.event.id, supplierId, seenAt: Date.now() });
    schedule();
  }

  function onDealMessage(m: JsMsg): void {
    let checked: ReturnType<typeof validateEvent<'matching.deal.awarded'>> | undefined;
    try {
      checked = validateEvent('matching.deal.awarded', m.json());
    } catch {
      checked = undefined;
    }
    if (!checked?.ok) {
      stats.deals.invalid++;
      return;
    }
    deals.add(checked.event.data.supplierId);
    schedule();
  }

  const current: { registry?: ConsumerMessages; deals?: ConsumerMessages } = {};

  async function follow(
    name: 'registry' | 'deals',
    stream: string,
    filter: string,
    onMessage: (m: JsMsg) => void,
  ): Promise<void> {
    const s = stats[name];
    let attempts = 0;
    while (!stopped) {
      let consumer: OrderedConsumer | undefined;
      try {
        consumer = await js.consumers.get(stream, { filter_subjects: filter, opt_start_seq: s.lastSeq + 1 });
        const messages = await consumer.consume({
          max_messages: 256,
          ...(opts.expiresMs === undefined ? {} : { expires: opts.expiresMs }),
        });
        current[name] = messages;
        if (stopped) await messages.close(); // stop() ran while the consumer was being created
        s.loops++;
        attempts = 0;
        closeWhenStuck(messages, log, { follower: name }).catch((err: unknown) =>
          log.warn({ follower: name, err: errorMessage(err) }, 'index follower: status watch ended'),
        );
        for await (const m of messages) {
          if (stopped) break;
          s.lastSeq = m.seq;
          s.read++;
          onMessage(m);
        }
        if (!stopped)
          log.warn({ follower: name, lastSeq: s.lastSeq }, 'index follower: loop ended; re-creating');
      } catch (err) {
        attempts++;
        log.warn(
          { follower: name, err: errorMessage(err), attempts },
          'index follower: consume loop failed; re-creating',
        );
      } finally {
        const messages = current[name];
        current[name] = undefined;
        await messages?.close().catch(() => undefined);
        // Ephemeral: the server would drop it after its inactivity threshold anyway.
        await consumer?.delete().catch(() => undefined);
      }
      if (!stopped) await sleep(backoffMs(Math.max(attempts, 1)), stopping.signal);
    }
  }

  const loops = [
    follow('registry', registryStream, subjectFilter(opts.namespace, 'registry'), onRegistryMessage),
    follow('deals', matchingStream, subject(opts.namespace, 'matching.deal.awarded'), onDealMessage),
  ].map((p) => p.catch((err: unknown) => log.error({ err: errorMessage(err) }, 'index follower died')));

  return {
    built,
    async stop() {
      if (stopped) return;
      stopped = true;
      stopping.abort();
      clearTimeout(timer);
      timer = undefined;
      await Promise.all(Object.values(current).map((m) => m?.close().catch(() => undefined)));
      await Promise.all(loops);
      await ticking;
    },
    stats: () => ({
      registry: { ...stats.registry },
      deals: { ...stats.deals },
      waiting: waiting.size,
      refreshed: stats.refreshed,
      droppedUncommitted: stats.droppedUncommitted,
      refreshFailures: stats.refreshFailures,
    }),
  };
}

/**
 * The index with its refreshes (and builds) run one after another. A refresh reads rows, then upserts them: two
 * overlapping refreshes of one supplier (the durable consumer's, the follower's, an award's) could land in the
 * opposite order of their reads and leave the older row indexed. In sequence, a later refresh reads later rows.
 */
export function withSerialRefreshes(index: SupplierIndex): SupplierIndex {
  let tail: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(run: () => Promise<T>): Promise<T> => {
    const result = tail.then(run, run);
    tail = result.catch(() => undefined);
    return result;
  };
  return {
    build: () => inTurn(() => index.build()),
    refresh: (ids) => inTurn(() => index.refresh(ids)),
    match: (requirement, options, cacheKey) => index.match(requirement, options, cacheKey),
    evaluate: (requirement, ids, options) => index.evaluate(requirement, ids, options),
    nameOf: (id) => index.nameOf(id),
    get size() {
      return index.size;
    },
  };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Exponential backoff with jitter, 250 ms up to 15 s; attempt starts at 1. */
function backoffMs(attempt: number): number {
  const exp = Math.min(15_000, 250 * 2 ** Math.min(attempt - 1, 20));
  return Math.round(exp / 2 + Math.random() * (exp / 2));
}
