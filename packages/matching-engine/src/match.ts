import { certificationStandard, findProcessTags, processTag } from '@vinculo/taxonomy';
import { Bitset, failingOneOrTwo } from './bitset.js';
import {
  buyerKeys,
  codeTerms,
  dayNumber,
  type MatchIndex,
  SME_CLASSES,
  standardsSatisfying,
  standardsSatisfyingSet,
  type BuyerHistory,
  type DocInfo,
} from './engine-index.js';
import { cellInside, cellsWithin, haversineKm } from './geo.js';
import type { WeightedTerm } from './text-index.js';
import { tokenize, tokenizeClean } from './tokenize.js';
import {
  CRITERIA,
  type Candidate,
  type Criterion,
  type EngineCertificate,
  type EngineRequirement,
  type EngineSupplier,
  type ExplanationEntry,
  type Gap,
  type HardConstraint,
  type MatchOptions,
  type MatchResult,
  type NearMiss,
  type RequiredCertificate,
  type Weights,
} from './types.js';

/**
 * Text and capability carry most of the weight because they say whether the supplier does the work at all;
 * the popularity-like priors (contracts overall, with this buyer, recency) stay small: they break ties between
 * equally fitting suppliers but must not let a prolific supplier outrank one that does the work. Criteria the
 * requirement does not engage (no location, no volume …) score a neutral 0.5 for everyone, so they never
 * reorder candidates.
 */
export const DEFAULT_WEIGHTS: Weights = Object.freeze({
  capability: 2,
  text: 3,
  codes: 1.5,
  certificates: 2,
  tier: 1,
  distance: 1,
  capacity: 1,
  trackRecord: 0.25,
  buyerHistory: 0.5,
  recency: 0.25,
  qualification: 0.5,
  preference: 1,
});

const NEUTRAL = 0.5;
/** How many near-miss suppliers (most relevant first) are scored in full before the best are kept. */
const NEAR_MISS_POOL = 200;
const SYNONYM_WEIGHT = 0.5;
/** Far above the rounding error of a sum of a dozen terms in 0..1, far below any meaningful score gap. */
const BOUND_SLACK = 1e-9;
const DECLARED_CERT_VALUE = 0.6;
/** The certificates criterion by status code: none valid, declared, verified. */
const CERT_VALUE = [0, DECLARED_CERT_VALUE, 1] as const;
/** Derived constraint columns kept per index version (a certificate standard on a day: a byte and two bits per supplier). */
const CONSTRAINT_CACHE_SIZE = 64;
const OVERQUALIFIED_TIER_VALUE = 0.8;
/** Years after which a supplier's latest contract counts for 1/e of a current one. */
const RECENCY_SCALE_YEARS = 3;

function resolveWeights(w: Partial<Weights> | undefined): Weights {
  const out = { ...DEFAULT_WEIGHTS };
  if (w)
    for (const c of CRITERIA) {
      const v = w[c];
      if (typeof v === 'number' && Number.isFinite(v) && v >= 0) out[c] = v;
    }
  return out;
}

function requirementText(r: EngineRequirement): string {
  return [r.title, r.description, ...r.items.map((i) => i.description)].join(' \n ');
}

/**
 * What a requirement's text says, kept for the last few hundred texts: the terms and the process tags it names
 * depend on the text alone, and the same requirement is ranked again and again (paging, other weights, after
 * supplier changes) while tokenising it and matching the catalogue's phrases costs a few tenths of a
 * millisecond. Entries are never modified after they are made.
 */
interface TextAnalysis {
  readonly terms: readonly WeightedTerm[];
  readonly namedTags: readonly string[];
}
const ANALYSED_TEXTS = 512;
const analyses = new Map<string, TextAnalysis>();

function analyse(r: EngineRequirement): TextAnalysis {
  const text = requirementText(r);
  const key = `${r.capabilities.processTags.join(',')}\u0000${text}`;
  const hit = analyses.get(key);
  if (hit) return hit;
  const namedTags = findProcessTags(text).map((t) => t.id);
  const analysis = { terms: computeQueryTerms(text, namedTags, r.capabilities.processTags), namedTags };
  analyses.set(key, analysis);
  if (analyses.size > ANALYSED_TEXTS) analyses.delete(analyses.keys().next().value as string);
  return analysis;
}

/** The requirement's terms (with their counts) plus the catalogue synonyms of the processes it names. */
export function queryTerms(r: EngineRequirement): WeightedTerm[] {
  return [...analyse(r).terms];
}

function computeQueryTerms(
  text: string,
  namedTags: readonly string[],
  statedTags: readonly string[],
): WeightedTerm[] {
  const counts = new Map<string, number>();
  for (const t of tokenizeClean(text)) counts.set(t, (counts.get(t) ?? 0) + 1);
  const terms: WeightedTerm[] = [...counts].map(([term, n]) => ({ term, weight: n }));
  const tagIds = new Set([...namedTags, ...statedTags]);
  const extra = new Set<string>();
  for (const id of tagIds) {
    const tag = processTag(id);
    if (!tag) continue;
    for (const phrase of [tag.es, tag.en, ...tag.synonyms])
      for (const t of tokenize(phrase)) if (!counts.has(t)) extra.add(t);
  }
  for (const term of extra) terms.push({ term, weight: SYNONYM_WEIGHT });
  return terms;
}

function codeQuery(r: EngineRequirement): WeightedTerm[] {
  const counts = new Map<string, number>();
  const all = [...r.capabilities.scianCodes, ...r.items.flatMap((i) => i.codes)];
  for (const c of all) for (const t of new Set(codeTerms(c))) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts].map(([term, n]) => ({ term, weight: 1 + Math.log(n) }));
}

