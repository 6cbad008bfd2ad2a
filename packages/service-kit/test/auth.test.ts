/**
 * The JWT negative suite of RELIABILITY.md "Security tests", plus the JWKS client's cache behaviour and the
 * fastify hooks. Pure: keys are generated here, the JWKS is served from a node:http server on loopback.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthError,
  authenticate,
  createJwksClient,
  createTokenVerifier,
  optionalAuth,
  staticKeySource,
  type AuthErrorCode,
  type JwksClient,
} from '../src/auth/index.js';

const issuer = 'https://registry.vinculo.test';
const audience = 'vinculo';

function ecKeyPair() {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

const good = ecKeyPair();
const rotated = ecKeyPair();
const attacker = ecKeyPair();

function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sub: 'user-1',
    org: 'org-1',
    orgType: 'supplier',
    roles: ['admin'],
    typ: 'access',
    jti: randomUUID(),
    ...extra,
  };
}

function sign(
  payload: Record<string, unknown> = claims(),
  opts: {
    key?: KeyObject;
    kid?: string;
    expiresIn?: number | undefined;
    header?: Record<string, unknown>;
  } = {},
): string {
  const signOpts: jwt.SignOptions = {
    algorithm: 'ES256',
    keyid: opts.kid ?? 'k1',
    issuer,
    audience,
    ...(opts.header ? { header: { alg: 'ES256', ...opts.header } } : {}),
  };
  if (!('expiresIn' in opts)) signOpts.expiresIn = 900;
  else if (opts.expiresIn !== undefined) signOpts.expiresIn = opts.expiresIn;
  return jwt.sign(payload, opts.key ?? good.privateKey, signOpts);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function jwkOf(key: KeyObject, kid: string) {
  return { ...key.export({ format: 'jwk' }), kid, use: 'sig', alg: 'ES256' };
}

/** The code a verification rejected with; `reason` pins which check fired (it is for logs, not clients). */
async function rejection(promise: Promise<unknown>, reason?: RegExp): Promise<AuthErrorCode> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AuthError);
  if (reason) expect((err as AuthError).reason).toMatch(reason);
  return (err as AuthError).code;
}

// A JWKS endpoint whose key set the tests change, counting requests.
let jwksServer: Server;
let jwksUrl: string;
let attackerJwksUrl: string;
let served: object[] = [];
let jwksRequests = 0;
let jwksDown = false;
let attackerRequests = 0;

beforeAll(async () => {
  jwksServer = createServer((req, res) => {
    if (req.url === '/attacker/jwks.json') {
      attackerRequests += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwkOf(attacker.publicKey, 'k1')] }));
      return;
    }
    jwksRequests += 1;
    if (jwksDown) {
      res.statusCode = 503;
      res.end();
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: served }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  const { port } = jwksServer.address() as AddressInfo;
  jwksUrl = `http://127.0.0.1:${port}/.well-known/jwks.json`;
  attackerJwksUrl = `http://127.0.0.1:${port}/attacker/jwks.json`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => jwksServer.close((err) => (err ? reject(err) : resolve())));
});

