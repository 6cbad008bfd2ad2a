/**
 * The registry's events, written to the outbox inside the use case's transaction (never published from a
 * request). Snapshot events carry the aggregate's version so consumers can drop stale or repeated ones.
 */
import { buildEvent, enqueueEvent } from '@vinculo/service-kit/events';
import { subject, type EventOf, type EventType } from '@vinculo/contracts';
import type { Transaction } from '@vinculo/service-kit/db';
import type { Organization, RegistryDb, Role } from '../db/schema.js';
import type { RequestContext } from '../domain/context.js';

export interface RegistryOutbox {
  orgCreated(trx: Transaction<RegistryDb>, org: Organization, ctx: RequestContext): Promise<void>;
  orgUpdated(trx: Transaction<RegistryDb>, org: Organization, ctx: RequestContext): Promise<void>;
  memberAdded(trx: Transaction<RegistryDb>, m: MemberChange, ctx: RequestContext): Promise<void>;
  memberRemoved(trx: Transaction<RegistryDb>, m: MemberChange, ctx: RequestContext): Promise<void>;
  memberRoleChanged(
    trx: Transaction<RegistryDb>,
    m: MemberChange & { previousRole: Role },
    ctx: RequestContext,
  ): Promise<void>;
}

export interface MemberChange {
  orgId: string;
  userId: string;
  role: Role;
  /** The organisation's version after the change: membership changes bump it so events order per org. */
  orgVersion: number;
}

export function orgSnapshot(org: Organization) {
  return {
    id: org.id,
    name: org.name,
    type: org.type,
    country: org.country,
    ...(org.tax_id ? { taxId: org.tax_id } : {}),
    ...(org.state_code ? { state: org.state_code } : {}),
    ...(org.municipality ? { municipality: org.municipality } : {}),
    ...(org.website ? { website: org.website } : {}),
    createdAt: org.created_at.toISOString(),
    updatedAt: org.updated_at.toISOString(),
  };
}

/** Writes any registry event to the outbox inside the caller's transaction. */
export type EventWriter = (
  trx: Transaction<RegistryDb>,
  type: EventType,
  aggregate: { type: string; id: string; version: number },
  data: unknown,
  orgId: string,
  ctx: RequestContext,
) => Promise<void>;

export function createEventWriter(namespace: string): EventWriter {
  return async (trx, type, aggregate, data, orgId, ctx) => {
    const event = buildEvent({
      type,
      source: 'registry',
      aggregate,
      data: data as EventOf<EventType>['data'],
      orgId,
      correlationId: ctx.correlationId,
      ...(ctx.principal
        ? {
            actor: {
              orgId: ctx.principal.orgId,
              ...(ctx.principal.userId ? { userId: ctx.principal.userId } : {}),
            },
          }
        : {}),
    });
    await enqueueEvent(trx, event, subject(namespace, type));
  };
}

export function createRegistryOutbox(namespace: string): RegistryOutbox {
  const write = createEventWriter(namespace);
  const orgAggregate = (org: Organization) => ({ type: 'organization', id: org.id, version: org.version });
  const member = (m: MemberChange, previousRole?: Role) => ({
    orgId: m.orgId,
    userId: m.userId,
    role: m.role,
    ...(previousRole ? { previousRole } : {}),
  });
  return {
    orgCreated: (trx, org, ctx) =>
      write(trx, 'registry.org.created', orgAggregate(org), orgSnapshot(org), org.id, ctx),
    orgUpdated: (trx, org, ctx) =>
      write(trx, 'registry.org.updated', orgAggregate(org), orgSnapshot(org), org.id, ctx),
    memberAdded: (trx, m, ctx) =>
      write(
        trx,
        'registry.member.added',
        { type: 'organization', id: m.orgId, version: m.orgVersion },
        member(m),
        m.orgId,
        ctx,
      ),
    memberRemoved: (trx, m, ctx) =>
      write(
        trx,
        'registry.member.removed',
        { type: 'organization', id: m.orgId, version: m.orgVersion },
        member(m),
        m.orgId,
        ctx,
      ),
    memberRoleChanged: (trx, m, ctx) =>
      write(
        trx,
        'registry.member.role_changed',
        { type: 'organization', id: m.orgId, version: m.orgVersion },
        member(m, m.previousRole),
        m.orgId,
        ctx,
      ),
  };
}
