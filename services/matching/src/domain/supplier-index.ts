/**
 * The in-memory matching index every replica holds (ARCHITECTURE.md "Matching"): built from the read model at
 * boot, then kept fresh supplier by supplier as registry events are applied. PostgreSQL holds the truth; the
 * index is only ever (re)loaded from committed read-model rows, never from an event in flight.
 */
import {
  createIndex,
  evaluateSuppliers,
  match,
  type EngineRequirement,
  type EngineSupplier,
  type MatchIndex,
  type MatchOptions,
  type MatchResult,
  type SupplierEvaluation,
} from '@vinculo/matching-engine';
import type { Kysely } from '@vinculo/service-kit/db';
import { loadSupplierPage, loadSuppliers, type SupplierRecord } from '../db/read-model.repository.js';
import type { MatchingDb } from '../db/schema.js';

/**
 * A read-model supplier as the engine sees it: public snapshot fields, and a track record that joins the
 * declared history with the deals awarded on the platform (ARCHITECTURE.md "Ownership and communication").
 */
export function toEngineSupplier({ snapshot: s, certificates, deals = [] }: SupplierRecord): EngineSupplier {
  return {
    id: s.id,
    name: s.name,
    descriptions: [s.description.es, s.description.en].filter(
      (d): d is string => typeof d === 'string' && d.length > 0,
    ),
    scianCodes: s.scianCodes,
    processTags: s.processTags,
    materials: s.materials,
    facilities: s.facilities.map((f) => ({ lat: f.lat, lon: f.lon, stateCode: f.stateCode })),
    capacity: s.capacity ? { unit: s.capacity.unit, amountPerMonth: s.capacity.amountPerMonth } : null,
    sizeClass: s.sizeClass,
    tiers: s.tiers,
    certificates: certificates.map((c) => ({
      standardId: c.standardId,
      status: c.status,
      validFrom: c.validFrom,
      validTo: c.validTo,
    })),
    trackRecord: [
      ...s.trackRecord.map((t) => ({
        title: t.title,
        description: t.description,
        customerName: t.customerName,
        customerId: t.customerOrgId,
        date: t.date,
        value: t.value ? t.value.amountMinor / 100 : null,
        scianCodes: t.scianCodes,
      })),
      ...deals.map((d) => ({
        title: d.title,
        description: d.description,
        customerName: d.customerName,
        customerId: d.customerId,
        date: d.date,
        // Major units, like the declared entries: the engine uses only the magnitude.
        value: d.value.amountMinor / 100,
        scianCodes: d.scianCodes,
        codes: d.codes,
      })),
    ],
  };
}

export interface SupplierIndex {
  /** Replaces the index with one built from every supplier in the read model. */
  build(): Promise<{ suppliers: number; ms: number }>;
  /** Reloads these suppliers from the read model (committed rows) and upserts or removes them. */
  refresh(ids: readonly string[]): Promise<void>;
  /**
   * Ranks the index for a requirement. With a `cacheKey` (which must identify the requirement's content, the
   * evaluation day and the options), the result is kept until the index changes: a buyer paging or refreshing
   * the same requirement costs no re-ranking while no supplier changed.
   */
  match(requirement: EngineRequirement, options?: MatchOptions, cacheKey?: string): MatchResult;
  /** These suppliers' standing, score and gaps for one requirement, in one engine call (the supplier side). */
  evaluate(
    requirement: EngineRequirement,
    supplierIds: readonly string[],
    options?: MatchOptions,
  ): SupplierEvaluation[];
  /** Display name of an indexed supplier. */
  nameOf(id: string): string | undefined;
  readonly size: number;
}

const PAGE = 5_000;
/** Ranked results kept per index state; a result is ~30 KB, so this bounds the cache near 15 MB. */
const CACHED_RESULTS = 500;

export function createSupplierIndex(db: Kysely<MatchingDb>): SupplierIndex {
  let index: MatchIndex = createIndex([]);
  let names = new Map<string, string>();
  // Results are valid for one state of the index: its generation (bumped by build) and its version (bumped by
  // every upsert and remove). Map order is recency: a hit moves to the end, the oldest is evicted first.
  let generation = 0;
  const results = new Map<string, MatchResult>();
  const cachedMatch = (requirement: EngineRequirement, options?: MatchOptions, cacheKey?: string) => {
    if (cacheKey === undefined) return match(index, requirement, options);
    const key = `${generation}:${index.version}:${cacheKey}`;
    const hit = results.get(key);
    if (hit) {
      results.delete(key);
      results.set(key, hit);
      return hit;
    }
    const result = match(index, requirement, options);
    results.set(key, result);
    if (results.size > CACHED_RESULTS) results.delete(results.keys().next().value as string);
    return result;
  };
  return {
    async build() {
      const started = performance.now();
      const fresh = createIndex([]);
      const freshNames = new Map<string, string>();
      let after: string | undefined;
      for (;;) {
        const page = await loadSupplierPage(db, { limit: PAGE, ...(after ? { after } : {}) });
        for (const record of page) {
          fresh.upsert(toEngineSupplier(record));
          freshNames.set(record.snapshot.id, record.snapshot.name);
        }
        if (page.length < PAGE) break;
        after = page.at(-1)?.snapshot.id;
      }
      index = fresh;
      names = freshNames;
      generation++;
      results.clear();
      return { suppliers: fresh.size, ms: Math.round(performance.now() - started) };
    },
    async refresh(ids) {
      const records = await loadSuppliers(db, ids);
      const found = new Set<string>();
      for (const record of records) {
        found.add(record.snapshot.id);
        index.upsert(toEngineSupplier(record));
        names.set(record.snapshot.id, record.snapshot.name);
      }
      // A certificate may arrive before its supplier's profile: nothing to index until the profile exists.
      for (const id of ids) {
        if (found.has(id)) continue;
        index.remove(id);
        names.delete(id);
      }
    },
    match: cachedMatch,
    evaluate: (requirement, ids, options) => evaluateSuppliers(index, requirement, ids, options),
    nameOf: (id) => names.get(id),
    get size() {
      return index.size;
    },
  };
}