function certValid(c: EngineCertificate, day: string): boolean {
  return (c.status === 'declared' || c.status === 'verified') && c.validFrom <= day && day <= c.validTo;
}

/** The best certificate of a supplier meeting `req` on `day`: 'verified', 'declared' or undefined. */
function bestCertificate(
  s: EngineSupplier,
  req: RequiredCertificate,
  day: string,
): { status: 'verified' | 'declared'; cert: EngineCertificate } | undefined {
  const ok = standardsSatisfyingSet(req.standardId);
  let best: { status: 'verified' | 'declared'; cert: EngineCertificate } | undefined;
  for (const c of s.certificates) {
    if (!ok.has(c.standardId) || !certValid(c, day)) continue;
    if (c.status === 'verified') {
      if (!best || best.status !== 'verified' || c.validTo > best.cert.validTo)
        best = { status: 'verified', cert: c };
    } else if (!best || (best.status === 'declared' && c.validTo > best.cert.validTo))
      best = { status: 'declared', cert: c };
  }
  return best;
}

function standardName(id: string): string {
  return certificationStandard(id)?.name.en ?? id;
}

function isoDay(s: string): string {
  return s.slice(0, 10);
}

interface ConstraintSet {
  readonly kind: HardConstraint;
  readonly pass: Bitset;
  readonly gap: (doc: number) => Gap;
}

/** Everything a query computes once and then reads per supplier. */
interface QueryContext {
  readonly index: MatchIndex;
  readonly req: EngineRequirement;
  readonly day: string;
  readonly evalDay: number;
  readonly weights: Weights;
  /** The weights in CRITERIA order, divided by their sum: a score is one dot product. */
  readonly weightVector: Float64Array;
  readonly weightSum: number;
  readonly terms: readonly WeightedTerm[];
  readonly textScores: Float64Array;
  readonly codeScores: Float64Array;
  textMax: number;
  /** The divisor of code scores: `codeNormaliser` when some candidate holds a query code, else 0. */
  codeMax: number;
  readonly codeNormaliser: number;
  readonly capFit: Float64Array | undefined;
  /** The suppliers with some capability fit (`capFit > 0`). */
  readonly capFitSet: Bitset | undefined;
  readonly tagIds: readonly string[];
  readonly buyerHistory: Map<number, BuyerHistory> | undefined;
  /** Contracts with this buyer per ordinal (zero elsewhere), when a buyer is given. */
  readonly buyerCounts: Float64Array | undefined;
  trackMax: number;
  buyerMax: number;
  /** log(1 + trackMax) and log(1 + buyerMax): the normalisers of the two track-record criteria. */
  trackDen: number;
  buyerDen: number;
  /** The requirement's volume unit interned as in the index's columns; -1 when none or unknown to the index. */
  readonly volumeUnit: number;
  readonly certs: readonly RequiredCertificate[];
  /** Per required certificate (`certs` order), each supplier's status on the evaluation day (`CERT_VALUE`). */
  readonly certStatus: readonly Uint8Array[];
}

function nearestKm(coords: Float64Array, lat: number, lon: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i + 1 < coords.length; i += 2) {
    const d = haversineKm(lat, lon, coords[i] as number, coords[i + 1] as number);
    if (d < best) best = d;
  }
  return best;
}

function buildCapabilityFit(
  index: MatchIndex,
  codes: readonly string[],
  tags: readonly string[],
): { fit: Float64Array; holders: Bitset } | undefined {
  if (codes.length === 0 && tags.length === 0) return undefined;
  const fit = index.scratch(2);
  const holders = new Bitset(index.capacity);
  const parts = (codes.length > 0 ? 1 : 0) + (tags.length > 0 ? 1 : 0);
  if (codes.length > 0) {
    // The deepest prefix held decides: fit = (matched digits / digits) / parts, kept as the maximum over the
    // code's prefixes (dividing by `parts` is monotone, so the maximum is the same as dividing afterwards).
    // Credit starts at the SCIAN industry group (4 digits, "rama"): sharing only the sector or subsector ("33",
    // "332": most of manufacturing) is not a trade in common, and would make every manufacturer a near miss.
    for (const code of codes) {
      const digits = code.replace(/\D/g, '').slice(0, 6);
      for (let n = Math.min(4, digits.length); n <= digits.length; n++) {
        const v = n / digits.length / parts;
        const set = index.set(`scian:${digits.slice(0, n)}`);
        if (!set) continue;
        holders.orInPlace(set);
        const words = set.words;
        for (let wi = 0; wi < words.length; wi++) {
          let w = words[wi] as number;
          while (w !== 0) {
            const t = w & -w;
            w ^= t;
            const d = (wi << 5) + 31 - Math.clz32(t);
            if ((fit[d] as number) < v) fit[d] = v;
          }
        }
      }
    }
  }
  if (tags.length > 0) {
    const share = 1 / tags.length / parts;
    for (const t of tags) {
      const set = index.set(`tag:${t}`);
      if (!set) continue;
      holders.orInPlace(set);
      set.forEach((d) => (fit[d] = (fit[d] as number) + share));
    }
  }
  return { fit, holders };
}

/**
 * The criteria values of one supplier, in CRITERIA order. With `bound`, the costly criterion (distance, a
 * trigonometric distance per facility) is set to its maximum, 1, instead of computed: the total is then an upper bound of the score
 * (rounding is monotone, so the bound holds in floating point too), used to skip suppliers that cannot enter
 * the page.
 */
