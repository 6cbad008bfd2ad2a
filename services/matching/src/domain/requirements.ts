/**
 * Requirements (RFQs) and their matches.
 *
 * Rules:
 * - Only `buyer` organisations post requirements (anyone else: 403, which does not depend on any target);
 *   `viewer` members read but do not write (403).
 * - A requirement is its buyer's: any other caller gets 404 for it, except that an open requirement is readable
 *   by the suppliers and bureaus it is visible to (domain/visibility.ts) and, when public, by every signed-in
 *   organisation. Its matches are the buyer's alone (404 to everyone else).
 * - States (ARCHITECTURE.md "Matching"): draft → open; open → closed; open | closed → awarded (only by
 *   awarding an application: domain/deals.ts, through awardInTransaction); draft | open | closed → cancelled; awarded and cancelled are final. Anything else is a 409, including
 *   repeating the current state. Opening needs a deadline that has not passed (Mexico City calendar).
 * - Each transition bumps the version and writes matching.requirement.opened/closed/awarded/cancelled to the
 *   outbox in the same transaction.
 */
import { certificationStandard, capacityUnit, processTag } from '@vinculo/taxonomy';
import { DEFAULT_WEIGHTS, type EngineRequirement, type Weights } from '@vinculo/matching-engine';
import { inTransaction, newId, type Kysely, type Transaction } from '@vinculo/service-kit/db';
import type { DealsRepository } from '../db/deals.repository.js';
import type { RequirementRepository } from '../db/requirements.repository.js';
import type { MatchingDb, Requirement, RequirementSpec, RequirementState, Visibility } from '../db/schema.js';
import { errors } from '../errors.js';
import {
  requirementSnapshot,
  type EventContext,
  type RequirementEventType,
  type RequirementEventWriter,
  type RequirementSnapshot,
} from '../events/matching.events.js';
import { isCalendarDate, todayInMexico, type RequestContext } from './context.js';
import type { SupplierIndex } from './supplier-index.js';
import { isVisibleToBureau, isVisibleToSupplier } from './visibility.js';

export interface RequirementDeps {
  db: Kysely<MatchingDb>;
  requirements: RequirementRepository;
  /** Invitations and mandates, for who may read a requirement that is not public. */
  deals: Pick<DealsRepository, 'isInvited' | 'mandatesOf' | 'invitedMembersOf'>;
  writeEvent: RequirementEventWriter;
  index: SupplierIndex;
  now: () => Date;
}

export interface RequirementInput {
  title: string;
  description?: string;
  items: RequirementSpec['items'];
  capabilities: RequirementSpec['capabilities'];
  mustHaveCertificates: RequirementSpec['mustHaveCertificates'];
  niceToHaveCertificates?: RequirementSpec['niceToHaveCertificates'];
  maxTier?: RequirementSpec['maxTier'];
  sizePreference?: RequirementSpec['sizePreference'];
  location?: RequirementSpec['location'];
  volume?: RequirementSpec['volume'];
  deadline: string;
  visibility: Visibility;
}

export type RequirementView = RequirementSnapshot & { version: number };

export type RequirementAction = 'open' | 'close' | 'cancel';

const TRANSITIONS: Record<
  RequirementAction,
  { from: readonly RequirementState[]; to: RequirementState; event: RequirementEventType }
> = {
  open: { from: ['draft'], to: 'open', event: 'matching.requirement.opened' },
  close: { from: ['open'], to: 'closed', event: 'matching.requirement.closed' },
  cancel: { from: ['draft', 'open', 'closed'], to: 'cancelled', event: 'matching.requirement.cancelled' },
};

const WRITERS = new Set(['owner', 'admin', 'member']);

function view(r: Requirement): RequirementView {
  return { ...requirementSnapshot(r), version: r.version };
}

function principalOf(ctx: RequestContext) {
  // Routes authenticate first; a missing principal here is a wiring bug, not a caller error.
  if (!ctx.principal) throw new Error('requirement use case called without a principal');
  return ctx.principal;
}

function assertBuyerWriter(ctx: RequestContext) {
  const p = principalOf(ctx);
  if (p.orgType !== 'buyer') throw errors.BUYERS_ONLY();
  if (!p.roles.some((r) => WRITERS.has(r))) throw errors.FORBIDDEN_ROLE();
  return p;
}

const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

