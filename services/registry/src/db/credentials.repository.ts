/** Refresh-token families, invitations and API keys: everything stored as a hash of a secret. */
import { sql, type Executor } from '@vinculo/service-kit/db';
import type { ApiKey, Invitation, RefreshToken, RegistryDb, Role } from './schema.js';

type X = Executor<RegistryDb>;

export function createCredentialsRepository() {
  return {
    async insertRefreshToken(
      x: X,
      t: { id: string; familyId: string; userId: string; orgId: string; tokenHash: string; expiresAt: Date },
    ) {
      await x
        .insertInto('refresh_tokens')
        .values({
          id: t.id,
          family_id: t.familyId,
          user_id: t.userId,
          org_id: t.orgId,
          token_hash: t.tokenHash,
          expires_at: t.expiresAt,
        })
        .execute();
    },
    findRefreshToken(x: X, tokenHash: string): Promise<RefreshToken | undefined> {
      return x
        .selectFrom('refresh_tokens')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
    },
    /** Marks a token used only if nobody used it first: the row count tells who won a concurrent refresh. */
    async claimRefreshToken(x: X, id: string): Promise<boolean> {
      const r = await x
        .updateTable('refresh_tokens')
        .set({ used_at: sql<Date>`now()` })
        .where('id', '=', id)
        .where('used_at', 'is', null)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async revokeFamily(x: X, familyId: string, reason: string) {
      await x
        .updateTable('refresh_tokens')
        .set({ revoked_at: sql<Date>`now()`, revoked_reason: reason })
        .where('family_id', '=', familyId)
        .where('revoked_at', 'is', null)
        .execute();
    },
    async revokeUserTokensForOrg(x: X, userId: string, orgId: string, reason: string) {
      await x
        .updateTable('refresh_tokens')
        .set({ revoked_at: sql<Date>`now()`, revoked_reason: reason })
        .where('user_id', '=', userId)
        .where('org_id', '=', orgId)
        .where('revoked_at', 'is', null)
        .execute();
    },

    async insertInvitation(
      x: X,
      i: {
        id: string;
        orgId: string;
        email: string;
        emailNormalized: string;
        role: Role;
        tokenHash: string;
        invitedBy: string | null;
        expiresAt: Date;
      },
    ): Promise<Invitation> {
      return x
        .insertInto('invitations')
        .values({
          id: i.id,
          org_id: i.orgId,
          email: i.email,
          email_normalized: i.emailNormalized,
          role: i.role,
          token_hash: i.tokenHash,
          invited_by: i.invitedBy,
          expires_at: i.expiresAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },
    findInvitationByToken(x: X, tokenHash: string): Promise<Invitation | undefined> {
      return x.selectFrom('invitations').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    },
    findInvitation(x: X, orgId: string, id: string): Promise<Invitation | undefined> {
      return x
        .selectFrom('invitations')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst();
    },
    listInvitations(
      x: X,
      orgId: string,
      before: { createdAt: string; id: string } | undefined,
      limit: number,
    ) {
      let q = x.selectFrom('invitations').selectAll().where('org_id', '=', orgId);
      if (before) {
        q = q.where((eb) =>
          eb.or([
            eb('created_at', '<', new Date(before.createdAt)),
            eb.and([eb('created_at', '=', new Date(before.createdAt)), eb('id', '<', before.id)]),
          ]),
        );
      }
      return q
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
    },
    async claimInvitation(x: X, id: string, userId: string): Promise<boolean> {
      const r = await x
        .updateTable('invitations')
        .set({ accepted_at: sql<Date>`now()`, accepted_by: userId })
        .where('id', '=', id)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', sql<Date>`now()`)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async revokeInvitation(x: X, orgId: string, id: string): Promise<boolean> {
      const r = await x
        .updateTable('invitations')
        .set({ revoked_at: sql<Date>`now()` })
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    insertApiKey(
      x: X,
      k: {
        id: string;
        orgId: string;
        name: string;
        prefix: string;
        keyHash: string;
        scopes: string[];
        createdBy: string | null;
      },
    ): Promise<ApiKey> {
      return x
        .insertInto('api_keys')
        .values({
          id: k.id,
          org_id: k.orgId,
          name: k.name,
          prefix: k.prefix,
          key_hash: k.keyHash,
          scopes: k.scopes,
          created_by: k.createdBy,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },
    findApiKeyByHash(x: X, keyHash: string): Promise<ApiKey | undefined> {
      return x.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
    },
    async touchApiKey(x: X, id: string) {
      await x
        .updateTable('api_keys')
        .set({ last_used_at: sql<Date>`now()` })
        .where('id', '=', id)
        .execute();
    },
    listApiKeys(x: X, orgId: string, before: { createdAt: string; id: string } | undefined, limit: number) {
      let q = x.selectFrom('api_keys').selectAll().where('org_id', '=', orgId);
      if (before) {
        q = q.where((eb) =>
          eb.or([
            eb('created_at', '<', new Date(before.createdAt)),
            eb.and([eb('created_at', '=', new Date(before.createdAt)), eb('id', '<', before.id)]),
          ]),
        );
      }
      return q
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
    },
    async revokeApiKey(x: X, orgId: string, id: string): Promise<ApiKey | undefined> {
      return x
        .updateTable('api_keys')
        .set({ revoked_at: sql<Date>`coalesce(revoked_at, now())` })
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
    },
  };
}

export type CredentialsRepository = ReturnType<typeof createCredentialsRepository>;
