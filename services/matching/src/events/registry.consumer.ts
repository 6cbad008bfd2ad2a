/**
 * Matching's read model of the registry: organisations, supplier snapshots, certificates and mandates, applied
 * by the durable inbox consumer `matching-registry` on the REGISTRY stream. Every write goes through
 * applyIfNewer with the event's aggregate version, so a redelivered or late (older) snapshot is a no-op; the
 * inbox (in the kit) skips an event id already applied.
 *
 * The same apply code serves the replay (src/replay.ts), which rebuilds the read model from the stream.
 * The durable consumer also records, in the same transaction, that a changed supplier must be re-evaluated
 * against the open requirements (domain/freshness.ts); the replay does not (a rebuild is not news).
 */
import { validateServiceEvent, type ServiceEvent } from '@vinculo/contracts';
import { sql, type Kysely, type Transaction } from '@vinculo/service-kit/db';
import {
  applyIfNewer,
  createInboxConsumer,
  defineConsumer,
  type EventsLogger,
  type InboxConsumer,
  type jetstream,
} from '@vinculo/service-kit/events';

type JetStreamClient = ReturnType<typeof jetstream>;
import type { MatchingDb } from '../db/schema.js';
import { priorState, requestRematch, supplierChangedBy } from '../domain/freshness.js';

export const REGISTRY_CONSUMER = 'matching-registry';

/** What the REGISTRY stream carries; anything else on it is dead-lettered by validation. */
export type RegistryEvent = ServiceEvent<'registry'>;
export const validateRegistryEvent = (value: unknown) => validateServiceEvent('registry', value);

/**
 * Applies one registry event inside the inbox transaction. Returns the supplier whose matchable state may have
 * changed (to refresh in the in-memory index after commit), or undefined.
 */
export async function applyRegistryEvent(
  trx: Transaction<MatchingDb>,
  event: RegistryEvent,
  opts: { consumer?: string; streamSeq?: number } = {},
): Promise<string | undefined> {
  const version = event.aggregate.version;
  const now = new Date().toISOString();
  let refresh: string | undefined;
  switch (event.type) {
    case 'registry.org.created':
    case 'registry.org.updated':
      await applyIfNewer(trx, {
        table: 'organizations',
        row: { id: event.data.id, name: event.data.name, type: event.data.type, version, updated_at: now },
      });
      break;
    case 'registry.supplier.registered':
    case 'registry.supplier.updated':
      if (
        await applyIfNewer(trx, {
          table: 'suppliers',
          row: { id: event.data.id, snapshot: JSON.stringify(event.data), version, updated_at: now },
        })
      )
        refresh = event.data.id;
      break;
    case 'registry.certification.added':
    case 'registry.certification.updated':
    case 'registry.certification.verified':
    case 'registry.certification.rejected':
    case 'registry.certification.expired':
    case 'registry.certification.revoked':
      if (
        await applyIfNewer(trx, {
          table: 'certificates',
          row: {
            id: event.data.id,
            supplier_id: event.data.supplierId,
            snapshot: JSON.stringify(event.data),
            version,
            updated_at: now,
          },
        })
      )
        refresh = event.data.supplierId;
      break;
    case 'registry.mandate.granted':
    case 'registry.mandate.revoked':
      await applyIfNewer(trx, {
        table: 'mandates',
        row: {
          id: event.data.id,
          supplier_id: event.data.supplierId,
          bureau_id: event.data.bureauId,
          snapshot: JSON.stringify(event.data),
          version,
          updated_at: now,
        },
      });
      break;
    case 'registry.member.added':
    case 'registry.member.removed':
    case 'registry.member.role_changed':
      // People are the registry's business: matching authorises by the organisation in the token.
      break;
  }
  await recordPosition(trx, opts.consumer ?? REGISTRY_CONSUMER, event, opts.streamSeq ?? null);
  return refresh;
}

/**
 * stream_seq: the highest REGISTRY stream sequence applied (the durable consumer and the replay both know it).
 * A redelivered older message never moves it back. An ordered consumer resuming from it (several replicas
 * following the stream, ARCHITECTURE.md "Events") is the use it is kept for.
 */
async function recordPosition(
  trx: Transaction<MatchingDb>,
  consumer: string,
  event: RegistryEvent,
  streamSeq: number | null,
): Promise<void> {
  await trx
    .insertInto('read_model_position')
    .values({
      consumer,
      stream_seq: streamSeq,
      last_event_id: event.id,
      last_event_type: event.type,
      last_occurred_at: event.occurredAt,
      updated_at: new Date().toISOString(),
    })
    .onConflict((oc) =>
      oc.column('consumer').doUpdateSet({
        stream_seq: sql<number>`greatest(read_model_position.stream_seq, excluded.stream_seq)`,
        last_event_id: event.id,
        last_event_type: event.type,
        last_occurred_at: event.occurredAt,
        events_applied: sql<number>`read_model_position.events_applied + 1`,
        updated_at: new Date().toISOString(),
      }),
    )
    .execute();
}

