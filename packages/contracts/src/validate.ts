/**
 * The event map of every service, schema lookup by type, and compiled validators. `msg.json()` is only a cast:
 * consumers run `validateEnvelope` on whatever arrives before they trust it.
 */
import type { Static, TSchema } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';
import { Envelope } from './envelope.js';
import { MatchingEvents } from './events/matching/index.js';
import { RegistryEvents } from './events/registry/index.js';

/** type → envelope schema, for every event of every service. */
export const EventSchemas = { ...RegistryEvents, ...MatchingEvents } as const;
export type EventSchemas = typeof EventSchemas;
export type EventType = keyof EventSchemas;
/** The envelope of the event with this type. */
export type EventOf<T extends EventType> = Static<EventSchemas[T]>;
export type AnyEvent = { [T in EventType]: EventOf<T> }[EventType];

export type Validation<T> = { ok: true; event: T } | { ok: false; errors: string[] };

export function isEventType(type: unknown): type is EventType {
  return typeof type === 'string' && Object.hasOwn(EventSchemas, type);
}

export function eventSchemaFor<T extends EventType>(type: T): EventSchemas[T] {
  return EventSchemas[type];
}

const compiled = new Map<string, Validator>();
function validatorFor(type: string, schema: TSchema): Validator {
  let v = compiled.get(type);
  if (!v) {
    v = Compile(schema);
    compiled.set(type, v);
  }
  return v;
}

function errorsOf(v: Validator, value: unknown): string[] {
  const out = new Set<string>();
  for (const e of v.Errors(value)) {
    out.add(`${e.instancePath || '/'} ${e.message}`);
    if (out.size >= 20) break;
  }
  return out.size > 0 ? [...out] : ['invalid'];
}

/** Checks a value against one event's schema. */
export function validateEvent<T extends EventType>(type: T, value: unknown): Validation<EventOf<T>> {
  const v = validatorFor(type, EventSchemas[type]);
  return v.Check(value)
    ? { ok: true, event: value as EventOf<T> }
    : { ok: false, errors: errorsOf(v, value) };
}

/** Checks the envelope, then the schema its `type` names; an unknown type is an error. */
export function validateAnyEvent(value: unknown): Validation<AnyEvent> {
  const env = validatorFor('*envelope', Envelope);
  if (!env.Check(value)) return { ok: false, errors: errorsOf(env, value) };
  const type = (value as Envelope).type;
  if (!isEventType(type)) return { ok: false, errors: [`/type unknown event type '${type}'`] };
  return validateEvent(type, value);
}

/** The events one service produces, by the `<service>.` prefix of their type. */
export type ServiceEvent<S extends string> = Extract<AnyEvent, { type: `${S}.${string}` }>;

/**
 * validateAnyEvent for a consumer of one service's stream: an event of another service is an error (so it
 * dead-letters instead of reaching a handler that switches over that service's types only).
 */
export function validateServiceEvent<S extends string>(
  service: S,
  value: unknown,
): Validation<ServiceEvent<S>> {
  const r = validateAnyEvent(value);
  if (!r.ok) return r;
  if (!r.event.type.startsWith(`${service}.`))
    return { ok: false, errors: [`/type '${r.event.type}' is not a ${service} event`] };
  return { ok: true, event: r.event as ServiceEvent<S> };
}
