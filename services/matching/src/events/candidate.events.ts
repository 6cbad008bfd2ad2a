/**
 * matching.candidate.found (contract: packages/contracts/src/events/matching/matching.candidate.found.ts): a
 * supplier newly qualifies for an open requirement; messaging tells the buyer. Written to the outbox inside the
 * transaction that records the (requirement, supplier) pair as announced, after checking it against the contract.
 */
import { subject, validateEvent, type EventOf } from '@vinculo/contracts';
import type { Transaction } from '@vinculo/service-kit/db';
import { enqueueEvent } from '@vinculo/service-kit/events';
import type { MatchingDb, Requirement } from '../db/schema.js';

const CANDIDATE_FOUND = 'matching.candidate.found';

/**
 * Enqueues the event (id given by the caller, who records it) for `requirement`: aggregate 'requirement' at its
 * current version. Throws if the event does not match the contract (a bug, never sent).
 */
export async function writeCandidateFound(
  trx: Transaction<MatchingDb>,
  namespace: string,
  requirement: Requirement,
  found: { supplierId: string; score: number; trigger: string },
  ctx: { id: string; correlationId: string },
): Promise<void> {
  const event: EventOf<typeof CANDIDATE_FOUND> = {
    id: ctx.id,
    type: CANDIDATE_FOUND,
    version: 1,
    occurredAt: new Date().toISOString(),
    source: 'matching',
    orgId: requirement.buyer_org_id,
    correlationId: ctx.correlationId,
    aggregate: { type: 'requirement', id: requirement.id, version: requirement.version },
    data: {
      requirementId: requirement.id,
      buyerId: requirement.buyer_org_id,
      supplierId: found.supplierId,
      score: found.score,
      trigger: found.trigger,
    },
  };
  const checked = validateEvent(CANDIDATE_FOUND, event);
  if (!checked.ok)
    throw new Error(`event ${CANDIDATE_FOUND} does not match its contract: ${checked.errors.join('; ')}`);
  await enqueueEvent(trx, event, subject(namespace, CANDIDATE_FOUND));
}
