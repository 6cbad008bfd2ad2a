/** Invitations, applications and deals, and the mandate lookups their rules need. SQL stays visible here. */
import type { MandateSnapshot } from '@vinculo/contracts';
import type { Executor } from '@vinculo/service-kit/db';
import type {
  Application,
  ApplicationState,
  Deal,
  Invitation,
  MatchingDb,
  QuoteAttachment,
  RequirementSpec,
} from './schema.js';

/** An application with its requirement's buyer (every view and rule needs both). */
export type ApplicationRow = Application & { buyer_org_id: string };
/** A deal with what the track record and its view show of the requirement. */
export type DealRow = Deal & { title: string; spec: RequirementSpec };

export interface NewApplication {
  id: string;
  requirementId: string;
  supplierId: string;
  submittedByOrgId: string;
  bureau: { id: string; mandateId: string; commissionBasisPoints: number } | null;
  price: { amountMinor: number; currency: string };
  leadTimeDays: number;
  notes: string | null;
  attachments: QuoteAttachment[];
}

export interface NewDeal {
  id: string;
  requirementId: string;
  applicationId: string;
  buyerOrgId: string;
  supplierId: string;
  bureau: { id: string; commissionBasisPoints: number; commissionAmountMinor: number } | null;
  value: { amountMinor: number; currency: string };
  tier: number | null;
  startsOn: string;
  awardedAt: Date;
}

/** Pages run newest first by id (uuid v7, time-ordered); `before` is the last id of the previous page. */
export interface IdPage {
  limit: number;
  before?: string;
}

