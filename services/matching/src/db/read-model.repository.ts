/** Reads of the registry read model: what the in-memory index is built and refreshed from. */
import type { CertificationSnapshot, SupplierSnapshot } from '@vinculo/contracts';
import type { Executor } from '@vinculo/service-kit/db';
import type { MatchingDb } from './schema.js';

export interface SupplierRecord {
  snapshot: SupplierSnapshot;
  certificates: CertificationSnapshot[];
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
  return rows.map((r) => ({ snapshot: r.snapshot, certificates: bySupplier.get(r.id) ?? [] }));
}
