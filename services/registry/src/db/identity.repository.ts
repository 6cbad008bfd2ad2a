/** Users, organisations and memberships. SQL stays visible; every function takes the executor it runs on. */
import type { Executor } from '@vinculo/service-kit/db';
import type { Membership, Organization, RegistryDb, Role, User, OrgType } from './schema.js';

type X = Executor<RegistryDb>;

export interface MembershipWithOrg {
  orgId: string;
  role: Role;
  name: string;
  type: OrgType;
}

export function createIdentityRepository() {
  return {
    findUserByEmail(x: X, emailNormalized: string): Promise<User | undefined> {
      return x
        .selectFrom('users')
        .selectAll()
        .where('email_normalized', '=', emailNormalized)
        .executeTakeFirst();
    },
    findUser(x: X, id: string): Promise<User | undefined> {
      return x.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async insertUser(
      x: X,
      u: { id: string; email: string; emailNormalized: string; name: string; passwordHash: string | null },
    ) {
      await x
        .insertInto('users')
        .values({
          id: u.id,
          email: u.email,
          email_normalized: u.emailNormalized,
          name: u.name,
          password_hash: u.passwordHash,
        })
        .execute();
    },
    async setLastOrg(x: X, userId: string, orgId: string) {
      await x.updateTable('users').set({ last_org_id: orgId }).where('id', '=', userId).execute();
    },
    async insertOrganization(x: X, o: { id: string; name: string; type: OrgType; country: string }) {
      return x.insertInto('organizations').values(o).returningAll().executeTakeFirstOrThrow();
    },
    findOrganization(x: X, id: string): Promise<Organization | undefined> {
      return x.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
    },
    updateOrganization(
      x: X,
      id: string,
      patch: Partial<
        Pick<Organization, 'name' | 'country' | 'tax_id' | 'state_code' | 'municipality' | 'website'>
      >,
    ): Promise<Organization | undefined> {
      return x
        .updateTable('organizations')
        .set((eb) => ({ ...patch, version: eb('version', '+', 1), updated_at: new Date() }))
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
    },
    async bumpOrgVersion(x: X, orgId: string): Promise<number> {
      const r = await x
        .updateTable('organizations')
        .set((eb) => ({ version: eb('version', '+', 1), updated_at: new Date() }))
        .where('id', '=', orgId)
        .returning('version')
        .executeTakeFirstOrThrow();
      return r.version;
    },
    findMembership(x: X, orgId: string, userId: string): Promise<Membership | undefined> {
      return x
        .selectFrom('memberships')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
    },
    membershipsOf(x: X, userId: string): Promise<MembershipWithOrg[]> {
      return x
        .selectFrom('memberships as m')
        .innerJoin('organizations as o', 'o.id', 'm.org_id')
        .select(['m.org_id as orgId', 'm.role', 'o.name', 'o.type'])
        .where('m.user_id', '=', userId)
        .orderBy('m.created_at')
        .execute();
    },
    async insertMembership(x: X, m: { orgId: string; userId: string; role: Role }) {
      await x
        .insertInto('memberships')
        .values({ org_id: m.orgId, user_id: m.userId, role: m.role })
        .execute();
    },
    listMembers(
      x: X,
      orgId: string,
      after: { createdAt: string; userId: string } | undefined,
      limit: number,
    ) {
      let q = x
        .selectFrom('memberships as m')
        .innerJoin('users as u', 'u.id', 'm.user_id')
        .select(['m.user_id as userId', 'u.name', 'u.email', 'm.role', 'm.created_at as createdAt'])
        .where('m.org_id', '=', orgId);
      if (after) {
        q = q.where((eb) =>
          eb.or([
            eb('m.created_at', '>', new Date(after.createdAt)),
            eb.and([eb('m.created_at', '=', new Date(after.createdAt)), eb('m.user_id', '>', after.userId)]),
          ]),
        );
      }
      return q
        .orderBy('m.created_at')
        .orderBy('m.user_id')
        .limit(limit + 1)
        .execute();
    },
    async updateRole(x: X, orgId: string, userId: string, role: Role) {
      await x
        .updateTable('memberships')
        .set({ role })
        .where('org_id', '=', orgId)
        .where('user_id', '=', userId)
        .execute();
    },
    async deleteMembership(x: X, orgId: string, userId: string) {
      await x.deleteFrom('memberships').where('org_id', '=', orgId).where('user_id', '=', userId).execute();
    },
    async countOwners(x: X, orgId: string): Promise<number> {
      const r = await x
        .selectFrom('memberships')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('org_id', '=', orgId)
        .where('role', '=', 'owner')
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}

export type IdentityRepository = ReturnType<typeof createIdentityRepository>;