export function createDealsRepository() {
  const applications = (db: Executor<MatchingDb>) =>
    db
      .selectFrom('applications')
      .innerJoin('requirements', 'requirements.id', 'applications.requirement_id')
      .selectAll('applications')
      .select('requirements.buyer_org_id');
  const deals = (db: Executor<MatchingDb>) =>
    db
      .selectFrom('deals')
      .innerJoin('requirements', 'requirements.id', 'deals.requirement_id')
      .selectAll('deals')
      .select(['requirements.title', 'requirements.spec']);

  return {
    async supplierExists(db: Executor<MatchingDb>, id: string): Promise<boolean> {
      const row = await db.selectFrom('suppliers').select('id').where('id', '=', id).executeTakeFirst();
      return row !== undefined;
    },

    /** Mandates between a bureau and a supplier, whatever their state: the caller reads status and period. */
    async mandatesBetween(
      db: Executor<MatchingDb>,
      bureauId: string,
      supplierId: string,
    ): Promise<{ id: string; snapshot: MandateSnapshot }[]> {
      return db
        .selectFrom('mandates')
        .select(['id', 'snapshot'])
        .where('bureau_id', '=', bureauId)
        .where('supplier_id', '=', supplierId)
        .execute();
    },

    async mandatesOf(db: Executor<MatchingDb>, supplierId: string): Promise<MandateSnapshot[]> {
      const rows = await db
        .selectFrom('mandates')
        .select('snapshot')
        .where('supplier_id', '=', supplierId)
        .execute();
      return rows.map((r) => r.snapshot);
    },

    /** Inserts the invitation, or returns undefined when this supplier is already invited. */
    async invite(
      db: Executor<MatchingDb>,
      i: {
        id: string;
        requirementId: string;
        supplierId: string;
        invitedByOrgId: string;
        message: string | null;
      },
      at: Date,
    ): Promise<Invitation | undefined> {
      return db
        .insertInto('invitations')
        .values({
          id: i.id,
          requirement_id: i.requirementId,
          supplier_id: i.supplierId,
          invited_by_org_id: i.invitedByOrgId,
          message: i.message,
          created_at: at,
        })
        .onConflict((oc) => oc.columns(['requirement_id', 'supplier_id']).doNothing())
        .returningAll()
        .executeTakeFirst();
    },

    /** The mandates bureau `bureauId` holds from suppliers invited to the requirement. */
    async invitedMembersOf(
      db: Executor<MatchingDb>,
      requirementId: string,
      bureauId: string,
    ): Promise<MandateSnapshot[]> {
      const rows = await db
        .selectFrom('invitations as i')
        .innerJoin('mandates as m', 'm.supplier_id', 'i.supplier_id')
        .select('m.snapshot')
        .where('i.requirement_id', '=', requirementId)
        .where('m.bureau_id', '=', bureauId)
        .execute();
      return rows.map((r) => r.snapshot);
    },

    async isInvited(db: Executor<MatchingDb>, requirementId: string, supplierId: string): Promise<boolean> {
      const row = await db
        .selectFrom('invitations')
        .select('id')
        .where('requirement_id', '=', requirementId)
        .where('supplier_id', '=', supplierId)
        .executeTakeFirst();
      return row !== undefined;
    },

    async invitationsOf(
      db: Executor<MatchingDb>,
      requirementId: string,
      page: IdPage,
    ): Promise<Invitation[]> {
      let q = db.selectFrom('invitations').selectAll().where('requirement_id', '=', requirementId);
      if (page.before) q = q.where('id', '<', page.before);
      return q.orderBy('id', 'desc').limit(page.limit).execute();
    },

    async insertApplication(db: Executor<MatchingDb>, a: NewApplication, at: Date): Promise<Application> {
      return db
        .insertInto('applications')
        .values({
          id: a.id,
          requirement_id: a.requirementId,
          supplier_id: a.supplierId,
          submitted_by_org_id: a.submittedByOrgId,
          bureau_id: a.bureau?.id ?? null,
          mandate_id: a.bureau?.mandateId ?? null,
          commission_basis_points: a.bureau?.commissionBasisPoints ?? null,
          price_amount_minor: a.price.amountMinor,
          price_currency: a.price.currency,
          lead_time_days: a.leadTimeDays,
          notes: a.notes,
          attachments: JSON.stringify(a.attachments),
          created_at: at,
          updated_at: at,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    /** The supplier's application that is not withdrawn (at most one: a partial unique index). */
    async liveApplication(
      db: Executor<MatchingDb>,
      requirementId: string,
      supplierId: string,
    ): Promise<Application | undefined> {
      return db
        .selectFrom('applications')
        .selectAll()
        .where('requirement_id', '=', requirementId)
        .where('supplier_id', '=', supplierId)
        .where('state', '<>', 'withdrawn')
        .executeTakeFirst();
    },

    async findApplication(
      db: Executor<MatchingDb>,
      id: string,
      opts: { forUpdate?: boolean } = {},
    ): Promise<ApplicationRow | undefined> {
      let q = applications(db).where('applications.id', '=', id);
      if (opts.forUpdate) q = q.forUpdate('applications');
      return q.executeTakeFirst();
    },

    /** Moves one application to `to`, bumping its version (stamping withdrawn_at when withdrawn). */
    async setApplicationState(
      db: Executor<MatchingDb>,
      id: string,
      to: ApplicationState,
      at: Date,
    ): Promise<Application> {
      return db
        .updateTable('applications')
        .set((eb) => ({
          state: to,
          version: eb('version', '+', 1),
          updated_at: at,
          ...(to === 'withdrawn' ? { withdrawn_at: at } : {}),
        }))
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    /** Every other live application of the requirement becomes rejected (the requirement was awarded). */
    async rejectOthers(
      db: Executor<MatchingDb>,
      requirementId: string,
      awardedId: string,
      at: Date,
    ): Promise<number> {
      const rows = await db
        .updateTable('applications')
        .set((eb) => ({ state: 'rejected', version: eb('version', '+', 1), updated_at: at }))
        .where('requirement_id', '=', requirementId)
        .where('id', '<>', awardedId)
        .where('state', 'in', ['submitted', 'shortlisted'])
        .returning('id')
        .execute();
      return rows.length;
    },

    async shortlistedSuppliers(db: Executor<MatchingDb>, requirementId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('applications')
        .select('supplier_id')
        .where('requirement_id', '=', requirementId)
        .where('state', '=', 'shortlisted')
        .orderBy('id')
        .execute();
      return rows.map((r) => r.supplier_id);
    },

    async applicationsOf(
      db: Executor<MatchingDb>,
      requirementId: string,
      page: IdPage & { state?: ApplicationState },
    ): Promise<ApplicationRow[]> {
      let q = applications(db).where('applications.requirement_id', '=', requirementId);
      if (page.state) q = q.where('applications.state', '=', page.state);
      if (page.before) q = q.where('applications.id', '<', page.before);
      return q.orderBy('applications.id', 'desc').limit(page.limit).execute();
    },

    /** Applications an organisation made: as the applicant supplier or as the applying bureau. */
    async applicationsBy(
      db: Executor<MatchingDb>,
      orgId: string,
      page: IdPage & { state?: ApplicationState; requirementId?: string },
    ): Promise<ApplicationRow[]> {
      let q = applications(db).where((eb) =>
        eb.or([eb('applications.supplier_id', '=', orgId), eb('applications.bureau_id', '=', orgId)]),
      );
      if (page.state) q = q.where('applications.state', '=', page.state);
      if (page.requirementId) q = q.where('applications.requirement_id', '=', page.requirementId);
      if (page.before) q = q.where('applications.id', '<', page.before);
      return q.orderBy('applications.id', 'desc').limit(page.limit).execute();
    },

    async insertDeal(db: Executor<MatchingDb>, d: NewDeal): Promise<Deal> {
      return db
        .insertInto('deals')
        .values({
          id: d.id,
          requirement_id: d.requirementId,
          application_id: d.applicationId,
          buyer_org_id: d.buyerOrgId,
          supplier_id: d.supplierId,
          bureau_id: d.bureau?.id ?? null,
          commission_basis_points: d.bureau?.commissionBasisPoints ?? null,
          commission_amount_minor: d.bureau?.commissionAmountMinor ?? null,
          value_amount_minor: d.value.amountMinor,
          currency: d.value.currency,
          tier: d.tier,
          starts_on: d.startsOn,
          awarded_at: d.awardedAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    async findDeal(db: Executor<MatchingDb>, id: string): Promise<DealRow | undefined> {
      return deals(db).where('deals.id', '=', id).executeTakeFirst();
    },

    /** Deals an organisation is party to: as buyer, supplier or brokering bureau. */
    async dealsOf(db: Executor<MatchingDb>, orgId: string, page: IdPage): Promise<DealRow[]> {
      let q = deals(db).where((eb) =>
        eb.or([
          eb('deals.buyer_org_id', '=', orgId),
          eb('deals.supplier_id', '=', orgId),
          eb('deals.bureau_id', '=', orgId),
        ]),
      );
      if (page.before) q = q.where('deals.id', '<', page.before);
      return q.orderBy('deals.id', 'desc').limit(page.limit).execute();
    },
  };
}

export type DealsRepository = ReturnType<typeof createDealsRepository>;
