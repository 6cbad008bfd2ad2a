/**
 * The gateway in-process (app.inject, and a real listen where streaming matters) against real Redis and a fake
 * upstream fastify app on a loopback port.
 */
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisConnection } from '@vinculo/service-kit/jobs';
import type { HttpServer } from '@vinculo/service-kit/http';
import { isolation, sharedUrls } from '@vinculo/testing';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { upstream, type Upstream } from '../src/upstreams.js';

const iso = isolation();
let redis: Redis;
let fake: FakeUpstream;
const apps: HttpServer[] = [];

interface FakeUpstream {
  app: FastifyInstance;
  url: string;
  state: { ready: boolean; busyHits: number };
}

const upstreamDoc = {
  openapi: '3.1.0',
  info: { title: 'Vínculo registry', version: '1.0.0' },
  paths: {
    '/echo': { post: { operationId: 'echo', summary: 'Echo', responses: { 200: { description: 'ok' } } } },
    '/things/{id}': {
      get: {
        responses: {
          200: {
            description: 'ok',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
        },
      },
    },
  },
  components: { schemas: { Thing: { type: 'object', properties: { id: { type: 'string' } } } } },
};

async function startFakeUpstream(): Promise<FakeUpstream> {
  const state = { ready: true, busyHits: 0 };
  const app = Fastify({ bodyLimit: 10 * 1024 * 1024 });
  // Like a service that registers multipart itself: it, not the gateway, decides what an upload may be.
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  );
  app.get('/ready', (_req, reply) =>
    reply.code(state.ready ? 200 : 503).send({ status: state.ready ? 'ready' : 'not_ready' }),
  );
  app.get('/openapi.json', () => upstreamDoc);
  app.post('/echo', (req) => ({
    url: req.url,
    body: req.body,
    correlationId: req.headers['x-correlation-id'],
    forwardedFor: req.headers['x-forwarded-for'],
  }));
  app.get('/things/:id', (req, reply) =>
    reply.code(404).type('application/problem+json').send({
      type: 'urn:vinculo:problem:REGISTRY_THING_NOT_FOUND',
      title: 'Thing not found',
      status: 404,
      code: 'REGISTRY_THING_NOT_FOUND',
      instance: req.url,
    }),
  );
  app.post('/upload', (req) => ({
    bytes: (req.body as Buffer).length,
    contentType: req.headers['content-type'],
  }));
  app.get('/slow', async () => {
    await new Promise((r) => setTimeout(r, 2_000));
    return { late: true };
  });
  app.get('/busy', async (_req, reply) => {
    state.busyHits += 1;
    return reply.code(503).header('retry-after', '5').send({ busy: true });
  });
  app.get('/metrics', () => 'private');
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: address, state };
}