describe('access token verification', () => {
  let jwks: JwksClient;
  let verifier: ReturnType<typeof createTokenVerifier>;

  beforeAll(() => {
    served = [jwkOf(good.publicKey, 'k1'), jwkOf(rotated.publicKey, 'k2')];
    jwks = createJwksClient({ jwksUrl, minRefetchIntervalMs: 60_000 });
    verifier = createTokenVerifier({ keys: jwks, issuer, audience });
  });

  it('accepts a valid access token and maps its claims to a principal', async () => {
    const token = sign(claims({ scopes: ['certificates:read'] }));
    const principal = await verifier.verify(token);
    expect(principal).toEqual({
      userId: 'user-1',
      orgId: 'org-1',
      orgType: 'supplier',
      roles: ['admin'],
      scopes: ['certificates:read'],
      tokenId: expect.any(String),
    });
  });

  it('accepts a token of the second key in the set', async () => {
    await expect(
      verifier.verify(sign(claims(), { key: rotated.privateKey, kid: 'k2' })),
    ).resolves.toMatchObject({
      orgId: 'org-1',
    });
  });

  it('rejects a missing token', async () => {
    expect(await rejection(verifier.verify(''))).toBe('AUTH_TOKEN_MISSING');
    expect(await rejection(verifier.verify(undefined))).toBe('AUTH_TOKEN_MISSING');
  });

  it('rejects alg none', async () => {
    const payload = { ...claims(), iss: issuer, aud: audience, exp: Math.floor(Date.now() / 1000) + 900 };
    const unsigned = `${b64({ alg: 'none', typ: 'JWT', kid: 'k1' })}.${b64(payload)}.`;
    expect(await rejection(verifier.verify(unsigned))).toBe('AUTH_TOKEN_INVALID');
    // Even with some bytes in the signature slot.
    expect(await rejection(verifier.verify(`${unsigned}AAAA`), /algorithm none/)).toBe('AUTH_TOKEN_INVALID');
  });

  it('rejects HS256 signed with the public key as the secret (alg confusion)', async () => {
    const pem = good.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const payload = { ...claims(), iss: issuer, aud: audience, exp: Math.floor(Date.now() / 1000) + 900 };
    const header = b64({ alg: 'HS256', typ: 'JWT', kid: 'k1' });
    const body = b64(payload);
    const { createHmac } = await import('node:crypto');
    const sig = createHmac('sha256', pem).update(`${header}.${body}`).digest('base64url');
    expect(await rejection(verifier.verify(`${header}.${body}.${sig}`), /HS256/)).toBe('AUTH_TOKEN_INVALID');
  });

  it('rejects algorithms outside the allow-list (ES384, RS256)', async () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const es384 = jwt.sign(claims(), p384.privateKey, {
      algorithm: 'ES384',
      keyid: 'k1',
      issuer,
      audience,
      expiresIn: 900,
    });
    expect(await rejection(verifier.verify(es384))).toBe('AUTH_TOKEN_INVALID');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rs256 = jwt.sign(claims(), rsa.privateKey, {
      algorithm: 'RS256',
      keyid: 'k1',
      issuer,
      audience,
      expiresIn: 900,
    });
    expect(await rejection(verifier.verify(rs256))).toBe('AUTH_TOKEN_INVALID');
  });

  it('rejects an unknown kid', async () => {
    expect(await rejection(verifier.verify(sign(claims(), { kid: 'no-such-key' })), /unknown kid/)).toBe(
      'AUTH_TOKEN_INVALID',
    );
  });

  it('rejects a path-like kid without looking it up', async () => {
    const before = jwksRequests;
    for (const kid of ['../../etc/passwd', 'k1/../k1', 'http://evil/jwks', 'k1\u0000', 'x'.repeat(65)]) {
      expect(await rejection(verifier.verify(sign(claims(), { kid })), /unsafe kid/)).toBe(
        'AUTH_TOKEN_INVALID',
      );
    }
    expect(jwksRequests).toBe(before);
  });

  it('ignores jku, x5u and jwk headers pointing at an attacker key', async () => {
    const before = attackerRequests;
    const jwk = jwkOf(attacker.publicKey, 'k1');
    const forged = sign(claims(), {
      key: attacker.privateKey,
      header: { kid: 'k1', jku: attackerJwksUrl, x5u: attackerJwksUrl, jwk },
    });
    expect(await rejection(verifier.verify(forged), /invalid signature/)).toBe('AUTH_TOKEN_INVALID');
    expect(attackerRequests).toBe(before);
  });

  it('rejects an expired token', async () => {
    const expired = sign(claims({ exp: Math.floor(Date.now() / 1000) - 60 }), { expiresIn: undefined });
    expect(await rejection(verifier.verify(expired))).toBe('AUTH_TOKEN_EXPIRED');
  });

  it('accepts a token expired within the clock tolerance', async () => {
    const justExpired = sign(claims({ exp: Math.floor(Date.now() / 1000) - 2 }), { expiresIn: undefined });
    await expect(verifier.verify(justExpired)).resolves.toMatchObject({ orgId: 'org-1' });
  });

  it('rejects a token whose nbf is in the future', async () => {
    const early = sign(claims({ nbf: Math.floor(Date.now() / 1000) + 120 }));
    expect(await rejection(verifier.verify(early), /not active/)).toBe('AUTH_TOKEN_INVALID');
  });

  it('rejects a wrong issuer', async () => {
    const token = jwt.sign(claims(), good.privateKey, {
      algorithm: 'ES256',
      keyid: 'k1',
      issuer: 'https://evil.test',
      audience,
      expiresIn: 900,
    });
    expect(await rejection(verifier.verify(token))).toBe('AUTH_TOKEN_INVALID');
  });

  it('rejects a wrong audience', async () => {
    const token = jwt.sign(claims(), good.privateKey, {
      algorithm: 'ES256',
      keyid: 'k1',
      issuer,
      audience: 'another-product',
      expiresIn: 900,
    });
    expect(await rejection(verifier.verify(token))).toBe('AUTH_TOKEN_INVALID');
  });

  it('rejects a token without exp', async () => {
    expect(await rejection(verifier.verify(sign(claims(), { expiresIn: undefined })), /missing exp/)).toBe(
      'AUTH_TOKEN_INVALID',
    );
  });

  it('rejects a refresh-type token used as an access token', async () => {
    expect(await rejection(verifier.verify(sign(claims({ typ: 'refresh' }))), /not an access token/)).toBe(
      'AUTH_TOKEN_INVALID',
    );
    const { typ: _typ, ...untyped } = claims();
    expect(await rejection(verifier.verify(sign(untyped)))).toBe('AUTH_TOKEN_INVALID');
  });

  it('rejects tokens missing the claims an access token carries', async () => {
    for (const missing of ['sub', 'org', 'orgType', 'roles', 'jti']) {
      const payload = claims();
      delete payload[missing];
      expect(await rejection(verifier.verify(sign(payload))), missing).toBe('AUTH_TOKEN_INVALID');
    }
    expect(await rejection(verifier.verify(sign(claims({ orgType: 'admin' }))))).toBe('AUTH_TOKEN_INVALID');
    expect(await rejection(verifier.verify(sign(claims({ roles: 'admin' }))))).toBe('AUTH_TOKEN_INVALID');
  });

  it('rejects a stripped or tampered signature', async () => {
    const token = sign();
    const [h, p, s] = token.split('.');
    expect(await rejection(verifier.verify(`${h}.${p}.`))).toBe('AUTH_TOKEN_INVALID');
    expect(await rejection(verifier.verify(`${h}.${p}`))).toBe('AUTH_TOKEN_INVALID');
    const otherOrg = b64({ ...(jwt.decode(token) as object), org: 'org-2' });
    expect(await rejection(verifier.verify(`${h}.${otherOrg}.${s}`), /invalid signature/)).toBe(
      'AUTH_TOKEN_INVALID',
    );
  });

  it('rejects an oversized token before parsing it', async () => {
    const huge = sign(claims({ pad: 'x'.repeat(5000) }));
    expect(huge.length).toBeGreaterThan(4096);
    expect(await rejection(verifier.verify(huge), /too long/)).toBe('AUTH_TOKEN_INVALID');
  });

  it('rejects a crit header it does not understand', async () => {
    const token = sign(claims(), { header: { kid: 'k1', crit: ['b64'], b64: true } });
    expect(await rejection(verifier.verify(token))).toBe('AUTH_TOKEN_INVALID');
  });

  it('rejects a token of a key removed from the JWKS once the set is refreshed', async () => {
    const token = sign(claims(), { key: rotated.privateKey, kid: 'k2' });
    await expect(verifier.verify(token)).resolves.toBeDefined();
    served = [jwkOf(good.publicKey, 'k1')];
    await jwks.refresh();
    expect(await rejection(verifier.verify(token), /unknown kid k2/)).toBe('AUTH_TOKEN_INVALID');
    await expect(verifier.verify(sign())).resolves.toBeDefined();
  });

  it('recognises a verified token again only until it expires, and hands out copies', async () => {
    const strict = createTokenVerifier({ keys: jwks, issuer, audience, clockToleranceSec: 0 });
    const token = sign(claims({ exp: Math.floor(Date.now() / 1000) + 1 }), { expiresIn: undefined });
    const first = await strict.verify(token);
    first.roles.push('intruder');
    expect((await strict.verify(token)).roles).toEqual(['admin']);
    await new Promise((r) => setTimeout(r, 1_100 - (Date.now() % 1000) + 1_000));
    expect(await rejection(strict.verify(token))).toBe('AUTH_TOKEN_EXPIRED');
  });

  it('refuses to be configured with another algorithm', () => {
    expect(() =>
      createTokenVerifier({
        keys: staticKeySource({}),
        issuer,
        audience,
        algorithms: ['HS256'] as unknown as readonly ['ES256'],
      }),
    ).toThrow(/pinned/);
  });
});

