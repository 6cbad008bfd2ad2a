/**
 * The supplier side of matching (ARCHITECTURE.md "Matching": "the same engine, seen from the supplier side, gives
 * opportunities and the demand-weighted upgrading roadmap"): one supplier's standing against many requirements,
 * and the upgrades (a certificate, a capability, a facility within the radius, a tier, SME status) that would open
 * the most of them. Pure: no I/O, no clock.
 *
 * Hard constraints depend only on the supplier and the requirement, never on the other suppliers, so they are
 * evaluated with the engine's own constraint code (`evaluateSuppliers`) on an index that holds this supplier
 * alone: the status and gaps are exactly what `match()` says over the full index, at a cost of the requirement's
 * size plus the profile's, whatever the size of the full index. Scores from such an index are calibrated over one
 * supplier and mean nothing; callers that show a score take it from the full index.
 */
import { CAPACITY_UNITS, capacityUnit, certificationStandard, processTag } from '@vinculo/taxonomy';
import { createIndex, type MatchIndex } from './engine-index.js';
import { evaluateSuppliers, type SupplierEvaluation } from './match.js';
import type { EngineRequirement, EngineSupplier, ExplanationEntry, Gap } from './types.js';

export type Standing = Pick<SupplierEvaluation, 'status' | 'failed'> & {
  /**
   * Some words or some capability in common with the requirement. `match()` lists a supplier that fails one or
   * two hard constraints as a near miss only when it is relevant (a firm of another trade that merely fails the
   * radius is not "near"); the supplier side applies the same rule.
   */
  readonly relevant: boolean;
};

/**
 * The text value (relative to the requirement's best text match) a supplier without the stated capability needs
 * to count as near: one shared common word ("piezas", "industrial") is not a trade in common. A quarter of the
 * best match's text score means a real part of the requirement's vocabulary.
 */
export const NEAR_TEXT_SHARE = 0.25;

/**
 * Whether an evaluated supplier is near the requirement: some of its stated capability, or a meaningful share of
 * its words (NEAR_TEXT_SHARE of the best match's text score).
 */
export function isRelevant(
  e: { readonly explanation: readonly ExplanationEntry[] },
  r: EngineRequirement,
): boolean {
  const value = (c: 'text' | 'capability') => e.explanation.find((x) => x.criterion === c)?.value ?? 0;
  // Without a stated capability the capability criterion is a neutral 0.5 for everyone: no evidence of fit.
  const stated = r.capabilities.scianCodes.length > 0 || r.capabilities.processTags.length > 0;
  return value('text') >= NEAR_TEXT_SHARE || (stated && value('capability') > 0);
}

/** Evaluates suppliers one at a time on a private one-supplier index. */
function createProbe(): (s: EngineSupplier, r: EngineRequirement) => SupplierEvaluation {
  let index: MatchIndex = createIndex([]);
  let current: EngineSupplier | undefined;
  return (s, r) => {
    if (current !== s) {
      // Ordinals are never reused, so an index that has seen many variants is replaced before its arrays grow.
      if (index.capacity >= 256) index = createIndex([]);
      index.upsert(s);
      current = s;
    }
    const e = evaluateSuppliers(index, r, [s.id])[0];
    if (!e) throw new Error('a supplier just indexed was not evaluated');
    return e;
  };
}

/**
 * The supplier's standing for one requirement at a time: candidate, near miss or unfit, the failed hard
 * constraints with their gaps, and relevance. Cost per call: the requirement's size plus the profile's.
 */
export function standingOf(supplier: EngineSupplier): (r: EngineRequirement) => Standing {
  const probe = createProbe();
  return (r) => {
    const e = probe(supplier, r);
    return { status: e.status, failed: e.failed, relevant: isRelevant(e, r) };
  };
}