function checkSpec(input: RequirementInput, today: string): RequirementSpec {
  if (!isCalendarDate(input.deadline) || input.deadline < today)
    throw errors.INVALID_DEADLINE({ errors: [{ in: 'body', path: '/deadline', message: input.deadline }] });
  const certs = (list: RequirementSpec['mustHaveCertificates'], path: string) => {
    const seen = new Map<string, { standardId: string; verifiedOnly?: boolean }>();
    list.forEach((c, i) => {
      if (!certificationStandard(c.standardId))
        throw errors.UNKNOWN_CERTIFICATE({
          detail: c.standardId,
          errors: [{ in: 'body', path: `${path}/${i}/standardId`, message: c.standardId }],
        });
      seen.set(c.standardId, { standardId: c.standardId, ...(c.verifiedOnly ? { verifiedOnly: true } : {}) });
    });
    return [...seen.values()];
  };
  input.capabilities.processTags.forEach((t, i) => {
    if (!processTag(t))
      throw errors.UNKNOWN_PROCESS_TAG({
        detail: t,
        errors: [{ in: 'body', path: `/capabilities/processTags/${i}`, message: t }],
      });
  });
  if (input.volume && !capacityUnit(input.volume.unit))
    throw errors.UNKNOWN_UNIT({
      detail: input.volume.unit,
      errors: [{ in: 'body', path: '/volume/unit', message: input.volume.unit }],
    });
  return {
    description: input.description ?? '',
    items: input.items.map((i) => ({
      description: i.description,
      codes: unique(i.codes),
      quantity: i.quantity,
      unit: i.unit,
    })),
    capabilities: {
      scianCodes: unique(input.capabilities.scianCodes),
      processTags: unique(input.capabilities.processTags),
    },
    mustHaveCertificates: certs(input.mustHaveCertificates, '/mustHaveCertificates'),
    niceToHaveCertificates: certs(input.niceToHaveCertificates ?? [], '/niceToHaveCertificates'),
    maxTier: input.maxTier ?? null,
    sizePreference: input.sizePreference ?? null,
    location: input.location ?? null,
    volume: input.volume ?? null,
  };
}

export async function createRequirement(
  d: RequirementDeps,
  input: RequirementInput,
  ctx: RequestContext,
): Promise<RequirementView> {
  const p = assertBuyerWriter(ctx);
  const now = d.now();
  const spec = checkSpec(input, todayInMexico(now));
  const row = await d.requirements.insert(
    d.db,
    {
      id: newId(),
      buyerOrgId: p.orgId,
      title: input.title.trim(),
      spec,
      deadline: input.deadline,
      visibility: input.visibility,
    },
    now,
  );
  return view(row);
}

export async function transitionRequirement(
  d: RequirementDeps,
  id: string,
  action: RequirementAction,
  ctx: RequestContext,
): Promise<RequirementView> {
  const p = principalOf(ctx);
  const t = TRANSITIONS[action];
  const row = await inTransaction(d.db, async (trx) => {
    const current = await d.requirements.find(trx, id, { forUpdate: true });
    if (!current || current.buyer_org_id !== p.orgId) throw errors.REQUIREMENT_NOT_FOUND();
    assertBuyerWriter(ctx);
    if (!t.from.includes(current.state))
      throw errors.INVALID_TRANSITION({
        detail: {
          en: `A ${current.state} requirement cannot be ${t.to}`,
          es: `Un requerimiento en estado ${current.state} no puede pasar a ${t.to}`,
        },
      });
    const now = d.now();
    if (action === 'open' && current.deadline < todayInMexico(now)) throw errors.DEADLINE_PASSED();
    const next = await d.requirements.transition(trx, id, t.to, now);
    await d.writeEvent(trx, t.event, next, {
      correlationId: ctx.correlationId,
      actor: {
        orgId: p.orgId,
        ...(p.userId ? { userId: p.userId } : {}),
        ...(p.apiKeyId ? { apiKeyId: p.apiKeyId } : {}),
      },
    });
    return next;
  });
  return view(row);
}

/**
 * open | closed → awarded, inside the award's transaction (the caller holds the requirement's row lock and has
 * checked it is the caller's): the deal and this transition commit together or not at all.
 */
export async function awardInTransaction(
  d: Pick<RequirementDeps, 'requirements' | 'writeEvent'>,
  trx: Transaction<MatchingDb>,
  current: Requirement,
  at: Date,
  ctx: EventContext,
): Promise<Requirement> {
  if (current.state !== 'open' && current.state !== 'closed')
    throw errors.INVALID_TRANSITION({
      detail: {
        en: `A ${current.state} requirement cannot be awarded`,
        es: `Un requerimiento en estado ${current.state} no puede adjudicarse`,
      },
    });
  const next = await d.requirements.transition(trx, current.id, 'awarded', at);
  await d.writeEvent(trx, 'matching.requirement.awarded', next, ctx);
  return next;
}

