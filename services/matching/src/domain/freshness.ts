/**
 * Freshness (issue 4, deliverable 7): a supplier change re-evaluates the open requirements it can affect, and a
 * supplier that newly qualifies for one is announced with matching.candidate.found (messaging tells the buyer).
 *
 * Rules:
 * - What counts as a change: a registry supplier or certificate event that the read model applied (a mandate
 *   or an organisation name changes nobody's qualification).
 * - The requirements it can affect: every `open` one whose deadline has not passed (Mexico City calendar). A
 *   requirement's visibility does not matter: the buyer sees every candidate in its matches.
 * - "Newly qualifies": a candidate (every hard constraint met) now, and not with the supplier as matching held it
 *   before the change (a supplier that did not exist qualified for nothing). A supplier that was already a
 *   candidate and only edits its description is not news.
 * - Announced at most once per (requirement, supplier), ever (`candidate_notifications`, written with the
 *   outbox row). A certificate that expires or is revoked simply stops qualifying: no event.
 * - The score is the one the buyer's ranking gives (the service's index), the trigger the latest registry event
 *   type of the round (changes that arrive before the job runs are evaluated together).
 *
 * Why the work is split: evaluating one supplier against every open requirement does not belong in the inbox
 * transaction that feeds the read model (it would slow every registry event). The consumer only records the
 * intent in `supplier_rematch` — one select and one upsert in its own transaction, so a crash loses nothing —
 * and a BullMQ job (src/jobs) does the evaluation; a sweep picks up rows whose job never ran.
 */
import { createIndex, evaluateSuppliers, type EngineRequirement } from '@vinculo/matching-engine';
import { inTransaction, newId, sql, type Kysely, type Transaction } from '@vinculo/service-kit/db';
import { loadSuppliers, type SupplierRecord } from '../db/read-model.repository.js';
import { createRequirementRepository } from '../db/requirements.repository.js';
import type { MatchingDb, Requirement } from '../db/schema.js';
import { writeCandidateFound } from '../events/candidate.events.js';
import { todayInMexico } from './context.js';
import { toEngineRequirement } from './requirements.js';
import { toEngineSupplier, type SupplierIndex } from './supplier-index.js';

// ---- the consumer's side: record the intent in the inbox transaction ----------------------------------------

/** Registry events that can change whether a supplier qualifies, and the supplier they concern. */
export function supplierChangedBy(event: { type: string; data: unknown }): string | undefined {
  const data = event.data as { id?: string; supplierId?: string };
  if (event.type === 'registry.supplier.registered' || event.type === 'registry.supplier.updated')
    return data.id;
  if (event.type.startsWith('registry.certification.')) return data.supplierId;
  return undefined;
}

/** What the consumer learns before it applies a change: a round is already pending, or the supplier as held. */
export type PriorState = { pending: true } | { pending: false; record: SupplierRecord | null };

/**
 * Reads the supplier's state before the event is applied, inside the inbox transaction. A pending row is locked,
 * so a job finishing that round concurrently sees the bumped stamp and keeps the row.
 */
export async function priorState(trx: Transaction<MatchingDb>, supplierId: string): Promise<PriorState> {
  const pending = await trx
    .selectFrom('supplier_rematch')
    .select('stamp')
    .where('supplier_id', '=', supplierId)
    .forUpdate()
    .executeTakeFirst();
  if (pending) return { pending: true };
  const [record] = await loadSuppliers(trx, [supplierId]);
  return { pending: false, record: record ?? null };
}

/** Records (or extends) the supplier's pending round after the change was applied; returns its new stamp. */
export async function requestRematch(
  trx: Transaction<MatchingDb>,
  supplierId: string,
  trigger: string,
  prior: PriorState,
): Promise<string> {
  const before = !prior.pending && prior.record ? JSON.stringify(prior.record) : null;
  const row = await trx
    .insertInto('supplier_rematch')
    .values({ supplier_id: supplierId, before, trigger })
    .onConflict((oc) =>
      oc.column('supplier_id').doUpdateSet({
        trigger,
        stamp: sql<string>`nextval('supplier_rematch_stamp')`,
        requested_at: sql<Date>`now()`,
      }),
    )
    .returning('stamp')
    .executeTakeFirstOrThrow();
  return row.stamp;
}

// ---- the job's side: evaluate and announce -------------------------------------------------------------------

export interface FreshnessDeps {
  db: Kysely<MatchingDb>;
  index: SupplierIndex;
  namespace: string;
  now: () => Date;
  /** Called after a transaction that wrote outbox rows commits, to wake the relay. */
  onEventsWritten?: () => void;
}

export interface RematchOutcome {
  supplierId: string;
  /** False when nothing was pending for the supplier. */
  pending: boolean;
  /** Open requirements evaluated. */
  evaluated: number;
  /** Requirements the supplier was announced for in this run. */
  announced: string[];
  /** False when another change arrived meanwhile: the row stays for the next round (its job is queued). */
  finished: boolean;
}

const requirements = createRequirementRepository();