/** What the supplier could add or change; each kind is simulated on a copy of the profile. */
export type Upgrade =
  | { readonly kind: 'certificate'; readonly standardId: string }
  | { readonly kind: 'scian'; readonly code: string }
  | { readonly kind: 'process'; readonly tag: string }
  | { readonly kind: 'radius' }
  | { readonly kind: 'tier'; readonly tier: number }
  | { readonly kind: 'size' };

export function upgradeKey(u: Upgrade): string {
  switch (u.kind) {
    case 'certificate':
      return `certificate:${u.standardId}`;
    case 'scian':
      return `scian:${u.code}`;
    case 'process':
      return `process:${u.tag}`;
    case 'tier':
      return `tier:${u.tier}`;
    case 'radius':
    case 'size':
      return u.kind;
  }
}

export function upgradeLabel(u: Upgrade): { readonly en: string; readonly es: string } {
  switch (u.kind) {
    case 'certificate': {
      const name = certificationStandard(u.standardId)?.name ?? { en: u.standardId, es: u.standardId };
      return { en: `${name.en} certificate`, es: `Certificado ${name.es}` };
    }
    case 'scian':
      return { en: `Capability in SCIAN ${u.code}`, es: `Capacidad en SCIAN ${u.code}` };
    case 'process': {
      const t = processTag(u.tag);
      return { en: `Process: ${t?.en ?? u.tag}`, es: `Proceso: ${t?.es ?? u.tag}` };
    }
    case 'radius':
      return {
        en: "A facility within the buyer's radius",
        es: 'Una planta dentro del radio del comprador',
      };
    case 'tier':
      return {
        en: `Serve at tier ${u.tier} or closer to the OEM`,
        es: `Proveer como nivel ${u.tier} o superior`,
      };
    case 'size':
      return {
        en: 'SME status (micro, small or medium)',
        es: 'Condición de mipyme (micro, pequeña o mediana)',
      };
  }
}

const FAR_FUTURE = '9999-12-31';

/**
 * The profile with the upgrade applied, as `r` would need it: a verified certificate valid from the evaluation
 * date, the code or process added, a facility at the delivery location, the tier served, an SME size class.
 * Every upgrade only adds or improves, so it never breaks a constraint that already passed.
 */
function applyUpgrade(s: EngineSupplier, u: Upgrade, r: EngineRequirement): EngineSupplier {
  switch (u.kind) {
    case 'certificate':
      return {
        ...s,
        certificates: [
          ...s.certificates,
          {
            standardId: u.standardId,
            status: 'verified',
            validFrom: r.evaluationDate.slice(0, 10),
            validTo: FAR_FUTURE,
          },
        ],
      };
    case 'scian':
      return { ...s, scianCodes: [...s.scianCodes, u.code] };
    case 'process':
      return { ...s, processTags: [...s.processTags, u.tag] };
    case 'radius':
      return r.location
        ? {
            ...s,
            facilities: [...s.facilities, { lat: r.location.lat, lon: r.location.lon, stateCode: null }],
          }
        : s;
    case 'tier':
      return { ...s, tiers: [...s.tiers, { industry: 'roadmap', tier: u.tier }] };
    case 'size':
      return { ...s, sizeClass: 'small' };
  }
}

/** The upgrades that might close the failed constraints of `r`; the simulation decides which do. */
function candidateUpgrades(
  r: EngineRequirement,
  failed: readonly Gap[],
  tiersAsked: readonly number[],
): Upgrade[] {
  const kinds = new Set(failed.map((g) => g.constraint));
  const out: Upgrade[] = [];
  if (kinds.has('capability')) {
    // Any one stated code or process satisfies the capability constraint, so each is its own upgrade.
    for (const c of r.capabilities.scianCodes) {
      const code = c.replace(/\D/g, '').slice(0, 6);
      if (code.length >= 2) out.push({ kind: 'scian', code });
    }
    for (const tag of r.capabilities.processTags) out.push({ kind: 'process', tag });
  }
  if (kinds.has('certificate'))
    for (const c of r.mustHaveCertificates) out.push({ kind: 'certificate', standardId: c.standardId });
  if (kinds.has('radius') && r.location) out.push({ kind: 'radius' });
  // Tiers are ordinal: serving at t meets any requirement asking tier t or farther from the OEM, so each tier
  // asked by some near miss is tried on every requirement it would satisfy.
  if (kinds.has('tier') && r.maxTier)
    for (const t of tiersAsked) if (t <= r.maxTier) out.push({ kind: 'tier', tier: t });
  if (kinds.has('size')) out.push({ kind: 'size' });
  return out;
}

