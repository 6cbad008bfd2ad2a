/**
 * Producers and workers for the queues of one catalog, owning every connection they open so `close()` leaves
 * nothing behind (a worker left running after a test breaks the next one).
 */
import { Queue, UnrecoverableError, Worker, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { Value } from 'typebox/value';
import type { PayloadOf, QueueCatalog, QueueName } from './catalog.js';
import { redisConnection, whenReady } from './connection.js';

export interface JobsLogger {
  error(obj: object, msg?: string): void;
}

export interface CreateJobsOptions<C extends QueueCatalog> {
  catalog: C;
  redisUrl: string;
  /** BullMQ key prefix, e.g. `vinculo:registry`; tests use `isolation().redisPrefix`. */
  prefix: string;
  /** Maps a catalog name to the Redis queue name; tests use `isolation().queueName`. */
  queueName?: (base: string) => string;
  log?: JobsLogger;
  /** How long `add()` waits for a producer connection that is not ready yet. Default 2 s. */
  producerReadyTimeoutMs?: number;
}

export interface AddOptions {
  /**
   * Natural key for idempotency (`expiry-<certificateId>`): a second add with the same id is a no-op while the
   * job exists (completed jobs count until `removeOnComplete` drops them). BullMQ forbids `:` in ids.
   */
  jobId?: string;
  delay?: number;
  priority?: number;
}

export interface WorkerOptions {
  concurrency?: number;
}

/** May be sync or async; its (awaited) return value becomes the job's `returnvalue`. */
export type JobHandler<P> = (payload: P, job: Job<P>) => unknown;

export interface Jobs<C extends QueueCatalog> {
  /** The producer-side BullMQ queue (created on first use). */
  queue<N extends QueueName<C>>(name: N): Queue<PayloadOf<C, N>>;
  /** Validates the payload against its schema (throws `JobPayloadError`), then enqueues. */
  add<N extends QueueName<C>>(
    name: N,
    payload: PayloadOf<C, N>,
    opts?: AddOptions,
  ): Promise<Job<PayloadOf<C, N>>>;
  /**
   * Starts a worker. Payloads are validated on the way in; an invalid one fails with `UnrecoverableError`
   * (no retries). Throw `UnrecoverableError` from the handler for other permanent failures.
   */
  worker<N extends QueueName<C>>(name: N, handler: JobHandler<PayloadOf<C, N>>, opts?: WorkerOptions): Worker;
  /** Closes workers (letting in-flight jobs finish), then queues, then the connections. */
  close(): Promise<void>;
}

/** A payload that does not match its queue's schema. */
export class JobPayloadError extends Error {
  override readonly name = 'JobPayloadError';
  readonly code = 'JOBS_INVALID_PAYLOAD';

  constructor(
    readonly queue: string,
    readonly errors: string[],
  ) {
    super(`invalid payload for queue ${queue}: ${errors.join('; ')}`);
  }
}

function payloadErrors(schema: QueueCatalog[string]['payload'], value: unknown): string[] {
  if (Value.Check(schema, value)) return [];
  return Value.Errors(schema, value)
    .slice(0, 5)
    .map((e) => `${e.instancePath || '/'} ${e.message}`);
}

export function createJobs<const C extends QueueCatalog>(opts: CreateJobsOptions<C>): Jobs<C> {
  const { catalog, redisUrl, prefix } = opts;
  const queueName = opts.queueName ?? ((base: string) => base);
  const readyTimeoutMs = opts.producerReadyTimeoutMs ?? 2_000;
  const logError = (obj: object, msg: string) => opts.log?.error(obj, msg);

  const queues = new Map<string, Queue>();
  const workers = new Set<Worker>();
  const connections = new Set<Redis>();
  let producer: Redis | undefined;
  let closed = false;

  function definition(name: string) {
    const def = catalog[name];
    if (def === undefined) throw new Error(`queue ${name} is not in the catalog`);
    return def;
  }

  function connection(role: 'worker' | 'producer'): Redis {
    const redis = redisConnection(redisUrl, role, {
      connectionName: `${prefix}:${role}`,
      onError: (err) => logError({ err, role }, 'redis connection error'),
    });
    connections.add(redis);
    return redis;
  }

  function jobOptions(name: string): JobsOptions {
    const def = definition(name);
    return {
      attempts: def.attempts ?? 3,
      backoff: def.backoff ?? { type: 'exponential', delay: 1_000 },
      removeOnComplete: def.removeOnComplete ?? { count: 1_000 },
      removeOnFail: def.removeOnFail ?? { count: 5_000 },
    };
  }

  function queue<N extends QueueName<C>>(name: N): Queue<PayloadOf<C, N>> {
    if (closed) throw new Error('jobs are closed');
    let q = queues.get(name);
    if (q === undefined) {
      producer ??= connection('producer');
      q = new Queue(queueName(name), { connection: producer, prefix, defaultJobOptions: jobOptions(name) });
      q.on('error', (err) => logError({ err, queue: name }, 'queue error'));
      queues.set(name, q);
    }
    return q as Queue<PayloadOf<C, N>>;
  }

  return {
    queue,

    async add(name, payload, addOpts = {}) {
      const errors = payloadErrors(definition(name).payload, payload);
      if (errors.length > 0) throw new JobPayloadError(name, errors);
      const q = queue(name);
      await whenReady(producer as Redis, readyTimeoutMs);
      // Name the job after its queue: one catalog entry is one kind of job.
      const jobOpts: JobsOptions = {};
      if (addOpts.jobId !== undefined) jobOpts.jobId = addOpts.jobId;
      if (addOpts.delay !== undefined) jobOpts.delay = addOpts.delay;
      if (addOpts.priority !== undefined) jobOpts.priority = addOpts.priority;
      return (await (q as Queue).add(name, payload, jobOpts)) as Job<PayloadOf<C, typeof name>>;
    },

    worker(name, handler, workerOpts = {}) {
      if (closed) throw new Error('jobs are closed');
      const schema = definition(name).payload;
      const w = new Worker(
        queueName(name),
        async (job: Job) => {
          const errors = payloadErrors(schema, job.data);
          // A payload that does not match will not match on the next try either.
          if (errors.length > 0) throw new UnrecoverableError(new JobPayloadError(name, errors).message);
          return await handler(job.data as PayloadOf<C, typeof name>, job as Job<PayloadOf<C, typeof name>>);
        },
        { connection: connection('worker'), prefix, concurrency: workerOpts.concurrency ?? 1 },
      );
      // Worker extends EventEmitter: an 'error' without a listener would crash the process.
      w.on('error', (err) => logError({ err, queue: name }, 'worker error'));
      w.on('failed', (job, err) =>
        logError({ err, queue: name, jobId: job?.id, attemptsMade: job?.attemptsMade }, 'job failed'),
      );
      workers.add(w);
      return w;
    },

    async close() {
      if (closed) return;
      closed = true;
      const results = [
        ...(await Promise.allSettled([...workers].map((w) => w.close()))),
        ...(await Promise.allSettled([...queues.values()].map((q) => q.close()))),
        // Connections we passed in are shared from BullMQ's point of view: it never closes them.
        ...(await Promise.allSettled([...connections].map((c) => c.quit().catch(() => c.disconnect())))),
      ];
      const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failures.length > 0) {
        throw new AggregateError(
          failures.map((f) => f.reason as unknown),
          'closing jobs failed',
        );
      }
    },
  };
}