function values(ctx: QueryContext, doc: number, out: Float64Array, bound = false): void {
  const col = ctx.index.columns;
  const r = ctx.req;
  // capability
  out[0] = ctx.capFit ? (ctx.capFit[doc] as number) : NEUTRAL;
  out[1] = ctx.textMax > 0 ? (ctx.textScores[doc] as number) / ctx.textMax : 0;
  out[2] =
    ctx.codeMax > 0
      ? Math.min(1, (ctx.codeScores[doc] as number) / ctx.codeMax)
      : ctx.codeScores.length
        ? 0
        : NEUTRAL;
  // certificates
  out[3] = ctx.certs.length === 0 ? NEUTRAL : certificatesValue(ctx.certStatus, doc);
  // tier
  if (r.maxTier) {
    const t = col.bestTier[doc] as number;
    out[4] = t === 0 || t > r.maxTier ? 0 : t === r.maxTier ? 1 : OVERQUALIFIED_TIER_VALUE;
  } else out[4] = NEUTRAL;
  // distance
  if (!r.location) out[5] = NEUTRAL;
  else if (bound) out[5] = 1;
  else {
    const d = nearestKm((ctx.index.docs[doc] as DocInfo).coords, r.location.lat, r.location.lon);
    out[5] = Number.isFinite(d) ? Math.max(0, 1 - d / Math.max(1, r.location.radiusKm)) : 0;
  }
  // capacity
  if (
    r.volume &&
    ctx.volumeUnit >= 0 &&
    col.capacityUnit[doc] === ctx.volumeUnit &&
    r.volume.amountPerMonth > 0
  ) {
    out[6] = Math.min(1, (col.capacityAmount[doc] as number) / r.volume.amountPerMonth);
  } else out[6] = NEUTRAL;
  out[7] = ctx.trackMax > 0 ? (col.logTrack[doc] as number) / ctx.trackDen : 0;
  if (ctx.buyerCounts) {
    const n = ctx.buyerCounts[doc] as number;
    out[8] = n > 0 && ctx.buyerMax > 0 ? Math.log1p(n) / ctx.buyerDen : 0;
  } else out[8] = NEUTRAL;
  const last = col.lastDay[doc] as number;
  out[9] = Number.isNaN(last) ? 0 : Math.exp(-Math.max(0, ctx.evalDay - last) / 365.25 / RECENCY_SCALE_YEARS);
  const q = col.qualification[doc] as number;
  out[10] = Number.isNaN(q) ? NEUTRAL : q;
  const sme = col.sme[doc] as number;
  out[11] =
    r.sizePreference === 'prefer-sme' || r.sizePreference === 'sme-only'
      ? sme < 0
        ? NEUTRAL
        : sme
      : NEUTRAL;
}

/**
 * An upper bound of the score of any supplier for this query, cheap enough to test before computing its
 * criteria (MaxScore-style pruning): capability, text, codes, certificates, track record and buyer history are
 * read from their arrays as in `values`; distance and recency are taken at 1 and every other criterion at
 * the most it can be for this query (neutral when the query does not engage it). Summed in another order
 * than `total`, so callers compare it with `BOUND_SLACK` of margin.
 */
function boundFn(ctx: QueryContext): (d: number) => number {
  const r = ctx.req;
  const wv = ctx.weightVector;
  const col = ctx.index.columns;
  const at = (i: number, v: number): number => (wv[i] as number) * v;
  const constant =
    (ctx.certs.length > 0 ? 0 : at(3, NEUTRAL)) +
    at(4, r.maxTier ? 1 : NEUTRAL) +
    at(5, r.location ? 1 : NEUTRAL) +
    at(6, r.volume ? 1 : NEUTRAL) +
    (ctx.buyerCounts ? 0 : at(8, NEUTRAL)) +
    at(9, 1) +
    at(10, ctx.index.qualifiedCount > 0 ? 1 : NEUTRAL) +
    at(11, r.sizePreference === 'prefer-sme' || r.sizePreference === 'sme-only' ? 1 : NEUTRAL);
  const [w0, w1, w2, w3, w7, w8] = [wv[0], wv[1], wv[2], wv[3], wv[7], wv[8]] as number[];
  const certStatus = ctx.certStatus;
  const { capFit, textScores, codeScores, textMax, codeMax, trackDen, buyerDen, buyerCounts } = ctx;
  const codeNone = codeScores.length === 0 ? NEUTRAL : 0;
  const logTrack = col.logTrack;
  return (d) => {
    let b =
      constant +
      (w0 as number) * (capFit !== undefined ? (capFit[d] as number) : NEUTRAL) +
      (w1 as number) * (textMax > 0 ? (textScores[d] as number) / textMax : 0) +
      (w2 as number) * (codeMax > 0 ? Math.min(1, (codeScores[d] as number) / codeMax) : codeNone) +
      (w7 as number) * (trackDen > 0 ? (logTrack[d] as number) / trackDen : 0);
    if (buyerCounts !== undefined) {
      const n = buyerCounts[d] as number;
      if (n > 0 && buyerDen > 0) b += (w8 as number) * (Math.log1p(n) / buyerDen);
    }
    if (certStatus.length > 0) b += (w3 as number) * certificatesValue(certStatus, d);
    return b;
  };
}

function total(ctx: QueryContext, v: Float64Array): number {
  const w = ctx.weightVector;
  let sum = 0;
  for (let i = 0; i < w.length; i++) sum += (w[i] as number) * (v[i] as number);
  return sum;
}