export async function getRequirement(
  d: RequirementDeps,
  id: string,
  ctx: RequestContext,
): Promise<RequirementView> {
  const p = principalOf(ctx);
  const row = await d.requirements.find(d.db, id);
  if (!row) throw errors.REQUIREMENT_NOT_FOUND();
  if (row.buyer_org_id !== p.orgId) {
    const today = todayInMexico(d.now());
    const visible =
      p.orgType === 'supplier'
        ? await isVisibleToSupplier(d.deals, d.db, row, p.orgId, today)
        : p.orgType === 'bureau'
          ? await isVisibleToBureau(d.deals, d.db, row, p.orgId, today)
          : row.state === 'open' && row.visibility === 'public';
    if (!visible) throw errors.REQUIREMENT_NOT_FOUND();
  }
  return view(row);
}

export async function listRequirements(
  d: RequirementDeps,
  opts: { limit: number; state?: RequirementState; after?: { createdAt: string; id: string } },
  ctx: RequestContext,
): Promise<{ items: RequirementView[]; next: { createdAt: string; id: string } | null }> {
  const p = principalOf(ctx);
  const rows = await d.requirements.listByBuyer(d.db, p.orgId, { ...opts, limit: opts.limit + 1 });
  const page = rows.slice(0, opts.limit);
  const last = page.at(-1);
  return {
    items: page.map(view),
    next: rows.length > opts.limit && last ? { createdAt: last.created_at.toISOString(), id: last.id } : null,
  };
}

export function toEngineRequirement(
  r: Requirement,
  buyerName: string | null,
  evaluationDate: string,
): EngineRequirement {
  return {
    title: r.title,
    description: r.spec.description,
    items: r.spec.items.map((i) => ({ description: i.description, codes: i.codes })),
    capabilities: r.spec.capabilities,
    mustHaveCertificates: r.spec.mustHaveCertificates,
    niceToHaveCertificates: r.spec.niceToHaveCertificates,
    maxTier: r.spec.maxTier,
    sizePreference: r.spec.sizePreference,
    location: r.spec.location,
    volume: r.spec.volume,
    deadline: r.deadline,
    buyerId: r.buyer_org_id,
    buyerName,
    evaluationDate,
  };
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

export interface MatchesQuery {
  limit: number;
  offset: number;
  nearMisses: number;
  weights: Partial<Weights>;
}

export async function getMatches(d: RequirementDeps, id: string, q: MatchesQuery, ctx: RequestContext) {
  const p = principalOf(ctx);
  const row = await d.requirements.findWithBuyerName(d.db, id);
  if (!row || row.buyer_org_id !== p.orgId) throw errors.REQUIREMENT_NOT_FOUND();
  const weights: Weights = { ...DEFAULT_WEIGHTS, ...q.weights };
  if (Object.values(weights).every((w) => w === 0)) throw errors.WEIGHTS_ALL_ZERO();
  const evaluatedOn = todayInMexico(d.now());
  const requirement = toEngineRequirement(row, row.buyer_name, evaluatedOn);
  // The requirement's version changes with its content; the buyer's name and the day are part of the input.
  const result = d.index.match(
    requirement,
    { weights, limit: q.limit, offset: q.offset, nearMissLimit: q.nearMisses },
    JSON.stringify([
      row.id,
      row.version,
      evaluatedOn,
      requirement.buyerName,
      weights,
      q.limit,
      q.offset,
      q.nearMisses,
    ]),
  );
  const name = (supplierId: string) => d.index.nameOf(supplierId) ?? null;
  return {
    requirementId: row.id,
    evaluatedOn,
    weights,
    total: result.total,
    limit: q.limit,
    offset: q.offset,
    // Six decimals are plenty to read and re-sort, and halve the page's bytes (a page is ~30 explained
    // suppliers); each entry's weight is the request's, listed once in `weights`.
    candidates: result.candidates.map((c) => ({
      supplierId: c.supplierId,
      name: name(c.supplierId),
      score: round6(c.score),
      explanation: c.explanation.map((e) => ({
        criterion: e.criterion,
        value: round6(e.value),
        contribution: round6(e.contribution),
        note: e.note,
      })),
    })),
    nearMisses: result.nearMisses.map((n) => ({
      supplierId: n.supplierId,
      name: name(n.supplierId),
      score: round6(n.score),
      gaps: n.failed.map((g) => ({ ...g })),
    })),
  };
}
