-- Requirements (RFQs) posted by buyer organisations. States and transitions: ARCHITECTURE.md "Matching"
-- (draft → open → closed → awarded | cancelled); `version` counts changes and is the events' aggregate version.
create table requirements (
  id uuid primary key,
  buyer_org_id uuid not null,
  state text not null default 'draft' check (state in ('draft', 'open', 'closed', 'awarded', 'cancelled')),
  title text not null,
  -- description, items, capabilities, certificates, tier, size preference, location, volume (the API shape).
  spec jsonb not null,
  -- Calendar date, America/Mexico_City.
  deadline date not null,
  visibility text not null check (visibility in ('public', 'invited', 'bureaus')),
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  opened_at timestamptz,
  closed_at timestamptz,
  cancelled_at timestamptz
);
-- The buyer's list: newest first, stable under equal timestamps.
create index requirements_buyer_page on requirements (buyer_org_id, created_at desc, id desc);
create index requirements_open on requirements (deadline) where state = 'open';
