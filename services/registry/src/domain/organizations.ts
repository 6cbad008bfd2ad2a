/**
 * Organisation profile, members and roles, invitations and API keys. A token speaks for one organisation:
 * any other organisation's id answers 404 (never 403), so ids cannot be probed.
 */
import { randomUUID } from 'node:crypto';

import { inTransaction, newId as uuidv7, type Kysely, type Transaction } from '@vinculo/service-kit/db';
import { errors } from '../errors.js';
import type { CredentialsRepository } from '../db/credentials.repository.js';
import type { IdentityRepository } from '../db/identity.repository.js';
import type { ApiKey, Invitation, Organization, RegistryDb, Role } from '../db/schema.js';
import type { RegistryOutbox } from '../events/registry.events.js';
import type { RequestContext } from './context.js';
import { issueTokenPair, type IdentityDeps } from './identity.js';
import { hashPassword } from './passwords.js';
import { hashSecret, newApiKey, newSecret, normalizeEmail } from './secrets.js';

export interface InvitationMessage {
  invitationId: string;
  email: string;
  organizationName: string;
  role: Role;
  token: string;
  expiresAt: string;
  locale: 'es' | 'en';
}

export interface OrganizationDeps extends IdentityDeps {
  db: Kysely<RegistryDb>;
  identity: IdentityRepository;
  credentials: CredentialsRepository;
  outbox: RegistryOutbox;
  invitationTtlDays: number;
  /** Hands the invitation to the delivery job (e-mail); called after the invitation is committed. */
  deliverInvitation(message: InvitationMessage): Promise<void>;
  /** Runs in the transaction of an organisation change (a supplier's profile re-emits its snapshot). */
  onOrganizationChanged?: (
    trx: Transaction<RegistryDb>,
    org: Organization,
    ctx: RequestContext,
  ) => Promise<void>;
}

const MANAGERS: readonly Role[] = ['owner', 'admin'];
export const API_KEY_SCOPES = ['registry:read', 'registry:write', 'matching:read', 'matching:write'] as const;

function ownOrg(ctx: RequestContext, orgId: string) {
  const p = ctx.principal;
  if (!p || p.orgId !== orgId) throw errors.ORGANIZATION_NOT_FOUND();
  return p;
}

function manager(ctx: RequestContext, orgId: string) {
  const p = ownOrg(ctx, orgId);
  if (!p.userId || !p.roles.some((r) => MANAGERS.includes(r as Role))) throw errors.FORBIDDEN_ROLE();
  return { ...p, userId: p.userId };
}

export function organizationView(o: Organization) {
  return {
    id: o.id,
    name: o.name,
    type: o.type,
    country: o.country,
    taxId: o.tax_id,
    state: o.state_code,
    municipality: o.municipality,
    website: o.website,
    version: o.version,
    createdAt: o.created_at.toISOString(),
    updatedAt: o.updated_at.toISOString(),
  };
}

export async function getOrganization(deps: OrganizationDeps, orgId: string, ctx: RequestContext) {
  ownOrg(ctx, orgId);
  const org = await deps.identity.findOrganization(deps.db, orgId);
  if (!org) throw errors.ORGANIZATION_NOT_FOUND();
  return organizationView(org);
}

export interface OrganizationPatch {
  name?: string;
  country?: string;
  taxId?: string | null;
  state?: string | null;
  municipality?: string | null;
  website?: string | null;
}

export async function updateOrganization(
  deps: OrganizationDeps,
  orgId: string,
  patch: OrganizationPatch,
  ctx: RequestContext,
) {
  manager(ctx, orgId);
  const org = await inTransaction(deps.db, async (trx) => {
    const updated = await deps.identity.updateOrganization(trx, orgId, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.country !== undefined ? { country: patch.country } : {}),
      ...(patch.taxId !== undefined ? { tax_id: patch.taxId } : {}),
      ...(patch.state !== undefined ? { state_code: patch.state } : {}),
      ...(patch.municipality !== undefined ? { municipality: patch.municipality } : {}),
      ...(patch.website !== undefined ? { website: patch.website } : {}),
    });
    if (!updated) throw errors.ORGANIZATION_NOT_FOUND();
    await deps.outbox.orgUpdated(trx, updated, ctx);
    await deps.onOrganizationChanged?.(trx, updated, ctx);
    return updated;
  });
  return organizationView(org);
}

