/**
 * Certificates, their documents, verification requests and expiry notices. SQL stays visible; every function
 * takes the executor it runs on, so a use case writes its rows and its outbox event in one transaction.
 */
import type { Insertable, Updateable } from 'kysely';
import type { Executor } from '@vinculo/service-kit/db';
import type {
  CertificateNoticesTable,
  CertificatesTable,
  Certificate,
  DocumentsTable,
  RegistryDb,
  VerificationRequest,
  VerificationRequestsTable,
} from './schema.js';

type X = Executor<RegistryDb>;

export type CertificateValues = Omit<Insertable<CertificatesTable>, 'created_at' | 'updated_at' | 'version'>;
export type CertificateChange = Omit<
  Updateable<CertificatesTable>,
  'id' | 'org_id' | 'created_at' | 'version' | 'updated_at'
>;
export type NoticeKind = CertificateNoticesTable['kind'];

export interface QueueItem extends VerificationRequest {
  standard_id: string;
  certificate_number: string;
  issuing_body: string;
  valid_from: string;
  valid_to: string;
  certificate_status: Certificate['status'];
  supplier_name: string;
}

export function createCertificateRepository() {
  return {
    /** The supplier organisation, only when it has a supplier profile. */
    async supplierExists(x: X, orgId: string): Promise<boolean> {
      const row = await x
        .selectFrom('supplier_profiles')
        .select('org_id')
        .where('org_id', '=', orgId)
        .executeTakeFirst();
      return row !== undefined;
    },

    async insert(x: X, values: CertificateValues): Promise<Certificate> {
      return x.insertInto('certificates').values(values).returningAll().executeTakeFirstOrThrow();
    },

    find(x: X, orgId: string, id: string): Promise<Certificate | undefined> {
      return x
        .selectFrom('certificates')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst();
    },

    /** Locks the row so concurrent changes bump the version one after the other. */
    lock(x: X, id: string): Promise<Certificate | undefined> {
      return x.selectFrom('certificates').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    },

    /** Applies a change, bumps the version and returns the row as written. */
    async update(x: X, id: string, change: CertificateChange): Promise<Certificate> {
      return x
        .updateTable('certificates')
        .set((eb) => ({ ...change, version: eb('version', '+', 1), updated_at: new Date() }))
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    /**
     * A page of the supplier's certificates, oldest first. Ids are UUIDv7 (time-ordered), so the id alone is a
     * stable cursor and avoids comparing microsecond timestamps through millisecond JS dates.
     */
    list(x: X, orgId: string, limit: number, afterId?: string): Promise<Certificate[]> {
      let q = x.selectFrom('certificates').selectAll().where('org_id', '=', orgId);
      if (afterId) q = q.where('id', '>', afterId);
      return q
        .orderBy('id')
        .limit(limit + 1)
        .execute();
    },

    /** Content-addressed: a second upload of the same bytes finds the row and changes nothing. */
    async insertDocument(x: X, doc: Omit<Insertable<DocumentsTable>, 'created_at'>): Promise<void> {
      await x
        .insertInto('documents')
        .values(doc)
        .onConflict((oc) => oc.column('sha256').doNothing())
        .execute();
    },

    findDocument(x: X, sha256: string) {
      return x.selectFrom('documents').selectAll().where('sha256', '=', sha256).executeTakeFirst();
    },

    findAuditor(x: X, orgId: string) {
      return x
        .selectFrom('organizations')
        .select(['id', 'name'])
        .where('id', '=', orgId)
        .where('type', '=', 'auditor')
        .executeTakeFirst();
    },

    /** Creates the request; undefined when this auditor already has an open one for the certificate. */
    async insertRequest(
      x: X,
      values: Omit<Insertable<VerificationRequestsTable>, 'created_at'>,
    ): Promise<VerificationRequest | undefined> {
      return x
        .insertInto('verification_requests')
        .values(values)
        .onConflict((oc) =>
          oc.columns(['certificate_id', 'auditor_org_id']).where('status', '=', 'requested').doNothing(),
        )
        .returningAll()
        .executeTakeFirst();
    },

    /** The request, only for the auditor organisation it is assigned to; locked for the decision. */
    lockRequestFor(x: X, id: string, auditorOrgId: string): Promise<VerificationRequest | undefined> {
      return x
        .selectFrom('verification_requests')
        .selectAll()
        .where('id', '=', id)
        .where('auditor_org_id', '=', auditorOrgId)
        .forUpdate()
        .executeTakeFirst();
    },

    async decideRequest(
      x: X,
      id: string,
      decision: { status: 'verified' | 'rejected'; reason: string | null; decidedBy: string | null },
    ): Promise<VerificationRequest> {
      return x
        .updateTable('verification_requests')
        .set({
          status: decision.status,
          reason: decision.reason,
          decided_by: decision.decidedBy,
          decided_at: new Date(),
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    /** An auditor organisation's queue, oldest first, with what it needs to see of each certificate. */
    listQueue(
      x: X,
      auditorOrgId: string,
      status: VerificationRequest['status'] | undefined,
      limit: number,
      afterId?: string,
    ): Promise<QueueItem[]> {
      let q = x
        .selectFrom('verification_requests as vr')
        .innerJoin('certificates as c', 'c.id', 'vr.certificate_id')
        .innerJoin('organizations as o', 'o.id', 'vr.supplier_org_id')
        .selectAll('vr')
        .select([
          'c.standard_id',
          'c.certificate_number',
          'c.issuing_body',
          'c.valid_from',
          'c.valid_to',
          'c.status as certificate_status',
          'o.name as supplier_name',
        ])
        .where('vr.auditor_org_id', '=', auditorOrgId);
      if (status) q = q.where('vr.status', '=', status);
      // UUIDv7 ids: id order is creation order.
      if (afterId) q = q.where('vr.id', '>', afterId);
      return q
        .orderBy('vr.id')
        .limit(limit + 1)
        .execute();
    },

    /** Records a notice once per (certificate, kind, validity end); false when it was already recorded. */
    async recordNotice(x: X, certificateId: string, kind: NoticeKind, validTo: string): Promise<boolean> {
      const row = await x
        .insertInto('certificate_notices')
        .values({ certificate_id: certificateId, kind, valid_to: validTo })
        .onConflict((oc) => oc.columns(['certificate_id', 'kind', 'valid_to']).doNothing())
        .returning('certificate_id')
        .executeTakeFirst();
      return row !== undefined;
    },

    /** Certificates whose expiry may still need jobs (not revoked or expired), for a re-sync at boot. */
    listSchedulable(x: X): Promise<Array<{ id: string; valid_to: string }>> {
      return x
        .selectFrom('certificates')
        .select(['id', 'valid_to'])
        .where('status', 'in', ['declared', 'verified', 'rejected'])
        .orderBy('valid_to')
        .execute();
    },
  };
}

export type CertificateRepository = ReturnType<typeof createCertificateRepository>;
