/**
 * The outbox and inbox tables every event-producing or event-consuming service keeps in its own schema. A
 * service copies EVENT_TABLES_SQL into one of its SQL migrations (`migrations/0001_events.sql`), so its schema
 * history stays in its own migration files; a test checks that the fixture copy matches this text.
 */
import type { Generated } from 'kysely';

export const EVENT_TABLES_SQL = `-- Events outbox: rows written in the same transaction as the change they announce; the relay publishes them
-- in seq order with Nats-Msg-Id = id and then sets published_at.
create table outbox (
  id uuid primary key,
  seq bigserial not null unique,
  subject text not null,
  type text not null,
  payload jsonb not null,
  created_at timestamptz not null default now(),
  published_at timestamptz,
  attempts integer not null default 0,
  last_error text
);
create index outbox_unpublished_seq on outbox (seq) where published_at is null;

-- Events inbox: one row per (consumer, event) applied, written in the same transaction as the effect, so a
-- redelivered event is recognised and skipped.
create table inbox (
  consumer text not null,
  event_id uuid not null,
  applied_at timestamptz not null default now(),
  primary key (consumer, event_id)
);
`;

/** Kysely table types of EVENT_TABLES_SQL, for services that want them in their DB interface. */
export interface OutboxTable {
  id: string;
  seq: Generated<number>;
  subject: string;
  type: string;
  payload: unknown;
  created_at: Generated<Date>;
  published_at: Date | null;
  attempts: Generated<number>;
  last_error: string | null;
}

export interface InboxTable {
  consumer: string;
  event_id: string;
  applied_at: Generated<Date>;
}

export interface EventTables {
  outbox: OutboxTable;
  inbox: InboxTable;
}
