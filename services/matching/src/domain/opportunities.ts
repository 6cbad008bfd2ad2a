/**
 * The supplier side of matching (issue 4, deliverable 5): a supplier's opportunities, its upgrading roadmap, and
 * for a bureau, which of its members fit one requirement.
 *
 * Rules:
 * - Opportunities and the roadmap are asked for one supplier: a `supplier` organisation asks for itself (another
 *   supplier's id is a 404); a `bureau` names a member (`supplierId`, else 400) that gave it a mandate in force
 *   with the 'view' scope (else 404: the bureau learns nothing about suppliers it does not represent). Any other
 *   organisation type is a 403. Every role may read.
 * - Visibility (the same rule as applications): an open requirement is visible to supplier S when it is public;
 *   or S is invited (whatever the visibility); or it is 'bureaus' and S has a mandate in force with some bureau.
 *   Opportunities also leave out requirements whose deadline has passed (they close with the next job run).
 * - A mandate is in force on a day when its status is active, it has started and has not ended (Mexico City
 *   calendar).
 * - Members' fit is for `bureau` organisations only (403 otherwise). Its members are the suppliers with a
 *   mandate in force with the 'view' scope; the requirement counts for a member when visible to that member, and
 *   must be visible to at least one of them or be public or 'bureaus' (else 404, as for a requirement that does
 *   not exist or is not open).
 * - Status and gaps come from the engine's hard constraints: qualifying (all met), near miss (one or two failed,
 *   and near on the full index: stated capability in common or a real share of the words — engine `isRelevant`,
 *   as for members' fit), otherwise left out.
 */
import {
  isRelevant,
  standingOf,
  upgradeRoadmap,
  type EngineRequirement,
  type EngineSupplier,
  type ExplanationEntry,
  type Gap,
  type Roadmap,
  type SupplierEvaluation,
  type RoadmapEntry,
  type RoadmapLink,
} from '@vinculo/matching-engine';
import type { Kysely } from '@vinculo/service-kit/db';
import type {
  OpportunityPosition,
  OpportunityRepository,
  VisibleRequirement,
} from '../db/opportunities.repository.js';
import { loadSuppliers } from '../db/read-model.repository.js';
import type { MatchingDb } from '../db/schema.js';
import { errors } from '../errors.js';
import { requirementSnapshot, type RequirementSnapshot } from '../events/matching.events.js';
import { todayInMexico, type RequestContext } from './context.js';
import { toEngineRequirement } from './requirements.js';
import { toEngineSupplier, type SupplierIndex } from './supplier-index.js';

export interface OpportunityDeps {
  db: Kysely<MatchingDb>;
  opportunities: OpportunityRepository;
  index: SupplierIndex;
  now: () => Date;
}

function principalOf(ctx: RequestContext) {
  // Routes authenticate first; a missing principal here is a wiring bug, not a caller error.
  if (!ctx.principal) throw new Error('opportunities use case called without a principal');
  return ctx.principal;
}

/** The supplier the caller asks for, after the rules above. */
async function subjectOf(
  d: OpportunityDeps,
  ctx: RequestContext,
  supplierId: string | undefined,
  today: string,
): Promise<string> {
  const p = principalOf(ctx);
  if (p.orgType === 'supplier') {
    if (supplierId !== undefined && supplierId !== p.orgId) throw errors.UNKNOWN_SUPPLIER();
    return p.orgId;
  }
  if (p.orgType !== 'bureau') throw errors.SUPPLIER_SIDE_ONLY();
  if (supplierId === undefined) throw errors.MEMBER_REQUIRED();
  if (!(await d.opportunities.bureauMayActFor(d.db, p.orgId, supplierId, today, 'view')))
    throw errors.UNKNOWN_SUPPLIER();
  return supplierId;
}

/** The supplier as the engine sees it, from the read model (committed rows); undefined without a profile. */
async function engineSupplier(d: OpportunityDeps, supplierId: string): Promise<EngineSupplier | undefined> {
  const [record] = await loadSuppliers(d.db, [supplierId]);
  return record ? toEngineSupplier(record) : undefined;
}

export interface Highlight {
  criterion: string;
  contribution: number;
  note: string;
}

