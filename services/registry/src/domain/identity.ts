/**
 * Sign-up, log-in, refresh-token rotation, organisation switching and API-key exchange.
 *
 * Refresh tokens are rotated on every use. A token that was already used (or revoked) being presented again
 * means it leaked: the whole family it belongs to is revoked, so the thief and the victim both have to log in
 * again (OAuth 2.0 Security BCP, refresh token rotation).
 */
import { randomUUID } from 'node:crypto';

import { inTransaction, isUniqueViolation, newId as uuidv7, type Kysely } from '@vinculo/service-kit/db';
import { errors } from '../errors.js';
import type { CredentialsRepository } from '../db/credentials.repository.js';
import type { IdentityRepository } from '../db/identity.repository.js';
import type { OrgType, RegistryDb, Role } from '../db/schema.js';
import type { RegistryOutbox } from '../events/registry.events.js';
import type { RequestContext } from './context.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { hashSecret, newSecret, normalizeEmail } from './secrets.js';
import type { TokenIssuer } from './tokens.js';

export interface IdentityDeps {
  db: Kysely<RegistryDb>;
  identity: IdentityRepository;
  credentials: CredentialsRepository;
  tokens: TokenIssuer;
  outbox: RegistryOutbox;
  refreshTtlDays: number;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  organization: { id: string; name: string; type: OrgType; role: Role };
}

/** Organisation types a person can create by signing up; `platform` organisations are made by operators. */
export type SignupOrgType = Exclude<OrgType, 'platform'>;

export async function issueTokenPair(
  deps: IdentityDeps,
  user: { id: string },
  org: { id: string; name: string; type: OrgType },
  role: Role,
  familyId: string = randomUUID(),
): Promise<TokenPair> {
  const refreshToken = newSecret('vr');
  await deps.credentials.insertRefreshToken(deps.db, {
    id: randomUUID(),
    familyId,
    userId: user.id,
    orgId: org.id,
    tokenHash: hashSecret(refreshToken),
    expiresAt: new Date(Date.now() + deps.refreshTtlDays * 86_400_000),
  });
  const access = await deps.tokens.issueAccess({
    subject: user.id,
    orgId: org.id,
    orgType: org.type,
    roles: [role],
  });
  return { ...access, refreshToken, organization: { id: org.id, name: org.name, type: org.type, role } };
}

export async function signup(
  deps: IdentityDeps,
  input: {
    email: string;
    password: string;
    name: string;
    organization: { name: string; type: SignupOrgType; country?: string };
  },
  ctx: RequestContext,
) {
  const emailNormalized = normalizeEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  const userId = uuidv7();
  const orgId = uuidv7();
  try {
    const org = await inTransaction(deps.db, async (trx) => {
      await deps.identity.insertUser(trx, {
        id: userId,
        email: input.email.trim(),
        emailNormalized,
        name: input.name,
        passwordHash,
      });
      const created = await deps.identity.insertOrganization(trx, {
        id: orgId,
        name: input.organization.name,
        type: input.organization.type,
        country: input.organization.country ?? 'MX',
      });
      await deps.identity.insertMembership(trx, { orgId, userId, role: 'owner' });
      await deps.identity.setLastOrg(trx, userId, orgId);
      const withCtx = { ...ctx, principal: { userId, orgId, orgType: created.type, roles: ['owner'] } };
      await deps.outbox.orgCreated(trx, created, withCtx);
      await deps.outbox.memberAdded(
        trx,
        { orgId, userId, role: 'owner', orgVersion: created.version },
        withCtx,
      );
      return created;
    });
    const pair = await issueTokenPair(deps, { id: userId }, org, 'owner');
    return { user: { id: userId, email: input.email.trim(), name: input.name }, ...pair };
  } catch (err) {
    if (isUniqueViolation(err)) throw errors.EMAIL_TAKEN();
    throw err;
  }
}

export async function login(
  deps: IdentityDeps,
  input: { email: string; password: string; organizationId?: string },
) {
  const user = await deps.identity.findUserByEmail(deps.db, normalizeEmail(input.email));
  const ok = await verifyPassword(user?.password_hash ?? null, input.password);
  if (!user || !ok) throw errors.INVALID_CREDENTIALS();
  const memberships = await deps.identity.membershipsOf(deps.db, user.id);
  const wanted = input.organizationId ?? user.last_org_id ?? memberships[0]?.orgId;
  const m =
    memberships.find((x) => x.orgId === wanted) ?? (input.organizationId ? undefined : memberships[0]);
  // Naming an organisation the person does not belong to reads the same as a wrong password: no probing.
  if (!m) throw errors.INVALID_CREDENTIALS();
  if (m.orgId !== user.last_org_id) await deps.identity.setLastOrg(deps.db, user.id, m.orgId);
  return issueTokenPair(deps, user, { id: m.orgId, name: m.name, type: m.type }, m.role);
}