/** A loopback URL nothing listens on. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return `http://127.0.0.1:${port}`;
}

async function gateway(upstreams: Upstream[], env: Record<string, string> = {}): Promise<HttpServer> {
  const config = loadConfig({
    REDIS_PREFIX: iso.redisPrefix,
    UPSTREAM_TIMEOUT_MS: '1000',
    CORS_ORIGINS: 'http://allowed.example',
    ...env,
  });
  const app = await buildApp({ config, redis, upstreams, logger: { level: 'silent' } });
  apps.push(app);
  return app;
}

beforeAll(async () => {
  redis = redisConnection(sharedUrls.redis(), 'producer');
  fake = await startFakeUpstream();
});

afterAll(async () => {
  for (const app of apps) await app.close();
  await fake.app.close();
  const keys = await redis.keys(`${iso.redisPrefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe('gateway in front of one healthy upstream', () => {
  let app: HttpServer;
  beforeAll(async () => {
    app = await gateway([upstream('registry', fake.url)]);
  });

  it('routes /api/registry/* to the upstream without the prefix, query and JSON body intact', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/registry/echo?x=1',
      payload: { hello: 'mundo', n: [1, 2] },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.url).toBe('/echo?x=1');
    expect(body.body).toEqual({ hello: 'mundo', n: [1, 2] });
  });

  it('forwards its correlation id and the client address, replacing what the client claimed', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/registry/echo',
      headers: { 'x-correlation-id': 'abc-123', 'x-forwarded-for': '6.6.6.6' },
      remoteAddress: '10.9.8.7',
      payload: {},
    });
    expect(res.json()).toMatchObject({ correlationId: 'abc-123', forwardedFor: '10.9.8.7' });
    expect(res.headers['x-correlation-id']).toBe('abc-123');

    const generated = await app.inject({ method: 'POST', url: '/api/registry/echo', payload: {} });
    expect(generated.json().correlationId).toBe(generated.headers['x-correlation-id']);
    expect(generated.json().correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("passes the upstream's problem+json through untouched", async () => {
    const res = await app.inject({ method: 'GET', url: '/api/registry/things/42' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toEqual({
      type: 'urn:vinculo:problem:REGISTRY_THING_NOT_FOUND',
      title: 'Thing not found',
      status: 404,
      code: 'REGISTRY_THING_NOT_FOUND',
      instance: '/things/42',
    });
  });

  it('streams a 2 MB multipart upload to the upstream, past the gateway body limit', async () => {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const boundary = '----vinculo-test';
    const file = Buffer.alloc(2 * 1024 * 1024, 'a');
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="cert.pdf"\r\ncontent-type: application/pdf\r\n\r\n`,
      ),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await fetch(`http://127.0.0.1:${port}/api/registry/upload`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: payload,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      bytes: payload.length,
      contentType: `multipart/form-data; boundary=${boundary}`,
    });
  });

  it('returns an upstream 503 at once, without retrying it', async () => {
    const before = fake.state.busyHits;
    const started = Date.now();
    const res = await app.inject({ method: 'GET', url: '/api/registry/busy' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(fake.state.busyHits - before).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('answers 504 GATEWAY_UPSTREAM_TIMEOUT when the upstream is slower than UPSTREAM_TIMEOUT_MS', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/registry/slow' });
    expect(res.statusCode).toBe(504);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 504, code: 'GATEWAY_UPSTREAM_TIMEOUT' });
  });

  it("does not expose an upstream's /metrics", async () => {
    const res = await app.inject({ method: 'GET', url: '/api/registry/metrics' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('is ready while the upstream is, and 503 when its /ready fails', async () => {
    const ok = await app.inject({ method: 'GET', url: '/ready' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ status: 'ready', checks: { redis: 'up', registry: 'up' } });

    fake.state.ready = false;
    try {
      const down = await app.inject({ method: 'GET', url: '/ready' });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toEqual({ status: 'not_ready', checks: { redis: 'up', registry: 'down' } });
    } finally {
      fake.state.ready = true;
    }
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it("serves one OpenAPI document with the upstream's paths under its prefix", async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths as object).sort()).toEqual([
      '/api/registry/echo',
      '/api/registry/things/{id}',
    ]);
    expect(doc.paths['/api/registry/echo'].post).toMatchObject({
      operationId: 'registry.echo',
      tags: ['registry'],
    });
    expect(doc.components.schemas.Thing).toEqual(upstreamDoc.components.schemas.Thing);
    expect(doc['x-vinculo-upstreams']).toEqual({ registry: 'up' });
  });

  it('serves /docs as a self-contained HTML page linking the document', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('href="/docs/openapi.json"');
    expect(res.body).toContain('POST /api/registry/echo');
    expect(res.body).not.toMatch(/<script|https?:\/\//);
  });

  it('answers a CORS preflight from an allowed origin, and not from another', async () => {
    const preflight = (origin: string) =>
      app.inject({
        method: 'OPTIONS',
        url: '/api/registry/echo',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    const allowed = await preflight('http://allowed.example');
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('http://allowed.example');
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    expect(String(allowed.headers['access-control-allow-methods'])).toContain('POST');

    const denied = await preflight('http://evil.example');
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
    expect(denied.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('sets the security headers on proxied answers too', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/registry/things/1' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
  });
});

describe('gateway with an upstream that is down', () => {
  let app: HttpServer;
  beforeAll(async () => {
    app = await gateway([upstream('registry', fake.url), upstream('audits', await deadUrl())]);
  });

  it('answers 503 GATEWAY_UPSTREAM_UNAVAILABLE as problem+json, in Spanish when asked', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/audits/audits/1',
      headers: { 'accept-language': 'es-MX' },
    });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({
      status: 503,
      code: 'GATEWAY_UPSTREAM_UNAVAILABLE',
      title: 'El servicio detrás de esta ruta no está disponible',
      instance: '/api/audits/audits/1',
    });
  });

  it('answers a POST whose body the dead upstream never read, over a real connection', async () => {
    // inject cannot show this: reply-from destroys the unread body stream, which is a socket only in real life.
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${port}/api/audits/x`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ a: 'x'.repeat(500_000) }),
    });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      code: 'GATEWAY_UPSTREAM_UNAVAILABLE',
      title: 'The service behind this route is unavailable',
    });
  });

  it('is not ready, naming the upstream', async () => {
    const res = await app.inject({ method: 'GET', url: '/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json().checks).toEqual({ redis: 'up', registry: 'up', audits: 'down' });
  });

  it('still serves the OpenAPI document of the services that answer', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.paths['/api/registry/echo']).toBeDefined();
    expect(doc['x-vinculo-upstreams']).toEqual({ registry: 'up', audits: 'down' });
  });
});

describe('gateway body limits at the edge', () => {
  let app: HttpServer;
  let base: string;
  beforeAll(async () => {
    app = await gateway([upstream('registry', fake.url)], {
      GATEWAY_JSON_BODY_LIMIT: '1000',
      GATEWAY_UPLOAD_BODY_LIMIT: '5000',
      REDIS_PREFIX: `${iso.redisPrefix}:limits`,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  });

  /** A body sent chunked (no Content-Length), in pieces over a real connection. */
  async function postChunked(path: string, contentType: string, pieces: Buffer[]): Promise<Response> {
    async function* body() {
      for (const piece of pieces) {
        yield piece;
        await new Promise((r) => setImmediate(r));
      }
    }
    return fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: Readable.toWeb(Readable.from(body())) as ReadableStream,
      duplex: 'half',
    });
  }

  it('answers 413 PAYLOAD_TOO_LARGE to a JSON body over GATEWAY_JSON_BODY_LIMIT by its Content-Length', async () => {
    const res = await fetch(`${base}/api/registry/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ a: 'x'.repeat(2_000) }),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('answers 413 PAYLOAD_TOO_LARGE to a chunked JSON body (no Content-Length) once it passes the limit', async () => {
    const pieces = Array.from({ length: 10 }, () => Buffer.from('x'.repeat(300)));
    pieces.unshift(Buffer.from('{"a":"'));
    pieces.push(Buffer.from('"}'));
    const res = await postChunked('/api/registry/echo', 'application/json', pieces);
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    // The connection is still good for the next request.
    expect((await fetch(`${base}/api/registry/things/1`)).status).toBe(404);
  });

  it('passes a chunked JSON body within the limit through, with its length', async () => {
    const res = await postChunked('/api/registry/echo', 'application/json', [
      Buffer.from('{"hello":'),
      Buffer.from('"mundo"}'),
    ]);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ body: { hello: 'mundo' } });
  });

  it('lets a multipart body over the JSON limit through, and refuses one over GATEWAY_UPLOAD_BODY_LIMIT', async () => {
    const type = 'multipart/form-data; boundary=b';
    const small = await fetch(`${base}/api/registry/upload`, {
      method: 'POST',
      headers: { 'content-type': type },
      body: 'a'.repeat(3_000),
    });
    expect(small.status).toBe(200);
    expect(await small.json()).toMatchObject({ bytes: 3_000 });

    const big = await fetch(`${base}/api/registry/upload`, {
      method: 'POST',
      headers: { 'content-type': type },
      body: 'a'.repeat(6_000),
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });

    const chunked = await postChunked(
      '/api/registry/upload',
      type,
      Array.from({ length: 6 }, () => Buffer.alloc(1_000, 'a')),
    );
    expect(chunked.status).toBe(413);
    expect(await chunked.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });

    const chunkedSmall = await postChunked(
      '/api/registry/upload',
      type,
      Array.from({ length: 3 }, () => Buffer.alloc(1_000, 'a')),
    );
    expect(chunkedSmall.status).toBe(200);
    expect(await chunkedSmall.json()).toMatchObject({ bytes: 3_000 });
  });
});

describe('gateway in front of an upstream that answers early and resets', () => {
  it("passes the upstream's answer through when it resets the connection after answering", async () => {
    // Answers 413 as soon as it has the request head, sends part of a chunked body, then resets the connection
    // while the gateway is still sending the upload.
    const sockets = new Set<Socket>();
    const raw = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.once('data', () => {
        const problem = JSON.stringify({ status: 413, code: 'REGISTRY_DOCUMENT_TOO_LARGE' });
        socket.write(
          'HTTP/1.1 413 Payload Too Large\r\ncontent-type: application/problem+json\r\nconnection: close\r\n' +
            `transfer-encoding: chunked\r\n\r\n${problem.length.toString(16)}\r\n${problem}\r\n`,
        );
        setTimeout(() => socket.resetAndDestroy(), 50);
      });
    });
    raw.listen(0, '127.0.0.1');
    await once(raw, 'listening');
    try {
      const rawUrl = `http://127.0.0.1:${(raw.address() as { port: number }).port}`;
      const app = await gateway([upstream('registry', rawUrl)], { REDIS_PREFIX: `${iso.redisPrefix}:early` });
      await app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = app.server.address() as { port: number };
      const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/api/registry/upload',
            headers: { 'content-type': 'multipart/form-data; boundary=b' },
          },
          (r) => {
            let body = '';
            r.setEncoding('utf8');
            r.on('data', (c: string) => (body += c));
            r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
            r.on('error', reject);
          },
        );
        req.on('error', reject);
        // Chunked, slowly: still sending when the upstream resets.
        let sent = 0;
        const tick = setInterval(() => {
          if (sent++ >= 20 || req.destroyed) {
            clearInterval(tick);
            req.end();
            return;
          }
          req.write(Buffer.alloc(10_000, 'a'));
        }, 10);
      });
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body)).toEqual({ status: 413, code: 'REGISTRY_DOCUMENT_TOO_LARGE' });
    } finally {
      for (const s of sockets) s.destroy();
      raw.close();
    }
  });
});

describe('gateway rate limit', () => {
  it('answers 429 to an IP past GATEWAY_RATE_LIMIT_PER_MINUTE, and keeps serving other IPs', async () => {
    const app = await gateway([upstream('registry', fake.url)], {
      GATEWAY_RATE_LIMIT_PER_MINUTE: '3',
      REDIS_PREFIX: `${iso.redisPrefix}:rl3`,
    });
    const hit = (ip: string) =>
      app.inject({ method: 'GET', url: '/api/registry/things/1', remoteAddress: ip });
    for (let i = 0; i < 3; i++) expect((await hit('10.0.0.1')).statusCode).toBe(404);
    const limited = await hit('10.0.0.1');
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await hit('10.0.0.2')).statusCode).toBe(404);
    // Probes are never limited.
    expect((await app.inject({ method: 'GET', url: '/health', remoteAddress: '10.0.0.1' })).statusCode).toBe(
      200,
    );
  });
});