describe('JWKS client', () => {
  it('refetches on an unknown kid at most once per interval (kid spraying)', async () => {
    served = [jwkOf(good.publicKey, 'k1')];
    const jwks = createJwksClient({ jwksUrl, minRefetchIntervalMs: 60_000 });
    const before = jwksRequests;
    expect(await jwks.getKey('k1')).toBeDefined();
    const sprayed = await Promise.all(Array.from({ length: 50 }, (_, i) => jwks.getKey(`spray-${i}`)));
    expect(sprayed.every((k) => k === undefined)).toBe(true);
    expect(jwksRequests - before).toBe(1);
  });

  it('picks up a rotated key on an unknown kid once the interval has passed', async () => {
    served = [jwkOf(good.publicKey, 'k1')];
    const jwks = createJwksClient({ jwksUrl, minRefetchIntervalMs: 50 });
    expect(await jwks.getKey('k3')).toBeUndefined();
    served = [jwkOf(good.publicKey, 'k1'), jwkOf(rotated.publicKey, 'k3')];
    await new Promise((r) => setTimeout(r, 80));
    expect(await jwks.getKey('k3')).toBeDefined();
  });

  it('serves cached keys while the JWKS endpoint is down', async () => {
    served = [jwkOf(good.publicKey, 'k1')];
    const jwks = createJwksClient({ jwksUrl, cacheTtlMs: 1, minRefetchIntervalMs: 0 });
    expect(await jwks.getKey('k1')).toBeDefined();
    jwksDown = true;
    try {
      await new Promise((r) => setTimeout(r, 5));
      const before = jwksRequests;
      // Past its TTL the client tries the endpoint, fails, and keeps serving the cached key.
      expect(await jwks.getKey('k1')).toBeDefined();
      expect(jwksRequests).toBeGreaterThan(before);
      await expect(jwks.refresh()).rejects.toThrow(/503/);
      expect(await jwks.getKey('k1')).toBeDefined();
    } finally {
      jwksDown = false;
    }
  });

  it('retries within a second when the JWKS was unreachable at boot', async () => {
    served = [jwkOf(good.publicKey, 'k1')];
    const jwks = createJwksClient({ jwksUrl, minRefetchIntervalMs: 60_000 });
    jwksDown = true;
    try {
      expect(await jwks.getKey('k1')).toBeUndefined();
    } finally {
      jwksDown = false;
    }
    expect(await jwks.getKey('k1')).toBeUndefined();
    await new Promise((r) => setTimeout(r, 1_100));
    expect(await jwks.getKey('k1')).toBeDefined();
  });

  it('accepts only ES256 signing keys from the set', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    served = [
      { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa', use: 'sig', alg: 'RS256' },
      { kty: 'oct', k: 'c2VjcmV0', kid: 'hmac' },
      { ...jwkOf(good.publicKey, 'enc'), use: 'enc' },
      { ...jwkOf(good.publicKey, 'p256') },
    ];
    const jwks = createJwksClient({ jwksUrl, minRefetchIntervalMs: 60_000 });
    expect(await jwks.getKey('p256')).toBeDefined();
    expect(await jwks.getKey('rsa')).toBeUndefined();
    expect(await jwks.getKey('hmac')).toBeUndefined();
    expect(await jwks.getKey('enc')).toBeUndefined();
  });

  it('gives up on a JWKS endpoint that hangs after the fetch timeout', async () => {
    const hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const { port } = hanging.address() as AddressInfo;
    const jwks = createJwksClient({ jwksUrl: `http://127.0.0.1:${port}/jwks.json`, fetchTimeoutMs: 100 });
    const started = Date.now();
    await expect(jwks.refresh()).rejects.toThrow();
    expect(await jwks.getKey('k1')).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2_000);
    hanging.closeAllConnections();
    await new Promise<void>((resolve) => hanging.close(() => resolve()));
  });
});

