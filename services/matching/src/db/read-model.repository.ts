/** Reads of the registry read model: what the in-memory index is built and refreshed from. */
import type { CertificationSnapshot, SupplierSnapshot } from '@vinculo/contracts';
import type { Executor } from '@vinculo/service-kit/db';
import type { MatchingDb } from './schema.js';

/**
 * A deal awarded on the platform, as the supplier's track record (source 'platform'; declared entries come
 * with the registry snapshot): the requirement's title, description and codes, the buyer as the customer.
 */
export interface PlatformDeal {
  source: 'platform';
  dealId: string;
  title: string;
  description: string | null;
  customerId: string;
  customerName: string | null;
  /** The deal's start date (YYYY-MM-DD). */
  date: string;
  value: { amountMinor: number; currency: string };
  scianCodes: string[];
  /** The requirement items' codes (SCIAN, UNSPSC, part numbers …). */
  codes: string[];
}

export interface SupplierRecord {
  snapshot: SupplierSnapshot;
  certificates: CertificationSnapshot[];
  /** Platform deals; absent is the same as none (records built outside the read model). */
  deals?: PlatformDeal[];
}

/** One page of suppliers (by id) with their certificates; `after` is the last id of the previous page. */
export async function loadSupplierPage(
  db: Executor<MatchingDb>,
  opts: { after?: string; limit: number },
): Promise<SupplierRecord[]> {
  let q = db.selectFrom('suppliers').select(['id', 'snapshot']).orderBy('id').limit(opts.limit);
  if (opts.after) q = q.where('id', '>', opts.after);
  return withCertificates(db, await q.execute());
}

/** The named suppliers that exist in the read model, with their certificates. */
export async function loadSuppliers(
  db: Executor<MatchingDb>,
  ids: readonly string[],
): Promise<SupplierRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('suppliers')
    .select(['id', 'snapshot'])
    .where('id', 'in', [...ids])
    .execute();
  return withCertificates(db, rows);
}

/**
 * The highest REGISTRY stream sequence `consumer` has applied (read_model_position.stream_seq; 0 when nothing
 * was). A maximum, not a low-water mark: replicas sharing the durable consumer commit out of order.
 */
export async function appliedStreamSeq(db: Executor<MatchingDb>, consumer: string): Promise<number> {
  const row = await db
    .selectFrom('read_model_position')
    .select('stream_seq')
    .where('consumer', '=', consumer)
    .executeTakeFirst();
  return row?.stream_seq ?? 0;
}

/** Which of these event ids `consumer` has applied: their inbox rows commit with the effect. */
export async function appliedEventIds(
  db: Executor<MatchingDb>,
  consumer: string,
  eventIds: readonly string[],
): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('inbox')
    .select('event_id')
    .where('consumer', '=', consumer)
    .where('event_id', 'in', [...eventIds])
    .execute();
  return new Set(rows.map((r) => r.event_id));
}

async function withCertificates(
  db: Executor<MatchingDb>,
  rows: { id: string; snapshot: SupplierSnapshot }[],
): Promise<SupplierRecord[]> {
  if (rows.length === 0) return [];
  const certs = await db
    .selectFrom('certificates')
    .select(['supplier_id', 'snapshot'])
    .where(
      'supplier_id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  const bySupplier = new Map<string, CertificationSnapshot[]>();
  for (const c of certs) {
    const list = bySupplier.get(c.supplier_id) ?? [];
    list.push(c.snapshot);
    bySupplier.set(c.supplier_id, list);
  }
  const deals = await platformDeals(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    snapshot: r.snapshot,
    certificates: bySupplier.get(r.id) ?? [],
    deals: deals.get(r.id) ?? [],
  }));
}

/** Platform deals of these suppliers, oldest first, with their requirement and the buyer's name. */
async function platformDeals(
  db: Executor<MatchingDb>,
  supplierIds: string[],
): Promise<Map<string, PlatformDeal[]>> {
  const rows = await db
    .selectFrom('deals')
    .innerJoin('requirements', 'requirements.id', 'deals.requirement_id')
    .leftJoin('organizations', 'organizations.id', 'deals.buyer_org_id')
    .select([
      'deals.id',
      'deals.supplier_id',
      'deals.buyer_org_id',
      'deals.starts_on',
      'deals.value_amount_minor',
      'deals.currency',
      'requirements.title',
      'requirements.spec',
      'organizations.name as buyer_name',
    ])
    .where('deals.supplier_id', 'in', supplierIds)
    .orderBy('deals.id')
    .execute();
  const out = new Map<string, PlatformDeal[]>();
  for (const d of rows) {
    const list = out.get(d.supplier_id) ?? [];
    list.push({
      source: 'platform',
      dealId: d.id,
      title: d.title,
      description: d.spec.description || null,
      customerId: d.buyer_org_id,
      customerName: d.buyer_name,
      date: d.starts_on,
      value: { amountMinor: d.value_amount_minor, currency: d.currency },
      scianCodes: d.spec.capabilities.scianCodes,
      codes: [...new Set(d.spec.items.flatMap((i) => i.codes))],
    });
    out.set(d.supplier_id, list);
  }
  return out;
}
