/**
 * Supplier profiles, their facilities and declared track record. SQL stays visible; every function takes the
 * executor it runs on, so a use case can read and write inside one transaction with its outbox event.
 */
import type { Insertable, Updateable } from 'kysely';
import { sql, type Executor } from '@vinculo/service-kit/db';
import type {
  Facility,
  FacilitiesTable,
  Organization,
  RegistryDb,
  SupplierProfile,
  SupplierProfilesTable,
  TrackRecordRow,
  TrackRecordTable,
} from './schema.js';

type X = Executor<RegistryDb>;
/** A row as to_jsonb renders it: timestamps become text. */
type Json<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] };

export type ProfileValues = Omit<
  Insertable<SupplierProfilesTable>,
  'org_id' | 'version' | 'created_at' | 'updated_at'
>;
export type FacilityValues = Omit<Insertable<FacilitiesTable>, 'created_at'>;
export type FacilityPatch = Omit<Updateable<FacilitiesTable>, 'id' | 'org_id' | 'created_at'>;
export type TrackRecordValues = Omit<Insertable<TrackRecordTable>, 'created_at'>;

export function createSupplierRepository() {
  return {
    findOrganization(x: X, orgId: string): Promise<Organization | undefined> {
      return x.selectFrom('organizations').selectAll().where('id', '=', orgId).executeTakeFirst();
    },
    findProfile(x: X, orgId: string): Promise<SupplierProfile | undefined> {
      return x.selectFrom('supplier_profiles').selectAll().where('org_id', '=', orgId).executeTakeFirst();
    },
    /** Locks the profile row so concurrent changes bump the version one after the other. */
    lockProfile(x: X, orgId: string): Promise<SupplierProfile | undefined> {
      return x
        .selectFrom('supplier_profiles')
        .selectAll()
        .where('org_id', '=', orgId)
        .forUpdate()
        .executeTakeFirst();
    },
    /** Inserts or replaces the profile; answers whether it was created and the row as written. */
    async upsertProfile(
      x: X,
      orgId: string,
      values: ProfileValues,
    ): Promise<{ created: boolean; row: SupplierProfile }> {
      const row = await x
        .insertInto('supplier_profiles')
        .values({ ...values, org_id: orgId, version: 1 })
        .onConflict((oc) =>
          oc.column('org_id').doUpdateSet((eb) => ({
            ...values,
            version: eb('supplier_profiles.version', '+', 1),
            updated_at: new Date(),
          })),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return { created: row.version === 1, row };
    },
    async bumpVersion(x: X, orgId: string, searchText?: string): Promise<SupplierProfile> {
      return x
        .updateTable('supplier_profiles')
        .set((eb) => ({
          version: eb('version', '+', 1),
          updated_at: new Date(),
          ...(searchText !== undefined ? { search_text: searchText } : {}),
        }))
        .where('org_id', '=', orgId)
        .returningAll()
        .executeTakeFirstOrThrow();
    },
    async setSearchText(x: X, orgId: string, searchText: string) {
      await x
        .updateTable('supplier_profiles')
        .set({ search_text: searchText })
        .where('org_id', '=', orgId)
        .execute();
    },
    /**
     * Facilities and track record of one supplier in one round trip (two JSON aggregates), in the orders
     * listFacilities and listTrackRecord use: what every snapshot write needs after its change.
     */
    async loadChildren(
      x: X,
      orgId: string,
    ): Promise<{ facilities: Facility[]; trackRecord: TrackRecordRow[] }> {
      const { rows } = await sql<{
        facilities: Array<Json<Facility>>;
        track_record: Array<Json<TrackRecordRow>>;
      }>`
        select
          (select coalesce(jsonb_agg(to_jsonb(f) order by f.created_at, f.id), '[]'::jsonb)
             from facilities f where f.org_id = ${orgId}) as facilities,
          (select coalesce(jsonb_agg(to_jsonb(t) order by t.happened_on desc nulls last, t.created_at, t.id), '[]'::jsonb)
             from track_record t where t.org_id = ${orgId}) as track_record`.execute(x);
      const row = rows[0]!;
      // JSON has no timestamp: created_at comes back as text. Every other column keeps its JS shape (dates are
      // YYYY-MM-DD text either way, bigint values are far below 2^53).
      return {
        facilities: row.facilities.map((f) => ({ ...f, created_at: new Date(f.created_at) })),
        trackRecord: row.track_record.map((t) => ({ ...t, created_at: new Date(t.created_at) })),
      };
    },
    listFacilities(x: X, orgId: string): Promise<Facility[]> {
      return x
        .selectFrom('facilities')
        .selectAll()
        .where('org_id', '=', orgId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },
    findFacilityByRef(x: X, orgId: string, externalRef: string): Promise<Facility | undefined> {
      return x
        .selectFrom('facilities')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('external_ref', '=', externalRef)
        .executeTakeFirst();
    },
    insertFacility(x: X, f: FacilityValues): Promise<Facility> {
      return x.insertInto('facilities').values(f).returningAll().executeTakeFirstOrThrow();
    },
    updateFacility(x: X, orgId: string, id: string, patch: FacilityPatch): Promise<Facility | undefined> {
      if (Object.keys(patch).length === 0) {
        return x
          .selectFrom('facilities')
          .selectAll()
          .where('org_id', '=', orgId)
          .where('id', '=', id)
          .executeTakeFirst();
      }
      return x
        .updateTable('facilities')
        .set(patch)
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
    },
    async deleteFacility(x: X, orgId: string, id: string): Promise<boolean> {
      const r = await x
        .deleteFrom('facilities')
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
    /** Deletes the supplier's facilities whose id is not in `keep`; answers how many went. */
    async deleteFacilitiesExcept(x: X, orgId: string, keep: readonly string[]): Promise<number> {
      let q = x.deleteFrom('facilities').where('org_id', '=', orgId);
      if (keep.length > 0) q = q.where('id', 'not in', keep);
      const r = await q.executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    /** Clears the external reference of these facilities (before references move between them in one statement). */
    async clearFacilityRefs(x: X, orgId: string, ids: readonly string[]): Promise<void> {
      if (ids.length === 0) return;
      await x
        .updateTable('facilities')
        .set({ external_ref: null })
        .where('org_id', '=', orgId)
        .where('id', 'in', ids)
        .execute();
    },
    /**
     * Inserts new facilities and rewrites existing ones of this supplier in one statement (conflict on the id;
     * created_at of an existing facility is kept). The caller has checked that every existing id is this
     * supplier's; the org_id guard makes a stray one a no-op rather than a takeover.
     */
    async upsertFacilities(x: X, orgId: string, rows: readonly FacilityValues[]): Promise<void> {
      if (rows.length === 0) return;
      await x
        .insertInto('facilities')
        .values(rows.map((r) => ({ ...r, org_id: orgId })))
        .onConflict((oc) =>
          oc
            .column('id')
            .doUpdateSet((eb) => ({
              name: eb.ref('excluded.name'),
              address: eb.ref('excluded.address'),
              state_code: eb.ref('excluded.state_code'),
              municipality: eb.ref('excluded.municipality'),
              lat: eb.ref('excluded.lat'),
              lon: eb.ref('excluded.lon'),
              industrial_park: eb.ref('excluded.industrial_park'),
              cluster: eb.ref('excluded.cluster'),
              external_ref: eb.ref('excluded.external_ref'),
            }))
            .where('facilities.org_id', '=', orgId),
        )
        .execute();
    },
    listTrackRecord(x: X, orgId: string): Promise<TrackRecordRow[]> {
      return x
        .selectFrom('track_record')
        .selectAll()
        .where('org_id', '=', orgId)
        .orderBy('happened_on', (ob) => ob.desc().nullsLast())
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },
    insertTrackRecord(x: X, t: TrackRecordValues): Promise<TrackRecordRow> {
      return x.insertInto('track_record').values(t).returningAll().executeTakeFirstOrThrow();
    },
    async deleteTrackRecord(x: X, orgId: string, id: string): Promise<boolean> {
      const r = await x
        .deleteFrom('track_record')
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
  };
}

export type SupplierRepository = ReturnType<typeof createSupplierRepository>;