describe('fastify hooks', () => {
  const verifier = createTokenVerifier({ keys: staticKeySource({ k1: good.publicKey }), issuer, audience });

  async function app() {
    const server = Fastify();
    server.decorateRequest('principal', undefined);
    server.get('/private', { onRequest: authenticate(verifier) }, (request) => ({
      org: request.principal?.orgId,
    }));
    server.get('/public', { preHandler: optionalAuth(verifier) }, (request) => ({
      org: request.principal?.orgId ?? null,
    }));
    await server.ready();
    return server;
  }

  it('sets the principal from a bearer token', async () => {
    const server = await app();
    const res = await server.inject({ url: '/private', headers: { authorization: `Bearer ${sign()}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ org: 'org-1' });
    await server.close();
  });

  it('answers 401 with a code and WWW-Authenticate when the token is missing or bad', async () => {
    const server = await app();
    const missing = await server.inject({ url: '/private' });
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toMatchObject({ code: 'AUTH_TOKEN_MISSING' });
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    const expired = sign(claims({ exp: Math.floor(Date.now() / 1000) - 60 }), { expiresIn: undefined });
    const res = await server.inject({ url: '/private', headers: { authorization: `Bearer ${expired}` } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'AUTH_TOKEN_EXPIRED' });
    expect(res.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    const basic = await server.inject({ url: '/private', headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(basic.json()).toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
    await server.close();
  });

  it('lets anonymous callers through optionalAuth but still rejects a bad token', async () => {
    const server = await app();
    const anonymous = await server.inject({ url: '/public' });
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toEqual({ org: null });
    const withToken = await server.inject({ url: '/public', headers: { authorization: `Bearer ${sign()}` } });
    expect(withToken.json()).toEqual({ org: 'org-1' });
    const bad = await server.inject({ url: '/public', headers: { authorization: 'Bearer not.a.token' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
    await server.close();
  });
});