/** The criteria that contribute most: the summary of an explanation. */
function highlights(explanation: readonly ExplanationEntry[], n = 3): Highlight[] {
  return [...explanation]
    .sort((a, b) => b.contribution - a.contribution)
    .slice(0, n)
    .map((e) => ({ criterion: e.criterion, contribution: e.contribution, note: e.note }));
}

export type OpportunityStatus = 'qualifying' | 'near-miss';

export interface Opportunity {
  requirement: RequirementSnapshot;
  buyerName: string | null;
  invited: boolean;
  status: OpportunityStatus;
  /** On the scale of the requirement's ranked matches; null while the supplier is not in the index yet. */
  score: number | null;
  highlights: Highlight[];
  gaps: Gap[];
}

/** Requirements read per database round trip while filling a page. */
const BATCH = 100;
/**
 * Requirements read at most per page: a page may come back shorter than asked, with a cursor, when the
 * supplier qualifies for few of many open requirements; the cost of one request stays bounded.
 */
const MAX_SCAN = 2_000;
/**
 * Near misses re-checked on the full index per page: the one-supplier probe cannot tell one shared common word
 * from a trade in common (its text score is relative to the supplier itself), so each probe near miss is
 * evaluated against the full index and kept only if `isRelevant` there, as members' fit does. Bounded per
 * request (each check is linear in the index); past it the page ends with a cursor.
 */
const MAX_NEAR_CHECKS = 100;

/**
 * The supplier's opportunities, page by page, in deadline order (soonest first, then id: stable under inserts).
 *
 * Cost: each visible open requirement read is tested against the supplier alone (the engine's hard
 * constraints on a one-supplier index: the requirement's size plus the profile's, whatever the number of
 * suppliers), so a page costs O(requirements scanned); only the requirements on the page are then scored
 * against the full index (one `evaluateSuppliers` each: linear in the index, ≤ limit of them; about 5–7 ms each
 * at 100,000 synthetic suppliers, against 15 ms for a match()). No full match() per requirement.
 */
export async function listOpportunities(
  d: OpportunityDeps,
  q: { supplierId?: string; limit: number; status?: OpportunityStatus; after?: OpportunityPosition },
  ctx: RequestContext,
): Promise<{
  supplierId: string;
  evaluatedOn: string;
  items: Opportunity[];
  next: OpportunityPosition | null;
}> {
  const today = todayInMexico(d.now());
  const supplierId = await subjectOf(d, ctx, q.supplierId, today);
  const supplier = await engineSupplier(d, supplierId);
  if (!supplier) return { supplierId, evaluatedOn: today, items: [], next: null };
  const standing = standingOf(supplier);
  const viaBureaus = await d.opportunities.hasMandate(d.db, supplierId, today);

  const found: {
    row: VisibleRequirement;
    engine: EngineRequirement;
    status: OpportunityStatus;
    gaps: Gap[];
    evaluation?: SupplierEvaluation;
  }[] = [];
  let after = q.after;
  let scanned = 0;
  let nearChecks = 0;
  // Whether rows may remain after `after`: a batch came back full, or the page filled before its end.
  let more = true;
  scan: while (more && found.length < q.limit && scanned < MAX_SCAN) {
    const want = Math.min(BATCH, MAX_SCAN - scanned);
    const rows = await d.opportunities.visibleOpen(d.db, supplierId, {
      today,
      viaBureaus,
      limit: want,
      ...(after ? { after } : {}),
    });
    more = rows.length === want;
    for (const [i, row] of rows.entries()) {
      const engine = toEngineRequirement(row, row.buyer_name, today);
      const s = standing(engine);
      let status: OpportunityStatus | undefined =
        s.status === 'candidate'
          ? 'qualifying'
          : s.status === 'near-miss' && s.relevant
            ? 'near-miss'
            : undefined;
      if (status && q.status && q.status !== status) status = undefined;
      let evaluation: SupplierEvaluation | undefined;
      if (status === 'near-miss') {
        if (nearChecks === MAX_NEAR_CHECKS) {
          // This row is left for the next page: the cursor stays on the row before it.
          more = true;
          break scan;
        }
        nearChecks++;
        evaluation = d.index.evaluate(engine, [supplierId])[0];
        if (evaluation && !isRelevant(evaluation, engine)) status = undefined;
      }
      scanned++;
      after = { deadline: row.deadline, id: row.id };
      if (status)
        found.push({ row, engine, status, gaps: [...s.failed], ...(evaluation ? { evaluation } : {}) });
      if (found.length === q.limit) {
        if (i < rows.length - 1) more = true;
        break;
      }
    }
  }

  const items = found.map(({ row, engine, status, gaps, evaluation }): Opportunity => {
    const e = evaluation ?? d.index.evaluate(engine, [supplierId])[0];
    return {
      requirement: requirementSnapshot(row),
      buyerName: row.buyer_name,
      invited: row.invited,
      status,
      score: e ? e.score : null,
      highlights: e ? highlights(e.explanation) : [],
      gaps,
    };
  });
  return { supplierId, evaluatedOn: today, items, next: more && after ? after : null };
}