/** The requirements among `open` for which this supplier state meets every hard constraint. */
function qualifyingFor(
  record: SupplierRecord | null,
  open: ReadonlyArray<{ id: string; engine: EngineRequirement }>,
): Set<string> {
  const out = new Set<string>();
  if (!record) return out;
  // Hard constraints depend on the supplier alone, so an index of one supplier answers "does it qualify"
  // for any state of it, including one that is no longer in the read model.
  const single = createIndex([toEngineSupplier(record)]);
  for (const r of open) {
    const [e] = evaluateSuppliers(single, r.engine, [record.snapshot.id]);
    if (e?.status === 'candidate') out.add(r.id);
  }
  return out;
}

/**
 * The score the service's index gives the supplier as one of the requirement's candidates (the scale of the
 * buyer's ranking), or undefined when the index does not count it a candidate. One engine call for one supplier;
 * it runs only for a supplier that newly qualifies, never per requirement evaluated.
 */
function rankedScore(index: SupplierIndex, r: EngineRequirement, supplierId: string): number | undefined {
  const [e] = index.evaluate(r, [supplierId]);
  return e?.status === 'candidate' ? e.score : undefined;
}

/**
 * Evaluates the supplier's pending round: announces each open requirement it newly qualifies for, then clears
 * the round (or, when a newer change arrived meanwhile, makes what was evaluated the next round's `before`).
 * Idempotent: a second run finds nothing pending, and a pair is announced once whatever runs concurrently.
 */
export async function rematchSupplier(d: FreshnessDeps, supplierId: string): Promise<RematchOutcome> {
  const db = d.db;
  const round = await db
    .selectFrom('supplier_rematch')
    .select(['before', 'trigger', 'stamp'])
    .where('supplier_id', '=', supplierId)
    .executeTakeFirst();
  if (!round) return { supplierId, pending: false, evaluated: 0, announced: [], finished: true };

  // This replica's index may not have applied the change (another replica's consumer did): reload it.
  await d.index.refresh([supplierId]);
  const [current] = await loadSuppliers(d.db, [supplierId]);
  const today = todayInMexico(d.now());
  const open = (
    await d.db
      .selectFrom('requirements')
      .leftJoin('organizations', 'organizations.id', 'requirements.buyer_org_id')
      .selectAll('requirements')
      .select('organizations.name as buyer_name')
      .where('requirements.state', '=', 'open')
      .where('requirements.deadline', '>=', today)
      .execute()
  ).map((row) => ({ id: row.id, row, engine: toEngineRequirement(row, row.buyer_name, today) }));

  const before = qualifyingFor(round.before, open);
  const now = qualifyingFor(current ?? null, open);
  const announced: string[] = [];
  for (const r of open) {
    if (!now.has(r.id) || before.has(r.id)) continue;
    const score = rankedScore(d.index, r.engine, supplierId);
    if (score === undefined) continue; // the index disagrees (a newer change): the next round decides
    if (await announce(d, r.row, supplierId, score, round.trigger)) announced.push(r.id);
  }

  const finished = await inTransaction(d.db, async (trx) => {
    const done = await trx
      .deleteFrom('supplier_rematch')
      .where('supplier_id', '=', supplierId)
      .where('stamp', '=', round.stamp)
      .executeTakeFirst();
    if (Number(done.numDeletedRows) > 0) return true;
    await trx
      .updateTable('supplier_rematch')
      .set({ before: current ? JSON.stringify(current) : null })
      .where('supplier_id', '=', supplierId)
      .execute();
    return false;
  });
  return { supplierId, pending: true, evaluated: open.length, announced, finished };
}

/** Writes the notification row and the event in one transaction; false when the pair was announced before. */
async function announce(
  d: FreshnessDeps,
  requirement: Requirement,
  supplierId: string,
  score: number,
  trigger: string,
): Promise<boolean> {
  const written = await inTransaction(d.db, async (trx) => {
    // Locked, so the event carries the version of the requirement that is still open when it commits.
    const row = await requirements.find(trx, requirement.id, { forUpdate: true });
    if (row?.state !== 'open') return false;
    const eventId = newId();
    const fresh = await trx
      .insertInto('candidate_notifications')
      .values({ requirement_id: row.id, supplier_id: supplierId, event_id: eventId, score, trigger })
      .onConflict((oc) => oc.columns(['requirement_id', 'supplier_id']).doNothing())
      .returning('event_id')
      .executeTakeFirst();
    if (!fresh) return false;
    await writeCandidateFound(
      trx,
      d.namespace,
      row,
      { supplierId, score, trigger },
      {
        id: eventId,
        correlationId: `rematch-${supplierId}`,
      },
    );
    return true;
  });
  if (written) d.onEventsWritten?.();
  return written;
}

/** Runs the rounds nobody ran (their job was lost, e.g. Redis was down): oldest first, bounded per call. */
export async function sweepRematches(
  d: FreshnessDeps,
  opts: { olderThanMs: number; limit?: number },
): Promise<RematchOutcome[]> {
  const rows = await d.db
    .selectFrom('supplier_rematch')
    .select('supplier_id')
    .where(sql<boolean>`requested_at < now() - make_interval(secs => ${opts.olderThanMs / 1000})`)
    .orderBy('requested_at')
    .limit(opts.limit ?? 500)
    .execute();
  const out: RematchOutcome[] = [];
  for (const r of rows) out.push(await rematchSupplier(d, r.supplier_id));
  return out;
}
