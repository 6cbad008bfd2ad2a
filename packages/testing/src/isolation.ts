/**
 * Per-test-file isolation on the shared servers: a unique event namespace (stream and subject names), Redis
 * key prefix and queue-name suffix. Databases come from ./db.ts.
 */
import { randomBytes } from 'node:crypto';

export interface Isolation {
  /** Lower-case letters and digits, safe in stream names, subjects, queue names and Redis keys. */
  namespace: string;
  redisPrefix: string;
  queueName(base: string): string;
}

export function isolation(): Isolation {
  const namespace = `t${randomBytes(5).toString('hex')}`;
  return {
    namespace,
    redisPrefix: `test:${namespace}`,
    queueName: (base) => `${base}-${namespace}`,
  };
}

export const sharedUrls = {
  nats: () => process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
  redis: () => process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
};