/** A requirement and the monthly volume its buyer states, if any. */
export interface RoadmapRequirement {
  readonly id: string;
  readonly requirement: EngineRequirement;
}

/** Monthly demand in one base unit (tonnes count as kg), and how many requirements state it. */
export interface DemandTotal {
  readonly unit: string;
  readonly amountPerMonth: number;
  readonly requirements: number;
}

export interface RoadmapLink {
  readonly requirementId: string;
  /** True when this upgrade alone makes the supplier qualify; otherwise `alsoNeeded` lists what else is missing. */
  readonly alone: boolean;
  /** The gap(s) this upgrade closes. */
  readonly closes: readonly Gap[];
  /** The hard constraints still failing after this upgrade (empty when `alone`); fixing them too qualifies. */
  readonly alsoNeeded: readonly Gap[];
}

export interface RoadmapEntry {
  readonly key: string;
  readonly upgrade: Upgrade;
  readonly label: { readonly en: string; readonly es: string };
  readonly opens: { readonly alone: number; readonly withOthers: number };
  readonly demand: { readonly alone: readonly DemandTotal[]; readonly withOthers: readonly DemandTotal[] };
  readonly requirements: readonly RoadmapLink[];
}

/** A dimension (count, mass …) in which the supplier's monthly capacity is below what requirements ask. */
export interface CapacityEntry {
  readonly unit: string;
  /** The profile's capacity converted to `unit`; null when the profile states none in this dimension. */
  readonly current: number | null;
  /** The largest volume asked: the capacity that would cover every requirement listed. */
  readonly neededToCoverAll: number;
  readonly requirements: readonly {
    readonly requirementId: string;
    readonly status: 'candidate' | 'near-miss';
    readonly amountPerMonth: number;
  }[];
}

export interface Roadmap {
  readonly evaluated: number;
  readonly qualifying: number;
  /** Relevant near misses: the requirements the roadmap is built from. */
  readonly nearMisses: number;
  /** The base unit whose demand breaks ties between upgrades that open as many requirements. */
  readonly demandUnit: string;
  readonly upgrades: readonly RoadmapEntry[];
  readonly capacity: readonly CapacityEntry[];
}

const BASE_UNIT = new Map(CAPACITY_UNITS.filter((u) => u.factor === 1).map((u) => [u.dimension, u.id]));

/**
 * A requirement's estimated demand: the monthly volume its buyer states, converted to the base unit of its
 * dimension. Requirements carry no money value, and item quantities are one-off counts in free-text units, so
 * neither is summed; a requirement without a volume adds nothing to demand (it still counts as opened).
 */
export function monthlyDemand(r: EngineRequirement): { unit: string; amountPerMonth: number } | null {
  const v = r.volume;
  const info = v ? capacityUnit(v.unit) : undefined;
  const unit = info ? BASE_UNIT.get(info.dimension) : undefined;
  if (!v || !info || !unit || !(v.amountPerMonth > 0)) return null;
  return { unit, amountPerMonth: v.amountPerMonth * info.factor };
}

function addDemand(totals: Map<string, { amount: number; n: number }>, r: EngineRequirement): void {
  const d = monthlyDemand(r);
  if (!d) return;
  const t = totals.get(d.unit) ?? { amount: 0, n: 0 };
  t.amount += d.amountPerMonth;
  t.n++;
  totals.set(d.unit, t);
}