function note(ctx: QueryContext, doc: number, c: Criterion, v: number): string {
  const info = ctx.index.docs[doc];
  const r = ctx.req;
  if (!info) return '';
  const s = info.supplier;
  switch (c) {
    case 'capability': {
      const stated = [...r.capabilities.scianCodes, ...ctx.tagIds];
      if (stated.length === 0) return 'no capability stated';
      const held = [
        ...s.scianCodes.filter((x) =>
          r.capabilities.scianCodes.some((q) => x.startsWith(q.replace(/\D/g, ''))),
        ),
        ...s.processTags.filter((t) => ctx.tagIds.includes(t)),
      ];
      return held.length ? `holds ${held.join(', ')}` : `none of ${stated.join(', ')}`;
    }
    case 'text': {
      const m = ctx.index.text.matchedTerms(doc, ctx.terms).slice(0, 6);
      return m.length ? `matches ${m.join(', ')}` : 'no words in common';
    }
    case 'codes':
      return v > 0
        ? 'classification codes in common with past work or profile'
        : 'no classification code in common';
    case 'certificates': {
      if (ctx.certs.length === 0) return 'no certificate asked';
      const parts: string[] = [];
      for (const q of ctx.certs) {
        const b = bestCertificate(s, q, ctx.day);
        const name = standardName(q.standardId);
        if (!b) parts.push(`${name}: none valid`);
        else {
          let p = `${name}: ${b.status}${b.status === 'declared' ? ' (scores below verified)' : ''}`;
          if (r.deadline && b.cert.validTo < isoDay(r.deadline))
            p += `, expires ${b.cert.validTo} before the deadline`;
          parts.push(p);
        }
      }
      return parts.join('; ');
    }
    case 'tier':
      return r.maxTier
        ? info.bestTier
          ? `serves at tier ${info.bestTier}, asked tier ${r.maxTier}`
          : 'no tier declared'
        : 'no tier asked';
    case 'distance': {
      if (!r.location) return 'no location asked';
      const d = nearestKm(info.coords, r.location.lat, r.location.lon);
      return Number.isFinite(d) ? `nearest facility ${Math.round(d)} km away` : 'no facility coordinates';
    }
    case 'capacity':
      if (!r.volume) return 'no volume asked';
      if (!s.capacity || s.capacity.unit !== r.volume.unit)
        return 'capacity not comparable (different or no unit): neutral';
      return `${s.capacity.amountPerMonth} of ${r.volume.amountPerMonth} ${r.volume.unit}`;
    case 'trackRecord':
      return `${info.trackRecordCount} past contract${info.trackRecordCount === 1 ? '' : 's'}`;
    case 'buyerHistory': {
      if (!ctx.buyerHistory) return 'no buyer given';
      const n = ctx.buyerHistory.get(doc)?.count ?? 0;
      return `${n} past contract${n === 1 ? '' : 's'} with this buyer`;
    }
    case 'recency':
      return Number.isNaN(info.lastDay)
        ? 'no dated contract'
        : `latest contract ${new Date(info.lastDay * 86_400_000).toISOString().slice(0, 10)}`;
    case 'qualification':
      return typeof s.qualification === 'number' ? `audit score ${s.qualification}` : 'no audit yet: neutral';
    case 'preference':
      if (!r.sizePreference) return 'no size preference';
      return s.sizeClass ? `${s.sizeClass} company` : 'size unknown: neutral';
  }
}

function explain(ctx: QueryContext, doc: number, v: Float64Array): ExplanationEntry[] {
  const out: ExplanationEntry[] = [];
  for (let i = 0; i < CRITERIA.length; i++) {
    const c = CRITERIA[i] as Criterion;
    const weight = ctx.weights[c];
    const value = v[i] as number;
    out.push({
      criterion: c,
      weight,
      value,
      contribution: ctx.weightSum === 0 ? 0 : (weight * value) / ctx.weightSum,
      note: note(ctx, doc, c, value),
    });
  }
  return out;
}

function capabilityConstraint(index: MatchIndex, r: EngineRequirement): ConstraintSet | undefined {
  const codes = r.capabilities.scianCodes
    .map((c) => c.replace(/\D/g, '').slice(0, 6))
    .filter((c) => c.length >= 2);
  const tags = r.capabilities.processTags;
  if (codes.length === 0 && tags.length === 0) return undefined;
  const pass = new Bitset(index.capacity);
  for (const c of codes) {
    const b = index.set(`scian:${c}`);
    if (b) pass.orInPlace(b);
  }
  for (const t of tags) {
    const b = index.set(`tag:${t}`);
    if (b) pass.orInPlace(b);
  }
  const wanted = [...codes.map((c) => `SCIAN ${c}`), ...tags.map((t) => processTag(t)?.en ?? t)].join(' or ');
  return {
    kind: 'capability',
    pass,
    gap: () => ({ constraint: 'capability', gap: `none of ${wanted}`, fix: `add ${wanted} to the profile` }),
  };
}

/**
 * Each supplier's certificate status for one standard on one day (`bestCertificate` per holder) and the two pass
 * sets (declared or verified; verified only). Validity depends on the day, so this is derived per (standard, day)
 * and cached until the index changes: the criterion then costs an array read per supplier, and the pruning bound
 * can use the exact value.
 */
interface CertificateColumn {
  /** 0 none valid, 1 declared, 2 verified (a byte per ordinal: a column per standard and day is cached). */
  readonly status: Uint8Array;
  readonly pass: Bitset;
  readonly verified: Bitset;
}

function certificateColumn(index: MatchIndex, standardId: string, day: string): CertificateColumn {
  const key = `cert|${standardId}|${day}`;
  const cached = index.constraintCache.get(key);
  if (cached && cached.version === index.version) return cached.value as CertificateColumn;
  const status = new Uint8Array(index.capacity);
  const pass = new Bitset(index.capacity);
  const verified = new Bitset(index.capacity);
  const holders = new Bitset(index.capacity);
  for (const id of standardsSatisfying(standardId)) {
    const b = index.set(`cert:${id}`);
    if (b) holders.orInPlace(b);
  }
  const q = { standardId };
  holders.forEach((d) => {
    const s = index.docs[d]?.supplier;
    if (!s) return;
    const b = bestCertificate(s, q, day);
    if (!b) return;
    pass.add(d);
    if (b.status === 'verified') {
      verified.add(d);
      status[d] = 2;
    } else status[d] = 1;
  });
  const column: CertificateColumn = { status, pass, verified };
  if (index.constraintCache.size >= CONSTRAINT_CACHE_SIZE) {
    for (const [k, e] of index.constraintCache)
      if (e.version !== index.version) index.constraintCache.delete(k);
    if (index.constraintCache.size >= CONSTRAINT_CACHE_SIZE) index.constraintCache.clear();
  }
  index.constraintCache.set(key, { version: index.version, value: column });
  return column;
}

