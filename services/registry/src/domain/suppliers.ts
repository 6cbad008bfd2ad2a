/**
 * Supplier profiles, facilities and declared track record. Only owners and admins of the supplier organisation
 * change them; any other caller gets the same 404 as for an id that does not exist (members of the supplier
 * itself without the role get a 403: they already know it exists). Each change bumps the profile version and
 * writes the full public snapshot to the outbox in the same transaction: `registry.supplier.registered` when
 * the profile is created, `registry.supplier.updated` after. Facilities and track record need the profile
 * first (REGISTRY_SUPPLIER_PROFILE_NOT_FOUND): a profile is never created implicitly, so `registered` always
 * carries what the supplier declared.
 */
import {
  inTransaction,
  isUniqueViolation,
  newId,
  type Kysely,
  type Transaction,
} from '@vinculo/service-kit/db';
import { httpErrors } from '@vinculo/service-kit/http';
import {
  capacityUnit,
  classifySize,
  foldText,
  functionalStage,
  isScianClass,
  nearestScian2023Class,
  processTag,
  resolveState,
  scianCode,
  stateByCode,
} from '@vinculo/taxonomy';
import type { Facility, Organization, RegistryDb, SupplierProfile } from '../db/schema.js';
import {
  createSupplierRepository,
  type FacilityPatch,
  type FacilityValues,
  type ProfileValues,
} from '../db/suppliers.repository.js';
import type { EventWriter } from '../events/registry.events.js';
import { supplierErrors as errors } from '../suppliers.errors.js';
import { canEditSupplier, canSeePrivateProfile, supplierAccess } from './access.js';
import type { RequestContext } from './context.js';
import { validateRfc } from './rfc.js';
import {
  buildSnapshot,
  facilityView,
  loadSupplierRecord,
  privateProfileView,
  trackRecordView,
  type SupplierRecord,
} from './supplier-snapshot.js';

export interface SupplierDeps {
  db: Kysely<RegistryDb>;
  writeEvent: EventWriter;
}

/** Industries a tier may be declared for: the taxonomy's certification sectors plus `other`. */
export const TIER_INDUSTRIES = [
  'automotive',
  'aerospace',
  'electronics',
  'medical',
  'energy',
  'food',
  'logistics',
  'information-technology',
  'other',
] as const;
export type TierIndustry = (typeof TIER_INDUSTRIES)[number];

/** Fields demo data may mark as generated rather than declared. */
export const SYNTHETIC_FIELDS = [
  'description',
  'scianCodes',
  'processTags',
  'materials',
  'capacity',
  'employees',
  'annualSalesMxnMillions',
  'tiers',
  'functionalStage',
  'exportExperience',
  'contact',
  'rfc',
] as const;

export interface ProfileInput {
  description?: { es?: string | null; en?: string | null };
  scianCodes: string[];
  /** Codes the caller mapped from an older SCIAN edition (demo import); a subset of scianCodes. */
  scianMapped?: string[];
  processTags: string[];
  materials?: string[];
  capacity?: {
    unit: string;
    amountPerMonth: number;
    leadTimeDays?: number | null;
    largestPartMm?: number | null;
  } | null;
  employees?: number | null;
  annualSalesMxnMillions?: number | null;
  tiers?: Array<{ industry: TierIndustry; tier: number }>;
  functionalStage?: string | null;
  exportExperience?: { exports: boolean; markets?: string[] };
  rfc?: string | null;
  contact?: { name?: string | null; email?: string | null; phone?: string | null };
  synthetic?: Array<(typeof SYNTHETIC_FIELDS)[number]>;
}

export interface FacilityInput {
  name: string;
  address?: string | null;
  /** INEGI two-digit code, or a state name ("Querétaro", "CDMX"). */
  stateCode?: string | null;
  municipality?: string | null;
  lat?: number | null;
  lon?: number | null;
  industrialPark?: string | null;
  cluster?: string | null;
  /** Identifier in an external directory (e.g. RETC): posting the same one again updates that facility. */
  externalRef?: string | null;
}

/** One facility of a full facility set (PUT /suppliers/:id/facilities). */
export interface FacilitySetItem extends FacilityInput {
  /** An existing facility of this supplier to rewrite; without it the externalRef matches, else it is new. */
  id?: string | null;
}