export async function refresh(deps: IdentityDeps, input: { refreshToken: string }) {
  const row = await deps.credentials.findRefreshToken(deps.db, hashSecret(input.refreshToken));
  if (!row) throw errors.INVALID_REFRESH_TOKEN();
  if (row.used_at || row.revoked_at) {
    await deps.credentials.revokeFamily(
      deps.db,
      row.family_id,
      row.used_at ? 'reuse-detected' : 'revoked-token-presented',
    );
    throw errors.INVALID_REFRESH_TOKEN();
  }
  if (row.expires_at.getTime() <= Date.now()) throw errors.INVALID_REFRESH_TOKEN();
  if (!(await deps.credentials.claimRefreshToken(deps.db, row.id))) {
    // Lost a race with another use of the same token: that is a re-use too.
    await deps.credentials.revokeFamily(deps.db, row.family_id, 'reuse-detected');
    throw errors.INVALID_REFRESH_TOKEN();
  }
  const membership = await deps.identity.findMembership(deps.db, row.org_id, row.user_id);
  const org = await deps.identity.findOrganization(deps.db, row.org_id);
  if (!membership || !org) {
    await deps.credentials.revokeFamily(deps.db, row.family_id, 'membership-ended');
    throw errors.INVALID_REFRESH_TOKEN();
  }
  return issueTokenPair(deps, { id: row.user_id }, org, membership.role, row.family_id);
}

export async function switchOrganization(
  deps: IdentityDeps,
  input: { organizationId: string },
  ctx: RequestContext,
) {
  const userId = ctx.principal?.userId;
  if (!userId) throw errors.USER_ONLY();
  const membership = await deps.identity.findMembership(deps.db, input.organizationId, userId);
  const org = membership && (await deps.identity.findOrganization(deps.db, input.organizationId));
  if (!membership || !org) throw errors.ORGANIZATION_NOT_FOUND();
  await deps.identity.setLastOrg(deps.db, userId, org.id);
  return issueTokenPair(deps, { id: userId }, org, membership.role);
}

export async function logout(deps: IdentityDeps, input: { refreshToken?: string }, ctx: RequestContext) {
  const userId = ctx.principal?.userId;
  if (!userId) throw errors.USER_ONLY();
  if (input.refreshToken) {
    const row = await deps.credentials.findRefreshToken(deps.db, hashSecret(input.refreshToken));
    if (row && row.user_id === userId) await deps.credentials.revokeFamily(deps.db, row.family_id, 'logout');
  } else {
    await deps.credentials.revokeUserTokensForOrg(deps.db, userId, ctx.principal!.orgId, 'logout');
  }
}

export async function me(deps: IdentityDeps, ctx: RequestContext) {
  const p = ctx.principal!;
  if (!p.userId) {
    const org = await deps.identity.findOrganization(deps.db, p.orgId);
    return {
      user: null,
      organization: org ? { id: org.id, name: org.name, type: org.type } : null,
      memberships: [],
      apiKeyId: p.apiKeyId ?? null,
      scopes: p.scopes ?? [],
    };
  }
  const user = await deps.identity.findUser(deps.db, p.userId);
  if (!user) throw errors.INVALID_CREDENTIALS();
  const memberships = await deps.identity.membershipsOf(deps.db, user.id);
  const current = memberships.find((m) => m.orgId === p.orgId);
  return {
    user: { id: user.id, email: user.email, name: user.name },
    organization: current
      ? { id: current.orgId, name: current.name, type: current.type, role: current.role }
      : null,
    memberships: memberships.map((m) => ({
      organizationId: m.orgId,
      name: m.name,
      type: m.type,
      role: m.role,
    })),
    apiKeyId: null,
    scopes: [],
  };
}

/** Machine clients exchange an API key for a short access token, so every service verifies only JWTs. */
export async function exchangeApiKey(deps: IdentityDeps, input: { apiKey: string }) {
  const key = await deps.credentials.findApiKeyByHash(deps.db, hashSecret(input.apiKey));
  if (!key || key.revoked_at) throw errors.INVALID_API_KEY();
  const org = await deps.identity.findOrganization(deps.db, key.org_id);
  if (!org) throw errors.INVALID_API_KEY();
  await deps.credentials.touchApiKey(deps.db, key.id);
  return deps.tokens.issueAccess({
    subject: `apikey:${key.id}`,
    orgId: org.id,
    orgType: org.type,
    roles: [],
    apiKeyId: key.id,
    scopes: key.scopes,
  });
}