/** The certificates criterion of supplier `d`: the mean of its status values over the required certificates. */
function certificatesValue(certStatus: readonly Uint8Array[], d: number): number {
  let sum = 0;
  for (const c of certStatus) sum += CERT_VALUE[c[d] as number] as number;
  return sum / certStatus.length;
}

function certificatePass(index: MatchIndex, q: RequiredCertificate, day: string): Bitset {
  const column = certificateColumn(index, q.standardId, day);
  return q.verifiedOnly ? column.verified : column.pass;
}

function certificateConstraint(
  index: MatchIndex,
  q: RequiredCertificate,
  day: string,
  deadline: string | undefined,
): ConstraintSet {
  const pass = certificatePass(index, q, day);
  const name = standardName(q.standardId);
  return {
    kind: 'certificate',
    pass,
    gap: (d) => {
      const s = index.docs[d]?.supplier;
      const ok = standardsSatisfyingSet(q.standardId);
      const held = (s?.certificates ?? []).filter((c) => ok.has(c.standardId));
      const best = s ? bestCertificate(s, q, day) : undefined;
      if (best && q.verifiedOnly)
        return {
          constraint: 'certificate',
          gap: `${name} declared, not verified`,
          fix: `have the ${name} certificate verified`,
        };
      const latest = [...held].sort((a, b) => (a.validTo < b.validTo ? 1 : -1))[0];
      if (latest?.status === 'revoked')
        return { constraint: 'certificate', gap: `${name} revoked`, fix: `obtain a new ${name} certificate` };
      if (latest && (latest.status === 'expired' || latest.validTo < day))
        return {
          constraint: 'certificate',
          gap: `${name} expired on ${latest.validTo}`,
          fix: `renew ${name}${deadline ? ` before ${deadline}` : ''}`,
        };
      if (latest && latest.validFrom > day)
        return {
          constraint: 'certificate',
          gap: `${name} valid only from ${latest.validFrom}`,
          fix: `wait for or bring forward the ${name} certificate`,
        };
      return {
        constraint: 'certificate',
        gap: `no valid ${name} certificate`,
        fix: `obtain ${name} certification`,
      };
    },
  };
}

function radiusConstraint(
  index: MatchIndex,
  loc: { lat: number; lon: number; radiusKm: number },
): ConstraintSet {
  const pass = new Bitset(index.capacity);
  for (const cell of cellsWithin(loc.lat, loc.lon, loc.radiusKm)) {
    const g = index.grid.get(cell);
    if (!g) continue;
    const { docs, lats, lons } = g;
    // A cell wholly inside the circle admits its suppliers without a distance per facility; on the border,
    // a supplier passes when any of its facilities (its nearest one included) is within the radius.
    if (cellInside(cell, loc.lat, loc.lon, loc.radiusKm)) {
      for (let i = 0; i < docs.length; i++) pass.add(docs[i] as number);
      continue;
    }
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i] as number;
      if (!pass.has(d) && haversineKm(loc.lat, loc.lon, lats[i] as number, lons[i] as number) <= loc.radiusKm)
        pass.add(d);
    }
  }
  return {
    kind: 'radius',
    pass,
    gap: (d) => {
      const info = index.docs[d];
      const km = info ? nearestKm(info.coords, loc.lat, loc.lon) : Number.POSITIVE_INFINITY;
      return Number.isFinite(km)
        ? {
            constraint: 'radius',
            gap: `nearest facility ${Math.round(km)} km away, radius ${loc.radiusKm} km`,
            fix: `a facility within ${loc.radiusKm} km`,
          }
        : {
            constraint: 'radius',
            gap: 'no facility with coordinates',
            fix: 'add facility coordinates to the profile',
          };
    },
  };
}

function tierConstraint(index: MatchIndex, maxTier: number): ConstraintSet {
  const pass = new Bitset(index.capacity);
  for (let t = 1; t <= maxTier; t++) {
    const b = index.set(`tier:${t}`);
    if (b) pass.orInPlace(b);
  }
  return {
    kind: 'tier',
    pass,
    gap: (d) => {
      const t = index.docs[d]?.bestTier ?? 0;
      return t
        ? {
            constraint: 'tier',
            gap: `serves at tier ${t}, asked tier ${maxTier} or closer to the OEM`,
            fix: `qualify as a tier ${maxTier} supplier`,
          }
        : {
            constraint: 'tier',
            gap: 'no tier declared',
            fix: `declare the tier served (tier ${maxTier} or closer)`,
          };
    },
  };
}

function sizeConstraint(index: MatchIndex): ConstraintSet {
  const pass = new Bitset(index.capacity);
  for (const c of SME_CLASSES) {
    const b = index.set(`size:${c}`);
    if (b) pass.orInPlace(b);
  }
  return {
    kind: 'size',
    pass,
    gap: (d) => {
      const c = index.docs[d]?.supplier.sizeClass;
      return c
        ? {
            constraint: 'size',
            gap: `${c} company; the requirement is for SMEs only`,
            fix: 'apply through an SME partner',
          }
        : {
            constraint: 'size',
            gap: 'size class unknown; the requirement is for SMEs only',
            fix: 'declare employees and sales so the size class is derived',
          };
    },
  };
}

