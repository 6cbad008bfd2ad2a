import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, sharedUrls } from '@vinculo/testing';
import {
  CursorQuery,
  Paginated,
  createHttpServer,
  decodeCursor,
  defineErrors,
  encodeCursor,
  negotiateLanguage,
  rateLimitBy,
  type HttpServer,
} from '../src/http/index.js';

const iso = isolation();
const redis = new Redis(sharedUrls.redis(), { lazyConnect: false, maxRetriesPerRequest: 1 });
// Nothing listens on port 1: this client fails every command at once (the "Redis is down" case).
const deadRedis = new Redis({
  host: '127.0.0.1',
  port: 1,
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  retryStrategy: () => null,
});
deadRedis.on('error', () => undefined);

const errors = defineErrors('REGISTRY', {
  USER_NOT_FOUND: { status: 404, en: 'User not found', es: 'Usuario no encontrado' },
});

const logLines: string[] = [];
const logStream = new Writable({
  write(chunk: Buffer, _enc, cb) {
    logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    cb();
  },
});

let ready = { postgres: true, nats: true };
let app: HttpServer;
let slowGate: Promise<void> = Promise.resolve();
let openGate: () => void = () => undefined;
let created = 0;

async function build(opts: { redis: Redis; prefix: string }): Promise<HttpServer> {
  const server = await createHttpServer({
    service: 'test',
    logger: { level: 'info', stream: logStream },
    bodyLimit: 1024,
    requestTimeoutMs: 500,
    readiness: {
      postgres: () => Promise.resolve(ready.postgres),
      nats: () => Promise.resolve(ready.nats),
      hangs: () => new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 50)),
    },
    rateLimit: { redis: opts.redis, prefix: opts.prefix, default: { max: 1000, windowMs: 60_000 } },
    idempotency: { redis: opts.redis, prefix: opts.prefix, lockTtlMs: 5_000, commandTimeoutMs: 300 },
    openapi: { title: 'test', version: '1.0.0' },
  });
  const limiter = server.rateLimiter;
  if (!limiter) throw new Error('limiter expected');

  server.get(
    '/users/:id',
    { schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }) }) } },
    (req) => {
      throw errors.USER_NOT_FOUND({
        detail: { en: `No user ${req.params.id}`, es: `No existe ${req.params.id}` },
      });
    },
  );
  server.post(
    '/things',
    {
      schema: {
        body: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 50 }),
          qty: Type.Integer({ minimum: 1 }),
        }),
        response: { 201: Type.Object({ id: Type.Integer(), name: Type.String() }) },
      },
      config: { idempotent: true },
      // Stands in for the auth module: the organisation scopes idempotency keys.
      onRequest: (req, _reply, done) => {
        const org = req.headers['x-test-org'];
        if (typeof org === 'string') req.principal = { orgId: org, orgType: 'buyer', roles: [] };
        done();
      },
    },
    async (req, reply) => {
      if (req.body.name === 'slow') await slowGate;
      if (req.body.name === 'boom') throw new Error('secret internals: password=hunter2');
      created++;
      return reply
        .code(201)
        .header('location', `/things/${created}`)
        .send({ id: created, name: req.body.name });
    },
  );
  server.get('/boom', () => {
    throw new Error('secret internals at /srv/db');
  });
  server.get('/sleep', async () => {
    await new Promise((r) => setTimeout(r, 1_500));
    return { late: true };
  });
  server.get('/db-down', () => {
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  });
  server.get(
    '/list',
    { schema: { querystring: CursorQuery, response: { 200: Paginated(Type.Integer()) } } },
    (req) => {
      const start = req.query.cursor
        ? decodeCursor(req.query.cursor, Type.Object({ n: Type.Integer() })).n
        : 0;
      const limit = req.query.limit ?? 20;
      const items = Array.from({ length: limit }, (_, i) => start + i);
      return { items, nextCursor: encodeCursor({ n: start + limit }) };
    },
  );
  server.post(
    '/login',
    {
      schema: { body: Type.Object({ email: Type.String() }) },
      config: { rateLimit: false },
      preHandler: rateLimitBy(limiter, (req) => (req.body as { email: string }).email, {
        name: 'login',
        max: 3,
        windowMs: 60_000,
        failClosed: true,
      }),
    },
    () => ({ ok: true }),
  );
  server.get(
    '/search',
    {
      config: { rateLimit: false },
      preHandler: rateLimitBy(limiter, (req) => req.ip, { name: 'search', max: 2, windowMs: 60_000 }),
    },
    () => ({ ok: true }),
  );
  server.get('/tight', { config: { rateLimit: { max: 2, windowMs: 60_000 } } }, () => ({ ok: true }));
  await server.ready();
  return server;
}

beforeAll(async () => {
  app = await build({ redis, prefix: iso.redisPrefix });
});

