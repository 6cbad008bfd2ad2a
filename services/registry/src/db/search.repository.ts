/**
 * Supplier search: one query over supplier_profiles joined to organizations, every filter an indexed predicate
 * (GIN on scian_codes, process_tags and search_vector, trigram GIN on search_text, btree on facilities (lat,
 * lon) and (state_code), certificates (standard_id, status, valid_to)), keyset pagination on the sort key.
 */
import { sql, type Executor } from '@vinculo/service-kit/db';
import type { Facility, RegistryDb, SupplierProfile } from './schema.js';

type X = Executor<RegistryDb>;
type SizeClass = NonNullable<SupplierProfile['size_class']>;

/** Calendar dates of certificates are read in Mexico City's calendar. */
const TODAY_MX = sql<string>`(now() at time zone 'America/Mexico_City')::date`;
const EARTH_RADIUS_KM = 6371.0088;
const KM_PER_DEGREE_LAT = 111.045;

export interface TextCriteria {
  /** to_tsquery('simple', …) text, or null when only the trigram fallback can match. */
  tsquery: string | null;
  tagIds: string[];
  scianCodes: string[];
  /** Folded query for word_similarity (typos); ignored when shorter than three characters. */
  folded: string;
}

export type SearchAfter =
  { kind: 'relevance'; relevance: string; id: string } | { kind: 'name'; name: string; id: string };

export interface SearchCriteria {
  /** SCIAN classes under the requested prefix: a profile matches if it has any of them. */
  scianClasses?: string[];
  /** Every one of these tags. */
  processTags?: string[];
  /** Any of these standards, held by a certificate valid today. */
  certificateStandards?: string[];
  stateCode?: string;
  near?: { lat: number; lon: number; radiusKm: number };
  sizes?: SizeClass[];
  tier?: { max: number; industry?: string };
  text?: TextCriteria;
  after?: SearchAfter;
  limit: number;
}

export interface SearchRow {
  org_id: string;
  name: string;
  country: string;
  description_es: string | null;
  description_en: string | null;
  scian_codes: string[];
  process_tags: string[];
  materials: string[];
  size_class: SizeClass | null;
  tiers: Array<{ industry: string; tier: number }>;
  functional_stage: string | null;
  synthetic_fields: string[];
  /** numeric(…, 6) as text, exact, so it can round-trip through a cursor; null without free text. */
  relevance: string | null;
}

