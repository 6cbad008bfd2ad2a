/**
 * The typed catalog of a service's queues: name → payload schema and retry/retention policy. Payloads are
 * JSON: a `Date` put in arrives as an ISO string, so schemas declare dates as
 * `Type.String({ format: 'date-time' })`.
 */
import type { Static, TSchema } from 'typebox';
import type { KeepJobs } from 'bullmq';

export interface QueueDefinition<S extends TSchema = TSchema> {
  payload: S;
  /** Total tries including the first. Default 3. */
  attempts?: number;
  backoff?: { type: 'exponential' | 'fixed'; delay: number };
  /** Keep a bounded history: an unbounded one is a slow Redis memory leak. Default `{ count: 1000 }`. */
  removeOnComplete?: KeepJobs;
  /** Default `{ count: 5000 }`. */
  removeOnFail?: KeepJobs;
}

export type QueueCatalog = Record<string, QueueDefinition>;

/** Identity at runtime; keeps the literal names and schemas for typing `add` and `worker`. */
export function defineQueues<const C extends QueueCatalog>(catalog: C): C {
  return catalog;
}

export type QueueName<C extends QueueCatalog> = keyof C & string;

export type PayloadOf<C extends QueueCatalog, N extends QueueName<C>> = Static<C[N]['payload']>;
