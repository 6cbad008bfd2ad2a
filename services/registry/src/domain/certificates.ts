/**
 * Certificates of a supplier: declaration, changes, revocation, the document, and verification by an auditor
 * organisation the supplier asks. Status `declared → verified | rejected`, `expired` (by the expiry job),
 * `revoked` (final). Every change writes its snapshot event to the outbox in the same transaction; expiry jobs
 * are (re)scheduled after the commit.
 *
 * Who may do what (src/domain/access.ts): the list is public; the document only for canSeeDocument; changes
 * only for the supplier's owners and admins; decisions only for members of the assigned auditor organisation.
 * A caller without a right to an object gets 404, never 403 (403 only for a member whose role is too weak).
 */
import { inTransaction, newId, type Kysely, type Transaction } from '@vinculo/service-kit/db';
import { certificationStandard } from '@vinculo/taxonomy';
import { certificateErrors as errors } from '../certificates.errors.js';
import { createCertificateRepository } from '../db/certificates.repository.js';
import type { Certificate, RegistryDb, VerificationRequest } from '../db/schema.js';
import type { EventWriter } from '../events/registry.events.js';
import type { CertificateScheduler } from '../routes/deps.js';
import type { DocumentStorage } from '../storage/document-storage.js';
import { canEditSupplier, canSeeDocument, supplierAccess, type SupplierAccess } from './access.js';
import type { RequestContext } from './context.js';
import type { CheckedDocument } from './documents.js';

export interface CertificateDeps {
  db: Kysely<RegistryDb>;
  writeEvent: EventWriter;
  storage: DocumentStorage;
  certificates: CertificateScheduler;
  log?: { warn(obj: object, msg?: string): void };
}

const repo = createCertificateRepository();

// ---- views and snapshots ------------------------------------------------------------------------------------

/**
 * The event data (contracts' CertificationSnapshot). Not annotated with that type: its `status` is typed
 * `never` in @vinculo/contracts (a Union over a mapped array); the integration tests validate every event
 * against the schema instead.
 */
export function certificationSnapshot(c: Certificate) {
  return {
    id: c.id,
    supplierId: c.org_id,
    standardId: c.standard_id,
    certificateNumber: c.certificate_number,
    issuingBody: c.issuing_body,
    scope: c.scope,
    validFrom: c.valid_from,
    validTo: c.valid_to,
    status: c.status,
    statusReason: c.status_reason,
    hasDocument: c.document_sha256 !== null,
    verifiedBy: c.verified_by,
    synthetic: c.synthetic,
    updatedAt: c.updated_at.toISOString(),
  };
}

export function documentPath(c: Pick<Certificate, 'id' | 'org_id'>): string {
  return `/suppliers/${c.org_id}/certificates/${c.id}/document`;
}

/** The public fields, plus the document's address for callers who may download it. */
export function certificateView(c: Certificate, access: SupplierAccess) {
  const std = certificationStandard(c.standard_id);
  const { supplierId, ...rest } = certificationSnapshot(c);
  return {
    ...rest,
    supplierId,
    standardName: std ? { es: std.name.es, en: std.name.en } : null,
    version: c.version,
    createdAt: c.created_at.toISOString(),
    ...(c.document_sha256 !== null && canSeeDocument(access, c.id) ? { documentUrl: documentPath(c) } : {}),
  };
}

export function verificationRequestView(r: VerificationRequest) {
  return {
    id: r.id,
    certificateId: r.certificate_id,
    supplierId: r.supplier_org_id,
    auditorOrgId: r.auditor_org_id,
    status: r.status,
    reason: r.reason,
    createdAt: r.created_at.toISOString(),
    decidedAt: r.decided_at ? r.decided_at.toISOString() : null,
  };
}

// ---- input rules --------------------------------------------------------------------------------------------

/** A real calendar day between 1900 and 2999 (the pattern alone lets 2025-02-30 through to PostgreSQL). */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2999) return false;
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function checkDates(validFrom: string, validTo: string): void {
  // ISO dates compare correctly as strings.
  if (!isCalendarDate(validFrom) || !isCalendarDate(validTo) || validTo < validFrom)
    throw errors.CERTIFICATE_INVALID_DATES();
}

function checkStandard(standardId: string): void {
  if (!certificationStandard(standardId)) {
    throw errors.CERTIFICATE_UNKNOWN_STANDARD({
      detail: `standardId ${JSON.stringify(standardId.slice(0, 60))}`,
    });
  }
}

