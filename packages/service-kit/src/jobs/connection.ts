/**
 * Redis connections for BullMQ, one policy per role (BullMQ "going to production" guide):
 * - `worker`: `maxRetriesPerRequest: null` and an offline queue, so blocking commands wait out a Redis restart
 *   instead of failing jobs; BullMQ refuses anything else for workers.
 * - `producer`: `maxRetriesPerRequest: 1` and no offline queue, so an `add()` during an outage fails in
 *   milliseconds and the HTTP request can answer 503 instead of hanging.
 * Both reconnect forever with a bounded delay. Keys are namespaced with BullMQ's `prefix` option, never
 * ioredis' `keyPrefix` (BullMQ's Lua scripts build key names themselves and reject it).
 */
import { Redis } from 'ioredis';

export type RedisRole = 'worker' | 'producer';

export interface RedisConnectionOptions {
  /** Shows in `CLIENT LIST`, which helps when counting leaked connections. */
  connectionName?: string;
  /** Called on connection errors; without a listener ioredis prints "Unhandled error event" to stderr. */
  onError?: (err: Error) => void;
}

/** Delay before reconnect attempt `times`: 100 ms, 200 ms, … capped at 2 s. Never gives up. */
export function reconnectDelay(times: number): number {
  return Math.min(times * 100, 2_000);
}

export function redisConnection(url: string, role: RedisRole, opts: RedisConnectionOptions = {}): Redis {
  const redis = new Redis(url, {
    lazyConnect: false,
    retryStrategy: reconnectDelay,
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    enableOfflineQueue: role === 'worker',
    connectTimeout: 5_000,
    ...(opts.connectionName !== undefined ? { connectionName: opts.connectionName } : {}),
  });
  redis.on('error', opts.onError ?? (() => undefined));
  return redis;
}

/** Resolves once the connection is ready, or rejects after `timeoutMs` (producers must not wait forever). */
export function whenReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new JobsUnavailableError(`Redis not ready after ${timeoutMs} ms (status ${redis.status})`));
    }, timeoutMs);
    redis.once('ready', onReady);
  });
}

/** Redis is unreachable: the caller should answer 503 and retry later. */
export class JobsUnavailableError extends Error {
  override readonly name = 'JobsUnavailableError';
  readonly code = 'JOBS_UNAVAILABLE';
  readonly statusCode = 503;
}