/** Most facilities one PUT of the facility set may carry. */
export const MAX_FACILITY_SET = 500;

export interface TrackRecordInput {
  title: string;
  description?: string | null;
  customerName?: string | null;
  customerOrgId?: string | null;
  date?: string | null;
  value?: { amountMinor: number; currency: string } | null;
  scianCodes?: string[];
  synthetic?: boolean;
}

const repo = createSupplierRepository();

// ---- access ---------------------------------------------------------------------------------------------------

async function requireEditor(deps: SupplierDeps, supplierId: string, ctx: RequestContext) {
  const access = await supplierAccess(deps.db, ctx.principal, supplierId);
  if (!access.owner) throw errors.SUPPLIER_NOT_FOUND();
  const org = await repo.findOrganization(deps.db, supplierId);
  if (!org || org.type !== 'supplier') throw errors.SUPPLIER_NOT_FOUND();
  if (!canEditSupplier(access)) throw errors.SUPPLIER_EDIT_FORBIDDEN();
  return org;
}

// ---- validation -----------------------------------------------------------------------------------------------

const dedupe = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

function checkScianCodes(codes: readonly string[]): string[] {
  const out = dedupe(codes.map((c) => c.trim()));
  for (const code of out) {
    if (isScianClass(code)) continue;
    const entry = scianCode(code);
    const nearest = nearestScian2023Class(code);
    const hint = entry
      ? ` (${code} is a ${entry.level}, not a class)`
      : nearest
        ? ` (nearest 2023 class: ${nearest.code})`
        : '';
    const hintEs = entry
      ? ` (${code} es un ${entry.level}, no una clase)`
      : nearest
        ? ` (clase 2023 más cercana: ${nearest.code})`
        : '';
    throw errors.SUPPLIER_SCIAN_INVALID({
      detail: {
        en: `${code} is not a SCIAN 2023 class${hint}`,
        es: `${code} no es una clase del SCIAN 2023${hintEs}`,
      },
      errors: [{ in: 'body', path: '/scianCodes', message: code }],
    });
  }
  return out;
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
// Region codes Intl names that are not countries.
const NOT_COUNTRIES = new Set(['ZZ', 'EU', 'EZ', 'UN', 'QO', 'AA']);

function checkCountries(codes: readonly string[]): string[] {
  const out = dedupe(codes.map((c) => c.trim().toUpperCase()));
  for (const c of out) {
    if (!/^[A-Z]{2}$/.test(c) || NOT_COUNTRIES.has(c) || regionNames.of(c) === undefined) {
      throw errors.SUPPLIER_COUNTRY_UNKNOWN({
        detail: { en: `${c} is not a country code`, es: `${c} no es un código de país` },
      });
    }
  }
  return out;
}

function checkState(input: string): string {
  const s = stateByCode(input.trim()) ?? resolveState(input);
  if (!s)
    throw errors.SUPPLIER_STATE_UNKNOWN({
      detail: { en: `Unknown state: ${input}`, es: `Estado desconocido: ${input}` },
    });
  return s.code;
}

/** YYYY-MM-DD that exists in the calendar, within a plausible range (PostgreSQL refuses year 0). */
function checkDate(d: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  const ok =
    m !== null &&
    Number(m[1]) >= 1900 &&
    Number(m[1]) <= 2100 &&
    new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);
  if (!ok) throw errors.SUPPLIER_TRACK_RECORD_DATE_INVALID({ detail: d });
  return d;
}

const blank = (s: string | null | undefined): string | null => {
  const t = s?.trim();
  return t ? t : null;
};

