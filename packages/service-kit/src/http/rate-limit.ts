/**
 * Redis-backed fixed-window rate limits. One Lua script increments the window's counter and sets its expiry
 * atomically, so replicas share the count. Keys hold a hash of the caller key (an IP or an e-mail is personal
 * data and does not belong in Redis key names).
 *
 * Redis down: every call is bounded (commandTimeoutMs). A general route then fails open (the request passes and a
 * warning is logged: an outage of the limiter store must not take the API down); a route marked
 * `failClosed: true` (login, password reset, anything brute-forceable) answers 503 SERVICE_UNAVAILABLE instead.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Redis } from 'ioredis';
import { DependencyUnavailableError, httpErrors } from './errors.js';

export interface RateLimitRule {
  max: number;
  windowMs: number;
}

export interface RateLimitOptions extends RateLimitRule {
  /** Separates counters of different limits on the same key (default 'route'). */
  name?: string;
  /** Answer 503 instead of letting the request through when Redis cannot be reached. */
  failClosed?: boolean;
}

export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (≥ 1). */
  resetSeconds: number;
  /** Seconds to wait before retrying; 0 when allowed. */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Counts one hit on `key` (under `name`); throws DependencyUnavailableError when Redis does not answer. */
  consume(key: string, rule: RateLimitRule & { name?: string }): Promise<RateLimitResult>;
}

export interface RateLimiterOptions {
  redis: Redis;
  /** Prefix of every key, e.g. config.REDIS_PREFIX. */
  prefix: string;
  /** Bound on one Redis round trip (default 250 ms). */
  commandTimeoutMs?: number;
}

// KEYS[1] counter of one window; ARGV[1] ms until the window ends. Returns { count, pttl }.
const CONSUME_LUA = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if n == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { n, ttl }
`;

export async function withTimeout<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new DependencyUnavailableError(what, new Error(`no answer in ${ms} ms`))),
          ms,
        );
      }),
    ]);
  } catch (err) {
    if (err instanceof DependencyUnavailableError) throw err;
    throw new DependencyUnavailableError(what, err);
  } finally {
    clearTimeout(timer);
  }
}

export const hashKey = (key: string): string =>
  createHash('sha256').update(key).digest('base64url').slice(0, 32);

export function createRateLimiter(opts: RateLimiterOptions): RateLimiter {
  const timeoutMs = opts.commandTimeoutMs ?? 250;
  return {
    async consume(key, rule) {
      if (!(rule.max >= 1) || !(rule.windowMs >= 1))
        throw new Error('rate limit needs max ≥ 1 and windowMs ≥ 1');
      const windowMs = Math.ceil(rule.windowMs);
      // The window start in the key makes a stuck key (lost PEXPIRE) impossible and keeps windows aligned.
      const now = Date.now();
      const window = Math.floor(now / windowMs);
      const untilEnd = Math.max(1, (window + 1) * windowMs - now);
      const redisKey = `${opts.prefix}:rl:${rule.name ?? 'route'}:${window}:${hashKey(key)}`;
      const reply = (await withTimeout(
        'redis',
        timeoutMs,
        opts.redis.eval(CONSUME_LUA, 1, redisKey, untilEnd),
      )) as [number, number];
      const [count, pttl] = reply;
      const resetSeconds = Math.max(1, Math.ceil(pttl / 1000));
      const allowed = count <= rule.max;
      return {
        allowed,
        limit: rule.max,
        remaining: Math.max(0, rule.max - count),
        resetSeconds,
        retryAfterSeconds: allowed ? 0 : resetSeconds,
      };
    },
  };
}

export type RateLimitKeyFn = (request: FastifyRequest) => string | undefined | Promise<string | undefined>;

/**
 * Applies a limit to a request: sets RateLimit headers, throws 429 RATE_LIMITED (with Retry-After) when over,
 * and applies the fail-open / fail-closed policy when Redis is down. Used by the global per-IP limit and by
 * rateLimitBy.
 */
export async function enforceRateLimit(
  limiter: RateLimiter,
  request: FastifyRequest,
  reply: FastifyReply,
  key: string,
  opts: RateLimitOptions,
): Promise<void> {
  let result: RateLimitResult;
  try {
    result = await limiter.consume(key, opts);
  } catch (err) {
    if (opts.failClosed) {
      request.log.error({ err, limit: opts.name }, 'rate limiter unavailable; failing closed');
      throw httpErrors.SERVICE_UNAVAILABLE({ headers: { 'retry-after': '5' }, cause: err });
    }
    request.log.warn({ err, limit: opts.name }, 'rate limiter unavailable; failing open');
    return;
  }
  void reply.header('ratelimit-limit', String(result.limit));
  void reply.header('ratelimit-remaining', String(result.remaining));
  void reply.header('ratelimit-reset', String(result.resetSeconds));
  if (!result.allowed) {
    throw httpErrors.RATE_LIMITED({
      headers: { 'retry-after': String(result.retryAfterSeconds) },
    });
  }
}

/**
 * A route-level preHandler: `preHandler: rateLimitBy(limiter, (req) => req.body.email, { name: 'login',
 * max: 5, windowMs: 60_000, failClosed: true })`. A key function returning undefined skips the limit.
 */
export function rateLimitBy(
  limiter: RateLimiter,
  keyFn: RateLimitKeyFn,
  opts: RateLimitOptions,
): preHandlerAsyncHookHandler {
  return async function rateLimitPreHandler(request, reply) {
    const key = await keyFn(request);
    if (key === undefined) return;
    await enforceRateLimit(limiter, request, reply, key, opts);
  };
}
