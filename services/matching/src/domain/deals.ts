/**
 * Invitations, applications, the shortlist, awards and deals (issue 4, deliverable 6).
 *
 * Rules:
 * - Only the requirement's buyer invites, lists invitations and applications, shortlists and awards; anyone
 *   else gets 404 for those (the requirement is the buyer's object), a `viewer` 403. Invitations need an OPEN
 *   requirement and a supplier known to the read model; a supplier is invited once.
 * - A supplier applies for itself; a bureau applies for a member under an active mandate with the 'apply'
 *   scope (no mandate in force: 404 for that supplier; a mandate without 'apply': 403). Either way the
 *   requirement must be visible to the supplier (domain/visibility.ts), else 404. One live application per
 *   requirement and supplier (409); after withdrawing, the supplier may apply again.
 * - An application is seen by the requirement's buyer, the applicant supplier and the applying bureau only
 *   (404 to everyone else). It is withdrawn by its supplier or its applying bureau (still holding 'apply').
 * - States: submitted ⇄ shortlisted (buyer, while the requirement is open or closed); submitted | shortlisted
 *   → withdrawn (applicant) | awarded (buyer); the other live applications become rejected on award.
 * - An award moves the requirement open | closed → awarded (final), creates the deal (value = the quote unless
 *   the buyer gives the agreed value; tier = the requirement's tier unless given; the bureau's commission =
 *   the mandate's basis points when the bureau applied × value), writes matching.requirement.awarded and
 *   matching.deal.awarded in the same transaction, and after commit refreshes the supplier in the index: the
 *   deal joins its track record (source 'platform').
 * - Every state change writes its event to the outbox in the use case's transaction.
 */
import type { Principal } from '@vinculo/service-kit/auth';
import { inTransaction, newId, type Kysely, type Transaction } from '@vinculo/service-kit/db';
import type { ApplicationSnapshot, DealSnapshot, InvitationSnapshot } from '@vinculo/contracts';
import type { ApplicationRow, DealRow, DealsRepository } from '../db/deals.repository.js';
import type { RequirementRepository } from '../db/requirements.repository.js';
import type {
  Application,
  ApplicationState,
  Invitation,
  MatchingDb,
  QuoteAttachment,
  Requirement,
} from '../db/schema.js';
import { errors } from '../errors.js';
import type { EventContext, MatchingEventWriter, RequirementEventWriter } from '../events/matching.events.js';
import { isCalendarDate, todayInMexico, type RequestContext } from './context.js';
import { awardInTransaction } from './requirements.js';
import type { SupplierIndex } from './supplier-index.js';
import { isMandateActive, isVisibleToSupplier, mandateAllows } from './visibility.js';

export interface DealDeps {
  db: Kysely<MatchingDb>;
  requirements: RequirementRepository;
  deals: DealsRepository;
  /** matching.invitation/application/shortlist/deal events. */
  writeMatchingEvent: MatchingEventWriter;
  /** matching.requirement.* events (the award's requirement transition). */
  writeEvent: RequirementEventWriter;
  index: Pick<SupplierIndex, 'refresh'>;
  now: () => Date;
}

export interface Money {
  amountMinor: number;
  currency: string;
}

export interface ApplicationInput {
  /** Required for a bureau (the member it applies for); a supplier may omit it or give its own id. */
  supplierId?: string;
  quote: {
    price: Money;
    leadTimeDays: number;
    notes?: string | null;
    attachments?: QuoteAttachment[];
  };
}

export interface AwardInput {
  value?: Money;
  tier?: 1 | 2 | 3 | 4 | null;
  startsOn?: string;
}

export type ApplicationView = ApplicationSnapshot & { version: number };
export type InvitationView = InvitationSnapshot;
export type DealView = DealSnapshot;

const WRITERS = new Set(['owner', 'admin', 'member']);

function principalOf(ctx: RequestContext): Principal {
  // Routes authenticate first; a missing principal here is a wiring bug, not a caller error.
  if (!ctx.principal) throw new Error('deal use case called without a principal');
  return ctx.principal;
}

function assertWriter(p: Principal): void {
  if (!p.roles.some((r) => WRITERS.has(r))) throw errors.FORBIDDEN_ROLE();
}

