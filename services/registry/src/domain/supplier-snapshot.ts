/**
 * The supplier snapshot (the contract's SupplierSnapshot: what events carry and what anyone may see) built from
 * the profile, facility and track-record tables, and the two views of a profile: public (the snapshot) and
 * private (adds RFC, contact, raw employees and sales, the size score). Who gets which view is access.ts's call.
 */
import type { Executor } from '@vinculo/service-kit/db';
import {
  SupplierSnapshot as SupplierSnapshotSchema,
  type SupplierFacility,
  type SupplierSnapshot,
  type TrackRecordEntry,
} from '@vinculo/contracts';
import { Type } from 'typebox';
import type { Facility, Organization, RegistryDb, SupplierProfile, TrackRecordRow } from '../db/schema.js';
import { createSupplierRepository } from '../db/suppliers.repository.js';

const repo = createSupplierRepository();

/** Everything read for one supplier: the rows the snapshot and views are built from. */
export interface SupplierRecord {
  org: Organization;
  profile: SupplierProfile;
  facilities: Facility[];
  trackRecord: TrackRecordRow[];
}

/** Three queries: the organisation, the profile, facilities and track record together (repo.loadChildren). */
export async function loadSupplierRecord(
  db: Executor<RegistryDb>,
  orgId: string,
): Promise<SupplierRecord | undefined> {
  const org = await repo.findOrganization(db, orgId);
  if (!org || org.type !== 'supplier') return undefined;
  const profile = await repo.findProfile(db, orgId);
  if (!profile) return undefined;
  return { org, profile, ...(await repo.loadChildren(db, orgId)) };
}

/** The public snapshot of a supplier organisation's profile; undefined when it is not a supplier or has no profile. */
export async function loadSupplierSnapshot(
  db: Executor<RegistryDb>,
  orgId: string,
): Promise<SupplierSnapshot | undefined> {
  const rec = await loadSupplierRecord(db, orgId);
  return rec ? buildSnapshot(rec) : undefined;
}

export function facilityView(f: Facility): SupplierFacility {
  return {
    id: f.id,
    name: f.name,
    stateCode: f.state_code,
    municipality: f.municipality,
    lat: f.lat,
    lon: f.lon,
    industrialPark: f.industrial_park,
    cluster: f.cluster,
  };
}

export function trackRecordView(t: TrackRecordRow): TrackRecordEntry {
  return {
    id: t.id,
    title: t.title,
    description: t.description,
    customerName: t.customer_name,
    customerOrgId: t.customer_org_id,
    date: t.happened_on,
    value:
      t.value_minor !== null && t.currency !== null
        ? { amountMinor: t.value_minor, currency: t.currency }
        : null,
    scianCodes: t.scian_codes,
    source: 'declared',
  };
}

export function buildSnapshot(rec: SupplierRecord): SupplierSnapshot {
  const p = rec.profile;
  return {
    id: rec.org.id,
    name: rec.org.name,
    country: rec.org.country,
    description: { es: p.description_es, en: p.description_en },
    scianCodes: p.scian_codes,
    scianMapped: p.scian_mapped,
    processTags: p.process_tags,
    materials: p.materials,
    facilities: rec.facilities.map(facilityView),
    capacity:
      p.capacity_unit !== null && p.capacity_per_month !== null
        ? {
            unit: p.capacity_unit,
            amountPerMonth: p.capacity_per_month,
            leadTimeDays: p.lead_time_days,
            largestPartMm: p.largest_part_mm,
          }
        : null,
    sizeClass: p.size_class,
    sizeRule: p.size_rule,
    tiers: p.tiers,
    functionalStage: p.functional_stage,
    exportExperience: { exports: p.exports, markets: p.export_markets },
    trackRecord: rec.trackRecord.map(trackRecordView),
    synthetic: p.synthetic_fields,
    updatedAt: p.updated_at.toISOString(),
  };
}

/** What anyone (anonymous included) may see: the snapshot, plus the profile version for caching. */
export function publicProfileView(snapshot: SupplierSnapshot, version?: number): PublicProfile {
  return { ...snapshot, ...(version !== undefined ? { version } : {}) };
}

/** The supplier itself, its bureaus with a `view` mandate and assigned auditors: adds the private fields. */
export function privateProfileView(rec: SupplierRecord): PrivateProfile {
  const p = rec.profile;
  return {
    ...buildSnapshot(rec),
    version: p.version,
    rfc: p.rfc,
    contact: {
      name: p.contact.name ?? null,
      email: p.contact.email ?? null,
      phone: p.contact.phone ?? null,
    },
    employees: p.employees,
    annualSalesMxnMillions: p.annual_sales_mxn_millions,
    sizeScore: p.size_score,
  };
}

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** Response schema of the public view (GET /suppliers/:id). */
export const PublicProfile = Type.Intersect([
  SupplierSnapshotSchema,
  Type.Object({ version: Type.Optional(Type.Integer()) }),
]);
export type PublicProfile = SupplierSnapshot & { version?: number };

/** Response schema of the private view (GET/PUT /suppliers/:supplierId/profile). */
export const PrivateProfile = Type.Intersect([
  SupplierSnapshotSchema,
  Type.Object({
    version: Type.Integer(),
    rfc: Nullable(Type.String()),
    contact: Type.Object({
      name: Nullable(Type.String()),
      email: Nullable(Type.String()),
      phone: Nullable(Type.String()),
    }),
    employees: Nullable(Type.Integer()),
    annualSalesMxnMillions: Nullable(Type.Number()),
    sizeScore: Nullable(Type.Number()),
  }),
]);
export type PrivateProfile = SupplierSnapshot & {
  version: number;
  rfc: string | null;
  contact: { name: string | null; email: string | null; phone: string | null };
  employees: number | null;
  annualSalesMxnMillions: number | null;
  sizeScore: number | null;
};