export async function listMembers(
  deps: OrganizationDeps,
  orgId: string,
  page: { limit: number; after?: { createdAt: string; userId: string } },
  ctx: RequestContext,
) {
  ownOrg(ctx, orgId);
  const rows = await deps.identity.listMembers(deps.db, orgId, page.after, page.limit);
  const items = rows.slice(0, page.limit).map((r) => ({
    userId: r.userId,
    name: r.name,
    email: r.email,
    role: r.role,
    createdAt: r.createdAt.toISOString(),
  }));
  const last = items[items.length - 1];
  return {
    items,
    next: rows.length > page.limit && last ? { createdAt: last.createdAt, userId: last.userId } : null,
  };
}

export async function changeRole(
  deps: OrganizationDeps,
  orgId: string,
  userId: string,
  role: Role,
  ctx: RequestContext,
) {
  const p = manager(ctx, orgId);
  await inTransaction(deps.db, async (trx) => {
    const current = await deps.identity.findMembership(trx, orgId, userId);
    if (!current) throw errors.MEMBER_NOT_FOUND();
    if (current.role === role) return;
    // Only an owner may make or unmake owners.
    if ((role === 'owner' || current.role === 'owner') && !p.roles.includes('owner'))
      throw errors.FORBIDDEN_ROLE();
    if (current.role === 'owner' && (await deps.identity.countOwners(trx, orgId)) <= 1)
      throw errors.LAST_OWNER();
    await deps.identity.updateRole(trx, orgId, userId, role);
    // A changed role must not survive in long-lived refresh tokens minted for the old one.
    await deps.credentials.revokeUserTokensForOrg(trx, userId, orgId, 'role-changed');
    const orgVersion = await deps.identity.bumpOrgVersion(trx, orgId);
    await deps.outbox.memberRoleChanged(
      trx,
      { orgId, userId, role, previousRole: current.role, orgVersion },
      ctx,
    );
  });
}

export async function removeMember(
  deps: OrganizationDeps,
  orgId: string,
  userId: string,
  ctx: RequestContext,
) {
  const p = ownOrg(ctx, orgId);
  // Anyone may leave; removing someone else takes a manager.
  if (p.userId !== userId) manager(ctx, orgId);
  await inTransaction(deps.db, async (trx) => {
    const current = await deps.identity.findMembership(trx, orgId, userId);
    if (!current) throw errors.MEMBER_NOT_FOUND();
    if (current.role === 'owner' && p.userId !== userId && !p.roles.includes('owner'))
      throw errors.FORBIDDEN_ROLE();
    if (current.role === 'owner' && (await deps.identity.countOwners(trx, orgId)) <= 1)
      throw errors.LAST_OWNER();
    await deps.identity.deleteMembership(trx, orgId, userId);
    await deps.credentials.revokeUserTokensForOrg(trx, userId, orgId, 'membership-ended');
    const orgVersion = await deps.identity.bumpOrgVersion(trx, orgId);
    await deps.outbox.memberRemoved(trx, { orgId, userId, role: current.role, orgVersion }, ctx);
  });
}

export function invitationView(i: Invitation) {
  const status = i.accepted_at
    ? 'accepted'
    : i.revoked_at
      ? 'revoked'
      : i.expires_at.getTime() <= Date.now()
        ? 'expired'
        : 'pending';
  return {
    id: i.id,
    email: i.email,
    role: i.role,
    status,
    createdAt: i.created_at.toISOString(),
    expiresAt: i.expires_at.toISOString(),
  };
}

export async function invite(
  deps: OrganizationDeps,
  orgId: string,
  input: { email: string; role: Role; locale?: 'es' | 'en' },
  ctx: RequestContext,
) {
  const p = manager(ctx, orgId);
  if (input.role === 'owner' && !p.roles.includes('owner')) throw errors.FORBIDDEN_ROLE();
  const org = await deps.identity.findOrganization(deps.db, orgId);
  if (!org) throw errors.ORGANIZATION_NOT_FOUND();
  const token = newSecret('vi');
  const invitation = await deps.credentials.insertInvitation(deps.db, {
    id: uuidv7(),
    orgId,
    email: input.email.trim(),
    emailNormalized: normalizeEmail(input.email),
    role: input.role,
    tokenHash: hashSecret(token),
    invitedBy: p.userId,
    expiresAt: new Date(Date.now() + deps.invitationTtlDays * 86_400_000),
  });
  await deps.deliverInvitation({
    invitationId: invitation.id,
    email: invitation.email,
    organizationName: org.name,
    role: invitation.role,
    token,
    expiresAt: invitation.expires_at.toISOString(),
    locale: input.locale ?? 'es',
  });
  return invitationView(invitation);
}

export async function listInvitations(
  deps: OrganizationDeps,
  orgId: string,
  page: { limit: number; before?: { createdAt: string; id: string } },
  ctx: RequestContext,
) {
  manager(ctx, orgId);
  const rows = await deps.credentials.listInvitations(deps.db, orgId, page.before, page.limit);
  const items = rows.slice(0, page.limit).map(invitationView);
  const last = items[items.length - 1];
  return {
    items,
    next: rows.length > page.limit && last ? { createdAt: last.createdAt, id: last.id } : null,
  };
}