function demandList(totals: Map<string, { amount: number; n: number }>): DemandTotal[] {
  return [...totals]
    .map(([unit, t]) => ({ unit, amountPerMonth: t.amount, requirements: t.n }))
    .sort(
      (a, b) =>
        b.requirements - a.requirements || b.amountPerMonth - a.amountPerMonth || (a.unit < b.unit ? -1 : 1),
    );
}

const sameGap = (a: Gap, b: Gap) => a.constraint === b.constraint && a.gap === b.gap;

/**
 * The upgrading roadmap of one supplier over open requirements. For each relevant near miss, every upgrade that
 * could close one of its failed constraints is applied to a copy of the profile and the requirement evaluated
 * again with the engine's constraints: the requirement is linked to the upgrade when a gap closes, as opened
 * `alone` when nothing else fails, or with the gaps `alsoNeeded` otherwise. Unfit requirements (three or more
 * failures) and irrelevant ones are left out.
 *
 * Ranking: requirements opened alone, then their demand in `demandUnit`, then requirements opened together with
 * other upgrades, then that demand, then the key. `demandUnit` is the base unit of the supplier's own capacity
 * when it states one, else the unit most near misses state their volume in.
 *
 * Capacity is not a hard constraint (ARCHITECTURE.md: it compares only in the same unit and is otherwise
 * neutral), so it never opens a requirement; `capacity` lists, per unit, the qualifying or nearly qualifying
 * requirements whose volume exceeds what the profile states.
 *
 * Cost: one evaluation per requirement plus one per candidate upgrade of each near miss, each proportional to
 * the requirement's and the profile's size.
 */
