/**
 * `Idempotency-Key` for routes that opt in with `config: { idempotent: true }` (POSTs that create or cost
 * something). The key is scoped to (caller's organisation, method + route pattern, key) and kept in Redis:
 *
 *   first request   SET NX a pending record (short lock TTL) holding the hash of the body; run the handler;
 *                   in onSend store status, a few headers and the body for ttlSeconds (2xx and 4xx only; a 5xx
 *                   deletes the record so the client can retry).
 *   same key+body   replay the stored answer with `idempotent-replayed: true`.
 *   other body      409 IDEMPOTENCY_KEY_REUSED.      still pending   409 IDEMPOTENCY_IN_PROGRESS.
 *
 * The body hash is taken in preValidation (parsed JSON, keys sorted, before validation strips or coerces
 * anything). The principal must therefore be set by an onRequest hook. Redis down → 503 (fail closed: a
 * duplicate charge is worse than a retry).
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { httpErrors } from './errors.js';
import { withTimeout } from './rate-limit.js';

export interface IdempotencyOptions {
  redis: Redis;
  prefix: string;
  /** How long a finished answer is replayed (default 86 400 s = 24 h). */
  ttlSeconds?: number;
  /** How long an in-flight request holds its key when it never finishes (default 60 s). */
  lockTtlMs?: number;
  /** Bound on one Redis round trip (default 1 s). */
  commandTimeoutMs?: number;
}

interface StoredRecord {
  state: 'pending' | 'done';
  hash: string;
  status?: number;
  headers?: Record<string, string>;
  body?: string;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const REPLAYED_HEADERS = ['content-type', 'location', 'etag', 'content-language'];

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` hash the same. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

export function registerIdempotency(app: FastifyInstance, opts: IdempotencyOptions): void {
  const ttlSeconds = opts.ttlSeconds ?? 86_400;
  const lockTtlMs = opts.lockTtlMs ?? 60_000;
  const timeoutMs = opts.commandTimeoutMs ?? 1_000;
  const redis = opts.redis;
  // Requests holding a lock: the Redis key to complete in onSend.
  const held = new WeakMap<FastifyRequest, { redisKey: string; hash: string }>();
  const replayed = new WeakSet<FastifyRequest>();

  app.addHook('preValidation', async (request, reply) => {
    if (request.routeOptions.config.idempotent !== true) return;
    const header = request.headers['idempotency-key'];
    if (header === undefined) return;
    if (typeof header !== 'string' || !KEY_PATTERN.test(header)) throw httpErrors.IDEMPOTENCY_KEY_INVALID();

    const scope = request.principal?.orgId ?? 'anon';
    const route = `${request.method} ${request.routeOptions.url ?? request.url}`;
    const id = createHash('sha256').update(`${scope}\n${route}\n${header}`).digest('base64url');
    const redisKey = `${opts.prefix}:idem:${id}`;
    const hash = createHash('sha256').update(canonicalJson(request.body)).digest('base64url');

    const pending: StoredRecord = { state: 'pending', hash };
    const acquired = await withTimeout(
      'redis',
      timeoutMs,
      redis.set(redisKey, JSON.stringify(pending), 'PX', lockTtlMs, 'NX'),
    );
    if (acquired === 'OK') {
      held.set(request, { redisKey, hash });
      return;
    }
    const raw = await withTimeout('redis', timeoutMs, redis.get(redisKey));
    // Gone between SET and GET: the first request just failed with a 5xx and released it. Ask for a retry.
    if (raw === null) throw httpErrors.IDEMPOTENCY_IN_PROGRESS({ headers: { 'retry-after': '1' } });
    const record = JSON.parse(raw) as StoredRecord;
    if (record.hash !== hash) throw httpErrors.IDEMPOTENCY_KEY_REUSED();
    if (record.state !== 'done' || record.status === undefined) {
      throw httpErrors.IDEMPOTENCY_IN_PROGRESS({ headers: { 'retry-after': '1' } });
    }
    replayed.add(request);
    // An async hook that answers early must return the reply.
    return replay(reply, record);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const lock = held.get(request);
    if (!lock || replayed.has(request)) return payload;
    held.delete(request);
    const status = reply.statusCode;
    try {
      if (status >= 500 || !(typeof payload === 'string' || Buffer.isBuffer(payload) || payload == null)) {
        // A 5xx (or a streamed body we cannot keep) is not an answer to remember: free the key for a retry.
        await withTimeout('redis', timeoutMs, redis.del(lock.redisKey));
        return payload;
      }
      const headers: Record<string, string> = {};
      for (const name of REPLAYED_HEADERS) {
        const v = reply.getHeader(name);
        if (typeof v === 'string' || typeof v === 'number') headers[name] = String(v);
      }
      const record: StoredRecord = {
        state: 'done',
        hash: lock.hash,
        status,
        headers,
        body: payload == null ? '' : payload.toString(),
      };
      await withTimeout(
        'redis',
        timeoutMs,
        redis.set(lock.redisKey, JSON.stringify(record), 'EX', ttlSeconds),
      );
    } catch (err) {
      // The answer still goes out; the pending lock expires after lockTtlMs and a retry runs the handler again.
      request.log.error({ err }, 'could not store the idempotent response');
    }
    return payload;
  });
}

function replay(reply: FastifyReply, record: StoredRecord): FastifyReply {
  void reply.code(record.status ?? 200);
  for (const [name, value] of Object.entries(record.headers ?? {})) void reply.header(name, value);
  void reply.header('idempotent-replayed', 'true');
  return reply.send(record.body ?? '');
}
