/**
 * Supplier search and the public profile. Anyone may call both (anonymous included): they answer only public
 * fields — never contact details, RFC, employees or sales, nor documents (those are the private view's, behind
 * access.ts).
 */
import type { Kysely } from '@vinculo/service-kit/db';
import { type SupplierFacility } from '@vinculo/contracts';
import {
  certificationStandard,
  listCertificationStandards,
  processTag,
  resolveState,
  satisfies,
  scianDescendantClasses,
  stateByCode,
} from '@vinculo/taxonomy';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import type { RegistryDb } from '../db/schema.js';
import {
  createSearchRepository,
  type SearchAfter,
  type SearchCriteria,
  type SearchRow,
} from '../db/search.repository.js';
import { searchErrors } from '../search.errors.js';
import { expandQuery } from './query-expansion.js';
import { TIER_INDUSTRIES } from './suppliers.js';
import {
  buildSnapshot,
  facilityView,
  loadSupplierRecord,
  publicProfileView,
  type PublicProfile,
} from './supplier-snapshot.js';

const repo = createSearchRepository();

export const SIZE_CLASSES = ['micro', 'small', 'medium', 'large'] as const;
export type SizeClass = (typeof SIZE_CLASSES)[number];

/** The query string as the route has validated its shape; meaning (catalogue ids, coordinates) is checked here. */
export interface SearchQuery {
  scian?: string;
  process?: string[];
  certificate?: string;
  state?: string;
  near?: string;
  radiusKm?: number;
  size?: SizeClass[];
  tier?: number;
  industry?: string;
  q?: string;
  limit?: number;
  cursor?: string;
}

export interface SupplierSummary {
  id: string;
  name: string;
  country: string;
  description: { es: string | null; en: string | null };
  scianCodes: string[];
  processTags: string[];
  materials: string[];
  facilities: SupplierFacility[];
  sizeClass: SizeClass | null;
  tiers: Array<{ industry: string; tier: number }>;
  functionalStage: string | null;
  /** Standard ids of the certificates valid today (declared or verified). */
  certificates: string[];
  /** Names of fields generated for demo data. */
  synthetic: string[];
  /** Only with free text: higher is better. */
  relevance?: number;
}

export interface SearchDeps {
  db: Kysely<RegistryDb>;
}

export const DEFAULT_SEARCH_LIMIT = 20;

function invalid(path: string, message: string): never {
  throw searchErrors.SEARCH_INVALID_FILTER({
    detail: message,
    errors: [{ in: 'querystring', path, message }],
  });
}

// ---- cursors ---------------------------------------------------------------------------------------------------
// A cursor is client input: base64url JSON of the last item's sort key, checked against an exact schema and
// against the order of the request it is used with (a relevance cursor without q is a 400).
const UuidText = Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' });
const RelevanceCursor = Type.Object(
  { k: Type.Literal('r'), r: Type.String({ pattern: '^[0-9]{1,6}(\\.[0-9]{1,6})?$' }), id: UuidText },
  { additionalProperties: false },
);
const NameCursor = Type.Object(
  { k: Type.Literal('n'), n: Type.String({ minLength: 1, maxLength: 300 }), id: UuidText },
  { additionalProperties: false },
);
const SearchCursor = Type.Union([RelevanceCursor, NameCursor]);
type SearchCursor = Static<typeof SearchCursor>;
export const MAX_CURSOR_LENGTH = 2048;

export function encodeSearchCursor(c: SearchCursor): string {
  return Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}

export function decodeSearchCursor(cursor: string, byRelevance: boolean): SearchAfter {
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor))
    throw searchErrors.SEARCH_INVALID_CURSOR();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw searchErrors.SEARCH_INVALID_CURSOR();
  }
  if (!Value.Check(SearchCursor, value)) throw searchErrors.SEARCH_INVALID_CURSOR();
  if (value.k === 'r' && byRelevance) return { kind: 'relevance', relevance: value.r, id: value.id };
  if (value.k === 'n' && !byRelevance) return { kind: 'name', name: value.n, id: value.id };
  throw searchErrors.SEARCH_INVALID_CURSOR({ detail: 'The cursor belongs to a search with another order' });
}

// ---- filters ---------------------------------------------------------------------------------------------------