export async function revokeInvitation(
  deps: OrganizationDeps,
  orgId: string,
  invitationId: string,
  ctx: RequestContext,
) {
  manager(ctx, orgId);
  const found = await deps.credentials.findInvitation(deps.db, orgId, invitationId);
  if (!found) throw errors.INVITATION_NOT_FOUND();
  await deps.credentials.revokeInvitation(deps.db, orgId, invitationId);
}

/**
 * Accepting an invitation proves control of the invited address. It adds the membership, creating the person
 * (never an organisation) when no account has that e-mail yet.
 */
export async function acceptInvitation(
  deps: OrganizationDeps,
  input: { token: string; name?: string; password?: string },
  ctx: RequestContext,
) {
  const invitation = await deps.credentials.findInvitationByToken(deps.db, hashSecret(input.token));
  if (
    !invitation ||
    invitation.accepted_at ||
    invitation.revoked_at ||
    invitation.expires_at.getTime() <= Date.now()
  ) {
    throw errors.INVITATION_INVALID();
  }
  const existing = await deps.identity.findUserByEmail(deps.db, invitation.email_normalized);
  if (!existing && (!input.name || !input.password)) throw errors.INVITATION_NEEDS_ACCOUNT();
  const passwordHash = existing ? null : await hashPassword(input.password!);
  const { userId, org } = await inTransaction(deps.db, async (trx) => {
    const userId = existing?.id ?? uuidv7();
    if (!existing) {
      await deps.identity.insertUser(trx, {
        id: userId,
        email: invitation.email,
        emailNormalized: invitation.email_normalized,
        name: input.name!,
        passwordHash,
      });
    }
    if (!(await deps.credentials.claimInvitation(trx, invitation.id, userId)))
      throw errors.INVITATION_INVALID();
    if (await deps.identity.findMembership(trx, invitation.org_id, userId)) throw errors.ALREADY_MEMBER();
    await deps.identity.insertMembership(trx, { orgId: invitation.org_id, userId, role: invitation.role });
    await deps.identity.setLastOrg(trx, userId, invitation.org_id);
    const orgVersion = await deps.identity.bumpOrgVersion(trx, invitation.org_id);
    const org = await deps.identity.findOrganization(trx, invitation.org_id);
    if (!org) throw errors.INVITATION_INVALID();
    await deps.outbox.memberAdded(
      trx,
      { orgId: invitation.org_id, userId, role: invitation.role, orgVersion },
      { ...ctx, principal: { userId, orgId: org.id, orgType: org.type, roles: [invitation.role] } },
    );
    return { userId, org };
  });
  return issueTokenPair(deps, { id: userId }, org, invitation.role, randomUUID());
}

export function apiKeyView(k: ApiKey) {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    createdAt: k.created_at.toISOString(),
    lastUsedAt: k.last_used_at ? k.last_used_at.toISOString() : null,
    revokedAt: k.revoked_at ? k.revoked_at.toISOString() : null,
  };
}

export async function createApiKey(
  deps: OrganizationDeps,
  orgId: string,
  input: { name: string; scopes: string[] },
  ctx: RequestContext,
) {
  const p = manager(ctx, orgId);
  const { key, prefix } = newApiKey();
  const row = await deps.credentials.insertApiKey(deps.db, {
    id: uuidv7(),
    orgId,
    name: input.name,
    prefix,
    keyHash: hashSecret(key),
    scopes: [...new Set(input.scopes)],
    createdBy: p.userId,
  });
  // The only time the key is shown: it is not recoverable from what is stored.
  return { ...apiKeyView(row), key };
}

export async function listApiKeys(
  deps: OrganizationDeps,
  orgId: string,
  page: { limit: number; before?: { createdAt: string; id: string } },
  ctx: RequestContext,
) {
  manager(ctx, orgId);
  const rows = await deps.credentials.listApiKeys(deps.db, orgId, page.before, page.limit);
  const items = rows.slice(0, page.limit).map(apiKeyView);
  const last = items[items.length - 1];
  return {
    items,
    next: rows.length > page.limit && last ? { createdAt: last.createdAt, id: last.id } : null,
  };
}

export async function revokeApiKey(
  deps: OrganizationDeps,
  orgId: string,
  keyId: string,
  ctx: RequestContext,
) {
  manager(ctx, orgId);
  const row = await deps.credentials.revokeApiKey(deps.db, orgId, keyId);
  if (!row) throw errors.API_KEY_NOT_FOUND();
}
