/**
 * Stream and consumer definitions, and idempotent provisioning from them (add, or update when it exists).
 * Streams and consumers are created by this code at deploy/boot, never ad hoc; infra/nats/README.md describes
 * them. Names come from @vinculo/contracts under a namespace ('' in production, unique per test file).
 */
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type ConsumerInfo,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import {
  dlqStreamName,
  dlqSubject,
  dlqSubjectFilter,
  SERVICES,
  streamName,
  subjectFilter,
  type ServiceName,
} from '@vinculo/contracts';

export type StreamDefinition = Partial<StreamConfig> & { name: string; subjects: string[] };

/** JetStream drops a re-published Nats-Msg-Id seen within this window (the relay's crash window). */
export const DUPLICATE_WINDOW_MS = 120_000;

/**
 * One domain stream per producing service (file storage, no age/size/count limit so any consumer can rebuild
 * its read model by replaying from the start) and its dead-letter stream `<STREAM>_DLQ`.
 */
export function defineStreams(ns: string, services: readonly ServiceName[] = SERVICES): StreamDefinition[] {
  const common = {
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: 0,
    max_bytes: -1,
    max_msgs: -1,
    num_replicas: 1,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
  } satisfies Partial<StreamConfig>;
  return services.flatMap((service) => [
    { ...common, name: streamName(ns, service), subjects: [subjectFilter(ns, service)] },
    { ...common, name: dlqStreamName(ns, service), subjects: [dlqSubjectFilter(ns, service)] },
  ]);
}

export interface ConsumerDefinition {
  /** Stream the consumer reads. */
  stream: string;
  /** Durable name; also the inbox `consumer` key and the last token of the DLQ subject. */
  durable: string;
  filterSubjects: string[];
  /** Deliveries of a failing event before the consumer dead-letters it (enforced by createInboxConsumer). */
  maxDeliver: number;
  /** nak delays for successive failed deliveries; the last repeats. */
  backoffMs: number[];
  /** Redelivery after this long without an ack (consumer crashed or hung); keep above the handler timeout. */
  ackWaitMs: number;
  /** Where this consumer's dead letters go. */
  dlq: { stream: string; subject: string };
  description?: string;
}

export const DEFAULT_BACKOFF_MS = [1_000, 5_000, 15_000, 30_000, 60_000];

/** Durable consumer definition for `consumer` reading `service`'s stream, with that stream's DLQ. */
export function defineConsumer(
  ns: string,
  service: ServiceName,
  durable: string,
  opts: Partial<Omit<ConsumerDefinition, 'stream' | 'durable' | 'dlq'>> = {},
): ConsumerDefinition {
  return {
    stream: streamName(ns, service),
    durable,
    filterSubjects: opts.filterSubjects ?? [subjectFilter(ns, service)],
    maxDeliver: opts.maxDeliver ?? 5,
    backoffMs: opts.backoffMs ?? DEFAULT_BACKOFF_MS,
    ackWaitMs: opts.ackWaitMs ?? 30_000,
    dlq: { stream: dlqStreamName(ns, service), subject: dlqSubject(ns, service, durable) },
    ...(opts.description === undefined ? {} : { description: opts.description }),
  };
}

/** The consumers of the REGISTRY stream known today. */
export function defineRegistryConsumers(ns: string): ConsumerDefinition[] {
  return [
    defineConsumer(ns, 'registry', 'matching-registry', {
      description: "matching's read model of organisations, members and suppliers",
    }),
  ];
}

function isNotFound(err: unknown): boolean {
  return err instanceof JetStreamApiError && (err.code === 10059 || err.code === 10014);
}

/** Adds each stream, or updates it to the definition when it exists. */
export async function provisionStreams(
  jsm: JetStreamManager,
  defs: StreamDefinition[],
): Promise<StreamInfo[]> {
  const out: StreamInfo[] = [];
  for (const def of defs) {
    try {
      await jsm.streams.info(def.name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      out.push(await jsm.streams.add(def));
      continue;
    }
    const { name, storage: _storage, retention: _retention, ...updatable } = def; // fixed at creation
    out.push(await jsm.streams.update(name, updatable));
  }
  return out;
}

/**
 * Adds the durable pull consumer, or updates it. The server's own max_deliver stays unlimited: the consumer
 * counts failures and dead-letters at `maxDeliver`, while a message whose delivery failed because the database
 * was down is retried until it succeeds (a server-side bound would strand it unacked).
 */
export async function provisionConsumer(
  jsm: JetStreamManager,
  def: ConsumerDefinition,
): Promise<ConsumerInfo> {
  const filter: Partial<ConsumerConfig> =
    def.filterSubjects.length === 1
      ? { filter_subject: def.filterSubjects[0] }
      : { filter_subjects: def.filterSubjects };
  const cfg: Partial<ConsumerConfig> = {
    ...filter,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(def.ackWaitMs),
    max_deliver: -1,
    max_ack_pending: 1_000,
    ...(def.description === undefined ? {} : { description: def.description }),
  };
  try {
    await jsm.consumers.info(def.stream, def.durable);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    return jsm.consumers.add(def.stream, {
      ...cfg,
      durable_name: def.durable,
      deliver_policy: DeliverPolicy.All,
    });
  }
  return jsm.consumers.update(def.stream, def.durable, cfg);
}

/** Streams, then every consumer: what a service (or a deploy step) runs before it starts consuming. */
export async function provisionAll(
  jsm: JetStreamManager,
  streams: StreamDefinition[],
  consumers: ConsumerDefinition[],
): Promise<void> {
  await provisionStreams(jsm, streams);
  for (const c of consumers) await provisionConsumer(jsm, c);
}