/** Checks a profile body against the catalogues and derives what is derived (size class). */
export function profileValues(
  input: ProfileInput,
): Omit<ProfileValues, 'search_text'> & SearchTextSource['profile'] {
  const scian = checkScianCodes(input.scianCodes);
  const mapped = dedupe(input.scianMapped ?? []);
  for (const m of mapped) if (!scian.includes(m)) throw errors.SUPPLIER_SCIAN_MAPPED_INVALID({ detail: m });
  const tags = dedupe(input.processTags);
  for (const t of tags) {
    if (!processTag(t))
      throw errors.SUPPLIER_PROCESS_TAG_UNKNOWN({
        detail: t,
        errors: [{ in: 'body', path: '/processTags', message: t }],
      });
  }
  if (input.capacity && !capacityUnit(input.capacity.unit))
    throw errors.SUPPLIER_CAPACITY_UNIT_UNKNOWN({ detail: input.capacity.unit });
  const stage = input.functionalStage ? functionalStage(input.functionalStage) : undefined;
  if (input.functionalStage && !stage)
    throw errors.SUPPLIER_FUNCTIONAL_STAGE_UNKNOWN({ detail: input.functionalStage });
  const tiers = input.tiers ?? [];
  if (new Set(tiers.map((t) => t.industry)).size !== tiers.length) throw errors.SUPPLIER_TIER_DUPLICATE();
  let rfc: string | null = null;
  if (input.rfc) {
    const r = validateRfc(input.rfc);
    if (!r.ok) throw errors.SUPPLIER_RFC_INVALID({ detail: input.rfc });
    rfc = r.rfc;
  }
  const employees = input.employees ?? null;
  const sales = input.annualSalesMxnMillions ?? null;
  // Derived, never typed in: the DOF 2009 rule over employees, sales and the sector of the main SCIAN code.
  const size =
    employees !== null && sales !== null && scian[0] !== undefined
      ? classifySize({ employees, annualSalesMxnMillions: sales, scianCode: scian[0] })
      : undefined;
  const contact = Object.fromEntries(
    (['name', 'email', 'phone'] as const).flatMap((k) => {
      const v = blank(input.contact?.[k]);
      return v ? [[k, v]] : [];
    }),
  );
  return {
    description_es: blank(input.description?.es),
    description_en: blank(input.description?.en),
    scian_codes: scian,
    scian_mapped: mapped,
    process_tags: tags,
    materials: dedupe((input.materials ?? []).map((m) => m.trim()).filter((m) => m !== '')),
    capacity_unit: input.capacity?.unit ?? null,
    capacity_per_month: input.capacity?.amountPerMonth ?? null,
    lead_time_days: input.capacity?.leadTimeDays ?? null,
    largest_part_mm: input.capacity?.largestPartMm ?? null,
    employees,
    annual_sales_mxn_millions: sales,
    size_class: size?.sizeClass ?? null,
    size_rule: size ? `${size.rule.id}@${size.rule.version}` : null,
    size_score: size?.score ?? null,
    tiers: JSON.stringify(tiers.map((t) => ({ industry: t.industry, tier: t.tier }))),
    functional_stage: stage?.id ?? null,
    exports: input.exportExperience?.exports ?? false,
    export_markets: checkCountries(input.exportExperience?.markets ?? []),
    rfc,
    contact: JSON.stringify(contact),
    synthetic_fields: dedupe(input.synthetic ?? []),
  };
}

// ---- search text ----------------------------------------------------------------------------------------------

/** What the search text is built from: a SupplierRecord, or a profile about to be written. */
export interface SearchTextSource {
  org: Pick<Organization, 'name'>;
  profile: Pick<
    SupplierProfile,
    'description_es' | 'description_en' | 'scian_codes' | 'process_tags' | 'materials'
  >;
  facilities: readonly Facility[];
  trackRecord: SupplierRecord['trackRecord'];
}

/**
 * Accent-folded text free-text search runs over: names and descriptions, SCIAN titles, each process tag's
 * Spanish and English names and synonyms (so "machining" finds a profile that only says "maquinado"),
 * materials, facility places and track record.
 */
export function buildSearchText(rec: SearchTextSource): string {
  const p = rec.profile;
  const parts: Array<string | null | undefined> = [rec.org.name, p.description_es, p.description_en];
  for (const c of p.scian_codes) parts.push(c, scianCode(c)?.title);
  for (const id of p.process_tags) {
    const t = processTag(id);
    if (t) parts.push(t.es, t.en, ...t.synonyms);
  }
  parts.push(...p.materials);
  for (const f of rec.facilities) {
    parts.push(
      f.name,
      f.municipality,
      f.industrial_park,
      f.cluster,
      f.state_code ? stateByCode(f.state_code)?.officialName : null,
    );
  }
  for (const t of rec.trackRecord) parts.push(t.title, t.description, t.customer_name);
  return foldText(
    dedupe(parts.filter((s): s is string => typeof s === 'string' && s.trim() !== '')).join(' '),
  );
}