/**
 * The consumer's view of the database: the same Kysely, whose transactions call `afterCommit` once they have
 * committed (and before the kit acks the message). The kit's handler cannot return a value, so the supplier
 * ids to refresh are collected by the handler and picked up here, reading committed rows only.
 */
export function withAfterCommit<DB>(db: Kysely<DB>, afterCommit: () => Promise<void>): Kysely<DB> {
  // Kysely keeps its state in #private fields: every method must run with the real instance as `this`.
  const bound = <T extends object>(target: T, prop: string | symbol): unknown => {
    const value: unknown = Reflect.get(target, prop, target);
    return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
  };
  return new Proxy(db, {
    get(target, prop) {
      if (prop !== 'transaction') return bound(target, prop);
      return () => {
        const builder = target.transaction();
        return new Proxy(builder, {
          get(b, p) {
            if (p !== 'execute') return bound(b, p);
            return async <T>(fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> => {
              const result = await b.execute(fn);
              await afterCommit();
              return result;
            };
          },
        });
      };
    },
  });
}

export interface RegistryConsumerOptions {
  namespace: string;
  js: JetStreamClient;
  db: Kysely<MatchingDb>;
  log: EventsLogger;
  /**
   * Called after the transaction that applied events commits, with the suppliers whose matchable state
   * changed; the in-memory index reloads them from the read model. A failure keeps them pending for the next
   * call (the read model, not the event, is the source of what the index holds).
   */
  onSuppliersChanged?: (supplierIds: string[]) => Promise<void>;
  /**
   * Called after commit with the suppliers whose re-evaluation was requested (and the stamp of their round), to
   * queue the job that runs it. A failure is only logged: the request is in `supplier_rematch`, and the sweep
   * runs rounds whose job never came.
   */
  onRematchRequested?: (requests: RematchRequest[]) => Promise<void>;
  handlerTimeoutMs?: number;
  expiresMs?: number;
}

export interface RematchRequest {
  supplierId: string;
  /** The round's stamp (unique, never reused): names its job. */
  stamp: string;
}

/** The durable inbox consumer of the REGISTRY stream that feeds the read model. */
export function createRegistryConsumer(opts: RegistryConsumerOptions): InboxConsumer {
  const pending = new Set<string>();
  const rematches = new Map<string, string>();
  const flush = async (): Promise<void> => {
    // The index first: the rematch job scores against it.
    if (opts.onSuppliersChanged && pending.size > 0) {
      const ids = [...pending];
      pending.clear();
      try {
        await opts.onSuppliersChanged(ids);
      } catch (err) {
        for (const id of ids) pending.add(id);
        opts.log.warn(
          { err: err instanceof Error ? err.message : String(err), suppliers: ids.length },
          'index refresh failed; retried after the next event',
        );
      }
    }
    if (rematches.size === 0) return;
    const requests = [...rematches].map(([supplierId, stamp]) => ({ supplierId, stamp }));
    rematches.clear();
    // Not awaited: the request is already committed, so the next event need not wait for Redis.
    opts
      .onRematchRequested?.(requests)
      .catch((err: unknown) =>
        opts.log.warn(
          { err: err instanceof Error ? err.message : String(err), suppliers: requests.length },
          'rematch job not queued; the sweep will run it',
        ),
      );
  };
  const definition = defineConsumer(opts.namespace, 'registry', REGISTRY_CONSUMER);
  return createInboxConsumer<MatchingDb, RegistryEvent>({
    ...definition,
    js: opts.js,
    db: withAfterCommit(opts.db, flush),
    log: opts.log,
    validate: validateRegistryEvent,
    handle: async (event, trx, { streamSeq }) => {
      const changed = supplierChangedBy(event);
      const prior = changed ? await priorState(trx, changed) : undefined;
      const supplierId = await applyRegistryEvent(trx, event, { streamSeq });
      if (!supplierId) return;
      pending.add(supplierId);
      if (prior) rematches.set(supplierId, await requestRematch(trx, supplierId, event.type, prior));
    },
    ...(opts.handlerTimeoutMs === undefined ? {} : { handlerTimeoutMs: opts.handlerTimeoutMs }),
    ...(opts.expiresMs === undefined ? {} : { expiresMs: opts.expiresMs }),
  });
}
