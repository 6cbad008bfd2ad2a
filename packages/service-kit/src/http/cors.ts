/**
 * CORS belongs to the gateway (the public origin); services behind it do not register it. An explicit list of
 * origins only: a wildcard with credentials is the classic mistake.
 */
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

export async function registerCors(app: FastifyInstance, origins: string[]): Promise<void> {
  const allowed = new Set(origins);
  await app.register(cors, {
    origin: (origin, cb) => cb(null, origin === undefined || allowed.has(origin)),
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: [
      'authorization',
      'content-type',
      'idempotency-key',
      'accept-language',
      'x-correlation-id',
    ],
    exposedHeaders: [
      'x-correlation-id',
      'ratelimit-limit',
      'ratelimit-remaining',
      'ratelimit-reset',
      'retry-after',
      'idempotent-replayed',
      'location',
    ],
    maxAge: 600,
  });
}