// ---- writes ---------------------------------------------------------------------------------------------------

/**
 * Bumps the version, refreshes the search text and writes the snapshot event; the caller holds the row lock
 * (`profile` is the locked row, `org` the organisation requireEditor read). Three statements: facilities and
 * track record in one read, the version bump with the search text, the outbox row.
 */
async function commitChange(
  deps: Pick<SupplierDeps, 'writeEvent'>,
  trx: Transaction<RegistryDb>,
  org: Organization,
  profile: SupplierProfile,
  ctx: RequestContext,
): Promise<SupplierRecord> {
  const rec: SupplierRecord = { org, profile, ...(await repo.loadChildren(trx, org.id)) };
  rec.profile = await repo.bumpVersion(trx, org.id, buildSearchText(rec));
  await emit(deps, trx, rec, 'registry.supplier.updated', ctx);
  return rec;
}

async function emit(
  deps: Pick<SupplierDeps, 'writeEvent'>,
  trx: Transaction<RegistryDb>,
  rec: SupplierRecord,
  type: 'registry.supplier.registered' | 'registry.supplier.updated',
  ctx: RequestContext,
) {
  await deps.writeEvent(
    trx,
    type,
    { type: 'supplier', id: rec.org.id, version: rec.profile.version },
    buildSnapshot(rec),
    rec.org.id,
    ctx,
  );
}

/**
 * The organisation behind a profile changed (name, state …): the profile's search text and public snapshot
 * carry the organisation's fields, so the profile takes a new version and `registry.supplier.updated` goes out
 * in the same transaction. Nothing happens for an organisation without a profile.
 */
export async function organizationChanged(
  deps: Pick<SupplierDeps, 'writeEvent'>,
  trx: Transaction<RegistryDb>,
  org: Organization,
  ctx: RequestContext,
): Promise<void> {
  const profile = await repo.lockProfile(trx, org.id);
  if (profile) await commitChange(deps, trx, org, profile, ctx);
}

/**
 * Creates or replaces the profile. The search text is built before the write, so the profile row is written
 * once: lock (an existing profile), read its facilities and track record (one query; a new profile has none),
 * upsert with the search text, outbox row.
 */
export async function putProfile(
  deps: SupplierDeps,
  supplierId: string,
  input: ProfileInput,
  ctx: RequestContext,
) {
  const org = await requireEditor(deps, supplierId, ctx);
  const values = profileValues(input);
  const rec = await inTransaction(deps.db, async (trx) => {
    const existing = await repo.lockProfile(trx, supplierId);
    // Facilities and track record hang off the profile (foreign key), so a profile that does not exist has none.
    const children = existing
      ? await repo.loadChildren(trx, supplierId)
      : { facilities: [], trackRecord: [] };
    const searchText = buildSearchText({ org, profile: values, ...children });
    const { created, row } = await repo.upsertProfile(trx, supplierId, {
      ...values,
      search_text: searchText,
    });
    const rec: SupplierRecord = { org, profile: row, ...children };
    if (!existing && !created) {
      // Another request created the profile between our lock attempt (nothing to lock yet) and our upsert, and
      // facilities or track record may have been added since: read them now that we hold the row.
      Object.assign(rec, await repo.loadChildren(trx, supplierId));
      const fresh = buildSearchText(rec);
      if (fresh !== searchText) {
        await repo.setSearchText(trx, supplierId, fresh);
        rec.profile = { ...row, search_text: fresh };
      }
    }
    await emit(deps, trx, rec, created ? 'registry.supplier.registered' : 'registry.supplier.updated', ctx);
    return rec;
  });
  return privateProfileView(rec);
}

