/** The requirements table. SQL stays visible here; use cases own the rules. */
import type { Executor } from '@vinculo/service-kit/db';
import type { MatchingDb, Requirement, RequirementSpec, RequirementState, Visibility } from './schema.js';

export interface NewRequirement {
  id: string;
  buyerOrgId: string;
  title: string;
  spec: RequirementSpec;
  deadline: string;
  visibility: Visibility;
}

/** A requirement with its buyer's name from the read model of organisations (null when unknown), in one query. */
export function requirementWithBuyerName(
  db: Executor<MatchingDb>,
  id: string,
): Promise<(Requirement & { buyer_name: string | null }) | undefined> {
  return db
    .selectFrom('requirements')
    .leftJoin('organizations', 'organizations.id', 'requirements.buyer_org_id')
    .selectAll('requirements')
    .select('organizations.name as buyer_name')
    .where('requirements.id', '=', id)
    .executeTakeFirst();
}

export function createRequirementRepository() {
  return {
    /** Timestamps come from the caller in millisecond precision, so a page cursor (an ISO time) matches exactly. */
    async insert(db: Executor<MatchingDb>, r: NewRequirement, at: Date): Promise<Requirement> {
      return db
        .insertInto('requirements')
        .values({
          id: r.id,
          buyer_org_id: r.buyerOrgId,
          title: r.title,
          spec: JSON.stringify(r.spec),
          deadline: r.deadline,
          visibility: r.visibility,
          created_at: at,
          updated_at: at,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    async find(
      db: Executor<MatchingDb>,
      id: string,
      opts: { forUpdate?: boolean } = {},
    ): Promise<Requirement | undefined> {
      let q = db.selectFrom('requirements').selectAll().where('id', '=', id);
      if (opts.forUpdate) q = q.forUpdate();
      return q.executeTakeFirst();
    },

    /** Moves the requirement to `to`, stamping the matching time column and bumping the version. */
    async transition(
      db: Executor<MatchingDb>,
      id: string,
      to: RequirementState,
      at: Date,
    ): Promise<Requirement> {
      const stamp =
        to === 'open'
          ? 'opened_at'
          : to === 'closed'
            ? 'closed_at'
            : to === 'cancelled'
              ? 'cancelled_at'
              : undefined;
      return db
        .updateTable('requirements')
        .set((eb) => ({
          state: to,
          version: eb('version', '+', 1),
          updated_at: at,
          ...(stamp ? { [stamp]: at } : {}),
        }))
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    /** The buyer's requirements, newest first; `after` is the last row of the previous page. */
    async listByBuyer(
      db: Executor<MatchingDb>,
      buyerOrgId: string,
      opts: { limit: number; state?: RequirementState; after?: { createdAt: string; id: string } },
    ): Promise<Requirement[]> {
      let q = db.selectFrom('requirements').selectAll().where('buyer_org_id', '=', buyerOrgId);
      if (opts.state) q = q.where('state', '=', opts.state);
      if (opts.after) {
        const { createdAt, id } = opts.after;
        q = q.where((eb) =>
          eb.or([
            eb('created_at', '<', new Date(createdAt)),
            eb.and([eb('created_at', '=', new Date(createdAt)), eb('id', '<', id)]),
          ]),
        );
      }
      return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
    },

    findWithBuyerName: requirementWithBuyerName,
  };
}

export type RequirementRepository = ReturnType<typeof createRequirementRepository>;