export function hardConstraints(index: MatchIndex, r: EngineRequirement): ConstraintSet[] {
  const day = isoDay(r.evaluationDate);
  const out: ConstraintSet[] = [];
  const cap = capabilityConstraint(index, r);
  if (cap) out.push(cap);
  for (const q of r.mustHaveCertificates)
    out.push(certificateConstraint(index, q, day, r.deadline ? isoDay(r.deadline) : undefined));
  if (r.location && r.location.radiusKm > 0) out.push(radiusConstraint(index, r.location));
  if (r.maxTier) out.push(tierConstraint(index, r.maxTier));
  if (r.sizePreference === 'sme-only') out.push(sizeConstraint(index));
  return out;
}

/**
 * Keeps the best `k` of a stream (score descending, then `before` ascending) as a binary heap in typed arrays
 * with the worst on top: no allocation per pushed item.
 */
class TopK {
  private readonly docs: Int32Array;
  private readonly scores: Float64Array;
  private n = 0;

  /** `before(a, b)`: whether `a` ranks before `b` at equal scores. */
  constructor(
    private readonly k: number,
    private readonly before: (a: number, b: number) => boolean,
  ) {
    this.docs = new Int32Array(Math.max(0, k));
    this.scores = new Float64Array(Math.max(0, k));
  }

  /** The score to reach to enter; -Infinity while not full. A score equal to it may still enter on the tie. */
  get threshold(): number {
    return this.n < this.k ? Number.NEGATIVE_INFINITY : (this.scores[0] as number);
  }

  /** Whether the entry at heap position i is worse than the entry at j. */
  private worse(i: number, j: number): boolean {
    const a = this.scores[i] as number;
    const b = this.scores[j] as number;
    return a < b || (a === b && this.before(this.docs[j] as number, this.docs[i] as number));
  }

  private swap(i: number, j: number): void {
    const d = this.docs[i] as number;
    this.docs[i] = this.docs[j] as number;
    this.docs[j] = d;
    const s = this.scores[i] as number;
    this.scores[i] = this.scores[j] as number;
    this.scores[j] = s;
  }

  push(doc: number, score: number): void {
    if (this.k <= 0) return;
    if (this.n < this.k) {
      let i = this.n++;
      this.docs[i] = doc;
      this.scores[i] = score;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.worse(i, p)) break;
        this.swap(i, p);
        i = p;
      }
      return;
    }
    const top = this.scores[0] as number;
    if (score < top || (score === top && !this.before(doc, this.docs[0] as number))) return;
    this.docs[0] = doc;
    this.scores[0] = score;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.n && this.worse(l, m)) m = l;
      if (r < this.n && this.worse(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }

  sorted(): { doc: number; score: number }[] {
    const out: { doc: number; score: number }[] = [];
    for (let i = 0; i < this.n; i++)
      out.push({ doc: this.docs[i] as number, score: this.scores[i] as number });
    return out.sort(
      (a, b) => b.score - a.score || (this.before(a.doc, b.doc) ? -1 : this.before(b.doc, a.doc) ? 1 : 0),
    );
  }
}

/** Ties between candidates are broken by supplier id. */
function byId(index: MatchIndex): (a: number, b: number) => boolean {
  return (a, b) => (index.docs[a]?.supplier.id ?? '') < (index.docs[b]?.supplier.id ?? '');
}

function context(index: MatchIndex, r: EngineRequirement, options: MatchOptions): QueryContext {
  const weights = resolveWeights(options.weights);
  const weightSum = CRITERIA.reduce((s, c) => s + weights[c], 0);
  const day = isoDay(r.evaluationDate);
  const certs = [...r.mustHaveCertificates, ...r.niceToHaveCertificates];
  const analysis = analyse(r);
  const terms = analysis.terms;
  const textScores = index.scratch(0);
  index.text.score(terms, textScores);
  const cq = codeQuery(r);
  const codeScores = cq.length > 0 ? index.scratch(1) : new Float64Array(0);
  if (cq.length > 0) index.codes.score(cq, codeScores);
  const stated = r.capabilities.scianCodes.length > 0 || r.capabilities.processTags.length > 0;
  const tagIds = stated ? [...r.capabilities.processTags] : [...analysis.namedTags];
  const capability = buildCapabilityFit(index, r.capabilities.scianCodes, tagIds);
  let buyerHistory: Map<number, BuyerHistory> | undefined;
  let buyerCounts: Float64Array | undefined;
  const keys = buyerKeys(r.buyerId, r.buyerName);
  if (keys.length > 0) {
    buyerHistory = new Map();
    buyerCounts = index.scratch(4);
    for (const k of keys)
      for (const [d, h] of index.buyers.get(k) ?? []) {
        const prev = buyerHistory.get(d);
        if (!prev || prev.count < h.count) {
          buyerHistory.set(d, h);
          buyerCounts[d] = h.count;
        }
      }
  }
  return {
    index,
    req: r,
    day,
    evalDay: dayNumber(day),
    weights,
    weightVector: Float64Array.from(CRITERIA, (c) => (weightSum > 0 ? weights[c] / weightSum : 0)),
    weightSum,
    terms,
    textScores,
    codeScores,
    textMax: 0,
    codeMax: 0,
    codeNormaliser: cq.length > 0 ? codeNormaliser(index, cq) : 0,
    capFit: capability?.fit,
    capFitSet: capability?.holders,
    tagIds,
    buyerHistory,
    buyerCounts,
    trackMax: 0,
    buyerMax: 0,
    trackDen: 0,
    buyerDen: 0,
    volumeUnit: r.volume ? (index.units.get(r.volume.unit) ?? -1) : -1,
    certs,
    certStatus: certs.map((c) => certificateColumn(index, c.standardId, day).status),
  };
}