export function upgradeRoadmap(
  supplier: EngineSupplier,
  requirements: readonly RoadmapRequirement[],
  options: {
    /**
     * A second opinion on a near miss the one-supplier probe finds relevant (the probe's text value is relative
     * to the supplier itself, so one shared word passes): e.g. `isRelevant` on the full index. False leaves the
     * requirement out of the roadmap.
     */
    readonly isNear?: (id: string, r: EngineRequirement) => boolean;
  } = {},
): Roadmap {
  const standing = standingOf(supplier);
  const probe = createProbe();
  // Hard constraints read neither the profile's text nor the requirement's (only codes, tags, certificates,
  // facilities, tiers, size), so simulations run on copies without text: no tokenising per simulation.
  const bare: EngineSupplier = { ...supplier, name: '', descriptions: [], materials: [], trackRecord: [] };
  const constraintsOnly = (r: EngineRequirement): EngineRequirement => ({
    ...r,
    title: '',
    description: '',
    items: [],
  });
  const near: { id: string; r: EngineRequirement; failed: readonly Gap[] }[] = [];
  const open: { id: string; r: EngineRequirement; status: 'candidate' | 'near-miss' }[] = [];
  let qualifying = 0;
  for (const { id, requirement: r } of requirements) {
    const s = standing(r);
    if (s.status === 'candidate') {
      qualifying++;
      open.push({ id, r, status: 'candidate' });
    } else if (s.status === 'near-miss' && s.relevant && (options.isNear?.(id, r) ?? true)) {
      near.push({ id, r, failed: s.failed });
      open.push({ id, r, status: 'near-miss' });
    }
  }

  const tiersAsked = [
    ...new Set(
      near.filter((n) => n.failed.some((g) => g.constraint === 'tier')).map((n) => n.r.maxTier ?? 0),
    ),
  ].filter((t) => t > 0);
  const entries = new Map<
    string,
    {
      upgrade: Upgrade;
      links: RoadmapLink[];
      alone: Map<string, { amount: number; n: number }>;
      withOthers: Map<string, { amount: number; n: number }>;
    }
  >();
  for (const n of near) {
    const bareR = constraintsOnly(n.r);
    for (const u of candidateUpgrades(n.r, n.failed, tiersAsked)) {
      const after = probe(applyUpgrade(bare, u, n.r), bareR);
      if (after.failed.length >= n.failed.length) continue;
      const key = upgradeKey(u);
      let e = entries.get(key);
      if (!e) entries.set(key, (e = { upgrade: u, links: [], alone: new Map(), withOthers: new Map() }));
      const alone = after.failed.length === 0;
      e.links.push({
        requirementId: n.id,
        alone,
        closes: n.failed.filter((g) => !after.failed.some((a) => sameGap(a, g))),
        alsoNeeded: after.failed,
      });
      addDemand(alone ? e.alone : e.withOthers, n.r);
    }
  }

  const capacityInfo = supplier.capacity ? capacityUnit(supplier.capacity.unit) : undefined;
  const unitCounts = new Map<string, number>();
  for (const n of near) {
    const d = monthlyDemand(n.r);
    if (d) unitCounts.set(d.unit, (unitCounts.get(d.unit) ?? 0) + 1);
  }
  const demandUnit =
    (capacityInfo && BASE_UNIT.get(capacityInfo.dimension)) ??
    [...unitCounts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ??
    'units-per-month';
  const inUnit = (m: Map<string, { amount: number }>) => m.get(demandUnit)?.amount ?? 0;

  const upgrades: RoadmapEntry[] = [...entries]
    .map(([key, e]) => {
      const links = [...e.links].sort(
        (a, b) => Number(b.alone) - Number(a.alone) || (a.requirementId < b.requirementId ? -1 : 1),
      );
      const alone = links.filter((l) => l.alone).length;
      return {
        entry: {
          key,
          upgrade: e.upgrade,
          label: upgradeLabel(e.upgrade),
          opens: { alone, withOthers: links.length - alone },
          demand: { alone: demandList(e.alone), withOthers: demandList(e.withOthers) },
          requirements: links,
        },
        aloneDemand: inUnit(e.alone),
        otherDemand: inUnit(e.withOthers),
      };
    })
    .sort(
      (a, b) =>
        b.entry.opens.alone - a.entry.opens.alone ||
        b.aloneDemand - a.aloneDemand ||
        b.entry.opens.withOthers - a.entry.opens.withOthers ||
        b.otherDemand - a.otherDemand ||
        (a.entry.key < b.entry.key ? -1 : 1),
    )
    .map((x) => x.entry);

  return {
    evaluated: requirements.length,
    qualifying,
    nearMisses: near.length,
    demandUnit,
    upgrades,
    capacity: capacityShortfalls(supplier, open),
  };
}

function capacityShortfalls(
  supplier: EngineSupplier,
  open: readonly { id: string; r: EngineRequirement; status: 'candidate' | 'near-miss' }[],
): CapacityEntry[] {
  const cap = supplier.capacity;
  const capInfo = cap ? capacityUnit(cap.unit) : undefined;
  const byUnit = new Map<string, CapacityEntry['requirements'][number][]>();
  for (const o of open) {
    const d = monthlyDemand(o.r);
    if (!d) continue;
    const current = currentIn(d.unit);
    if (current !== null && current >= d.amountPerMonth) continue;
    const list = byUnit.get(d.unit) ?? [];
    list.push({ requirementId: o.id, status: o.status, amountPerMonth: d.amountPerMonth });
    byUnit.set(d.unit, list);
  }
  return [...byUnit]
    .map(([unit, list]) => ({
      unit,
      current: currentIn(unit),
      neededToCoverAll: Math.max(...list.map((x) => x.amountPerMonth)),
      requirements: list.sort(
        (a, b) => b.amountPerMonth - a.amountPerMonth || (a.requirementId < b.requirementId ? -1 : 1),
      ),
    }))
    .sort((a, b) => b.requirements.length - a.requirements.length || (a.unit < b.unit ? -1 : 1));

  function currentIn(unit: string): number | null {
    const target = capacityUnit(unit);
    if (!cap || !capInfo || !target || capInfo.dimension !== target.dimension) return null;
    return (cap.amountPerMonth * capInfo.factor) / target.factor;
  }
}