/** Turns the query string into search criteria; anything meaningless (unknown tag, state, standard) is a 400. */
export function searchCriteria(query: SearchQuery): SearchCriteria {
  const c: SearchCriteria = { limit: query.limit ?? DEFAULT_SEARCH_LIMIT };
  if (c.limit < 1 || c.limit > 100 || !Number.isInteger(c.limit))
    invalid('/limit', 'limit must be an integer from 1 to 100');

  if (query.scian !== undefined) {
    if (!/^[0-9]{2,6}$/.test(query.scian))
      invalid('/scian', 'scian must be a SCIAN code or prefix of 2 to 6 digits');
    c.scianClasses = scianDescendantClasses(query.scian).map((e) => e.code);
  }

  if (query.process !== undefined) {
    const ids = [...new Set(query.process.flatMap((p) => p.split(',')).map((p) => p.trim()))];
    if (ids.length === 0 || ids.length > 20) invalid('/process', 'give 1 to 20 process tag ids');
    for (const id of ids) if (!processTag(id)) invalid('/process', `unknown process tag: ${id.slice(0, 60)}`);
    c.processTags = ids;
  }

  if (query.certificate !== undefined) {
    const required = query.certificate;
    if (!certificationStandard(required))
      invalid('/certificate', `unknown certification standard: ${required.slice(0, 60)}`);
    c.certificateStandards = listCertificationStandards()
      .map((s) => s.id)
      .filter((held) => satisfies(held, required));
  }

  if (query.state !== undefined) {
    const s = /^[0-9]{1,2}$/.test(query.state)
      ? stateByCode(query.state.padStart(2, '0'))
      : resolveState(query.state);
    if (!s) invalid('/state', 'unknown state: give an INEGI code (01–32) or a state name');
    c.stateCode = s.code;
  }

  if (query.near !== undefined || query.radiusKm !== undefined) {
    if (query.near === undefined) invalid('/near', 'radiusKm needs near=lat,lon');
    if (query.radiusKm === undefined) invalid('/radiusKm', 'near needs radiusKm');
    const m = /^\s*(-?[0-9]{1,2}(?:\.[0-9]{1,10})?)\s*,\s*(-?[0-9]{1,3}(?:\.[0-9]{1,10})?)\s*$/.exec(
      query.near,
    );
    const lat = m ? Number(m[1]) : NaN;
    const lon = m ? Number(m[2]) : NaN;
    if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180))
      invalid('/near', 'near must be lat,lon in decimal degrees');
    if (!(query.radiusKm > 0 && query.radiusKm <= 2000))
      invalid('/radiusKm', 'radiusKm must be more than 0 and at most 2000');
    c.near = { lat, lon, radiusKm: query.radiusKm };
  }

  if (query.size !== undefined) {
    const sizes = [...new Set(query.size.flatMap((s) => s.split(',')).map((s) => s.trim()))];
    for (const s of sizes)
      if (!(SIZE_CLASSES as readonly string[]).includes(s))
        invalid('/size', 'size must be micro, small, medium or large');
    c.sizes = sizes as SizeClass[];
  }

  if (query.tier !== undefined || query.industry !== undefined) {
    const max = query.tier ?? 4;
    if (!Number.isInteger(max) || max < 1 || max > 4) invalid('/tier', 'tier must be 1, 2, 3 or 4');
    if (query.industry !== undefined && !(TIER_INDUSTRIES as readonly string[]).includes(query.industry))
      invalid('/industry', 'industry must be an industry id such as automotive');
    c.tier = { max, ...(query.industry !== undefined ? { industry: query.industry } : {}) };
  }

  if (query.q !== undefined) {
    const e = expandQuery(query.q);
    c.text = { tsquery: e.tsquery, tagIds: e.tagIds, scianCodes: e.scianCodes, folded: e.folded };
  }

  if (query.cursor !== undefined) c.after = decodeSearchCursor(query.cursor, c.text !== undefined);
  return c;
}

export async function searchSuppliers(
  deps: SearchDeps,
  query: SearchQuery,
): Promise<{ items: SupplierSummary[]; nextCursor: string | null }> {
  const criteria = searchCriteria(query);
  const rows = await repo.search(deps.db, { ...criteria, limit: criteria.limit + 1 });
  const page = rows.slice(0, criteria.limit);
  const ids = page.map((r) => r.org_id);
  const [facilities, certificates] = await Promise.all([
    repo.listFacilities(deps.db, ids),
    repo.validStandards(deps.db, ids),
  ]);
  const byOrg = new Map<string, SupplierFacility[]>();
  for (const f of facilities) byOrg.set(f.org_id, [...(byOrg.get(f.org_id) ?? []), facilityView(f)]);
  const items = page.map((r) => summaryView(r, byOrg.get(r.org_id) ?? [], certificates.get(r.org_id) ?? []));
  const last = page[page.length - 1];
  let nextCursor: string | null = null;
  if (rows.length > criteria.limit && last) {
    nextCursor = encodeSearchCursor(
      criteria.text
        ? { k: 'r', r: last.relevance ?? '0', id: last.org_id }
        : { k: 'n', n: last.name, id: last.org_id },
    );
  }
  return { items, nextCursor };
}

function summaryView(r: SearchRow, facilities: SupplierFacility[], certificates: string[]): SupplierSummary {
  return {
    id: r.org_id,
    name: r.name,
    country: r.country,
    description: { es: r.description_es, en: r.description_en },
    scianCodes: r.scian_codes,
    processTags: r.process_tags,
    materials: r.materials,
    facilities,
    sizeClass: r.size_class,
    tiers: r.tiers,
    functionalStage: r.functional_stage,
    certificates,
    synthetic: r.synthetic_fields,
    ...(r.relevance !== null ? { relevance: Number(r.relevance) } : {}),
  };
}

/** One supplier's public profile (the event snapshot plus its valid certificates); 404 when not a supplier with a profile. */
export async function getPublicSupplier(
  deps: SearchDeps,
  supplierId: string,
): Promise<PublicProfile & { certificates: string[] }> {
  const rec = await loadSupplierRecord(deps.db, supplierId);
  if (!rec) throw searchErrors.SEARCH_SUPPLIER_NOT_FOUND();
  const certificates = await repo.validStandards(deps.db, [supplierId]);
  return {
    ...publicProfileView(buildSnapshot(rec), rec.profile.version),
    certificates: certificates.get(supplierId) ?? [],
  };
}