/**
 * The codes criterion's normaliser: the BM25 score of a supplier holding each of the query's code terms once, at
 * the average profile length, and alone in holding it (the largest IDF the index can give). A supplier's value
 * is its score over that, at most 1. Dividing by the best score among the candidates instead would give a code
 * that half of them hold the same full weight as a code only one holds; here a code's weight follows the
 * evidence it carries (its IDF), so a classification shared by most suppliers (a budget line, a broad
 * category) barely moves the order while a specific product code still does.
 */
function codeNormaliser(index: MatchIndex, query: readonly WeightedTerm[]): number {
  const n = index.codes.size;
  if (n === 0) return 0;
  // tf 1 at the average length: tf (k1 + 1) / (tf + k1) = 1, leaving weight × IDF per term.
  const maxIdf = Math.log(1 + (n - 0.5) / 1.5);
  let sum = 0;
  for (const t of query) sum += t.weight * maxIdf;
  return sum;
}

/** Normalisers (best text score, most contracts …) over the suppliers being ranked, so values span 0..1. */
function calibrate(ctx: QueryContext, population: Bitset): void {
  const { textScores, codeScores, index } = ctx;
  const trackCount = index.columns.trackCount;
  const hasCodes = codeScores.length > 0;
  let textMax = 0;
  let codeMax = 0;
  let trackMax = 0;
  const words = population.words;
  for (let wi = 0; wi < words.length; wi++) {
    let w = words[wi] as number;
    while (w !== 0) {
      const t = w & -w;
      w ^= t;
      const d = (wi << 5) + 31 - Math.clz32(t);
      const x = textScores[d] as number;
      if (x > textMax) textMax = x;
      if (hasCodes) {
        const c = codeScores[d] as number;
        if (c > codeMax) codeMax = c;
      }
      const n = trackCount[d] as number;
      if (n > trackMax) trackMax = n;
    }
  }
  let buyerMax = 0;
  if (ctx.buyerHistory)
    for (const [d, h] of ctx.buyerHistory) if (h.count > buyerMax && population.has(d)) buyerMax = h.count;
  ctx.textMax = textMax;
  // Zero (nobody holds a query code) keeps its meaning: every candidate's value is then 0.
  ctx.codeMax = codeMax > 0 ? ctx.codeNormaliser : 0;
  ctx.trackMax = trackMax;
  ctx.buyerMax = buyerMax;
  ctx.trackDen = Math.log1p(trackMax);
  ctx.buyerDen = Math.log1p(buyerMax);
}

/**
 * The suppliers failing one or two hard constraints that are most relevant by words and capability (at most
 * `size`): the near misses scored in full, and part of the population the criteria are calibrated over. Bounding
 * it bounds the work on a broad requirement whatever the size of the index.
 */
function nearPool(
  index: MatchIndex,
  ctx: QueryContext,
  constraints: readonly ConstraintSet[],
  size: number,
): Bitset {
  const proxy = new TopK(size, (a, b) => a < b);
  const textScores = ctx.textScores;
  const failing = failingOneOrTwo(
    index.alive,
    constraints.map((c) => c.pass),
  );
  // Relevance is text + 10 × capability fit. The few suppliers with some fit go first; the scan over everyone
  // else then reads one array, and the entry bar is kept in a local, read again only after a push (most of the
  // index is visited on a typical requirement). The heap keeps the same best `size` whatever the order.
  const fit = ctx.capFit;
  const fitted = fit && ctx.capFitSet ? ctx.capFitSet.and(failing) : undefined;
  if (fit && fitted)
    fitted.forEach((d) => {
      const rel = (textScores[d] as number) + (fit[d] as number) * 10;
      if (rel > 0 && rel >= proxy.threshold) proxy.push(d, rel);
    });
  // Most of the index fails one constraint on a typical requirement, and the bar rises after a few hundred
  // pushes: reading the scores in ordinal order and testing membership only above the bar costs a comparison
  // per supplier instead of a bit extraction per failing supplier (same order, so the same heap).
  let bar = Math.max(0, proxy.threshold);
  const words = failing.words;
  const end = Math.min(textScores.length, words.length << 5);
  for (let d = 0; d < end; d++) {
    const rel = textScores[d] as number;
    if (
      rel > 0 &&
      rel >= bar &&
      ((words[d >>> 5] as number) & (1 << (d & 31))) !== 0 &&
      (fit === undefined || (fit[d] as number) === 0)
    ) {
      proxy.push(d, rel);
      bar = Math.max(0, proxy.threshold);
    }
  }
  return Bitset.from(proxy.sorted().map((x) => x.doc));
}

/**
 * Ranks the suppliers of `index` for a requirement: hard constraints (capability when stated, must-have
 * certificates valid on the evaluation date, radius from the nearest facility, tier, SMEs only) select the
 * candidates; a weighted mean of normalised criteria orders them, ties broken by supplier id; suppliers that
 * fail one or two hard constraints come back as near misses with each gap and its fix.
 */
