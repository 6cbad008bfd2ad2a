import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  VinculoApiError,
  createClient,
  paginate,
  type Member,
  type Tokens,
  type TokenPair,
} from './index.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

type Handler = (req: Seen, res: ServerResponse) => void;

const ORG = '0190a0a0-0000-7000-8000-000000000001';
let server: Server;
let baseUrl: string;
let seen: Seen[] = [];
let handler: Handler = (_req, res) => json(res, 404, {});

function json(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type });
  res.end(JSON.stringify(body));
}

function problem(res: ServerResponse, status: number, code: string, title: string, detail?: string): void {
  json(
    res,
    status,
    {
      type: `urn:vinculo:problem:${code}`,
      title,
      status,
      code,
      correlationId: 'corr-1',
      ...(detail ? { detail } : {}),
    },
    'application/problem+json',
  );
}

function pair(n: number): TokenPair {
  return {
    accessToken: `access-${n}`,
    refreshToken: `refresh-${n}`,
    tokenType: 'Bearer',
    expiresIn: 900,
    organization: { id: ORG, name: 'Acme', type: 'buyer', role: 'owner' },
  };
}

const member = (i: number): Member => ({
  userId: `u${i}`,
  name: `User ${i}`,
  email: `u${i}@example.com`,
  role: 'member',
  createdAt: '2024-01-01T00:00:00Z',
});

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const s: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: raw ? JSON.parse(raw) : undefined,
      };
      seen.push(s);
      handler(s, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
});

beforeEach(() => {
  seen = [];
});