// ---- access helpers -----------------------------------------------------------------------------------------

async function accessTo(
  deps: CertificateDeps,
  supplierId: string,
  ctx: RequestContext,
): Promise<SupplierAccess> {
  if (!(await repo.supplierExists(deps.db, supplierId))) throw errors.CERTIFICATE_SUPPLIER_NOT_FOUND();
  return supplierAccess(deps.db, ctx.principal, supplierId);
}

/** Owners and admins of the supplier; other organisations do not learn that they may not (404). */
async function editor(
  deps: CertificateDeps,
  supplierId: string,
  ctx: RequestContext,
): Promise<SupplierAccess> {
  const a = await accessTo(deps, supplierId, ctx);
  if (!a.owner) throw errors.CERTIFICATE_SUPPLIER_NOT_FOUND();
  if (!canEditSupplier(a)) throw errors.CERTIFICATE_FORBIDDEN_ROLE();
  return a;
}

async function lockOwn(
  trx: Transaction<RegistryDb>,
  supplierId: string,
  certificateId: string,
): Promise<Certificate> {
  const c = await repo.lock(trx, certificateId);
  if (!c || c.org_id !== supplierId) throw errors.CERTIFICATE_NOT_FOUND();
  return c;
}

const aggregate = (c: Certificate) => ({ type: 'certification', id: c.id, version: c.version });

/**
 * Scheduling happens after the commit (jobs must never point at a row that was rolled back). If Redis is down
 * the certificate is still saved and the request succeeds: the boot-time re-sync (resyncCertificateExpiry in
 * src/jobs/certificate-expiry.ts) schedules whatever was missed, and jobIds make that idempotent.
 */
async function scheduleAfterCommit(deps: CertificateDeps, c: Certificate): Promise<void> {
  try {
    await deps.certificates.schedule({ id: c.id, validTo: c.valid_to });
  } catch (err) {
    deps.log?.warn(
      { err, certificateId: c.id },
      'certificate expiry jobs not scheduled; the boot re-sync will',
    );
  }
}

// ---- use cases ----------------------------------------------------------------------------------------------

export async function listCertificates(
  deps: CertificateDeps,
  supplierId: string,
  page: { limit: number; afterId?: string },
  ctx: RequestContext,
) {
  const access = await accessTo(deps, supplierId, ctx);
  const rows = await repo.list(deps.db, supplierId, page.limit, page.afterId);
  const items = rows.slice(0, page.limit).map((c) => certificateView(c, access));
  const last = items[items.length - 1];
  return { items, next: rows.length > page.limit && last ? { id: last.id } : null };
}

export interface NewCertificate {
  standardId: string;
  certificateNumber: string;
  issuingBody: string;
  scope?: string | null;
  validFrom: string;
  validTo: string;
}

export async function createCertificate(
  deps: CertificateDeps,
  supplierId: string,
  input: NewCertificate,
  ctx: RequestContext,
) {
  const access = await editor(deps, supplierId, ctx);
  checkStandard(input.standardId);
  checkDates(input.validFrom, input.validTo);
  const created = await inTransaction(deps.db, async (trx) => {
    const c = await repo.insert(trx, {
      id: newId(),
      org_id: supplierId,
      standard_id: input.standardId,
      certificate_number: input.certificateNumber.trim(),
      issuing_body: input.issuingBody.trim(),
      scope: input.scope ?? null,
      valid_from: input.validFrom,
      valid_to: input.validTo,
    });
    await deps.writeEvent(
      trx,
      'registry.certification.added',
      aggregate(c),
      certificationSnapshot(c),
      supplierId,
      ctx,
    );
    return c;
  });
  await scheduleAfterCommit(deps, created);
  return certificateView(created, access);
}

export interface CertificatePatch {
  certificateNumber?: string;
  issuingBody?: string;
  scope?: string | null;
  validFrom?: string;
  validTo?: string;
}

