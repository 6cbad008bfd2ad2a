/**
 * Open requirements as a supplier sees them, and the mandates that let a bureau act for a member. SQL stays
 * visible here; the rules (who may ask, what counts as visible) are written out in domain/opportunities.ts.
 */
import { sql, type Executor } from '@vinculo/service-kit/db';
import { requirementWithBuyerName } from './requirements.repository.js';
import type { MatchingDb, Requirement } from './schema.js';

export type VisibleRequirement = Requirement & { buyer_name: string | null; invited: boolean };

/** Keyset position in the opportunities order: deadline, then id. */
export interface OpportunityPosition {
  deadline: string;
  id: string;
}

/**
 * A mandate in force on `today` (Mexico City calendar): status active, started, not ended. `scope`, when given,
 * must be among its scopes. Mandate snapshots live in jsonb (read model of registry.mandate.* events).
 */
function mandateInForce(today: string, scope?: string) {
  return sql<boolean>`(m.snapshot->>'status' = 'active'
    and m.snapshot->>'startsOn' <= ${today}
    and (m.snapshot->>'endsOn' is null or m.snapshot->>'endsOn' >= ${today})
    ${scope ? sql`and m.snapshot->'scopes' @> ${JSON.stringify([scope])}::jsonb` : sql``})`;
}

export function createOpportunityRepository() {
  return {
    /** Whether the supplier has a mandate in force with some bureau (which makes 'bureaus' requirements visible). */
    async hasMandate(db: Executor<MatchingDb>, supplierId: string, today: string): Promise<boolean> {
      const row = await db
        .selectFrom('mandates as m')
        .select('m.id')
        .where('m.supplier_id', '=', supplierId)
        .where(mandateInForce(today))
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** Whether this bureau holds a mandate in force from this supplier with `scope`. */
    async bureauMayActFor(
      db: Executor<MatchingDb>,
      bureauId: string,
      supplierId: string,
      today: string,
      scope: string,
    ): Promise<boolean> {
      const row = await db
        .selectFrom('mandates as m')
        .select('m.id')
        .where('m.bureau_id', '=', bureauId)
        .where('m.supplier_id', '=', supplierId)
        .where(mandateInForce(today, scope))
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** The suppliers that gave this bureau a mandate in force with `scope`, by id. */
    async members(
      db: Executor<MatchingDb>,
      bureauId: string,
      today: string,
      scope: string,
    ): Promise<string[]> {
      const rows = await db
        .selectFrom('mandates as m')
        .select('m.supplier_id')
        .distinct()
        .where('m.bureau_id', '=', bureauId)
        .where(mandateInForce(today, scope))
        .orderBy('m.supplier_id')
        .execute();
      return rows.map((r) => r.supplier_id);
    },

    /** A requirement with its buyer's name (from the read model of organisations). */
    requirement: requirementWithBuyerName,

    /** Which of these suppliers are invited to the requirement. */
    async invitedAmong(
      db: Executor<MatchingDb>,
      requirementId: string,
      supplierIds: readonly string[],
    ): Promise<string[]> {
      if (supplierIds.length === 0) return [];
      const rows = await db
        .selectFrom('invitations')
        .select('supplier_id')
        .where('requirement_id', '=', requirementId)
        .where('supplier_id', 'in', [...supplierIds])
        .execute();
      return rows.map((r) => r.supplier_id);
    },

    /**
     * One page of the open requirements visible to the supplier whose deadline has not passed, by deadline then
     * id, after `after`. Visible: public; or invited (whatever the visibility); or 'bureaus' when the supplier
     * has a mandate in force (`viaBureaus`, from hasMandate).
     */
    async visibleOpen(
      db: Executor<MatchingDb>,
      supplierId: string,
      opts: { today: string; viaBureaus: boolean; limit: number; after?: OpportunityPosition },
    ): Promise<VisibleRequirement[]> {
      let q = db
        .selectFrom('requirements as r')
        .leftJoin('organizations as o', 'o.id', 'r.buyer_org_id')
        .selectAll('r')
        .select('o.name as buyer_name')
        .select((eb) =>
          eb
            .exists(
              eb
                .selectFrom('invitations as i')
                .select('i.id')
                .whereRef('i.requirement_id', '=', 'r.id')
                .where('i.supplier_id', '=', supplierId),
            )
            .$castTo<boolean>()
            .as('invited'),
        )
        .where('r.state', '=', 'open')
        .where('r.deadline', '>=', opts.today)
        .where((eb) =>
          eb.or([
            eb('r.visibility', '=', 'public'),
            ...(opts.viaBureaus ? [eb('r.visibility', '=', 'bureaus')] : []),
            eb.exists(
              eb
                .selectFrom('invitations as i')
                .select('i.id')
                .whereRef('i.requirement_id', '=', 'r.id')
                .where('i.supplier_id', '=', supplierId),
            ),
          ]),
        );
      if (opts.after) {
        const { deadline, id } = opts.after;
        q = q.where((eb) =>
          eb.or([
            eb('r.deadline', '>', deadline),
            eb.and([eb('r.deadline', '=', deadline), eb('r.id', '>', id)]),
          ]),
        );
      }
      return q.orderBy('r.deadline').orderBy('r.id').limit(opts.limit).execute();
    },
  };
}

export type OpportunityRepository = ReturnType<typeof createOpportunityRepository>;
