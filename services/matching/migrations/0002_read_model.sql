-- Matching's read model of the registry, fed only by registry events through the inbox (consumer
-- 'matching-registry'). Every row keeps the aggregate version of the event that wrote it: a snapshot is applied
-- only when it is newer, so redelivered and reordered events are harmless. Rebuildable from nothing by replaying
-- the REGISTRY stream.
create table organizations (
  id uuid primary key,
  name text not null,
  type text not null,
  version integer not null,
  updated_at timestamptz not null default now()
);

-- One row per supplier profile (aggregate 'supplier', id = the organisation id): the whole public snapshot.
create table suppliers (
  id uuid primary key,
  snapshot jsonb not null,
  version integer not null,
  updated_at timestamptz not null default now()
);

-- Certificates may arrive before their supplier's profile: no foreign key, joined when the index is built.
create table certificates (
  id uuid primary key,
  supplier_id uuid not null,
  snapshot jsonb not null,
  version integer not null,
  updated_at timestamptz not null default now()
);
create index certificates_supplier on certificates (supplier_id);

create table mandates (
  id uuid primary key,
  supplier_id uuid not null,
  bureau_id uuid not null,
  snapshot jsonb not null,
  version integer not null,
  updated_at timestamptz not null default now()
);
create index mandates_supplier on mandates (supplier_id);
create index mandates_bureau on mandates (bureau_id);

-- How far the read model has followed the registry, per consumer: written in the same transaction as each
-- applied event. stream_seq stays null while the kit's inbox consumer does not hand the stream sequence to the
-- handler (an ordered consumer resuming from it needs it; see README "Known gaps").
create table read_model_position (
  consumer text primary key,
  stream_seq bigint,
  last_event_id uuid not null,
  last_event_type text not null,
  last_occurred_at timestamptz not null,
  events_applied bigint not null default 1,
  updated_at timestamptz not null default now()
);
