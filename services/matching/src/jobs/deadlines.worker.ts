/**
 * Deadlines (issue 4, deliverable 3): an open requirement whose deadline has passed is closed. The deadline is
 * a Mexico City calendar date and counts whole: the requirement closes once that day has ended there, i.e. when
 * Mexico City's today is after it.
 *
 * The close is the one the buyer's `POST /requirements/:id/close` makes — the same repository transition
 * (version bump, closed_at) and the same `matching.requirement.closed` writer, in one transaction — without an
 * actor (the platform closes it). Idempotent: each requirement is re-read under a row lock and closed only if it
 * is still open and past its deadline, so a second sweep, a concurrent replica or a buyer closing it by hand
 * at the same moment never closes it twice.
 */
import { inTransaction, type Kysely } from '@vinculo/service-kit/db';
import type { RequirementRepository } from '../db/requirements.repository.js';
import type { MatchingDb } from '../db/schema.js';
import { todayInMexico } from '../domain/context.js';
import type { RequirementEventWriter } from '../events/matching.events.js';

export interface DeadlineDeps {
  db: Kysely<MatchingDb>;
  requirements: RequirementRepository;
  writeEvent: RequirementEventWriter;
  now: () => Date;
  /** Called after a transaction that wrote outbox rows commits, to wake the relay. */
  onEventsWritten?: () => void;
}

const BATCH = 200;
/** Bounds one sweep (200 000 requirements); the next sweep continues. */
const MAX_ROUNDS = 1_000;

/** Closes every open requirement past its deadline; returns the ids it closed. */
export async function closeExpiredRequirements(d: DeadlineDeps): Promise<string[]> {
  const today = todayInMexico(d.now());
  const closed: string[] = [];
  let after = '00000000-0000-0000-0000-000000000000';
  for (let round = 0; round < MAX_ROUNDS; round++) {
    // Keyed by id, so rows another closer skipped or raced are passed over instead of read forever.
    const due = await d.db
      .selectFrom('requirements')
      .select('id')
      .where('state', '=', 'open')
      .where('deadline', '<', today)
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    const before = closed.length;
    for (const { id } of due) {
      const done = await inTransaction(d.db, async (trx) => {
        const row = await d.requirements.find(trx, id, { forUpdate: true });
        if (row?.state !== 'open' || row.deadline >= today) return false;
        const next = await d.requirements.transition(trx, id, 'closed', d.now());
        await d.writeEvent(trx, 'matching.requirement.closed', next, { correlationId: `deadline-${today}` });
        return true;
      });
      if (done) closed.push(id);
    }
    if (closed.length > before) d.onEventsWritten?.();
    const last = due.at(-1);
    if (due.length < BATCH || !last) break;
    after = last.id;
  }
  return closed;
}
