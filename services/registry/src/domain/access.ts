/**
 * Who may see or act on a supplier's private objects. A private object belongs to an organisation; a caller sees
 * it through its own organisation, an active mandate (a bureau acting for the supplier within the mandate's
 * scopes and period), or an assignment (an auditor organisation the supplier asked to verify a certificate).
 * Anything else answers 404, never 403, so ids cannot be probed.
 */
import { sql, type Executor } from '@vinculo/service-kit/db';
import type { Principal } from '@vinculo/service-kit/auth';
import type { MandateScope, RegistryDb } from '../db/schema.js';

export interface SupplierAccess {
  /** The caller speaks for the supplier organisation itself. */
  owner: boolean;
  /** Roles the caller holds there (owner), for write checks. */
  ownerRoles: string[];
  /** Scopes of the caller's bureau's active mandate from this supplier (empty when none). */
  mandateScopes: MandateScope[];
  mandateId: string | null;
  /** Certificates of this supplier the caller's auditor organisation is assigned to verify. */
  assignedCertificateIds: string[];
}

export const NO_ACCESS: SupplierAccess = {
  owner: false,
  ownerRoles: [],
  mandateScopes: [],
  mandateId: null,
  assignedCertificateIds: [],
};

// Calendar dates of mandates are read in Mexico City's calendar.
const TODAY_MX = sql<string>`(now() at time zone 'America/Mexico_City')::date`;

export async function supplierAccess(
  db: Executor<RegistryDb>,
  principal: Principal | undefined,
  supplierOrgId: string,
): Promise<SupplierAccess> {
  if (!principal) return NO_ACCESS;
  if (principal.orgId === supplierOrgId) {
    return { ...NO_ACCESS, owner: true, ownerRoles: principal.roles };
  }
  if (principal.orgType === 'bureau') {
    const m = await db
      .selectFrom('mandates')
      .select(['id', 'scopes'])
      .where('supplier_org_id', '=', supplierOrgId)
      .where('bureau_org_id', '=', principal.orgId)
      .where('status', '=', 'active')
      .where('starts_on', '<=', TODAY_MX)
      .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', TODAY_MX)]))
      .executeTakeFirst();
    return m ? { ...NO_ACCESS, mandateScopes: m.scopes, mandateId: m.id } : NO_ACCESS;
  }
  if (principal.orgType === 'auditor') {
    const rows = await db
      .selectFrom('verification_requests')
      .select('certificate_id')
      .where('supplier_org_id', '=', supplierOrgId)
      .where('auditor_org_id', '=', principal.orgId)
      .where('status', '!=', 'cancelled')
      .execute();
    return { ...NO_ACCESS, assignedCertificateIds: rows.map((r) => r.certificate_id) };
  }
  return NO_ACCESS;
}

/** Contact details, RFC, raw size figures: the supplier, a bureau with a `view` mandate, an assigned auditor. */
export function canSeePrivateProfile(a: SupplierAccess): boolean {
  return a.owner || a.mandateScopes.includes('view') || a.assignedCertificateIds.length > 0;
}

/** A certificate's document: the supplier, a bureau with a `view` mandate, the auditor assigned to it. */
export function canSeeDocument(a: SupplierAccess, certificateId: string): boolean {
  return a.owner || a.mandateScopes.includes('view') || a.assignedCertificateIds.includes(certificateId);
}

/** Editing the profile, facilities, track record and certificates: the supplier's owners and admins only. */
export function canEditSupplier(a: SupplierAccess): boolean {
  return a.owner && a.ownerRoles.some((r) => r === 'owner' || r === 'admin');
}
