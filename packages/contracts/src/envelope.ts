/**
 * The event envelope every service publishes: one shape for all events, with a literal `type` and a typed `data`
 * per event. Unknown extra properties are tolerated (additive changes stay compatible); a breaking change is a
 * new `version` published beside the old one.
 */
import Type, { type Static, type TSchema } from 'typebox';

export const Actor = Type.Object({
  userId: Type.Optional(Type.String({ format: 'uuid' })),
  orgId: Type.Optional(Type.String({ format: 'uuid' })),
  apiKeyId: Type.Optional(Type.String()),
});
export type Actor = Static<typeof Actor>;

export const AggregateRef = Type.Object({
  /** e.g. 'org', 'supplier', 'membership'. */
  type: Type.String({ minLength: 1 }),
  id: Type.String({ minLength: 1 }),
  /** Monotonically increasing per aggregate: consumers of snapshot events keep only the newest. */
  version: Type.Integer({ minimum: 1 }),
});
export type AggregateRef = Static<typeof AggregateRef>;

/** Subject-safe event type: `<service>.<entity>.<verb-past>`, lowercase. */
export const EVENT_TYPE_PATTERN = '^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*$';

const envelopeFields = {
  /** uuid v7: time-ordered, doubles as the JetStream Nats-Msg-Id and the inbox key. */
  id: Type.String({ format: 'uuid' }),
  occurredAt: Type.String({ format: 'date-time' }),
  /** Producing service name, e.g. 'registry'. */
  source: Type.String({ minLength: 1 }),
  orgId: Type.Optional(Type.String({ format: 'uuid' })),
  actor: Type.Optional(Actor),
  correlationId: Type.String({ minLength: 1 }),
  causationId: Type.Optional(Type.String({ minLength: 1 })),
  aggregate: AggregateRef,
};

/** Any well-formed envelope, whatever its type and data: what a consumer checks before looking up the schema. */
export const Envelope = Type.Object({
  ...envelopeFields,
  type: Type.String({ pattern: EVENT_TYPE_PATTERN }),
  version: Type.Integer({ minimum: 1 }),
  data: Type.Unknown(),
});
export type Envelope = Static<typeof Envelope>;

/** The envelope of one event: literal `type` and `version`, typed `data`. */
export function EventSchema<T extends string, D extends TSchema, V extends number = 1>(
  type: T,
  data: D,
  version?: V,
) {
  return Type.Object({
    ...envelopeFields,
    type: Type.Literal(type),
    version: Type.Literal((version ?? 1) as V),
    data,
  });
}