describe('createClient', () => {
  it('sends the bearer token and Accept-Language on authenticated calls', async () => {
    handler = (_req, res) =>
      json(res, 200, { user: null, organization: null, memberships: [], apiKeyId: null, scopes: [] });
    const client = createClient({ baseUrl: `${baseUrl}/`, accessToken: 'tok-a', language: 'es' });
    const me = await client.registry.me();
    expect(me.memberships).toEqual([]);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe('/api/registry/me');
    expect(seen[0]?.headers.authorization).toBe('Bearer tok-a');
    expect(seen[0]?.headers['accept-language']).toBe('es');
  });

  it('does not send the bearer token on public calls, and stores tokens from login', async () => {
    handler = (_req, res) => json(res, 200, pair(1));
    const got: Tokens[] = [];
    const client = createClient({ baseUrl, accessToken: 'old', onTokens: (p) => got.push(p) });
    await client.registry.login({ email: 'a@example.com', password: 'correct horse' });
    expect(seen[0]?.headers.authorization).toBeUndefined();
    expect(seen[0]?.body).toEqual({ email: 'a@example.com', password: 'correct horse' });
    expect(client.tokens()).toEqual({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    expect(got).toEqual([{ accessToken: 'access-1', refreshToken: 'refresh-1' }]);
  });

  it('turns problem+json into a VinculoApiError with its code', async () => {
    handler = (_req, res) =>
      problem(res, 404, 'REGISTRY_ORGANIZATION_NOT_FOUND', 'Organización no encontrada', 'nada');
    const client = createClient({ baseUrl, accessToken: 't', language: 'es' });
    const err = await client.registry.getOrganization(ORG).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VinculoApiError);
    const e = err as VinculoApiError;
    expect(e.status).toBe(404);
    expect(e.code).toBe('REGISTRY_ORGANIZATION_NOT_FOUND');
    expect(e.title).toBe('Organización no encontrada');
    expect(e.detail).toBe('nada');
    expect(e.correlationId).toBe('corr-1');
    expect((e.body as { code: string }).code).toBe('REGISTRY_ORGANIZATION_NOT_FOUND');
  });

  it('gives a non-problem error an HTTP_<status> code', async () => {
    handler = (_req, res) => {
      res.writeHead(502, { 'content-type': 'text/plain', 'x-correlation-id': 'corr-2' });
      res.end('bad gateway');
    };
    const client = createClient({ baseUrl });
    const err = (await client.registry.jwks().catch((e: unknown) => e)) as VinculoApiError;
    expect(err).toBeInstanceOf(VinculoApiError);
    expect(err.code).toBe('HTTP_502');
    expect(err.correlationId).toBe('corr-2');
    expect(err.body).toBe('bad gateway');
  });

  it('refreshes an expired access token exactly once, retries, and rotates the stored pair', async () => {
    handler = (req, res) => {
      if (req.url === '/api/registry/auth/refresh') return json(res, 200, pair(2));
      if (req.headers.authorization === 'Bearer access-2')
        return json(res, 200, { items: [member(1)], nextCursor: null });
      return problem(res, 401, 'AUTH_TOKEN_EXPIRED', 'The access token has expired');
    };
    const got: Tokens[] = [];
    const client = createClient({
      baseUrl,
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
      onTokens: (p) => got.push(p),
    });
    const page = await client.registry.listMembers(ORG, { limit: 5 });
    expect(page.items.map((m) => m.userId)).toEqual(['u1']);
    expect(seen.map((s) => s.url)).toEqual([
      `/api/registry/organizations/${ORG}/members?limit=5`,
      '/api/registry/auth/refresh',
      `/api/registry/organizations/${ORG}/members?limit=5`,
    ]);
    expect(seen[1]?.body).toEqual({ refreshToken: 'refresh-1' });
    expect(seen[1]?.headers.authorization).toBeUndefined();
    expect(seen[2]?.headers.authorization).toBe('Bearer access-2');
    expect(client.tokens()).toEqual({ accessToken: 'access-2', refreshToken: 'refresh-2' });
    expect(got).toEqual([{ accessToken: 'access-2', refreshToken: 'refresh-2' }]);
  });

  it('shares one refresh between concurrent calls that both hit an expired token', async () => {
    handler = (req, res) => {
      if (req.url === '/api/registry/auth/refresh') return setTimeout(() => json(res, 200, pair(2)), 30);
      if (req.headers.authorization === 'Bearer access-2')
        return json(res, 200, { items: [], nextCursor: null });
      return problem(res, 401, 'AUTH_TOKEN_EXPIRED', 'The access token has expired');
    };
    const client = createClient({ baseUrl, accessToken: 'access-1', refreshToken: 'refresh-1' });
    await Promise.all([client.registry.listApiKeys(ORG), client.registry.listInvitations(ORG)]);
    expect(seen.filter((s) => s.url === '/api/registry/auth/refresh')).toHaveLength(1);
    expect(client.tokens()).toEqual({ accessToken: 'access-2', refreshToken: 'refresh-2' });
  });

  it('does not loop when the retried call is still expired', async () => {
    let n = 1;
    handler = (req, res) => {
      if (req.url === '/api/registry/auth/refresh') return json(res, 200, pair(++n));
      return problem(res, 401, 'AUTH_TOKEN_EXPIRED', 'The access token has expired');
    };
    const client = createClient({ baseUrl, accessToken: 'access-1', refreshToken: 'refresh-1' });
    const err = (await client.registry.me().catch((e: unknown) => e)) as VinculoApiError;
    expect(err.code).toBe('AUTH_TOKEN_EXPIRED');
    expect(seen.filter((s) => s.url === '/api/registry/auth/refresh')).toHaveLength(1);
    expect(seen).toHaveLength(3);
  });

  it('does not refresh on other 401s', async () => {
    handler = (_req, res) => problem(res, 401, 'AUTH_TOKEN_INVALID', 'Invalid token');
    const client = createClient({ baseUrl, accessToken: 'x', refreshToken: 'refresh-1' });
    const err = (await client.registry.me().catch((e: unknown) => e)) as VinculoApiError;
    expect(err.code).toBe('AUTH_TOKEN_INVALID');
    expect(seen).toHaveLength(1);
  });

  it('sends Idempotency-Key on creating POSTs', async () => {
    handler = (req, res) =>
      json(res, 201, {
        id: 'k1',
        name: 'ci',
        prefix: 'vk_ab',
        scopes: ['registry:read'],
        createdAt: '2024-01-01T00:00:00Z',
        lastUsedAt: null,
        revokedAt: null,
        key: 'vk_secret',
        echo: req.body,
      });
    const client = createClient({ baseUrl, accessToken: 't' });
    const key = await client.registry.createApiKey(
      ORG,
      { name: 'ci', scopes: ['registry:read'] },
      { idempotencyKey: 'idem-123' },
    );
    expect(key.key).toBe('vk_secret');
    expect(seen[0]?.method).toBe('POST');
    expect(seen[0]?.url).toBe(`/api/registry/organizations/${ORG}/api-keys`);
    expect(seen[0]?.headers['idempotency-key']).toBe('idem-123');
    expect(seen[0]?.headers['content-type']).toBe('application/json');
    expect(seen[0]?.body).toEqual({ name: 'ci', scopes: ['registry:read'] });
  });

  it('handles 204 answers', async () => {
    handler = (_req, res) => {
      res.writeHead(204);
      res.end();
    };
    const client = createClient({ baseUrl, accessToken: 't' });
    await expect(client.registry.changeRole(ORG, 'u/1', 'admin')).resolves.toBeUndefined();
    expect(seen[0]?.method).toBe('PATCH');
    expect(seen[0]?.url).toBe(`/api/registry/organizations/${ORG}/members/u%2F1`);
    expect(seen[0]?.body).toEqual({ role: 'admin' });
  });

  it('logout sends the held refresh token and forgets the tokens', async () => {
    handler = (_req, res) => {
      res.writeHead(204);
      res.end();
    };
    const got: Tokens[] = [];
    const client = createClient({
      baseUrl,
      accessToken: 'a',
      refreshToken: 'r',
      onTokens: (p) => got.push(p),
    });
    await client.registry.logout();
    expect(seen[0]?.body).toEqual({ refreshToken: 'r' });
    expect(client.tokens()).toEqual({});
    expect(got).toEqual([{}]);
  });
});

describe('paginate', () => {
  it('walks two pages', async () => {
    handler = (req, res) => {
      const url = new URL(req.url, 'http://x');
      if (url.searchParams.get('cursor') === 'c2')
        return json(res, 200, { items: [member(3)], nextCursor: null });
      return json(res, 200, { items: [member(1), member(2)], nextCursor: 'c2' });
    };
    const client = createClient({ baseUrl, accessToken: 't' });
    const ids: string[] = [];
    for await (const m of paginate((q) => client.registry.listMembers(ORG, q), { limit: 2 }))
      ids.push(m.userId);
    expect(ids).toEqual(['u1', 'u2', 'u3']);
    expect(seen.map((s) => s.url)).toEqual([
      `/api/registry/organizations/${ORG}/members?limit=2`,
      `/api/registry/organizations/${ORG}/members?limit=2&cursor=c2`,
    ]);
  });
});
