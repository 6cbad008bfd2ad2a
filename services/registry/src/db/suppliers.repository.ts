/**
 * Supplier profiles, their facilities and declared track record. SQL stays visible; every function takes the
 * executor it runs on, so a use case can read and write inside one transaction with its outbox event.
 */
import type { Insertable, Updateable } from 'kysely';
import type { Executor } from '@vinculo/service-kit/db';
import type { Facility, FacilitiesTable, Organization, RegistryDb, SupplierProfile, SupplierProfilesTable, TrackRecordRow, TrackRecordTable } from './schema.js';

type X = Executor<RegistryDb>;

export type ProfileValues = Omit<Insertable<SupplierProfilesTable>, 'org_id' | 'version' | 'created_at' | 'updated_at'>;
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
      return x.selectFrom('supplier_profiles').selectAll().where('org_id', '=', orgId).forUpdate().executeTakeFirst();
    },
    /** Inserts or replaces the profile; answers whether it was created and the row as written. */
    async upsertProfile(x: X, orgId: string, values: ProfileValues): Promise<{ created: boolean; row: SupplierProfile }> {
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
      await x.updateTable('supplier_profiles').set({ search_text: searchText }).where('org_id', '=', orgId).execute();
    },
    listFacilities(x: X, orgId: string): Promise<Facility[]> {
      return x.selectFrom('facilities').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('id').execute();
    },
    insertFacility(x: X, f: FacilityValues): Promise<Facility> {
      return x.insertInto('facilities').values(f).returningAll().executeTakeFirstOrThrow();
    },
    updateFacility(x: X, orgId: string, id: string, patch: FacilityPatch): Promise<Facility | undefined> {
      if (Object.keys(patch).length === 0) {
        return x.selectFrom('facilities').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
      }
      return x.updateTable('facilities').set(patch).where('org_id', '=', orgId).where('id', '=', id).returningAll().executeTakeFirst();
    },
    async deleteFacility(x: X, orgId: string, id: string): Promise<boolean> {
      const r = await x.deleteFrom('facilities').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
      return r.numDeletedRows > 0n;
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
      const r = await x.deleteFrom('track_record').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
  };
}

export type SupplierRepository = ReturnType<typeof createSupplierRepository>;