function eventContext(ctx: RequestContext, p: Principal): EventContext {
  return {
    correlationId: ctx.correlationId,
    actor: {
      orgId: p.orgId,
      ...(p.userId ? { userId: p.userId } : {}),
      ...(p.apiKeyId ? { apiKeyId: p.apiKeyId } : {}),
    },
  };
}

export function invitationView(i: Invitation, buyerId: string): InvitationView {
  return {
    id: i.id,
    requirementId: i.requirement_id,
    buyerId,
    supplierId: i.supplier_id,
    invitedByOrgId: i.invited_by_org_id,
    message: i.message,
    createdAt: i.created_at.toISOString(),
  };
}

export function applicationView(a: Application, buyerId: string): ApplicationView {
  return {
    id: a.id,
    requirementId: a.requirement_id,
    buyerId,
    supplierId: a.supplier_id,
    bureauId: a.bureau_id,
    state: a.state,
    quote: {
      price: { amountMinor: a.price_amount_minor, currency: a.price_currency },
      leadTimeDays: a.lead_time_days,
      notes: a.notes,
      attachments: a.attachments,
    },
    submittedAt: a.created_at.toISOString(),
    withdrawnAt: a.withdrawn_at ? a.withdrawn_at.toISOString() : null,
    updatedAt: a.updated_at.toISOString(),
    version: a.version,
  };
}

export function dealView(d: DealRow): DealView {
  return {
    id: d.id,
    requirementId: d.requirement_id,
    applicationId: d.application_id,
    buyerId: d.buyer_org_id,
    supplierId: d.supplier_id,
    bureauId: d.bureau_id,
    commission:
      d.bureau_id !== null && d.commission_basis_points !== null && d.commission_amount_minor !== null
        ? {
            basisPoints: d.commission_basis_points,
            amount: { amountMinor: d.commission_amount_minor, currency: d.currency },
          }
        : null,
    value: { amountMinor: d.value_amount_minor, currency: d.currency },
    tier: d.tier,
    startsOn: d.starts_on,
    title: d.title,
    scianCodes: d.spec.capabilities.scianCodes,
    awardedAt: d.awarded_at.toISOString(),
  };
}

/** basisPoints × amount / 10 000, rounded half up to the minor unit, exact for any amount (bigint). */
export function commissionOf(amountMinor: number, basisPoints: number): number {
  return Number((BigInt(amountMinor) * BigInt(basisPoints) + 5_000n) / 10_000n);
}

/** The caller's own requirement, locked for the rest of the transaction when asked; 404 for anyone else's. */
async function ownRequirement(
  d: DealDeps,
  db: Kysely<MatchingDb> | Transaction<MatchingDb>,
  id: string,
  p: Principal,
  opts: { forUpdate?: boolean } = {},
): Promise<Requirement> {
  const r = await d.requirements.find(db, id, opts);
  if (!r || r.buyer_org_id !== p.orgId) throw errors.REQUIREMENT_NOT_FOUND();
  return r;
}

export async function inviteSupplier(
  d: DealDeps,
  requirementId: string,
  input: { supplierId: string; message?: string | null },
  ctx: RequestContext,
): Promise<InvitationView> {
  const p = principalOf(ctx);
  return inTransaction(d.db, async (trx) => {
    const r = await ownRequirement(d, trx, requirementId, p, { forUpdate: true });
    assertWriter(p);
    if (r.state !== 'open')
      throw errors.REQUIREMENT_NOT_OPEN({
        detail: { en: `The requirement is ${r.state}`, es: `El requerimiento está en estado ${r.state}` },
      });
    if (!(await d.deals.supplierExists(trx, input.supplierId))) throw errors.UNKNOWN_SUPPLIER();
    const row = await d.deals.invite(
      trx,
      {
        id: newId(),
        requirementId,
        supplierId: input.supplierId,
        invitedByOrgId: p.orgId,
        message: input.message?.trim() || null,
      },
      d.now(),
    );
    if (!row) throw errors.ALREADY_INVITED();
    const view = invitationView(row, r.buyer_org_id);
    await d.writeMatchingEvent(
      trx,
      {
        type: 'matching.invitation.sent',
        orgId: r.buyer_org_id,
        aggregate: { type: 'invitation', id: row.id, version: 1 },
        data: view,
      },
      eventContext(ctx, p),
    );
    return view;
  });
}

