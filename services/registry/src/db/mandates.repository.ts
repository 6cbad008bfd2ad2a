/**
 * Bureau mandates. SQL stays visible; every function takes the executor it runs on, so a use case writes the
 * mandate and its outbox event in one transaction. Rows come back with both organisations' names.
 */
import { sql, type Executor } from '@vinculo/service-kit/db';
import type { Mandate, MandateScope, OrgType, RegistryDb } from './schema.js';

type X = Executor<RegistryDb>;

export interface MandateRow extends Mandate {
  supplier_name: string;
  bureau_name: string;
}

export interface NewMandate {
  id: string;
  supplierOrgId: string;
  bureauOrgId: string;
  scopes: MandateScope[];
  startsOn: string;
  endsOn: string | null;
  commissionBasisPoints: number;
  commissionTerms: string | null;
  createdAt: Date;
}

export interface MandateChange {
  scopes?: MandateScope[];
  endsOn?: string | null;
  commissionBasisPoints?: number;
  commissionTerms?: string | null;
}

export interface MandatePage {
  /** The caller's side: a supplier sees the mandates it granted, a bureau the ones granted to it. */
  side: 'supplier' | 'bureau';
  orgId: string;
  /** 'active': not ended and not past its end date; 'ended': ended or past its end date. */
  status?: 'active' | 'ended';
  today: string;
  after?: { createdAt: string; id: string };
  limit: number;
}

export function createMandateRepository() {
  const withNames = (x: X) =>
    x
      .selectFrom('mandates as m')
      .innerJoin('organizations as s', 's.id', 'm.supplier_org_id')
      .innerJoin('organizations as b', 'b.id', 'm.bureau_org_id')
      .selectAll('m')
      .select(['s.name as supplier_name', 'b.name as bureau_name']);

  return {
    findOrganizationType(x: X, orgId: string): Promise<{ type: OrgType } | undefined> {
      return x.selectFrom('organizations').select('type').where('id', '=', orgId).executeTakeFirst();
    },

    find(x: X, id: string): Promise<MandateRow | undefined> {
      return withNames(x).where('m.id', '=', id).executeTakeFirst();
    },

    /** Locks the mandate so concurrent changes bump its version one after the other. */
    async lock(x: X, id: string): Promise<Mandate | undefined> {
      return x.selectFrom('mandates').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    },

    /** The pair's mandate still marked active (at most one, by the partial unique index), locked. */
    lockActivePair(x: X, supplierOrgId: string, bureauOrgId: string): Promise<Mandate | undefined> {
      return x
        .selectFrom('mandates')
        .selectAll()
        .where('supplier_org_id', '=', supplierOrgId)
        .where('bureau_org_id', '=', bureauOrgId)
        .where('status', '=', 'active')
        .forUpdate()
        .executeTakeFirst();
    },

    async insert(x: X, m: NewMandate): Promise<void> {
      await x
        .insertInto('mandates')
        .values({
          id: m.id,
          supplier_org_id: m.supplierOrgId,
          bureau_org_id: m.bureauOrgId,
          scopes: m.scopes,
          starts_on: m.startsOn,
          ends_on: m.endsOn,
          commission_basis_points: m.commissionBasisPoints,
          commission_terms: m.commissionTerms,
          // Millisecond precision, so the (created_at, id) page cursor round-trips through a JS Date exactly.
          created_at: m.createdAt,
          updated_at: m.createdAt,
        })
        .execute();
    },

    async change(x: X, id: string, c: MandateChange): Promise<void> {
      await x
        .updateTable('mandates')
        .set((eb) => ({
          ...(c.scopes !== undefined ? { scopes: c.scopes } : {}),
          ...(c.endsOn !== undefined ? { ends_on: c.endsOn } : {}),
          ...(c.commissionBasisPoints !== undefined
            ? { commission_basis_points: c.commissionBasisPoints }
            : {}),
          ...(c.commissionTerms !== undefined ? { commission_terms: c.commissionTerms } : {}),
          version: eb('version', '+', 1),
          updated_at: new Date(),
        }))
        .where('id', '=', id)
        .execute();
    },

    /** endedBy is null when the mandate lapsed (its end date passed) rather than being ended by a side. */
    async end(x: X, id: string, endedBy: string | null, reason: string | null): Promise<void> {
      const now = new Date();
      await x
        .updateTable('mandates')
        .set((eb) => ({
          status: 'ended' as const,
          ended_by: endedBy,
          ended_at: now,
          end_reason: reason,
          version: eb('version', '+', 1),
          updated_at: now,
        }))
        .where('id', '=', id)
        .execute();
    },

    /** Newest first, ties broken by id; answers limit + 1 rows so the caller knows whether a page follows. */
    list(x: X, p: MandatePage): Promise<MandateRow[]> {
      let q = withNames(x).where(
        p.side === 'supplier' ? 'm.supplier_org_id' : 'm.bureau_org_id',
        '=',
        p.orgId,
      );
      const today = sql<string>`${p.today}::date`;
      if (p.status === 'active') {
        q = q
          .where('m.status', '=', 'active')
          .where((eb) => eb.or([eb('m.ends_on', 'is', null), eb('m.ends_on', '>=', today)]));
      } else if (p.status === 'ended') {
        q = q.where((eb) => eb.or([eb('m.status', '=', 'ended'), eb('m.ends_on', '<', today)]));
      }
      const after = p.after;
      if (after) {
        const at = new Date(after.createdAt);
        q = q.where((eb) =>
          eb.or([
            eb('m.created_at', '<', at),
            eb.and([eb('m.created_at', '=', at), eb('m.id', '<', after.id)]),
          ]),
        );
      }
      return q
        .orderBy('m.created_at', 'desc')
        .orderBy('m.id', 'desc')
        .limit(p.limit + 1)
        .execute();
    },
  };
}

export type MandateRepository = ReturnType<typeof createMandateRepository>;
