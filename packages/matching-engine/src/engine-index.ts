import { foldText, processTag, satisfies, listCertificationStandards } from '@vinculo/taxonomy';
import { Bitset } from './bitset.js';
import { cellOf } from './geo.js';
import { TextIndex } from './text-index.js';
import { tokenizeClean } from './tokenize.js';
import type { EngineSupplier } from './types.js';

/** Per-buyer history of one supplier: how many contracts and the latest one's day number. */
export interface BuyerHistory {
  count: number;
  lastDay: number;
}

/** What the index keeps per live supplier beyond the bitsets: the numbers scoring reads on the hot path. */
export interface DocInfo {
  readonly supplier: EngineSupplier;
  /** Best (lowest) tier served, 0 when none declared. */
  readonly bestTier: number;
  /** lat, lon pairs of the facilities that have coordinates. */
  readonly coords: Float64Array;
  readonly trackRecordCount: number;
  /** log(1 + trackRecordCount), the track-record criterion before normalisation. */
  readonly logTrack: number;
  /** Day number (days since 1970-01-01) of the latest contract; NaN when none is dated. */
  readonly lastDay: number;
}

/** The facilities of one grid cell: owner ordinal and coordinates side by side, read sequentially by radius queries. */
export interface GridCell {
  readonly docs: number[];
  readonly lats: number[];
  readonly lons: number[];
}

/**
 * Per-ordinal numbers that scoring reads for every candidate, in typed arrays so a query touching tens of
 * thousands of suppliers reads contiguous memory instead of chasing one object per supplier.
 */
export class DocColumns {
  logTrack = new Float64Array(1024);
  trackCount = new Float64Array(1024);
  lastDay = new Float64Array(1024);
  bestTier = new Float64Array(1024);
  /** 1 SME, 0 large, -1 unknown. */
  sme = new Float64Array(1024);
  /** Audit score in 0..1, NaN when none. */
  qualification = new Float64Array(1024);
  capacityAmount = new Float64Array(1024);
  /** Interned capacity unit, -1 when no capacity. */
  capacityUnit = new Float64Array(1024);

  ensure(n: number): void {
    if (n <= this.logTrack.length) return;
    const size = Math.max(n, this.logTrack.length * 2);
    for (const k of [
      'logTrack',
      'trackCount',
      'lastDay',
      'bestTier',
      'sme',
      'qualification',
      'capacityAmount',
      'capacityUnit',
    ] as const) {
      const next = new Float64Array(size);
      next.set(this[k]);
      this[k] = next;
    }
  }
}

export const SME_CLASSES: ReadonlySet<string> = new Set(['micro', 'small', 'medium']);

