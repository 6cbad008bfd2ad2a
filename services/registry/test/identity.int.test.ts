import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAnyEvent } from '@vinculo/contracts';
import { bearer, signup, startRegistry, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startRegistry();
});
afterAll(async () => {
  await h.close();
});

describe('the identity journey', () => {
  it('signs up, logs in, refreshes with rotation and revokes the family when a rotated token is re-used', async () => {
    const { app } = h;
    const account = await signup(app, 'buyer');

    const login = await app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: account.email, password: account.password },
    });
    expect(login.statusCode).toBe(200);
    const first = login.json<{
      accessToken: string;
      refreshToken: string;
      organization: { id: string; role: string };
    }>();
    expect(first.organization).toMatchObject({ id: account.orgId, role: 'owner' });

    expect((await app.inject({ method: 'GET', url: '/me' })).statusCode).toBe(401);
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({
        sub: account.userId,
        org: account.orgId,
        orgType: 'buyer',
        roles: ['owner'],
        typ: 'access',
        exp: 9999999999,
      }),
    ).toString('base64url')}.`;
    const noneRes = await app.inject({ method: 'GET', url: '/me', headers: bearer(none) });
    expect(noneRes.statusCode).toBe(401);
    expect(noneRes.headers['content-type']).toContain('application/problem+json');

    const me = await app.inject({ method: 'GET', url: '/me', headers: bearer(first.accessToken) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      user: { id: account.userId, email: account.email },
      organization: { id: account.orgId },
    });

    const refreshed = await app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refreshToken: first.refreshToken },
    });
    expect(refreshed.statusCode).toBe(200);
    const second = refreshed.json<{ accessToken: string; refreshToken: string }>();
    expect(second.refreshToken).not.toBe(first.refreshToken);

    const reuse = await app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refreshToken: first.refreshToken },
    });
    expect(reuse.statusCode).toBe(401);
    expect(reuse.json()).toMatchObject({ code: 'REGISTRY_INVALID_REFRESH_TOKEN' });

    // The re-use revoked the whole family: the token issued by the first refresh is dead too.
    const afterTheft = await app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refreshToken: second.refreshToken },
    });
    expect(afterTheft.statusCode).toBe(401);
  });

  it('answers a wrong password in the caller’s language with a stable code', async () => {
    const account = await signup(h.app);
    const es = await h.app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'accept-language': 'es-MX,es;q=0.9' },
      payload: { email: account.email, password: 'otra contraseña mala' },
    });
    expect(es.statusCode).toBe(401);
    expect(es.json()).toMatchObject({
      code: 'REGISTRY_INVALID_CREDENTIALS',
      title: 'El correo o la contraseña son incorrectos',
    });
    const en = await h.app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'accept-language': 'en' },
      payload: { email: 'nobody@example.mx', password: 'whatever it is' },
    });
    expect(en.json()).toMatchObject({
      code: 'REGISTRY_INVALID_CREDENTIALS',
      title: 'E-mail or password is incorrect',
    });
  });

  it('refuses a second account with the same e-mail, whatever its case', async () => {
    const account = await signup(h.app);
    const again = await h.app.inject({
      method: 'POST',
      url: '/auth/signup',
      payload: {
        email: account.email.toUpperCase(),
        password: 'una contraseña larga 123',
        name: 'Otra',
        organization: { name: 'X', type: 'buyer' },
      },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'REGISTRY_EMAIL_TAKEN' });
  });

  it('writes org and member events that satisfy their contracts, in the same transaction as the sign-up', async () => {
    const account = await signup(h.app, 'bureau');
    const rows = await h.database.db
      .selectFrom('outbox')
      .select(['type', 'subject', 'payload'])
      .where('payload', '@>', JSON.stringify({ orgId: account.orgId }) as never)
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.type)).toEqual(['registry.org.created', 'registry.member.added']);
    for (const r of rows) {
      expect(r.subject).toBe(`${h.namespace}.${r.type}`);
      const checked = validateAnyEvent(r.payload);
      expect(checked.ok).toBe(true);
    }
  });
});

describe('access tokens', () => {
  it('rejects tokens the registry did not sign, expired ones, and ones for another audience', async () => {
    const account = await signup(h.app);
    const jwks = (await h.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json<{
      keys: Array<{ kid: string }>;
    }>();
    const kid = jwks.keys[0]!.kid;
    const { privateKey: attacker } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const claims = { typ: 'access', org: account.orgId, orgType: 'supplier', roles: ['owner'] };
    const base = {
      algorithm: 'ES256' as const,
      keyid: kid,
      issuer: 'http://127.0.0.1:8080/api/registry',
      subject: account.userId,
      jwtid: 'x',
    };
    const forged = jwt.sign(claims, attacker, { ...base, audience: 'vinculo', expiresIn: 60 });
    expect((await h.app.inject({ method: 'GET', url: '/me', headers: bearer(forged) })).statusCode).toBe(401);

    const row = await h.database.db
      .selectFrom('signing_keys')
      .select('private_pem')
      .where('kid', '=', kid)
      .executeTakeFirstOrThrow();
    const real = createPrivateKey(row.private_pem);
    const expired = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 120 }, real, {
      ...base,
      audience: 'vinculo',
    });
    const expiredRes = await h.app.inject({ method: 'GET', url: '/me', headers: bearer(expired) });
    expect(expiredRes.json()).toMatchObject({ code: 'AUTH_TOKEN_EXPIRED' });
    const otherAudience = jwt.sign(claims, real, { ...base, audience: 'someone-else', expiresIn: 60 });
    expect(
      (await h.app.inject({ method: 'GET', url: '/me', headers: bearer(otherAudience) })).statusCode,
    ).toBe(401);
    const hs256 = jwt.sign(claims, JSON.stringify(jwks.keys[0]), {
      algorithm: 'HS256',
      keyid: kid,
      audience: 'vinculo',
      expiresIn: 60,
    });
    expect((await h.app.inject({ method: 'GET', url: '/me', headers: bearer(hs256) })).statusCode).toBe(401);
    expect(
      (await h.app.inject({ method: 'GET', url: '/me', headers: bearer(account.refreshToken) })).statusCode,
    ).toBe(401);
  });

  it('keeps a rotated key in the JWKS until its tokens have expired, then rejects them', async () => {
    const account = await signup(h.app);
    const kidOf = (token: string) => jwt.decode(token, { complete: true })!.header.kid as string;
    const oldKid = kidOf(account.accessToken);
    const newKid = await h.keys.rotate();
    expect(newKid).not.toBe(oldKid);

    const login = await h.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: account.email, password: account.password },
    });
    expect(kidOf(login.json<{ accessToken: string }>().accessToken)).toBe(newKid);
    const kids = (await h.app.inject({ method: 'GET', url: '/.well-known/jwks.json' }))
      .json<{ keys: Array<{ kid: string }> }>()
      .keys.map((k) => k.kid);
    expect(kids).toEqual(expect.arrayContaining([oldKid, newKid]));
    expect(
      (await h.app.inject({ method: 'GET', url: '/me', headers: bearer(account.accessToken) })).statusCode,
    ).toBe(200);

    // Long after retirement the old key leaves the JWKS, and whatever it signed no longer verifies.
    await h.database.db
      .updateTable('signing_keys')
      .set({ retired_at: new Date(Date.now() - 3_600_000) })
      .where('kid', '=', oldKid)
      .execute();
    const after = (await h.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json<{
      keys: Array<{ kid: string }>;
    }>();
    expect(after.keys.map((k) => k.kid)).not.toContain(oldKid);
    expect(
      (await h.app.inject({ method: 'GET', url: '/me', headers: bearer(account.accessToken) })).statusCode,
    ).toBe(401);
  });
});

describe('switching organisation', () => {
  it('issues a token for another organisation of the same person, and 404 for one they do not belong to', async () => {
    const owner = await signup(h.app, 'bureau');
    const invite = await h.app.inject({
      method: 'POST',
      url: `/organizations/${owner.orgId}/invitations`,
      headers: bearer(owner.accessToken),
      payload: { email: 'broker@example.mx', role: 'member' },
    });
    expect(invite.statusCode).toBe(201);
    const message = h.invitations.find((m) => m.invitationId === invite.json<{ id: string }>().id)!;
    expect(message.token).toMatch(/^vi_/);

    const needsAccount = await h.app.inject({
      method: 'POST',
      url: '/invitations/accept',
      payload: { token: message.token },
    });
    expect(needsAccount.json()).toMatchObject({ code: 'REGISTRY_INVITATION_NEEDS_ACCOUNT' });
    const accepted = await h.app.inject({
      method: 'POST',
      url: '/invitations/accept',
      payload: { token: message.token, name: 'Broker', password: 'otra contraseña larga' },
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ organization: { id: owner.orgId, role: 'member' } });
    const again = await h.app.inject({
      method: 'POST',
      url: '/invitations/accept',
      payload: { token: message.token },
    });
    expect(again.json()).toMatchObject({ code: 'REGISTRY_INVITATION_INVALID' });

    // The invited person now also creates nothing by accepting: they belong to exactly one organisation.
    const broker = accepted.json<{ accessToken: string }>();
    const me = (await h.app.inject({ method: 'GET', url: '/me', headers: bearer(broker.accessToken) })).json<{
      memberships: unknown[];
    }>();
    expect(me.memberships).toHaveLength(1);

    const stranger = await signup(h.app, 'buyer');
    const sw = await h.app.inject({
      method: 'POST',
      url: '/auth/switch',
      headers: bearer(broker.accessToken),
      payload: { organizationId: stranger.orgId },
    });
    expect(sw.statusCode).toBe(404);
  });
});

describe('API keys', () => {
  it('shows a key once, exchanges it for a scoped token, records last use and stops working once revoked', async () => {
    const owner = await signup(h.app, 'buyer');
    const created = await h.app.inject({
      method: 'POST',
      url: `/organizations/${owner.orgId}/api-keys`,
      headers: bearer(owner.accessToken),
      payload: { name: 'ERP', scopes: ['matching:read'] },
    });
    expect(created.statusCode).toBe(201);
    const key = created.json<{ id: string; key: string; prefix: string }>();
    expect(key.key.startsWith(key.prefix)).toBe(true);

    const token = await h.app.inject({ method: 'POST', url: '/auth/token', payload: { apiKey: key.key } });
    expect(token.statusCode).toBe(200);
    const me = await h.app.inject({
      method: 'GET',
      url: '/me',
      headers: bearer(token.json<{ accessToken: string }>().accessToken),
    });
    expect(me.json()).toMatchObject({ organization: { id: owner.orgId }, scopes: ['matching:read'] });

    const list = await h.app.inject({
      method: 'GET',
      url: `/organizations/${owner.orgId}/api-keys`,
      headers: bearer(owner.accessToken),
    });
    const listed = list.json<{ items: Array<Record<string, unknown>> }>().items;
    expect(listed[0]).toMatchObject({ id: key.id, prefix: key.prefix });
    expect(listed[0]!.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(key.key);

    const revoked = await h.app.inject({
      method: 'DELETE',
      url: `/organizations/${owner.orgId}/api-keys/${key.id}`,
      headers: bearer(owner.accessToken),
    });
    expect(revoked.statusCode).toBe(204);
    expect(
      (await h.app.inject({ method: 'POST', url: '/auth/token', payload: { apiKey: key.key } })).statusCode,
    ).toBe(401);
  });
});

describe('login rate limit', () => {
  it('answers 429 with Retry-After once an account has used its attempts', async () => {
    const limited = await startRegistry({ LOGIN_LIMIT_PER_ACCOUNT: '3' });
    try {
      const account = await signup(limited.app);
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await limited.app.inject({
          method: 'POST',
          url: '/auth/login',
          payload: { email: account.email, password: 'mala contraseña' },
        });
        codes.push(r.statusCode);
        if (r.statusCode === 429) expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      }
      expect(codes).toEqual([401, 401, 401, 429]);
    } finally {
      await limited.close();
    }
  });
});
