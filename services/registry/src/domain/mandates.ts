/**
 * Bureau mandates: a supplier grants a subcontracting bureau (*bolsa de subcontratación*) the right to act for
 * it within scopes (`view`, `apply`, `message`), for a period, for a commission on awarded value.
 *
 * Rules, as decided for issue 3:
 * - Only the owners and admins of a supplier organisation grant or change a mandate; any other organisation
 *   type is a 403 (nothing private is probed: the answer does not depend on the target).
 * - The target must be a `bureau` organisation, else 404. One active mandate per (supplier, bureau): a second
 *   grant is a 409 MANDATE_ALREADY_ACTIVE (change the existing one with PATCH instead); a mandate whose end date
 *   has passed no longer counts — it is closed ("lapsed", ended_by null) inside the new grant's transaction.
 * - A mandate is visible to both sides only (any member of either organisation); to everyone else it is a 404.
 * - Either side ends it: the supplier's owners/admins or the bureau's owners/admins (ending a member SME's
 *   mandate is an organisational decision, not a broker's); other members of either side get 403. Ending an
 *   ended mandate answers 200 with it unchanged and emits nothing.
 * - PATCH (supplier only) changes scopes, end date and commission, bumps the version and re-emits
 *   `registry.mandate.granted` with the new snapshot (the contracts have no `updated` event; a consumer keeps
 *   the highest version).
 * - Calendar dates are read in America/Mexico_City. A mandate is in force from startsOn through endsOn; its
 *   shown status is 'ended' once ended or past endsOn.
 */
import { inTransaction, isUniqueViolation, newId, type Kysely } from '@vinculo/service-kit/db';
import type { Mandate, MandateScope, RegistryDb } from '../db/schema.js';
import type { MandateRepository, MandateRow } from '../db/mandates.repository.js';
import type { EventWriter } from '../events/registry.events.js';
import { mandateErrors as errors } from '../mandates.errors.js';
import type { RequestContext } from './context.js';

export interface MandateDeps {
  db: Kysely<RegistryDb>;
  mandates: MandateRepository;
  writeEvent: EventWriter;
}

const MANAGERS = ['owner', 'admin'];
const mexicoCity = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/Mexico_City',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date in Mexico City's calendar, YYYY-MM-DD. */
export function todayInMexico(now: Date = new Date()): string {
  return mexicoCity.format(now);
}

/** A real calendar date (2025-02-30 is not) within years PostgreSQL and people both read sensibly. */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2999) return false;
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function lapsed(m: Pick<Mandate, 'status' | 'ends_on'>, today: string): boolean {
  return m.status === 'active' && m.ends_on !== null && m.ends_on < today;
}

export function mandateView(m: MandateRow, today = todayInMexico()) {
  const ended = m.status === 'ended' || lapsed(m, today);
  const inForce = !ended && m.starts_on <= today;
  return {
    id: m.id,
    supplier: { id: m.supplier_org_id, name: m.supplier_name },
    bureau: { id: m.bureau_org_id, name: m.bureau_name },
    scopes: m.scopes,
    startsOn: m.starts_on,
    endsOn: m.ends_on,
    commission: { basisPoints: m.commission_basis_points, terms: m.commission_terms },
    status: ended ? ('ended' as const) : ('active' as const),
    inForce,
    endedBy: m.ended_by,
    endedAt: m.ended_at ? m.ended_at.toISOString() : null,
    endReason: m.end_reason,
    version: m.version,
    createdAt: m.created_at.toISOString(),
    updatedAt: m.updated_at.toISOString(),
    // Where the bureau reads the member's private profile (contact details, documents) under a `view` scope.
    links: {
      supplierProfile:
        inForce && m.scopes.includes('view') ? `/suppliers/${m.supplier_org_id}/profile` : null,
    },
  };
}
export type MandateView = ReturnType<typeof mandateView>;