export async function listInvitations(
  d: DealDeps,
  requirementId: string,
  page: { limit: number; before?: string },
  ctx: RequestContext,
): Promise<{ items: InvitationView[]; next: string | null }> {
  const p = principalOf(ctx);
  const r = await ownRequirement(d, d.db, requirementId, p);
  const rows = await d.deals.invitationsOf(d.db, requirementId, { ...page, limit: page.limit + 1 });
  return pageOf(rows, page.limit, (i) => invitationView(i, r.buyer_org_id));
}

function pageOf<R extends { id: string }, V>(
  rows: R[],
  limit: number,
  view: (r: R) => V,
): { items: V[]; next: string | null } {
  const items = rows.slice(0, limit);
  return { items: items.map(view), next: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

/** Who applies: the supplier itself, or a bureau for a member under an active 'apply' mandate. */
async function applicantOf(
  d: DealDeps,
  trx: Transaction<MatchingDb>,
  p: Principal,
  supplierId: string | undefined,
  today: string,
): Promise<{
  supplierId: string;
  bureau: { id: string; mandateId: string; commissionBasisPoints: number } | null;
}> {
  if (p.orgType === 'supplier') {
    // A supplier speaks for itself only: any other supplier is someone else's object.
    if (supplierId !== undefined && supplierId !== p.orgId) throw errors.UNKNOWN_SUPPLIER();
    return { supplierId: p.orgId, bureau: null };
  }
  if (p.orgType !== 'bureau') throw errors.APPLICANTS_ONLY();
  if (supplierId === undefined)
    throw errors.SUPPLIER_ID_REQUIRED({ errors: [{ in: 'body', path: '/supplierId', message: 'required' }] });
  const inForce = (await d.deals.mandatesBetween(trx, p.orgId, supplierId)).filter((m) =>
    isMandateActive(m.snapshot, today),
  );
  if (inForce.length === 0) throw errors.UNKNOWN_SUPPLIER();
  const mandate = inForce.find((m) => mandateAllows(m.snapshot, 'apply', today));
  if (!mandate) throw errors.MANDATE_SCOPE_MISSING();
  return {
    supplierId,
    bureau: {
      id: p.orgId,
      mandateId: mandate.id,
      commissionBasisPoints: mandate.snapshot.commissionBasisPoints,
    },
  };
}

export async function applyToRequirement(
  d: DealDeps,
  requirementId: string,
  input: ApplicationInput,
  ctx: RequestContext,
): Promise<ApplicationView> {
  const p = principalOf(ctx);
  if (p.orgType !== 'supplier' && p.orgType !== 'bureau') throw errors.APPLICANTS_ONLY();
  assertWriter(p);
  const now = d.now();
  const today = todayInMexico(now);
  return inTransaction(d.db, async (trx) => {
    const applicant = await applicantOf(d, trx, p, input.supplierId, today);
    // The row lock orders this application against an award or a close of the same requirement.
    const r = await d.requirements.find(trx, requirementId, { forUpdate: true });
    if (!r || !(await isVisibleToSupplier(d.deals, trx, r, applicant.supplierId, today)))
      throw errors.REQUIREMENT_NOT_FOUND();
    if (await d.deals.liveApplication(trx, requirementId, applicant.supplierId))
      throw errors.ALREADY_APPLIED();
    const row = await d.deals.insertApplication(
      trx,
      {
        id: newId(),
        requirementId,
        supplierId: applicant.supplierId,
        submittedByOrgId: p.orgId,
        bureau: applicant.bureau,
        price: input.quote.price,
        leadTimeDays: input.quote.leadTimeDays,
        notes: input.quote.notes?.trim() || null,
        attachments: input.quote.attachments ?? [],
      },
      now,
    );
    const view = applicationView(row, r.buyer_org_id);
    await d.writeMatchingEvent(
      trx,
      {
        type: 'matching.application.submitted',
        orgId: r.buyer_org_id,
        aggregate: { type: 'application', id: row.id, version: row.version },
        data: stripVersion(view),
      },
      eventContext(ctx, p),
    );
    return view;
  });
}

function stripVersion({ version: _version, ...snapshot }: ApplicationView): ApplicationSnapshot {
  return snapshot;
}

/** May this caller see the application? Its buyer, its supplier, its applying bureau. */
function canSee(a: ApplicationRow, p: Principal): boolean {
  return a.buyer_org_id === p.orgId || a.supplier_id === p.orgId || a.bureau_id === p.orgId;
}

export async function getApplication(d: DealDeps, id: string, ctx: RequestContext): Promise<ApplicationView> {
  const p = principalOf(ctx);
  const a = await d.deals.findApplication(d.db, id);
  if (!a || !canSee(a, p)) throw errors.APPLICATION_NOT_FOUND();
  return applicationView(a, a.buyer_org_id);
}

export async function listRequirementApplications(
  d: DealDeps,
  requirementId: string,
  page: { limit: number; before?: string; state?: ApplicationState },
  ctx: RequestContext,
): Promise<{ items: ApplicationView[]; next: string | null }> {
  const p = principalOf(ctx);
  await ownRequirement(d, d.db, requirementId, p);
  const rows = await d.deals.applicationsOf(d.db, requirementId, { ...page, limit: page.limit + 1 });
  return pageOf(rows, page.limit, (a) => applicationView(a, a.buyer_org_id));
}

/** The caller's own applications: as the applicant supplier or as the applying bureau. */
export async function listMyApplications(
  d: DealDeps,
  page: { limit: number; before?: string; state?: ApplicationState; requirementId?: string },
  ctx: RequestContext,
): Promise<{ items: ApplicationView[]; next: string | null }> {
  const p = principalOf(ctx);
  const rows = await d.deals.applicationsBy(d.db, p.orgId, { ...page, limit: page.limit + 1 });
  return pageOf(rows, page.limit, (a) => applicationView(a, a.buyer_org_id));
}

/**
 * Locks the application's requirement, then the application (always in that order, as apply and award do),
 * and checks the caller may act on it through `allowed`; 404 otherwise.
 */
async function lockApplication(
  d: DealDeps,
  trx: Transaction<MatchingDb>,
  id: string,
  allowed: (a: ApplicationRow) => boolean,
): Promise<{ a: ApplicationRow; r: Requirement }> {
  const first = await d.deals.findApplication(trx, id);
  if (!first || !allowed(first)) throw errors.APPLICATION_NOT_FOUND();
  const r = await d.requirements.find(trx, first.requirement_id, { forUpdate: true });
  const a = await d.deals.findApplication(trx, id, { forUpdate: true });
  if (!r || !a) throw errors.APPLICATION_NOT_FOUND();
  return { a, r };
}

function invalidApplicationTransition(from: ApplicationState, to: string) {
  return errors.INVALID_APPLICATION_TRANSITION({
    detail: {
      en: `A ${from} application cannot be ${to}`,
      es: `Una postulación en estado ${from} no puede pasar a ${to}`,
    },
  });
}

export async function withdrawApplication(
  d: DealDeps,
  id: string,
  ctx: RequestContext,
): Promise<ApplicationView> {
  const p = principalOf(ctx);
  const now = d.now();
  return inTransaction(d.db, async (trx) => {
    const { a, r } = await lockApplication(
      d,
      trx,
      id,
      (x) => x.supplier_id === p.orgId || x.bureau_id === p.orgId,
    );
    assertWriter(p);
    if (a.supplier_id !== p.orgId) {
      // The applying bureau acts for the supplier only while its mandate still allows applying.
      const today = todayInMexico(now);
      const mandates = await d.deals.mandatesBetween(trx, p.orgId, a.supplier_id);
      if (!mandates.some((m) => mandateAllows(m.snapshot, 'apply', today)))
        throw errors.MANDATE_SCOPE_MISSING();
    }
    if (a.state !== 'submitted' && a.state !== 'shortlisted')
      throw invalidApplicationTransition(a.state, 'withdrawn');
    const next = await d.deals.setApplicationState(trx, id, 'withdrawn', now);
    const view = applicationView(next, r.buyer_org_id);
    await d.writeMatchingEvent(
      trx,
      {
        type: 'matching.application.withdrawn',
        orgId: r.buyer_org_id,
        aggregate: { type: 'application', id, version: next.version },
        data: stripVersion(view),
      },
      eventContext(ctx, p),
    );
    return view;
  });
}

/** Adds the application to its requirement's shortlist (`add`) or takes it off. */
export async function changeShortlist(
  d: DealDeps,
  id: string,
  add: boolean,
  ctx: RequestContext,
): Promise<ApplicationView> {
  const p = principalOf(ctx);
  const now = d.now();
  return inTransaction(d.db, async (trx) => {
    const { a, r } = await lockApplication(d, trx, id, (x) => x.buyer_org_id === p.orgId);
    assertWriter(p);
    if (r.state !== 'open' && r.state !== 'closed')
      throw errors.REQUIREMENT_NOT_OPEN({
        detail: { en: `The requirement is ${r.state}`, es: `El requerimiento está en estado ${r.state}` },
      });
    const [from, to] = add
      ? (['submitted', 'shortlisted'] as const)
      : (['shortlisted', 'submitted'] as const);
    if (a.state !== from) throw invalidApplicationTransition(a.state, add ? 'shortlisted' : 'unshortlisted');
    const next = await d.deals.setApplicationState(trx, id, to, now);
    await d.writeMatchingEvent(
      trx,
      {
        type: 'matching.shortlist.changed',
        orgId: r.buyer_org_id,
        aggregate: { type: 'application', id, version: next.version },
        data: {
          requirementId: r.id,
          buyerId: r.buyer_org_id,
          applicationId: id,
          supplierId: a.supplier_id,
          change: add ? 'added' : 'removed',
          shortlist: await d.deals.shortlistedSuppliers(trx, r.id),
        },
      },
      eventContext(ctx, p),
    );
    return applicationView(next, r.buyer_org_id);
  });
}

export async function awardApplication(
  d: DealDeps,
  id: string,
  input: AwardInput,
  ctx: RequestContext,
): Promise<DealView> {
  const p = principalOf(ctx);
  const now = d.now();
  if (input.startsOn !== undefined && !isCalendarDate(input.startsOn))
    throw errors.INVALID_DATE({ errors: [{ in: 'body', path: '/startsOn', message: input.startsOn }] });
  const deal = await inTransaction(d.db, async (trx) => {
    const { a, r } = await lockApplication(d, trx, id, (x) => x.buyer_org_id === p.orgId);
    assertWriter(p);
    if (a.state !== 'submitted' && a.state !== 'shortlisted')
      throw invalidApplicationTransition(a.state, 'awarded');
    const events = eventContext(ctx, p);
    await awardInTransaction(d, trx, r, now, events);
    await d.deals.setApplicationState(trx, id, 'awarded', now);
    await d.deals.rejectOthers(trx, r.id, id, now);
    const value = input.value ?? { amountMinor: a.price_amount_minor, currency: a.price_currency };
    const bureau =
      a.bureau_id !== null && a.commission_basis_points !== null
        ? {
            id: a.bureau_id,
            commissionBasisPoints: a.commission_basis_points,
            commissionAmountMinor: commissionOf(value.amountMinor, a.commission_basis_points),
          }
        : null;
    const row = await d.deals.insertDeal(trx, {
      id: newId(),
      requirementId: r.id,
      applicationId: id,
      buyerOrgId: r.buyer_org_id,
      supplierId: a.supplier_id,
      bureau,
      value,
      tier: input.tier !== undefined ? input.tier : r.spec.maxTier,
      startsOn: input.startsOn ?? todayInMexico(now),
      awardedAt: now,
    });
    const view = dealView({ ...row, title: r.title, spec: r.spec });
    await d.writeMatchingEvent(
      trx,
      {
        type: 'matching.deal.awarded',
        orgId: r.buyer_org_id,
        aggregate: { type: 'deal', id: row.id, version: 1 },
        data: view,
      },
      events,
    );
    return view;
  });
  // After commit: the deal joins the supplier's track record in the index. A failed refresh only delays
  // that until the supplier's next change or the next index build (the deal itself is committed).
  await d.index.refresh([deal.supplierId]).catch(() => undefined);
  return deal;
}

export async function getDeal(d: DealDeps, id: string, ctx: RequestContext): Promise<DealView> {
  const p = principalOf(ctx);
  const row = await d.deals.findDeal(d.db, id);
  if (!row || ![row.buyer_org_id, row.supplier_id, row.bureau_id].includes(p.orgId))
    throw errors.DEAL_NOT_FOUND();
  return dealView(row);
}

/** Deals the caller is party to (buyer, supplier or brokering bureau), newest first. */
export async function listDeals(
  d: DealDeps,
  page: { limit: number; before?: string },
  ctx: RequestContext,
): Promise<{ items: DealView[]; next: string | null }> {
  const p = principalOf(ctx);
  const rows = await d.deals.dealsOf(d.db, p.orgId, { ...page, limit: page.limit + 1 });
  return pageOf(rows, page.limit, dealView);
}
