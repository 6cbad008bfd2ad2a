/**
 * Matching's own events, written to the outbox inside the use case's transaction.
 *
 * The schemas live here only until the lead moves them to packages/contracts (one file per event:
 * matching.requirement.opened/closed/cancelled, with RequirementSnapshot): they use the contracts' EventSchema so
 * the envelope is the shared one, and every event is checked against its schema before it is enqueued.
 */
import { EventSchema, subject } from '@vinculo/contracts';
import { newId, type Transaction } from '@vinculo/service-kit/db';
import { enqueueEvent } from '@vinculo/service-kit/events';
import Type, { type Static } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';
import type { MatchingDb, Requirement } from '../db/schema.js';

const Uuid = Type.String({ format: 'uuid' });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const IsoTime = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const RequiredCertificate = Type.Object({
  standardId: Type.String(),
  verifiedOnly: Type.Optional(Type.Boolean()),
});

/** The whole public state of a requirement (aggregate 'requirement'; version = the requirement's version). */
export const RequirementSnapshot = Type.Object({
  id: Uuid,
  buyerId: Uuid,
  state: Type.Union([
    Type.Literal('draft'),
    Type.Literal('open'),
    Type.Literal('closed'),
    Type.Literal('awarded'),
    Type.Literal('cancelled'),
  ]),
  title: Type.String(),
  description: Type.String(),
  items: Type.Array(
    Type.Object({
      description: Type.String(),
      codes: Type.Array(Type.String()),
      quantity: Type.Number(),
      unit: Type.String(),
    }),
  ),
  capabilities: Type.Object({
    scianCodes: Type.Array(Type.String()),
    processTags: Type.Array(Type.String()),
  }),
  mustHaveCertificates: Type.Array(RequiredCertificate),
  niceToHaveCertificates: Type.Array(RequiredCertificate),
  maxTier: Nullable(Type.Integer({ minimum: 1, maximum: 4 })),
  sizePreference: Nullable(Type.Union([Type.Literal('sme-only'), Type.Literal('prefer-sme')])),
  location: Nullable(Type.Object({ lat: Type.Number(), lon: Type.Number(), radiusKm: Type.Number() })),
  volume: Nullable(Type.Object({ unit: Type.String(), amountPerMonth: Type.Number() })),
  deadline: IsoDate,
  visibility: Type.Union([Type.Literal('public'), Type.Literal('invited'), Type.Literal('bureaus')]),
  openedAt: Nullable(IsoTime),
  closedAt: Nullable(IsoTime),
  cancelledAt: Nullable(IsoTime),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type RequirementSnapshot = Static<typeof RequirementSnapshot>;

export const MatchingEvents = {
  'matching.requirement.opened': EventSchema('matching.requirement.opened', RequirementSnapshot),
  'matching.requirement.closed': EventSchema('matching.requirement.closed', RequirementSnapshot),
  'matching.requirement.cancelled': EventSchema('matching.requirement.cancelled', RequirementSnapshot),
} as const;
export type MatchingEventType = keyof typeof MatchingEvents;

const validators: Record<string, Validator> = Object.fromEntries(
  Object.entries(MatchingEvents).map(([type, schema]) => [type, Compile(schema)]),
);

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

export type RequirementEventWriter = (
  trx: Transaction<MatchingDb>,
  type: MatchingEventType,
  requirement: Requirement,
  ctx: EventContext,
) => Promise<void>;

/** Writes a requirement event to the outbox inside the caller's transaction, after checking it against its schema. */
export function createRequirementEventWriter(namespace: string): RequirementEventWriter {
  return async (trx, type, requirement, ctx) => {
    const event = {
      id: newId(),
      type,
      version: 1,
      occurredAt: new Date().toISOString(),
      source: 'matching',
      orgId: requirement.buyer_org_id,
      ...(ctx.actor ? { actor: ctx.actor } : {}),
      correlationId: ctx.correlationId,
      aggregate: { type: 'requirement', id: requirement.id, version: requirement.version },
      data: requirementSnapshot(requirement),
    };
    const validator = validators[type];
    if (!validator?.Check(event)) {
      const first = validator ? [...validator.Errors(event)][0] : undefined;
      throw new Error(
        `event ${type} does not match its schema: ${first ? `${first.instancePath} ${first.message}` : 'no schema'}`,
      );
    }
    await enqueueEvent(trx, event, subject(namespace, type));
  };
}