export async function updateCertificate(
  deps: CertificateDeps,
  supplierId: string,
  certificateId: string,
  patch: CertificatePatch,
  ctx: RequestContext,
) {
  const access = await editor(deps, supplierId, ctx);
  const result = await inTransaction(deps.db, async (trx) => {
    const c = await lockOwn(trx, supplierId, certificateId);
    if (c.status === 'revoked') throw errors.CERTIFICATE_REVOKED();
    const next = {
      certificate_number: patch.certificateNumber?.trim() ?? c.certificate_number,
      issuing_body: patch.issuingBody?.trim() ?? c.issuing_body,
      scope: patch.scope === undefined ? c.scope : patch.scope,
      valid_from: patch.validFrom ?? c.valid_from,
      valid_to: patch.validTo ?? c.valid_to,
    };
    checkDates(next.valid_from, next.valid_to);
    const changed = (Object.keys(next) as Array<keyof typeof next>).some((k) => next[k] !== c[k]);
    if (!changed) return { row: c, datesChanged: false };
    // A verification (or rejection) vouched for the certificate as it was: once its number, issuer, scope or
    // validity change, nobody has checked the new data, so it is only declared again and may be re-verified.
    // An expired certificate whose validity was extended likewise counts as declared until the expiry job says
    // otherwise.
    const reset =
      c.status === 'verified' || c.status === 'rejected' || c.status === 'expired'
        ? { status: 'declared' as const, status_reason: null, verified_by: null, verified_at: null }
        : {};
    const row = await repo.update(trx, c.id, { ...next, ...reset });
    await deps.writeEvent(
      trx,
      'registry.certification.updated',
      aggregate(row),
      certificationSnapshot(row),
      supplierId,
      ctx,
    );
    return { row, datesChanged: row.valid_to !== c.valid_to };
  });
  // Old jobs stay queued and find a different valid_to when they run: they do nothing.
  if (result.datesChanged) await scheduleAfterCommit(deps, result.row);
  return certificateView(result.row, access);
}

export async function revokeCertificate(
  deps: CertificateDeps,
  supplierId: string,
  certificateId: string,
  reason: string,
  ctx: RequestContext,
) {
  const access = await editor(deps, supplierId, ctx);
  const row = await inTransaction(deps.db, async (trx) => {
    const c = await lockOwn(trx, supplierId, certificateId);
    if (c.status === 'revoked') throw errors.CERTIFICATE_REVOKED();
    const r = await repo.update(trx, c.id, { status: 'revoked', status_reason: reason });
    await deps.writeEvent(
      trx,
      'registry.certification.revoked',
      aggregate(r),
      certificationSnapshot(r),
      supplierId,
      ctx,
    );
    return r;
  });
  return certificateView(row, access);
}

/** Checked before the upload is read, so strangers cannot make us buffer files. */
export async function assertCanUpload(
  deps: CertificateDeps,
  supplierId: string,
  certificateId: string,
  ctx: RequestContext,
) {
  await editor(deps, supplierId, ctx);
  const c = await repo.find(deps.db, supplierId, certificateId);
  if (!c) throw errors.CERTIFICATE_NOT_FOUND();
  if (c.status === 'revoked') throw errors.CERTIFICATE_REVOKED();
}

export async function attachDocument(
  deps: CertificateDeps,
  supplierId: string,
  certificateId: string,
  doc: CheckedDocument,
  ctx: RequestContext,
) {
  const access = await editor(deps, supplierId, ctx);
  // The file first: a row must never point at bytes that are not stored. A rolled-back transaction leaves at
  // most an unreferenced file, which the next upload of the same bytes reuses.
  const storageKey = await deps.storage.put(doc.sha256, doc.bytes);
  const row = await inTransaction(deps.db, async (trx) => {
    const c = await lockOwn(trx, supplierId, certificateId);
    if (c.status === 'revoked') throw errors.CERTIFICATE_REVOKED();
    await repo.insertDocument(trx, {
      sha256: doc.sha256,
      size_bytes: doc.bytes.length,
      media_type: doc.mediaType,
      storage_key: storageKey,
    });
    if (c.document_sha256 === doc.sha256 && c.document_name === doc.fileName) return c;
    // A new document is new evidence the verifier has not seen (see updateCertificate).
    const reset =
      c.document_sha256 !== doc.sha256 && (c.status === 'verified' || c.status === 'rejected')
        ? { status: 'declared' as const, status_reason: null, verified_by: null, verified_at: null }
        : {};
    const r = await repo.update(trx, c.id, {
      document_sha256: doc.sha256,
      document_name: doc.fileName,
      ...reset,
    });
    await deps.writeEvent(
      trx,
      'registry.certification.updated',
      aggregate(r),
      certificationSnapshot(r),
      supplierId,
      ctx,
    );
    return r;
  });
  return certificateView(row, access);
}