/** The contract's MandateSnapshot (validated in the tests; its scope union types as never[] in TypeScript). */
export function mandateSnapshot(m: Mandate) {
  return {
    id: m.id,
    supplierId: m.supplier_org_id,
    bureauId: m.bureau_org_id,
    scopes: m.scopes,
    startsOn: m.starts_on,
    endsOn: m.ends_on,
    commissionBasisPoints: m.commission_basis_points,
    status: m.status,
    updatedAt: m.updated_at.toISOString(),
  };
}

function caller(ctx: RequestContext) {
  const p = ctx.principal;
  // The routes authenticate first; this only guards use cases called without a principal.
  if (!p) throw errors.MANDATE_NOT_FOUND();
  return p;
}

function supplierManager(ctx: RequestContext) {
  const p = caller(ctx);
  if (p.orgType !== 'supplier') throw errors.MANDATE_SUPPLIERS_ONLY();
  if (!p.roles.some((r) => MANAGERS.includes(r))) throw errors.MANDATE_FORBIDDEN_ROLE();
  return p;
}

function uniqueScopes(scopes: readonly MandateScope[]): MandateScope[] {
  // Stored in the catalogue's order, so equal grants read the same.
  return (['view', 'apply', 'message'] as const).filter((s) => scopes.includes(s));
}

async function emit(
  deps: MandateDeps,
  trx: Parameters<EventWriter>[0],
  type: 'registry.mandate.granted' | 'registry.mandate.revoked',
  id: string,
  ctx: RequestContext,
) {
  const row = await deps.mandates.lock(trx, id);
  if (!row) throw errors.MANDATE_NOT_FOUND();
  await deps.writeEvent(
    trx,
    type,
    { type: 'mandate', id: row.id, version: row.version },
    mandateSnapshot(row),
    row.supplier_org_id,
    ctx,
  );
}

export interface GrantInput {
  bureauOrgId: string;
  scopes: MandateScope[];
  startsOn?: string;
  endsOn?: string | null;
  commission: { basisPoints: number; terms?: string | null };
}

export async function grantMandate(
  deps: MandateDeps,
  input: GrantInput,
  ctx: RequestContext,
): Promise<MandateView> {
  const p = supplierManager(ctx);
  const today = todayInMexico();
  const startsOn = input.startsOn ?? today;
  const endsOn = input.endsOn ?? null;
  if (
    !isCalendarDate(startsOn) ||
    (endsOn !== null && (!isCalendarDate(endsOn) || endsOn < startsOn || endsOn < today))
  ) {
    throw errors.MANDATE_INVALID_PERIOD();
  }
  const target = await deps.mandates.findOrganizationType(deps.db, input.bureauOrgId);
  if (target?.type !== 'bureau') throw errors.MANDATE_BUREAU_NOT_FOUND();
  const id = newId();
  try {
    await inTransaction(deps.db, async (trx) => {
      const current = await deps.mandates.lockActivePair(trx, p.orgId, input.bureauOrgId);
      if (current && !lapsed(current, today))
        throw errors.MANDATE_ALREADY_ACTIVE({ detail: `mandateId ${current.id}` });
      if (current) {
        await deps.mandates.end(trx, current.id, null, null);
        await emit(deps, trx, 'registry.mandate.revoked', current.id, ctx);
      }
      await deps.mandates.insert(trx, {
        id,
        supplierOrgId: p.orgId,
        bureauOrgId: input.bureauOrgId,
        scopes: uniqueScopes(input.scopes),
        startsOn,
        endsOn,
        commissionBasisPoints: input.commission.basisPoints,
        commissionTerms: input.commission.terms ?? null,
        createdAt: new Date(),
      });
      await emit(deps, trx, 'registry.mandate.granted', id, ctx);
    });
  } catch (err) {
    // Two grants racing for the same pair: the partial unique index lets one through.
    if (isUniqueViolation(err)) throw errors.MANDATE_ALREADY_ACTIVE();
    throw err;
  }
  return getMandate(deps, id, ctx);
}