export async function getPrivateProfile(deps: SupplierDeps, supplierId: string, ctx: RequestContext) {
  const access = await supplierAccess(deps.db, ctx.principal, supplierId);
  if (!canSeePrivateProfile(access)) throw errors.SUPPLIER_NOT_FOUND();
  const rec = await loadSupplierRecord(deps.db, supplierId);
  if (!rec) {
    // The supplier itself learns it has no profile yet; anyone else cannot tell the difference.
    if (access.owner) throw errors.SUPPLIER_PROFILE_NOT_FOUND();
    throw errors.SUPPLIER_NOT_FOUND();
  }
  return privateProfileView(rec);
}

async function lockExistingProfile(
  trx: Transaction<RegistryDb>,
  supplierId: string,
): Promise<SupplierProfile> {
  const profile = await repo.lockProfile(trx, supplierId);
  if (!profile) throw errors.SUPPLIER_PROFILE_NOT_FOUND();
  return profile;
}

function facilityColumns(input: Partial<FacilityInput>): FacilityPatch {
  const out: FacilityPatch = {};
  if (input.name !== undefined) out.name = input.name.trim();
  if (input.address !== undefined) out.address = blank(input.address);
  if (input.stateCode !== undefined)
    out.state_code = input.stateCode === null ? null : checkState(input.stateCode);
  if (input.municipality !== undefined) out.municipality = blank(input.municipality);
  if (input.lat !== undefined) out.lat = input.lat;
  if (input.lon !== undefined) out.lon = input.lon;
  if (input.industrialPark !== undefined) out.industrial_park = blank(input.industrialPark);
  if (input.cluster !== undefined) out.cluster = blank(input.cluster);
  if (input.externalRef !== undefined) out.external_ref = blank(input.externalRef);
  return out;
}

function checkCoordinates(f: { lat: number | null; lon: number | null }, path?: string) {
  if ((f.lat === null) !== (f.lon === null)) {
    throw errors.SUPPLIER_COORDINATES_INCOMPLETE(
      path ? { errors: [{ in: 'body', path, message: 'lat and lon go together' }] } : {},
    );
  }
}

/** Adds a facility, or updates the one with the same externalRef (re-imports never duplicate). */
export async function addFacility(
  deps: SupplierDeps,
  supplierId: string,
  input: FacilityInput,
  ctx: RequestContext,
) {
  const org = await requireEditor(deps, supplierId, ctx);
  const cols = facilityColumns(input);
  return inTransaction(deps.db, async (trx) => {
    const profile = await lockExistingProfile(trx, supplierId);
    const ref = cols.external_ref ?? null;
    const existing = ref ? await repo.findFacilityByRef(trx, supplierId, ref) : undefined;
    const row = existing
      ? await repo.updateFacility(trx, supplierId, existing.id, cols)
      : await repo.insertFacility(trx, {
          id: newId(),
          org_id: supplierId,
          name: cols.name ?? input.name,
          address: cols.address ?? null,
          state_code: cols.state_code ?? null,
          municipality: cols.municipality ?? null,
          lat: cols.lat ?? null,
          lon: cols.lon ?? null,
          industrial_park: cols.industrial_park ?? null,
          cluster: cols.cluster ?? null,
          external_ref: ref,
        });
    if (!row) throw errors.SUPPLIER_FACILITY_NOT_FOUND();
    checkCoordinates(row);
    await commitChange(deps, trx, org, profile, ctx);
    return { created: !existing, facility: facilityResponse(row) };
  });
}

/** Every column of a facility from one item of a full set: a field left out is cleared (PUT semantics). */
function facilityRow(item: FacilityInput, path: string): Omit<FacilityValues, 'id' | 'org_id'> {
  const cols = facilityColumns({
    address: null,
    stateCode: null,
    municipality: null,
    lat: null,
    lon: null,
    industrialPark: null,
    cluster: null,
    externalRef: null,
    ...item,
  });
  const row = {
    name: cols.name ?? item.name,
    address: cols.address ?? null,
    state_code: cols.state_code ?? null,
    municipality: cols.municipality ?? null,
    lat: cols.lat ?? null,
    lon: cols.lon ?? null,
    industrial_park: cols.industrial_park ?? null,
    cluster: cols.cluster ?? null,
    external_ref: cols.external_ref ?? null,
  };
  checkCoordinates(row, path);
  return row;
}