/**
 * Near misses of one roadmap re-checked on the full index, as opportunities do (each check is linear in the
 * index: ~5–7 ms at 100,000 suppliers). Past the bound the probe's looser rule (any shared word) decides.
 */
const ROADMAP_NEAR_CHECKS = 200;

function nearOnFullIndex(d: OpportunityDeps, supplierId: string) {
  let checks = 0;
  return (_id: string, r: EngineRequirement): boolean => {
    if (checks++ >= ROADMAP_NEAR_CHECKS) return true;
    const e = d.index.evaluate(r, [supplierId])[0];
    return e === undefined || isRelevant(e, r);
  };
}

/** At most this many open requirements enter one roadmap (soonest deadlines first); `truncated` says so. */
const ROADMAP_MAX = 2_000;
const ROADMAP_PAGE = 500;
const DEMAND_BASIS =
  "The buyer's stated monthly volume, summed per base unit (tonnes as kg); requirements without a volume add " +
  'none. Requirements carry no money value and item quantities are one-off counts, so neither is summed.';

type Mutable<T> = T extends readonly (infer U)[]
  ? Mutable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Mutable<T[K]> }
    : T;

/** The engine's roadmap with each link's requirement title, as the API answers it. */
export type RoadmapView = Mutable<Omit<Roadmap, 'upgrades'>> & {
  supplierId: string;
  evaluatedOn: string;
  truncated: boolean;
  demandBasis: string;
  upgrades: (Mutable<Omit<RoadmapEntry, 'requirements'>> & {
    requirements: (Mutable<RoadmapLink> & { title: string })[];
  })[];
};

/**
 * The supplier's upgrading roadmap over every open requirement visible to it (engine: upgradeRoadmap).
 * Cost: linear in the visible open requirements (each tested against the supplier alone), plus a few
 * constraint-only re-evaluations per near miss; independent of the number of suppliers. Measured on synthetic
 * data: about 0.3 ms per requirement, 0.3–0.5 s for 1,000 open requirements of which two thirds are near misses.
 */