/** Name comparison form: accents dropped, lower case, runs of other characters one space. */
export function normaliseName(s: string): string {
  return foldText(s)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export function dayNumber(isoDate: string | null | undefined): number {
  if (!isoDate) return Number.NaN;
  const t = Date.parse(isoDate.length === 10 ? `${isoDate}T00:00:00Z` : isoDate);
  return Number.isNaN(t) ? Number.NaN : Math.floor(t / 86_400_000);
}

/** A classification code and its leading prefixes (2 characters and longer): codes are hierarchical by digits. */
export function codeTerms(code: string): string[] {
  const c = foldText(String(code))
    .replace(/[^a-z0-9]+/g, '')
    .slice(0, 16);
  if (c.length === 0) return [];
  const out: string[] = [];
  for (let n = Math.min(2, c.length); n <= c.length; n++) out.push(c.slice(0, n));
  return out;
}

export function supplierText(s: EngineSupplier): string[] {
  const parts: string[] = [s.name, ...s.descriptions, ...s.materials];
  for (const id of s.processTags) {
    const t = processTag(id);
    if (t) parts.push(t.es, t.en);
  }
  const out = tokenizeClean(parts.join(' \n '));
  // A past contract counts each of its words once: its title, description and item lines are mostly copies of
  // one another (the same object restated per field and per item), so repeating a word there is not evidence.
  // Across contracts the counts add up, so a word's frequency is the number of contracts that mention it: how
  // often the supplier has done that kind of work, which is what the text criterion should reward.
  for (const r of s.trackRecord) out.push(...new Set(tokenizeClean(`${r.title} \n ${r.description ?? ''}`)));
  return out;
}

export function supplierCodes(s: EngineSupplier): string[] {
  const out: string[] = [];
  for (const c of s.scianCodes) out.push(...codeTerms(c));
  for (const r of s.trackRecord) {
    for (const c of r.scianCodes) out.push(...codeTerms(c));
    for (const c of r.codes ?? []) out.push(...codeTerms(c));
  }
  return out;
}

export function buyerKeys(id: string | null | undefined, name: string | null | undefined): string[] {
  const keys: string[] = [];
  if (id) keys.push(`id:${id}`);
  if (name) {
    const n = normaliseName(name);
    if (n) keys.push(`name:${n}`);
  }
  return keys;
}

/**
 * The in-memory index over matching's read model: bitsets per SCIAN code and prefix, process tag, certificate
 * standard, state, size class and tier; a half-degree grid of facilities; BM25 indexes over the profile text
 * and over classification codes; per-buyer track record. Suppliers are numbered by ordinals that are never
 * reused, so an update is a removal and an insertion and never disturbs a query's arrays.
 */
export class MatchIndex {
  readonly docs: (DocInfo | undefined)[] = [];
  readonly ordinalOf = new Map<string, number>();
  readonly alive = new Bitset();
  readonly sets = new Map<string, Bitset>();
  readonly grid = new Map<number, GridCell>();
  readonly columns = new DocColumns();
  /** Capacity units interned to numbers for the columns. */
  readonly units = new Map<string, number>();
  readonly text = new TextIndex();
  readonly codes = new TextIndex();
  readonly buyers = new Map<string, Map<number, BuyerHistory>>();
  private readonly keysOf: (string[] | undefined)[] = [];
  private readonly cellsOf: (number[] | undefined)[] = [];
  private readonly buyerKeysOf: (string[] | undefined)[] = [];

  /** Live suppliers with an audit score: while none has one, qualification is neutral for everyone. */
  qualifiedCount = 0;
  /** Bumped by every change; caches of derived sets compare it to know they are stale. */
  version = 0;
  /** Hard-constraint sets that depend only on the index and the query's parameters (e.g. a certificate on a date). */
  readonly constraintCache = new Map<string, { version: number; value: unknown }>();
  private readonly scratchArrays: Float64Array[] = [];

  get size(): number {
    return this.ordinalOf.size;
  }

  /**
   * Zeroed per-ordinal arrays for one query, reused across queries to spare the collector (`match` is
   * synchronous, so two queries never share them). `slot` tells the arrays of one query apart.
   */
  scratch(slot: number): Float64Array {
    let a = this.scratchArrays[slot];
    if (!a || a.length < this.capacity) {
      a = new Float64Array(Math.max(1024, Math.ceil(this.capacity * 1.25)));
      this.scratchArrays[slot] = a;
    } else a.fill(0);
    return a;
  }

  /** Upper bound of ordinals in use: arrays indexed by ordinal need this length. */
  get capacity(): number {
    return this.docs.length;
  }

  set(key: string): Bitset | undefined {
    return this.sets.get(key);
  }

  upsert(s: EngineSupplier): void {
    this.remove(s.id);
    this.version++;
    const doc = this.docs.length;
    this.ordinalOf.set(s.id, doc);

    const keys = new Set<string>();
    for (const code of s.scianCodes) {
      const digits = code.replace(/\D/g, '');
      for (let n = 2; n <= Math.min(6, digits.length); n++) keys.add(`scian:${digits.slice(0, n)}`);
    }
    for (const t of s.processTags) keys.add(`tag:${t}`);
    for (const c of s.certificates)
      if (c.status === 'declared' || c.status === 'verified') keys.add(`cert:${c.standardId}`);
    for (const f of s.facilities) if (f.stateCode) keys.add(`state:${f.stateCode}`);
    if (s.sizeClass) keys.add(`size:${s.sizeClass}`);
    let bestTier = 0;
    for (const t of s.tiers) if (t.tier >= 1 && (bestTier === 0 || t.tier < bestTier)) bestTier = t.tier;
    if (bestTier) keys.add(`tier:${bestTier}`);
    for (const k of keys) {
      let b = this.sets.get(k);
      if (!b) this.sets.set(k, (b = new Bitset()));
      b.add(doc);
    }
    this.keysOf[doc] = [...keys];

    const coords: number[] = [];
    const cells = new Set<number>();
    for (const f of s.facilities) {
      if (f.lat === null || f.lon === null || !Number.isFinite(f.lat) || !Number.isFinite(f.lon)) continue;
      coords.push(f.lat, f.lon);
      const c = cellOf(f.lat, f.lon);
      cells.add(c);
      let cell = this.grid.get(c);
      if (!cell) this.grid.set(c, (cell = { docs: [], lats: [], lons: [] }));
      cell.docs.push(doc);
      cell.lats.push(f.lat);
      cell.lons.push(f.lon);
    }
    this.cellsOf[doc] = [...cells];

    let lastDay = Number.NaN;
    const perBuyer = new Map<string, BuyerHistory>();
    for (const r of s.trackRecord) {
      const day = dayNumber(r.date);
      if (!Number.isNaN(day) && !(day <= lastDay)) lastDay = day;
      for (const k of new Set(buyerKeys(r.customerId, r.customerName))) {
        const h = perBuyer.get(k) ?? { count: 0, lastDay: Number.NaN };
        h.count++;
        if (!Number.isNaN(day) && !(day <= h.lastDay)) h.lastDay = day;
        perBuyer.set(k, h);
      }
    }
    for (const [k, h] of perBuyer) {
      let m = this.buyers.get(k);
      if (!m) this.buyers.set(k, (m = new Map<number, BuyerHistory>()));
      m.set(doc, h);
    }
    this.buyerKeysOf[doc] = [...perBuyer.keys()];

    this.text.add(doc, supplierText(s));
    this.codes.add(doc, supplierCodes(s));
    const col = this.columns;
    col.ensure(doc + 1);
    col.logTrack[doc] = Math.log1p(s.trackRecord.length);
    col.trackCount[doc] = s.trackRecord.length;
    col.lastDay[doc] = lastDay;
    col.bestTier[doc] = bestTier;
    col.sme[doc] = s.sizeClass === null ? -1 : SME_CLASSES.has(s.sizeClass) ? 1 : 0;
    col.qualification[doc] =
      typeof s.qualification === 'number' ? Math.min(1, Math.max(0, s.qualification)) : Number.NaN;
    if (typeof s.qualification === 'number') this.qualifiedCount++;
    if (s.capacity) {
      let unit = this.units.get(s.capacity.unit);
      if (unit === undefined) this.units.set(s.capacity.unit, (unit = this.units.size));
      col.capacityUnit[doc] = unit;
      col.capacityAmount[doc] = s.capacity.amountPerMonth;
    } else {
      col.capacityUnit[doc] = -1;
      col.capacityAmount[doc] = 0;
    }
    this.docs[doc] = {
      supplier: s,
      bestTier,
      coords: Float64Array.from(coords),
      trackRecordCount: s.trackRecord.length,
      logTrack: Math.log1p(s.trackRecord.length),
      lastDay,
    };
    this.alive.add(doc);
  }

  remove(id: string): boolean {
    const doc = this.ordinalOf.get(id);
    if (doc === undefined) return false;
    this.version++;
    this.ordinalOf.delete(id);
    if (typeof this.docs[doc]?.supplier.qualification === 'number') this.qualifiedCount--;
    for (const k of this.keysOf[doc] ?? []) this.sets.get(k)?.delete(doc);
    for (const c of this.cellsOf[doc] ?? []) {
      const cell = this.grid.get(c);
      if (!cell) continue;
      let w = 0;
      for (let i = 0; i < cell.docs.length; i++) {
        if (cell.docs[i] === doc) continue;
        cell.docs[w] = cell.docs[i] as number;
        cell.lats[w] = cell.lats[i] as number;
        cell.lons[w] = cell.lons[i] as number;
        w++;
      }
      cell.docs.length = cell.lats.length = cell.lons.length = w;
      if (w === 0) this.grid.delete(c);
    }
    for (const k of this.buyerKeysOf[doc] ?? []) this.buyers.get(k)?.delete(doc);
    this.text.remove(doc, false);
    this.codes.remove(doc, false);
    this.alive.delete(doc);
    this.docs[doc] = undefined;
    this.keysOf[doc] = undefined;
    this.cellsOf[doc] = undefined;
    this.buyerKeysOf[doc] = undefined;
    return true;
  }

  ordinal(id: string): number | undefined {
    return this.ordinalOf.get(id);
  }
}

const satisfyingCache = new Map<string, string[]>();
const satisfyingSetCache = new Map<string, ReadonlySet<string>>();

export function standardsSatisfyingSet(requiredId: string): ReadonlySet<string> {
  let out = satisfyingSetCache.get(requiredId);
  if (!out) satisfyingSetCache.set(requiredId, (out = new Set(standardsSatisfying(requiredId))));
  return out;
}

/** Every catalogue standard whose holder meets a requirement for `requiredId` (itself included). */
export function standardsSatisfying(requiredId: string): string[] {
  let out = satisfyingCache.get(requiredId);
  if (!out) {
    out = [requiredId];
    for (const s of listCertificationStandards())
      if (s.id !== requiredId && satisfies(s.id, requiredId)) out.push(s.id);
    satisfyingCache.set(requiredId, out);
  }
  return out;
}

export function createIndex(suppliers: readonly EngineSupplier[]): MatchIndex {
  const index = new MatchIndex();
  for (const s of suppliers) index.upsert(s);
  return index;
}