const FACILITY_COLUMNS = [
  'name',
  'address',
  'state_code',
  'municipality',
  'lat',
  'lon',
  'industrial_park',
  'cluster',
  'external_ref',
] as const;
const sameFacility = (f: Facility, row: Omit<FacilityValues, 'id' | 'org_id'>) =>
  FACILITY_COLUMNS.every((k) => f[k] === (row[k] ?? null));

export interface FacilitySetResult {
  facilities: Array<ReturnType<typeof facilityResponse>>;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  version: number;
}

/**
 * Replaces the supplier's facility set in one transaction (what an ERP sync or an import sends): an item with
 * an `id` rewrites that facility (it must be this supplier's), an item with an `externalRef` rewrites the
 * facility holding that reference (unless another item names it by id), any other item is new; facilities
 * not matched are deleted. Fields left out of an item are cleared. Whatever changed — nothing included — the
 * profile version goes up once and one `registry.supplier.updated` carries the new snapshot. Statements: lock,
 * list, delete, (clear moving references), one insert-or-update for every new or changed facility, then
 * commitChange's three.
 */
export async function replaceFacilities(
  deps: SupplierDeps,
  supplierId: string,
  items: readonly FacilitySetItem[],
  ctx: RequestContext,
): Promise<FacilitySetResult> {
  const org = await requireEditor(deps, supplierId, ctx);
  if (items.length > MAX_FACILITY_SET) {
    throw httpErrors.VALIDATION_FAILED({
      errors: [{ in: 'body', path: '/facilities', message: `at most ${MAX_FACILITY_SET} facilities` }],
    });
  }
  // Everything is checked before the database is touched.
  const wanted = items.map((item, i) => ({
    id: item.id ? item.id.toLowerCase() : null,
    row: facilityRow(item, `/facilities/${i}`),
  }));
  const seenIds = new Set<string>();
  const seenRefs = new Set<string>();
  wanted.forEach(({ id, row }, i) => {
    if (id !== null) {
      if (seenIds.has(id))
        throw httpErrors.VALIDATION_FAILED({
          errors: [{ in: 'body', path: `/facilities/${i}/id`, message: `facility ${id} is listed twice` }],
        });
      seenIds.add(id);
    }
    const ref = row.external_ref ?? null;
    if (ref !== null) {
      if (seenRefs.has(ref))
        throw httpErrors.VALIDATION_FAILED({
          errors: [
            {
              in: 'body',
              path: `/facilities/${i}/externalRef`,
              message: `externalRef ${ref} is listed twice`,
            },
          ],
        });
      seenRefs.add(ref);
    }
  });

  return inTransaction(deps.db, async (trx) => {
    const profile = await lockExistingProfile(trx, supplierId);
    const current = await repo.listFacilities(trx, supplierId);
    const byId = new Map(current.map((f) => [f.id, f]));
    const byRef = new Map(
      current.flatMap((f) => (f.external_ref !== null ? [[f.external_ref, f] as const] : [])),
    );
    wanted.forEach(({ id }, i) => {
      if (id !== null && !byId.has(id)) {
        throw errors.SUPPLIER_FACILITY_NOT_FOUND({
          detail: id,
          errors: [{ in: 'body', path: `/facilities/${i}/id`, message: id }],
        });
      }
    });
    let created = 0;
    let updated = 0;
    let unchanged = 0;
    const keep: string[] = [];
    const writes: FacilityValues[] = [];
    for (const { id, row } of wanted) {
      let target = id !== null ? byId.get(id) : row.external_ref ? byRef.get(row.external_ref) : undefined;
      // A reference held by a facility another item names by id: that facility is the other item's.
      if (id === null && target && seenIds.has(target.id)) target = undefined;
      if (!target) {
        writes.push({ id: newId(), org_id: supplierId, ...row });
        created++;
        continue;
      }
      keep.push(target.id);
      if (sameFacility(target, row)) {
        unchanged++;
      } else {
        writes.push({ id: target.id, org_id: supplierId, ...row });
        updated++;
      }
    }
    const deleted = await repo.deleteFacilitiesExcept(trx, supplierId, keep);
    // References that move from one kept facility to another would trip the (org_id, external_ref) key inside
    // the single insert-or-update: clear them first.
    const moving = writes.filter((w) => {
      const before = byId.get(w.id)?.external_ref ?? null;
      return before !== null && before !== (w.external_ref ?? null);
    });
    await repo.clearFacilityRefs(
      trx,
      supplierId,
      moving.map((w) => w.id),
    );
    await repo.upsertFacilities(trx, supplierId, writes).catch((err: unknown) => {
      throw isUniqueViolation(err) ? errors.SUPPLIER_FACILITY_REF_TAKEN() : err;
    });
    const rec = await commitChange(deps, trx, org, profile, ctx);
    return {
      facilities: rec.facilities.map(facilityResponse),
      created,
      updated,
      unchanged,
      deleted,
      version: rec.profile.version,
    };
  });
}