export async function upgradeInsights(
  d: OpportunityDeps,
  q: { supplierId?: string },
  ctx: RequestContext,
): Promise<RoadmapView> {
  const today = todayInMexico(d.now());
  const supplierId = await subjectOf(d, ctx, q.supplierId, today);
  const supplier = await engineSupplier(d, supplierId);
  const viaBureaus = supplier ? await d.opportunities.hasMandate(d.db, supplierId, today) : false;
  const rows: VisibleRequirement[] = [];
  let after: OpportunityPosition | undefined;
  // Reads one page past the maximum, so `truncated` says whether anything was really left out.
  while (supplier && rows.length <= ROADMAP_MAX) {
    const page = await d.opportunities.visibleOpen(d.db, supplierId, {
      today,
      viaBureaus,
      limit: ROADMAP_PAGE,
      ...(after ? { after } : {}),
    });
    rows.push(...page);
    const last = page.at(-1);
    if (!last || page.length < ROADMAP_PAGE) break;
    after = { deadline: last.deadline, id: last.id };
  }
  const truncated = rows.length > ROADMAP_MAX;
  if (truncated) rows.length = ROADMAP_MAX;
  const titles = new Map(rows.map((r) => [r.id, r.title]));
  const roadmap: Roadmap = supplier
    ? upgradeRoadmap(
        supplier,
        rows.map((r) => ({ id: r.id, requirement: toEngineRequirement(r, r.buyer_name, today) })),
        { isNear: nearOnFullIndex(d, supplierId) },
      )
    : {
        evaluated: 0,
        qualifying: 0,
        nearMisses: 0,
        demandUnit: 'units-per-month',
        upgrades: [],
        capacity: [],
      };
  return {
    supplierId,
    evaluatedOn: today,
    evaluated: roadmap.evaluated,
    qualifying: roadmap.qualifying,
    nearMisses: roadmap.nearMisses,
    truncated,
    demandUnit: roadmap.demandUnit,
    demandBasis: DEMAND_BASIS,
    upgrades: roadmap.upgrades.map((u) => ({
      key: u.key,
      upgrade: { ...u.upgrade },
      label: { ...u.label },
      opens: { ...u.opens },
      demand: {
        alone: u.demand.alone.map((x) => ({ ...x })),
        withOthers: u.demand.withOthers.map((x) => ({ ...x })),
      },
      requirements: u.requirements.map((l) => ({
        requirementId: l.requirementId,
        title: titles.get(l.requirementId) ?? '',
        alone: l.alone,
        closes: l.closes.map((g) => ({ ...g })),
        alsoNeeded: l.alsoNeeded.map((g) => ({ ...g })),
      })),
    })),
    capacity: roadmap.capacity.map((c) => ({ ...c, requirements: c.requirements.map((x) => ({ ...x })) })),
  };
}

export interface MemberFit {
  supplierId: string;
  name: string | null;
  invited: boolean;
  score: number;
  highlights: Highlight[];
  gaps: Gap[];
}

/**
 * For a bureau: which of its members fit one requirement, and which nearly fit, in one engine call for all of
 * them (`evaluateSuppliers` over the full index, so scores sit on the scale of the buyer's ranked matches).
 */
export async function membersFit(
  d: OpportunityDeps,
  requirementId: string,
  ctx: RequestContext,
): Promise<{
  requirementId: string;
  evaluatedOn: string;
  members: number;
  fit: MemberFit[];
  nearFit: MemberFit[];
}> {
  const p = principalOf(ctx);
  if (p.orgType !== 'bureau') throw errors.BUREAUS_ONLY();
  const today = todayInMexico(d.now());
  const row = await d.opportunities.requirement(d.db, requirementId);
  if (!row || row.state !== 'open') throw errors.REQUIREMENT_NOT_FOUND();
  const members = await d.opportunities.members(d.db, p.orgId, today, 'view');
  const invited = new Set(await d.opportunities.invitedAmong(d.db, requirementId, members));
  // Public and 'bureaus' requirements are visible to every member (each has a mandate in force with this
  // bureau); an invited-only one only to the invited members.
  const eligible = row.visibility === 'invited' ? members.filter((m) => invited.has(m)) : members;
  if (row.visibility === 'invited' && eligible.length === 0) throw errors.REQUIREMENT_NOT_FOUND();

  const engine = toEngineRequirement(row, row.buyer_name, today);
  const fit: MemberFit[] = [];
  const nearFit: MemberFit[] = [];
  for (const e of d.index.evaluate(engine, eligible)) {
    if (e.status === 'unfit' || (e.status === 'near-miss' && !isRelevant(e, engine))) continue;
    (e.status === 'candidate' ? fit : nearFit).push({
      supplierId: e.supplierId,
      name: d.index.nameOf(e.supplierId) ?? null,
      invited: invited.has(e.supplierId),
      score: e.score,
      highlights: highlights(e.explanation),
      gaps: [...e.failed],
    });
  }
  const order = (a: MemberFit, b: MemberFit) => b.score - a.score || (a.supplierId < b.supplierId ? -1 : 1);
  return {
    requirementId,
    evaluatedOn: today,
    members: eligible.length,
    fit: fit.sort(order),
    nearFit: nearFit.sort(order),
  };
}
