/**
 * The identity journey through the gateway, black-box: the built registry and gateway run as processes
 * (./stack.ts) and the test speaks HTTP to the gateway only, as the SDK and browsers do.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './stack.js';

let stack: Stack;
let api: string;

beforeAll(async () => {
  stack = await startStack();
  api = `${stack.gatewayUrl}/api/registry`;
}, 45_000);

afterAll(async () => {
  await stack?.stop();
}, 30_000);

interface Tokens {
  accessToken: string;
  refreshToken: string;
}

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
const bearer = (token: string): RequestInit => ({ headers: { authorization: `Bearer ${token}` } });

async function expectProblem(
  res: Response,
  status: number,
): Promise<{ code: string; title: string; status: number }> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const body = (await res.json()) as { code: string; title: string; status: number };
  expect(body.status).toBe(status);
  expect(body.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
  return body;
}

function signupBody(email: string, password = 'una contraseña larga 123') {
  return {
    email,
    password,
    name: 'Persona Journey',
    organization: { name: 'Empresa Journey SA de CV', type: 'buyer' },
  };
}

describe('the identity journey through the gateway', () => {
  it('signs up, logs in, reads /me, refreshes with rotation and revokes the family on re-use', async () => {
    const email = `journey-${randomUUID()}@example.mx`;
    const password = 'una contraseña larga 123';

    const signup = await fetch(`${api}/auth/signup`, json(signupBody(email, password)));
    expect(signup.status, await signup.clone().text()).toBe(201);
    const account = (await signup.json()) as Tokens & { user: { id: string }; organization: { id: string } };
    expect(account.accessToken).toBeTruthy();

    const login = await fetch(`${api}/auth/login`, json({ email, password }));
    expect(login.status).toBe(200);
    const first = (await login.json()) as Tokens;

    const anonymous = await expectProblem(await fetch(`${api}/me`), 401);
    expect(anonymous.code).toBeTruthy();

    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({
        sub: account.user.id,
        org: account.organization.id,
        orgType: 'buyer',
        roles: ['owner'],
        typ: 'access',
        iss: `${api}`,
        aud: 'vinculo',
        exp: 9_999_999_999,
      }),
    ).toString('base64url')}.`;
    await expectProblem(await fetch(`${api}/me`, bearer(none)), 401);

    const me = await fetch(`${api}/me`, bearer(first.accessToken));
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      user: { id: account.user.id, email },
      organization: { id: account.organization.id },
    });

    const refreshed = await fetch(`${api}/auth/refresh`, json({ refreshToken: first.refreshToken }));
    expect(refreshed.status).toBe(200);
    const second = (await refreshed.json()) as Tokens;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);

    const reuse = await expectProblem(
      await fetch(`${api}/auth/refresh`, json({ refreshToken: first.refreshToken })),
      401,
    );
    expect(reuse.code).toBe('REGISTRY_INVALID_REFRESH_TOKEN');

    // The re-use revoked the whole family: the pair from the first refresh is dead too.
    await expectProblem(await fetch(`${api}/auth/refresh`, json({ refreshToken: second.refreshToken })), 401);
  });
});

describe('bad input through the gateway', () => {
  it('answers a signup without a password 400 VALIDATION_FAILED', async () => {
    const { password: _omitted, ...body } = signupBody(`nopass-${randomUUID()}@example.mx`);
    const problem = await expectProblem(await fetch(`${api}/auth/signup`, json(body)), 400);
    expect(problem.code).toBe('VALIDATION_FAILED');
  });

  const bigSignup = (): RequestInit =>
    json({ ...signupBody(`big-${randomUUID()}@example.mx`), name: 'x'.repeat(2 * 1024 * 1024) });

  it('refuses a 2 MB signup body 413 PAYLOAD_TOO_LARGE with problem+json', async () => {
    const problem = await expectProblem(await fetch(`${api}/auth/signup`, bigSignup()), 413);
    expect(problem.code).toBe('PAYLOAD_TOO_LARGE');
  });

  // Was a bug: the registry refused the body at once (413, `connection: close`) while the gateway was still
  // streaming it, and about half the time the gateway reported that as 503 GATEWAY_UPSTREAM_UNAVAILABLE (16/30 at
  // 2 MB). The gateway now decides at the edge (GATEWAY_JSON_BODY_LIMIT); twenty tries would show any relapse.
  it('answers 413 PAYLOAD_TOO_LARGE for every 2 MB body (20 tries)', async () => {
    for (let i = 0; i < 20; i++) {
      const problem = await expectProblem(await fetch(`${api}/auth/signup`, bigSignup()), 413);
      expect(problem.code).toBe('PAYLOAD_TOO_LARGE');
    }
  });

  it('answers a text/plain signup 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await fetch(`${api}/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(signupBody(`plain-${randomUUID()}@example.mx`)),
    });
    const problem = await expectProblem(res, 415);
    expect(problem.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers in Spanish when asked with Accept-Language: es', async () => {
    const { password: _omitted, ...body } = signupBody(`es-${randomUUID()}@example.mx`);
    const problem = await expectProblem(
      await fetch(`${api}/auth/signup`, json(body, { 'accept-language': 'es' })),
      400,
    );
    expect(problem.title).toBe('La solicitud no es válida');
  });
});

describe('the gateway itself', () => {
  it('returns the correlation id it was sent', async () => {
    const id = randomUUID();
    const res = await fetch(`${api}/me`, { headers: { 'x-correlation-id': id } });
    expect(res.status).toBe(401);
    expect(res.headers.get('x-correlation-id')).toBe(id);
  });

  it('is ready and serves the aggregated OpenAPI document', async () => {
    const ready = await fetch(`${stack.gatewayUrl}/ready`);
    expect(ready.status).toBe(200);

    const docs = await fetch(`${stack.gatewayUrl}/docs/openapi.json`);
    expect(docs.status).toBe(200);
    expect(await docs.json()).toMatchObject({ openapi: '3.1.0', paths: expect.any(Object) });
  });

  // Was a bug: the registry's GET /openapi.json answered 500 (routes declared `security: [{ bearer: [] }]` with no
  // components.securitySchemes.bearer), so the gateway marked its document 'down' and served no /api/registry paths.
  it('lists the registry login path in the aggregated OpenAPI document', async () => {
    const docs = await fetch(`${stack.gatewayUrl}/docs/openapi.json`);
    expect(docs.status).toBe(200);
    const doc = (await docs.json()) as { paths: Record<string, unknown> };
    expect(doc.paths).toHaveProperty(['/api/registry/auth/login']);
  });
});