function facilityResponse(row: Parameters<typeof facilityView>[0]) {
  return { ...facilityView(row), address: row.address, externalRef: row.external_ref };
}

export async function updateFacility(
  deps: SupplierDeps,
  supplierId: string,
  facilityId: string,
  patch: Partial<FacilityInput>,
  ctx: RequestContext,
) {
  const org = await requireEditor(deps, supplierId, ctx);
  const cols = facilityColumns(patch);
  return inTransaction(deps.db, async (trx) => {
    const profile = await lockExistingProfile(trx, supplierId);
    const row = await repo.updateFacility(trx, supplierId, facilityId, cols).catch((err: unknown) => {
      throw isUniqueViolation(err)
        ? errors.SUPPLIER_FACILITY_REF_TAKEN({ detail: cols.external_ref ?? '' })
        : err;
    });
    if (!row) throw errors.SUPPLIER_FACILITY_NOT_FOUND();
    checkCoordinates(row);
    await commitChange(deps, trx, org, profile, ctx);
    return facilityResponse(row);
  });
}

export async function deleteFacility(
  deps: SupplierDeps,
  supplierId: string,
  facilityId: string,
  ctx: RequestContext,
) {
  const org = await requireEditor(deps, supplierId, ctx);
  await inTransaction(deps.db, async (trx) => {
    const profile = await lockExistingProfile(trx, supplierId);
    if (!(await repo.deleteFacility(trx, supplierId, facilityId))) throw errors.SUPPLIER_FACILITY_NOT_FOUND();
    await commitChange(deps, trx, org, profile, ctx);
  });
}

export async function addTrackRecord(
  deps: SupplierDeps,
  supplierId: string,
  input: TrackRecordInput,
  ctx: RequestContext,
) {
  const org = await requireEditor(deps, supplierId, ctx);
  const scian = checkScianCodes(input.scianCodes ?? []);
  const date = input.date ? checkDate(input.date) : null;
  const customerOrgId = input.customerOrgId ?? null;
  if (customerOrgId) {
    const customer = await repo.findOrganization(deps.db, customerOrgId);
    if (!customer || customer.id === supplierId)
      throw errors.SUPPLIER_CUSTOMER_UNKNOWN({ detail: customerOrgId });
  }
  return inTransaction(deps.db, async (trx) => {
    const profile = await lockExistingProfile(trx, supplierId);
    const row = await repo.insertTrackRecord(trx, {
      id: newId(),
      org_id: supplierId,
      title: input.title.trim(),
      description: blank(input.description),
      customer_name: blank(input.customerName),
      customer_org_id: customerOrgId,
      happened_on: date,
      value_minor: input.value?.amountMinor ?? null,
      currency: input.value?.currency ?? null,
      scian_codes: scian,
      synthetic: input.synthetic ?? false,
    });
    await commitChange(deps, trx, org, profile, ctx);
    return trackRecordView(row);
  });
}

export async function deleteTrackRecord(
  deps: SupplierDeps,
  supplierId: string,
  entryId: string,
  ctx: RequestContext,
) {
  const org = await requireEditor(deps, supplierId, ctx);
  await inTransaction(deps.db, async (trx) => {
    const profile = await lockExistingProfile(trx, supplierId);
    if (!(await repo.deleteTrackRecord(trx, supplierId, entryId)))
      throw errors.SUPPLIER_TRACK_RECORD_NOT_FOUND();
    await commitChange(deps, trx, org, profile, ctx);
  });
}
