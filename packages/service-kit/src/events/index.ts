/**
 * @vinculo/service-kit/events: outbox (enqueue + relay), idempotent inbox consumer with dead letters, stream
 * and consumer provisioning, and the NATS connection. See README.md beside this file.
 */
export { applyIfNewer, createInboxConsumer, DLQ_HEADERS, HandlerTimeoutError } from './consumer.js';
export type {
  DeadLetter,
  DeadLetterReason,
  InboxConsumer,
  InboxConsumerOptions,
  InboxConsumerStats,
} from './consumer.js';
export { closeWhenStuck } from './consume-watch.js';
export { silentLogger, type EventsLogger } from './log.js';
export { EVENT_TABLES_SQL, type EventTables, type InboxTable, type OutboxTable } from './migrations.js';
export { connectNats, type ConnectNatsOptions } from './nats.js';
export { buildEvent, createOutboxRelay, enqueueEvent } from './outbox.js';
export type { BuildEventInput, OutboxRelay, OutboxRelayOptions, RelayFaultPoint } from './outbox.js';
export {
  DEFAULT_BACKOFF_MS,
  defineConsumer,
  defineRegistryConsumers,
  defineStreams,
  DUPLICATE_WINDOW_MS,
  provisionAll,
  provisionConsumer,
  provisionStreams,
} from './streams.js';
export type { ConsumerDefinition, StreamDefinition } from './streams.js';
export { jetstream, jetstreamManager } from '@nats-io/jetstream';