afterAll(async () => {
  await app.close();
  const keys = await redis.keys(`${iso.redisPrefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  deadRedis.disconnect();
});

const json = (body: unknown) => ({
  headers: { 'content-type': 'application/json' },
  payload: JSON.stringify(body),
});

describe('problem+json errors', () => {
  it('renders a service error in English by default and in Spanish for es-MX', async () => {
    const id = '0190d4a4-7b3c-7cc5-9c4e-2f1d3f3a9b10';
    const en = await app.inject({ url: `/users/${id}` });
    expect(en.statusCode).toBe(404);
    expect(en.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(en.json()).toMatchObject({
      type: 'urn:vinculo:problem:REGISTRY_USER_NOT_FOUND',
      title: 'User not found',
      status: 404,
      code: 'REGISTRY_USER_NOT_FOUND',
      detail: `No user ${id}`,
      instance: `/users/${id}`,
      correlationId: en.headers['x-correlation-id'],
    });
    const es = await app.inject({
      url: `/users/${id}`,
      headers: { 'accept-language': 'fr;q=0.9, es-MX, en;q=0.8' },
    });
    expect(es.json()).toMatchObject({ title: 'Usuario no encontrado', detail: `No existe ${id}` });
    expect(es.headers['content-language']).toBe('es');
  });

  it('negotiates the language by q-value', () => {
    expect(negotiateLanguage(undefined)).toBe('en');
    expect(negotiateLanguage('es-MX')).toBe('es');
    expect(negotiateLanguage('en;q=0.5, es;q=0.9')).toBe('es');
    expect(negotiateLanguage('es;q=0, en')).toBe('en');
    expect(negotiateLanguage('de, *;q=0.1')).toBe('en');
    expect(negotiateLanguage('pt-BR, es;q=0.3, en;q=0.2')).toBe('es');
  });

  it('answers 400 VALIDATION_FAILED with the field errors and a translated title', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/json', 'accept-language': 'es' },
      payload: JSON.stringify({ name: '' }),
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.title).toBe('La solicitud no es válida');
    expect(body.errors.length).toBeGreaterThan(0);
    expect(body.errors[0]).toMatchObject({ in: 'body' });
  });

  it('answers 413 for an oversized body, 415 for text/plain and 400 MALFORMED_JSON for bad JSON', async () => {
    const big = await app.inject({
      method: 'POST',
      url: '/things',
      ...json({ name: 'x'.repeat(2000), qty: 1 }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('PAYLOAD_TOO_LARGE');
    const text = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'text/plain' },
      payload: 'hi',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(text.headers['content-type']).toMatch(/^application\/problem\+json/);
    const bad = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('MALFORMED_JSON');
    const proto = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/json' },
      payload: '{"__proto__":{"x":1},"name":"a","qty":1}',
    });
    expect(proto.statusCode).toBe(400);
  });

  it('answers an unknown route with a 404 NOT_FOUND problem', async () => {
    const res = await app.inject({ url: '/nope?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND', instance: '/nope' });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('hides an unknown error behind a bland 500 and logs it in full', async () => {
    const res = await app.inject({ url: '/boom', headers: { 'x-correlation-id': 'boom-1' } });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      type: 'urn:vinculo:problem:INTERNAL_ERROR',
      title: 'Internal error',
      status: 500,
      code: 'INTERNAL_ERROR',
      instance: '/boom',
      correlationId: 'boom-1',
    });
    expect(res.body).not.toContain('secret');
    const line = logLines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.correlationId === 'boom-1' && l.level === 50);
    expect(JSON.stringify(line)).toContain('secret internals at /srv/db');
    expect(JSON.stringify(line)).toContain('stack');
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After when the database is unreachable', async () => {
    const res = await app.inject({ url: '/db-down' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json().code).toBe('SERVICE_UNAVAILABLE');
  });

  it('answers 503 REQUEST_TIMEOUT when a handler misses its deadline', async () => {
    const res = await app.inject({ url: '/sleep' });
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('REQUEST_TIMEOUT');
  });
});

describe('correlation, headers, probes, metrics, openapi', () => {
  it('echoes a sane correlation id and replaces an unsafe one', async () => {
    const a = await app.inject({ url: '/health', headers: { 'x-correlation-id': 'abc-123' } });
    expect(a.headers['x-correlation-id']).toBe('abc-123');
    const b = await app.inject({ url: '/health', headers: { 'x-request-id': 'req.77' } });
    expect(b.headers['x-correlation-id']).toBe('req.77');
    const c = await app.inject({ url: '/health', headers: { 'x-correlation-id': 'bad id\u0000<script>' } });
    expect(c.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets security headers and no x-powered-by', async () => {
    const res = await app.inject({ url: '/health' });
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
    const notFound = await app.inject({ url: '/missing' });
    expect(notFound.headers['x-content-type-options']).toBe('nosniff');
  });

  it('keeps /health at 200 and reports each dependency on /ready', async () => {
    expect((await app.inject({ url: '/health' })).json()).toEqual({ status: 'ok' });
    const up = await app.inject({ url: '/ready' });
    expect(up.statusCode).toBe(200);
    expect(up.json()).toEqual({ status: 'ready', checks: { postgres: 'up', nats: 'up', hangs: 'up' } });
    ready = { postgres: true, nats: false };
    const down = await app.inject({ url: '/ready' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({
      status: 'not_ready',
      checks: { postgres: 'up', nats: 'down', hangs: 'up' },
    });
    ready = { postgres: true, nats: true };
  });

  it('exposes the request duration histogram by route pattern', async () => {
    await app.inject({ url: '/users/0190d4a4-7b3c-7cc5-9c4e-2f1d3f3a9b10' });
    const res = await app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('http_request_duration_seconds_bucket');
    expect(res.body).toMatch(
      /http_request_duration_seconds_count\{[^}]*route="\/users\/:id"[^}]*status_code="404"/,
    );
    expect(res.body).toContain('process_cpu_user_seconds_total');
  });

  it('serves an OpenAPI 3.1 document from the route schemas', async () => {
    const res = await app.inject({ url: '/openapi.json' });
    const doc = res.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/things');
    expect(Object.keys(doc.paths)).not.toContain('/health');
  });

  it('paginates with opaque cursors and rejects a forged one', async () => {
    const first = await app.inject({ url: '/list?limit=3' });
    expect(first.json().items).toEqual([0, 1, 2]);
    const next = await app.inject({ url: `/list?limit=2&cursor=${first.json().nextCursor}` });
    expect(next.json().items).toEqual([3, 4]);
    const forged = await app.inject({ url: `/list?cursor=${encodeCursor({ n: 'x' })}` });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().code).toBe('INVALID_CURSOR');
    const garbage = await app.inject({ url: '/list?cursor=%%%' });
    expect(garbage.statusCode).toBe(400);
    expect((await app.inject({ url: '/list?limit=101' })).json().code).toBe('VALIDATION_FAILED');
  });
});

describe('rate limits', () => {
  it('answers 429 RATE_LIMITED with Retry-After after N requests, per key', async () => {
    for (let i = 0; i < 3; i++) {
      const ok = await app.inject({ method: 'POST', url: '/login', ...json({ email: 'ana@example.mx' }) });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['ratelimit-remaining']).toBe(String(2 - i));
    }
    const limited = await app.inject({ method: 'POST', url: '/login', ...json({ email: 'ana@example.mx' }) });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const other = await app.inject({ method: 'POST', url: '/login', ...json({ email: 'luis@example.mx' }) });
    expect(other.statusCode).toBe(200);
  });

  it('applies a per-route override of the global per-IP limit and keeps IPs apart', async () => {
    const hit = (ip: string) => app.inject({ url: '/tight', remoteAddress: ip });
    expect((await hit('10.0.0.1')).statusCode).toBe(200);
    expect((await hit('10.0.0.1')).statusCode).toBe(200);
    expect((await hit('10.0.0.1')).statusCode).toBe(429);
    expect((await hit('10.0.0.2')).statusCode).toBe(200);
    expect(
      (await app.inject({ url: '/health', remoteAddress: '10.0.0.1' })).headers['ratelimit-limit'],
    ).toBeUndefined();
  });

  it('fails open on general routes and closed on login routes when Redis is down', async () => {
    const dead = await build({ redis: deadRedis, prefix: iso.redisPrefix });
    try {
      const search = await dead.inject({ url: '/search' });
      expect(search.statusCode).toBe(200);
      const login = await dead.inject({
        method: 'POST',
        url: '/login',
        ...json({ email: 'ana@example.mx' }),
      });
      expect(login.statusCode).toBe(503);
      expect(login.json().code).toBe('SERVICE_UNAVAILABLE');
      expect(login.headers['retry-after']).toBeDefined();
      // Idempotency cannot be guaranteed without Redis: 503, not a second execution later.
      const post = await dead.inject({
        method: 'POST',
        url: '/things',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'k-dead' },
        payload: JSON.stringify({ name: 'a', qty: 1 }),
      });
      expect(post.statusCode).toBe(503);
    } finally {
      await dead.close();
    }
  });
});

describe('idempotency', () => {
  const post = (key: string, body: unknown, extra: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/json', 'idempotency-key': key, ...extra },
      payload: JSON.stringify(body),
    });

  it('replays the first answer for the same key and body', async () => {
    const first = await post('key-replay', { name: 'bolt', qty: 2 });
    expect(first.statusCode).toBe(201);
    const before = created;
    const again = await post('key-replay', { qty: 2, name: 'bolt' });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.json()).toEqual(first.json());
    expect(created).toBe(before);
  });

  it('answers 409 IDEMPOTENCY_KEY_REUSED for the same key with another body', async () => {
    await post('key-reuse', { name: 'nut', qty: 1 });
    const res = await post('key-reuse', { name: 'nut', qty: 3 });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('answers 409 IDEMPOTENCY_IN_PROGRESS while the first request runs', async () => {
    slowGate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    const first = post('key-slow', { name: 'slow', qty: 1 });
    await new Promise((r) => setTimeout(r, 50));
    const second = await post('key-slow', { name: 'slow', qty: 1 });
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('IDEMPOTENCY_IN_PROGRESS');
    openGate();
    expect((await first).statusCode).toBe(201);
    expect((await post('key-slow', { name: 'slow', qty: 1 })).headers['idempotent-replayed']).toBe('true');
  });

  it('releases the key after a 5xx so the client can retry, and keeps 4xx answers', async () => {
    expect((await post('key-5xx', { name: 'boom', qty: 1 })).statusCode).toBe(500);
    const retry = await post('key-5xx', { name: 'boom', qty: 1 });
    expect(retry.statusCode).toBe(500);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    await post('key-4xx', { name: '', qty: 1 });
    const replay4xx = await post('key-4xx', { name: '', qty: 1 });
    expect(replay4xx.statusCode).toBe(400);
    expect(replay4xx.headers['idempotent-replayed']).toBe('true');
    expect(replay4xx.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('scopes keys by organisation and rejects malformed keys', async () => {
    const bad = await post('bad key with spaces', { name: 'a', qty: 1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('IDEMPOTENCY_KEY_INVALID');
    expect((await post('x'.repeat(256), { name: 'a', qty: 1 })).statusCode).toBe(400);
    const noKey1 = await app.inject({ method: 'POST', url: '/things', ...json({ name: 'a', qty: 1 }) });
    const noKey2 = await app.inject({ method: 'POST', url: '/things', ...json({ name: 'a', qty: 1 }) });
    expect(noKey1.json().id).not.toBe(noKey2.json().id);
    const orgA = await post('shared-key', { name: 'a', qty: 1 }, { 'x-test-org': 'org-a' });
    const orgB = await post('shared-key', { name: 'a', qty: 1 }, { 'x-test-org': 'org-b' });
    expect(orgB.headers['idempotent-replayed']).toBeUndefined();
    expect(orgB.json().id).not.toBe(orgA.json().id);
    expect((await post('shared-key', { name: 'a', qty: 1 }, { 'x-test-org': 'org-a' })).json()).toEqual(
      orgA.json(),
    );
  });
});

describe('shutting down', () => {
  it('keeps /health up while /ready and every other route answer 503', async () => {
    const closing = await build({ redis, prefix: iso.redisPrefix });
    try {
      closing.markShuttingDown();
      expect((await closing.inject({ url: '/health' })).statusCode).toBe(200);
      const readyRes = await closing.inject({ url: '/ready' });
      expect(readyRes.statusCode).toBe(503);
      expect(readyRes.json()).toMatchObject({ status: 'shutting_down' });
      const other = await closing.inject({ url: '/list' });
      expect(other.statusCode).toBe(503);
      expect(other.json().code).toBe('SERVICE_UNAVAILABLE');
      expect(other.headers['retry-after']).toBeDefined();
    } finally {
      await closing.close();
    }
  });

  it('rejects JSON nested deeper than the limit with 400 BODY_TOO_DEEP', async () => {
    const payload = `{"name":"a","qty":1,"x":${'['.repeat(100)}${']'.repeat(100)}}`;
    const res = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'deep' },
      payload,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('BODY_TOO_DEEP');
  });

  it('rejects a NUL character anywhere in a JSON body (PostgreSQL text cannot store it)', async () => {
    for (const payload of ['{"name":"a\\u0000b","qty":1}', '{"name":"a","qty":1,"tags":{"k\\u0000":"v"}}']) {
      const res = await app.inject({
        method: 'POST',
        url: '/things',
        headers: { 'content-type': 'application/json', 'idempotency-key': `nul-${payload.length}` },
        payload,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('NUL_CHARACTER');
    }
  });
});

describe('logs', () => {
  it('redacts authorization headers, cookies and passwords', () => {
    app.log.info(
      {
        req: { headers: { authorization: 'Bearer abc.def', cookie: 'sid=1' } },
        body: { password: 'hunter2' },
      },
      'probe',
    );
    const line = logLines.find((l) => l.includes('"probe"')) ?? '';
    expect(line).not.toContain('abc.def');
    expect(line).not.toContain('sid=1');
    expect(line).not.toContain('hunter2');
    expect(line).toContain('[redacted]');
  });
});