export async function getDocument(
  deps: CertificateDeps,
  supplierId: string,
  certificateId: string,
  ctx: RequestContext,
) {
  const access = await accessTo(deps, supplierId, ctx);
  const c = await repo.find(deps.db, supplierId, certificateId);
  if (!c || !canSeeDocument(access, c.id) || c.document_sha256 === null)
    throw errors.CERTIFICATE_DOCUMENT_NOT_FOUND();
  const doc = await repo.findDocument(deps.db, c.document_sha256);
  const bytes = doc ? await deps.storage.get(doc.storage_key) : undefined;
  if (!doc || !bytes)
    throw new Error(`document ${c.document_sha256} of certificate ${c.id} is missing from storage`);
  return {
    bytes,
    mediaType: doc.media_type,
    fileName: c.document_name ?? `document.${doc.media_type.split('/')[1]}`,
  };
}

// ---- verification by an auditor -----------------------------------------------------------------------------

export async function requestVerification(
  deps: CertificateDeps,
  supplierId: string,
  certificateId: string,
  auditorOrgId: string,
  ctx: RequestContext,
) {
  await editor(deps, supplierId, ctx);
  return inTransaction(deps.db, async (trx) => {
    const c = await lockOwn(trx, supplierId, certificateId);
    if (c.status === 'revoked') throw errors.CERTIFICATE_REVOKED();
    if (!(await repo.findAuditor(trx, auditorOrgId))) throw errors.CERTIFICATE_AUDITOR_NOT_FOUND();
    const r = await repo.insertRequest(trx, {
      id: newId(),
      certificate_id: c.id,
      supplier_org_id: supplierId,
      auditor_org_id: auditorOrgId,
      requested_by: ctx.principal?.userId ?? null,
    });
    if (!r) throw errors.CERTIFICATE_VERIFICATION_ALREADY_REQUESTED();
    return verificationRequestView(r);
  });
}

export async function listVerificationQueue(
  deps: CertificateDeps,
  query: { limit: number; afterId?: string; status?: VerificationRequest['status'] },
  ctx: RequestContext,
) {
  const p = ctx.principal;
  // Requests are assigned to auditor organisations only, so anyone else simply has an empty queue.
  const rows = p ? await repo.listQueue(deps.db, p.orgId, query.status, query.limit, query.afterId) : [];
  const items = rows.slice(0, query.limit).map((r) => ({
    ...verificationRequestView(r),
    supplierName: r.supplier_name,
    certificate: {
      standardId: r.standard_id,
      certificateNumber: r.certificate_number,
      issuingBody: r.issuing_body,
      validFrom: r.valid_from,
      validTo: r.valid_to,
      status: r.certificate_status,
      documentUrl: documentPath({ id: r.certificate_id, org_id: r.supplier_org_id }),
    },
  }));
  const last = items[items.length - 1];
  return { items, next: rows.length > query.limit && last ? { id: last.id } : null };
}

export async function decideVerification(
  deps: CertificateDeps,
  requestId: string,
  decision: { status: 'verified' | 'rejected'; reason: string | null },
  ctx: RequestContext,
) {
  const p = ctx.principal;
  if (!p || p.orgType !== 'auditor') throw errors.CERTIFICATE_VERIFICATION_NOT_FOUND();
  return inTransaction(deps.db, async (trx) => {
    const r = await repo.lockRequestFor(trx, requestId, p.orgId);
    if (!r) throw errors.CERTIFICATE_VERIFICATION_NOT_FOUND();
    if (!p.roles.some((role) => role === 'owner' || role === 'admin' || role === 'member')) {
      throw errors.CERTIFICATE_VERIFICATION_FORBIDDEN_ROLE();
    }
    if (r.status !== 'requested') throw errors.CERTIFICATE_VERIFICATION_DECIDED();
    const c = await lockOwn(trx, r.supplier_org_id, r.certificate_id);
    if (c.status === 'revoked') throw errors.CERTIFICATE_REVOKED();
    if (c.status === 'expired') throw errors.CERTIFICATE_EXPIRED();
    const decided = await repo.decideRequest(trx, r.id, { ...decision, decidedBy: p.userId ?? null });
    const row = await repo.update(trx, c.id, {
      status: decision.status,
      status_reason: decision.reason,
      verified_by: p.orgId,
      verified_at: new Date(),
    });
    const type =
      decision.status === 'verified' ? 'registry.certification.verified' : 'registry.certification.rejected';
    await deps.writeEvent(trx, type, aggregate(row), certificationSnapshot(row), row.org_id, ctx);
    return { request: verificationRequestView(decided), certificate: certificationSnapshot(row) };
  });
}