/** The mandate if the caller's organisation is one of its two sides; 404 otherwise. */
async function visible(deps: MandateDeps, id: string, ctx: RequestContext): Promise<MandateRow> {
  const p = caller(ctx);
  const m = await deps.mandates.find(deps.db, id);
  if (!m || (m.supplier_org_id !== p.orgId && m.bureau_org_id !== p.orgId)) throw errors.MANDATE_NOT_FOUND();
  return m;
}

export async function getMandate(deps: MandateDeps, id: string, ctx: RequestContext): Promise<MandateView> {
  return mandateView(await visible(deps, id, ctx));
}

export async function listMandates(
  deps: MandateDeps,
  page: { limit: number; status?: 'active' | 'ended'; after?: { createdAt: string; id: string } },
  ctx: RequestContext,
) {
  const p = caller(ctx);
  if (p.orgType !== 'supplier' && p.orgType !== 'bureau') return { items: [], next: null };
  const today = todayInMexico();
  const rows = await deps.mandates.list(deps.db, {
    side: p.orgType,
    orgId: p.orgId,
    today,
    limit: page.limit,
    ...(page.status ? { status: page.status } : {}),
    ...(page.after ? { after: page.after } : {}),
  });
  const items = rows.slice(0, page.limit).map((r) => mandateView(r, today));
  const last = items[items.length - 1];
  return {
    items,
    next: rows.length > page.limit && last ? { createdAt: last.createdAt, id: last.id } : null,
  };
}

export async function endMandate(
  deps: MandateDeps,
  id: string,
  input: { reason?: string },
  ctx: RequestContext,
): Promise<MandateView> {
  const p = caller(ctx);
  await visible(deps, id, ctx);
  if (!p.roles.some((r) => MANAGERS.includes(r))) throw errors.MANDATE_FORBIDDEN_ROLE();
  await inTransaction(deps.db, async (trx) => {
    const m = await deps.mandates.lock(trx, id);
    if (!m) throw errors.MANDATE_NOT_FOUND();
    // Ending twice is harmless: the second call answers the ended mandate and emits nothing.
    if (m.status === 'ended') return;
    await deps.mandates.end(trx, id, p.orgId, input.reason ?? null);
    await emit(deps, trx, 'registry.mandate.revoked', id, ctx);
  });
  return getMandate(deps, id, ctx);
}

export interface MandatePatch {
  scopes?: MandateScope[];
  endsOn?: string | null;
  commission?: { basisPoints?: number; terms?: string | null };
}

export async function updateMandate(
  deps: MandateDeps,
  id: string,
  patch: MandatePatch,
  ctx: RequestContext,
): Promise<MandateView> {
  const p = caller(ctx);
  const current = await visible(deps, id, ctx);
  if (current.supplier_org_id !== p.orgId) throw errors.MANDATE_SUPPLIERS_ONLY();
  supplierManager(ctx);
  const today = todayInMexico();
  await inTransaction(deps.db, async (trx) => {
    const m = await deps.mandates.lock(trx, id);
    if (!m) throw errors.MANDATE_NOT_FOUND();
    if (m.status === 'ended' || lapsed(m, today)) throw errors.MANDATE_ENDED();
    if (patch.endsOn !== undefined && patch.endsOn !== null) {
      if (!isCalendarDate(patch.endsOn) || patch.endsOn < m.starts_on || patch.endsOn < today)
        throw errors.MANDATE_INVALID_PERIOD();
    }
    await deps.mandates.change(trx, id, {
      ...(patch.scopes ? { scopes: uniqueScopes(patch.scopes) } : {}),
      ...(patch.endsOn !== undefined ? { endsOn: patch.endsOn } : {}),
      ...(patch.commission?.basisPoints !== undefined
        ? { commissionBasisPoints: patch.commission.basisPoints }
        : {}),
      ...(patch.commission?.terms !== undefined ? { commissionTerms: patch.commission.terms } : {}),
    });
    await emit(deps, trx, 'registry.mandate.granted', id, ctx);
  });
  return getMandate(deps, id, ctx);
}