export function createSearchRepository() {
  return {
    async search(x: X, c: SearchCriteria): Promise<SearchRow[]> {
      const text = c.text;
      const tsq = text?.tsquery ? sql`to_tsquery('simple', ${text.tsquery})` : null;
      const trigram = text && text.folded.length >= 3 ? text.folded : null;

      let inner = x
        .selectFrom('supplier_profiles as p')
        .innerJoin('organizations as o', 'o.id', 'p.org_id')
        .where('o.type', '=', 'supplier')
        .select([
          'p.org_id',
          'o.name',
          'o.country',
          'p.description_es',
          'p.description_en',
          'p.scian_codes',
          'p.process_tags',
          'p.materials',
          'p.size_class',
          'p.tiers',
          'p.functional_stage',
          'p.synthetic_fields',
        ]);

      if (text) {
        const relevance = sql<string>`round((
          ${tsq ? sql`ts_rank(p.search_vector, ${tsq})` : sql`0`}
          + ${text.tagIds.length > 0 ? sql`case when p.process_tags && ${text.tagIds}::text[] then 0.5 else 0 end` : sql`0`}
          + ${text.scianCodes.length > 0 ? sql`case when p.scian_codes && ${text.scianCodes}::text[] then 0.2 else 0 end` : sql`0`}
          + ${trigram ? sql`0.3 * word_similarity(${trigram}, p.search_text)` : sql`0`}
        )::numeric, 6)::text`;
        inner = inner.select(relevance.as('relevance'));
        const any = [
          tsq ? sql<boolean>`p.search_vector @@ ${tsq}` : null,
          text.tagIds.length > 0 ? sql<boolean>`p.process_tags && ${text.tagIds}::text[]` : null,
          text.scianCodes.length > 0 ? sql<boolean>`p.scian_codes && ${text.scianCodes}::text[]` : null,
          trigram ? sql<boolean>`${trigram} <% p.search_text` : null,
        ].filter((e) => e !== null);
        inner = inner.where(
          any.length > 0 ? sql<boolean>`(${sql.join(any, sql` or `)})` : sql<boolean>`false`,
        );
      } else {
        inner = inner.select(sql<null>`null::text`.as('relevance'));
      }

      if (c.scianClasses) {
        inner = inner.where(
          c.scianClasses.length > 0
            ? sql<boolean>`p.scian_codes && ${c.scianClasses}::text[]`
            : sql<boolean>`false`,
        );
      }
      if (c.processTags && c.processTags.length > 0) {
        inner = inner.where(sql<boolean>`p.process_tags @> ${c.processTags}::text[]`);
      }
      if (c.certificateStandards) {
        const ids = c.certificateStandards;
        inner = inner.where(sql<boolean>`exists (
          select 1 from certificates cert
          where cert.org_id = p.org_id
            and cert.standard_id = any(${ids}::text[])
            and cert.status in ('declared', 'verified')
            and cert.valid_from <= ${TODAY_MX}
            and cert.valid_to >= ${TODAY_MX})`);
      }
      if (c.stateCode) {
        inner = inner.where(
          sql<boolean>`exists (select 1 from facilities f where f.org_id = p.org_id and f.state_code = ${c.stateCode})`,
        );
      }
      if (c.near) {
        inner = inner.where(nearPredicate(c.near));
      }
      if (c.sizes && c.sizes.length > 0) {
        inner = inner.where('p.size_class', 'in', c.sizes);
      }
      if (c.tier) {
        // jsonpath in lax mode: an entry of the wrong shape simply does not match (no cast errors).
        const path = c.tier.industry
          ? '$[*] ? (@.tier <= $max && @.industry == $industry)'
          : '$[*] ? (@.tier <= $max)';
        const vars = JSON.stringify({ max: c.tier.max, industry: c.tier.industry ?? null });
        inner = inner.where(sql<boolean>`jsonb_path_exists(p.tiers, ${path}::jsonpath, ${vars}::jsonb)`);
      }

      let q = x.selectFrom(inner.as('s')).selectAll();
      const after = c.after;
      if (text) {
        if (after?.kind === 'relevance') {
          q = q.where(
            sql<boolean>`(s.relevance::numeric < ${after.relevance}::numeric or (s.relevance::numeric = ${after.relevance}::numeric and s.org_id > ${after.id}::uuid))`,
          );
        }
        q = q.orderBy(sql`s.relevance::numeric`, 'desc').orderBy('s.org_id');
      } else {
        if (after?.kind === 'name')
          q = q.where(sql<boolean>`(s.name, s.org_id) > (${after.name}, ${after.id}::uuid)`);
        q = q.orderBy('s.name').orderBy('s.org_id');
      }
      return (await q.limit(c.limit).execute()) as SearchRow[];
    },

    listFacilities(x: X, orgIds: string[]): Promise<Facility[]> {
      if (orgIds.length === 0) return Promise.resolve([]);
      return x
        .selectFrom('facilities')
        .selectAll()
        .where('org_id', 'in', orgIds)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },

    /** Standard ids of each supplier's certificates valid today (declared or verified, within their dates). */
    async validStandards(x: X, orgIds: string[]): Promise<Map<string, string[]>> {
      const out = new Map<string, string[]>();
      if (orgIds.length === 0) return out;
      const rows = await x
        .selectFrom('certificates')
        .select(['org_id', 'standard_id'])
        .distinct()
        .where('org_id', 'in', orgIds)
        .where('status', 'in', ['declared', 'verified'])
        .where('valid_from', '<=', TODAY_MX)
        .where('valid_to', '>=', TODAY_MX)
        .orderBy('org_id')
        .orderBy('standard_id')
        .execute();
      for (const r of rows) out.set(r.org_id, [...(out.get(r.org_id) ?? []), r.standard_id]);
      return out;
    },
  };
}

export type SearchRepository = ReturnType<typeof createSearchRepository>;

/**
 * Any facility within radiusKm of the point: a bounding box on (lat, lon) the index can use, then the haversine
 * distance. Near a pole, or when the box would cross the antimeridian, the longitude bound is dropped.
 */
function nearPredicate(n: { lat: number; lon: number; radiusKm: number }) {
  const dLat = n.radiusKm / KM_PER_DEGREE_LAT;
  const cosLat = Math.cos((n.lat * Math.PI) / 180);
  const dLon = cosLat > 1e-6 ? n.radiusKm / (KM_PER_DEGREE_LAT * cosLat) : 360;
  const lonBounded = Math.abs(n.lat) + dLat < 90 && n.lon - dLon >= -180 && n.lon + dLon <= 180;
  return sql<boolean>`exists (
    select 1 from facilities f
    where f.org_id = p.org_id
      and f.lat between ${n.lat - dLat}::float8 and ${n.lat + dLat}::float8
      ${lonBounded ? sql`and f.lon between ${n.lon - dLon}::float8 and ${n.lon + dLon}::float8` : sql``}
      and ${EARTH_RADIUS_KM}::float8 * 2 * asin(least(1, sqrt(
            power(sin(radians(f.lat - ${n.lat}::float8) / 2), 2)
            + cos(radians(${n.lat}::float8)) * cos(radians(f.lat)) * power(sin(radians(f.lon - ${n.lon}::float8) / 2), 2)
          ))) <= ${n.radiusKm}::float8)`;
}
