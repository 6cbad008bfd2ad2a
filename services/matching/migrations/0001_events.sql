-- Events outbox: rows written in the same transaction as the change they announce; the relay publishes them
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