export function match(index: MatchIndex, r: EngineRequirement, options: MatchOptions = {}): MatchResult {
  const limit = Math.max(0, options.limit ?? 20);
  const offset = Math.max(0, options.offset ?? 0);
  const nearMissLimit = Math.max(0, options.nearMissLimit ?? 10);
  const ctx = context(index, r, options);
  const constraints = hardConstraints(index, r);
  const candidates = index.alive.clone();
  for (const c of constraints) candidates.andInPlace(c.pass);
  // A near miss must also be relevant (some words or some capability in common): a supplier of another trade
  // that merely fails the radius is not "near".
  const near =
    constraints.length > 0 && nearMissLimit > 0
      ? nearPool(index, ctx, constraints, Math.max(NEAR_MISS_POOL, nearMissLimit * 4))
      : undefined;
  const population = near ? candidates.or(near) : candidates;
  calibrate(ctx, population);

  const v = new Float64Array(CRITERIA.length);
  const before = byId(index);
  const top = new TopK(offset + limit, before);
  const costly = r.location != null;
  const bound = boundFn(ctx);
  const docs = index.docs;
  let count = 0;
  const words = candidates.words;
  for (let wi = 0; wi < words.length; wi++) {
    let w = words[wi] as number;
    while (w !== 0) {
      const t = w & -w;
      w ^= t;
      const d = (wi << 5) + 31 - Math.clz32(t);
      if (docs[d] === undefined) continue;
      count++;
      const threshold = top.threshold;
      if (threshold > Number.NEGATIVE_INFINITY) {
        // A supplier whose bound cannot reach the page is counted and skipped without computing its criteria.
        if (bound(d) + BOUND_SLACK < threshold) continue;
        if (costly) {
          // Distance costs a trigonometric distance per facility: skip it when even its best value could not
          // lift the supplier onto the page.
          values(ctx, d, v, true);
          if (total(ctx, v) < threshold) continue;
        }
      }
      values(ctx, d, v);
      top.push(d, total(ctx, v));
    }
  }
  const page = top.sorted().slice(offset, offset + limit);
  const out: Candidate[] = page.map(({ doc, score }) => {
    values(ctx, doc, v);
    return { supplierId: (index.docs[doc] as DocInfo).supplier.id, score, explanation: explain(ctx, doc, v) };
  });

  const nearMisses: NearMiss[] = [];
  if (near) {
    const nearTop = new TopK(nearMissLimit, before);
    // Highest bound first: once the page of near misses is full, the first supplier whose bound cannot reach it
    // ends the scan (a few hundred bounds cost less than scoring them all in ordinal order).
    const byBound: { d: number; b: number }[] = [];
    near.forEach((d) => {
      if (index.docs[d]) byBound.push({ d, b: bound(d) });
    });
    byBound.sort((x, y) => y.b - x.b);
    for (const { d, b } of byBound) {
      if (b + BOUND_SLACK < nearTop.threshold) break;
      values(ctx, d, v);
      nearTop.push(d, total(ctx, v));
    }
    for (const { doc, score } of nearTop.sorted())
      nearMisses.push({
        supplierId: (index.docs[doc] as DocInfo).supplier.id,
        score,
        failed: constraints.filter((c) => !c.pass.has(doc)).map((c) => c.gap(doc)),
      });
  }
  return { candidates: out, nearMisses, total: count };
}

/** Every supplier meeting the hard constraints with its score (no explanations): for evaluation and bulk use. */
export function scoreAll(
  index: MatchIndex,
  r: EngineRequirement,
  options: MatchOptions = {},
): { supplierId: string; score: number }[] {
  const ctx = context(index, r, options);
  const candidates = index.alive.clone();
  for (const c of hardConstraints(index, r)) candidates.andInPlace(c.pass);
  calibrate(ctx, candidates);
  const v = new Float64Array(CRITERIA.length);
  const out: { supplierId: string; score: number }[] = [];
  candidates.forEach((d) => {
    const info = index.docs[d];
    if (!info) return;
    values(ctx, d, v);
    out.push({ supplierId: info.supplier.id, score: total(ctx, v) });
  });
  return out;
}

/** How one supplier stands against a requirement, seen from the supplier's side. */
export interface SupplierEvaluation {
  readonly supplierId: string;
  /** `candidate`: meets every hard constraint; `near-miss`: fails one or two; `unfit`: fails more. */
  readonly status: 'candidate' | 'near-miss' | 'unfit';
  /** On the same scale as `match()`'s candidates for this requirement (calibrated over its candidates). */
  readonly score: number;
  readonly explanation: readonly ExplanationEntry[];
  readonly failed: readonly Gap[];
}

/**
 * Evaluates the given suppliers against one requirement: their standing, score, explanation and gaps. The
 * score is calibrated over the requirement's candidates, as in `match()`, so a supplier sees where it would
 * rank. Unknown ids are skipped. Cost: the hard constraints and calibration once, then per supplier.
 */
export function evaluateSuppliers(
  index: MatchIndex,
  r: EngineRequirement,
  supplierIds: readonly string[],
  options: MatchOptions = {},
): SupplierEvaluation[] {
  const docs: number[] = [];
  for (const id of supplierIds) {
    const d = index.ordinal(id);
    if (d !== undefined && index.docs[d]) docs.push(d);
  }
  if (docs.length === 0) return [];
  const ctx = context(index, r, options);
  const constraints = hardConstraints(index, r);
  const candidates = index.alive.clone();
  for (const c of constraints) candidates.andInPlace(c.pass);
  // The population match() calibrates over (candidates and the near-miss pool), plus the suppliers asked about:
  // scores land on the buyer's scale, and a text value is relative to the best relevant supplier even when
  // nobody qualifies.
  const population = candidates.or(Bitset.from(docs));
  if (constraints.length > 0) population.orInPlace(nearPool(index, ctx, constraints, NEAR_MISS_POOL));
  calibrate(ctx, population);
  const v = new Float64Array(CRITERIA.length);
  return docs.map((d) => {
    values(ctx, d, v);
    const failed = constraints.filter((c) => !c.pass.has(d)).map((c) => c.gap(d));
    return {
      supplierId: (index.docs[d] as DocInfo).supplier.id,
      status: failed.length === 0 ? 'candidate' : failed.length <= 2 ? 'near-miss' : 'unfit',
      score: total(ctx, v),
      explanation: explain(ctx, d, v),
      failed,
    };
  });
}
