/**
 * Matching's own events, written to the outbox inside the use case's transaction. Their schemas are contracts
 * (packages/contracts/src/events/matching, one file per event); every event is checked against its schema
 * before it is enqueued, so a drifting producer fails its own transaction instead of a consumer.
 */
import {
  RequirementSnapshot,
  subject,
  validateEvent,
  type EventOf,
  type MatchingEventType,
} from '@vinculo/contracts';
import { newId, type Transaction } from '@vinculo/service-kit/db';
import { enqueueEvent } from '@vinculo/service-kit/events';
import type { MatchingDb, Requirement } from '../db/schema.js';

export { RequirementSnapshot, type MatchingEventType };

export type RequirementEventType =
  | 'matching.requirement.opened'
  | 'matching.requirement.closed'
  | 'matching.requirement.awarded'
  | 'matching.requirement.cancelled';

export function requirementSnapshot(r: Requirement): RequirementSnapshot {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: r.id,
    buyerId: r.buyer_org_id,
    state: r.state,
    title: r.title,
    description: r.spec.description,
    items: r.spec.items,
    capabilities: r.spec.capabilities,
    mustHaveCertificates: r.spec.mustHaveCertificates,
    niceToHaveCertificates: r.spec.niceToHaveCertificates,
    maxTier: r.spec.maxTier,
    sizePreference: r.spec.sizePreference,
    location: r.spec.location,
    volume: r.spec.volume,
    deadline: r.deadline,
    visibility: r.visibility,
    openedAt: iso(r.opened_at),
    closedAt: iso(r.closed_at),
    cancelledAt: iso(r.cancelled_at),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export interface EventContext {
  correlationId: string;
  actor?: { userId?: string; orgId?: string; apiKeyId?: string };
}

/** What a use case says about one event; the writer adds the envelope's id, time, source and correlation. */
export interface MatchingEventInput<T extends MatchingEventType> {
  type: T;
  /** The organisation the event is about first (the buyer for requirement, application and deal events). */
  orgId: string;
  aggregate: { type: string; id: string; version: number };
  data: EventOf<T>['data'];
}

export type MatchingEventWriter = <T extends MatchingEventType>(
  trx: Transaction<MatchingDb>,
  event: MatchingEventInput<T>,
  ctx: EventContext,
) => Promise<void>;

/** Writes any matching event to the outbox inside the caller's transaction, after checking it against its contract. */
export function createMatchingEventWriter(namespace: string): MatchingEventWriter {
  return async (trx, input, ctx) => {
    const event = {
      id: newId(),
      type: input.type,
      version: 1,
      occurredAt: new Date().toISOString(),
      source: 'matching',
      orgId: input.orgId,
      ...(ctx.actor ? { actor: ctx.actor } : {}),
      correlationId: ctx.correlationId,
      aggregate: input.aggregate,
      data: input.data,
    };
    const checked = validateEvent(input.type, event);
    if (!checked.ok)
      throw new Error(
        `event ${input.type} does not match its schema: ${checked.errors.slice(0, 3).join('; ')}`,
      );
    await enqueueEvent(trx, event, subject(namespace, input.type));
  };
}

export type RequirementEventWriter = (
  trx: Transaction<MatchingDb>,
  type: RequirementEventType,
  requirement: Requirement,
  ctx: EventContext,
) => Promise<void>;

/** Writes a requirement event (its whole snapshot, aggregate version = the requirement's) to the outbox. */
export function createRequirementEventWriter(namespace: string): RequirementEventWriter {
  const write = createMatchingEventWriter(namespace);
  return (trx, type, requirement, ctx) =>
    write(
      trx,
      {
        type,
        orgId: requirement.buyer_org_id,
        aggregate: { type: 'requirement', id: requirement.id, version: requirement.version },
        data: requirementSnapshot(requirement),
      },
      ctx,
    );
}
