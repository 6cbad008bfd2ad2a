-- Supplier registry: profiles of supplier organisations, their facilities, declared track record, certificates
-- with documents (stored once per SHA-256), verification assignments to auditors, expiry notices already sent,
-- and bureau mandates.

create extension if not exists pg_trgm;
create extension if not exists unaccent;

create table supplier_profiles (
  org_id uuid primary key references organizations(id) on delete cascade,
  description_es text,
  description_en text,
  scian_codes text[] not null default '{}',
  scian_mapped text[] not null default '{}',
  process_tags text[] not null default '{}',
  materials text[] not null default '{}',
  capacity_unit text,
  capacity_per_month numeric,
  lead_time_days integer,
  largest_part_mm numeric,
  employees integer check (employees >= 0),
  annual_sales_mxn_millions numeric check (annual_sales_mxn_millions >= 0),
  -- derived by the taxonomy's size rule from employees, sales and the main SCIAN code; never typed in
  size_class text check (size_class in ('micro', 'small', 'medium', 'large')),
  size_rule text,
  size_score numeric,
  tiers jsonb not null default '[]',
  functional_stage text,
  exports boolean not null default false,
  export_markets text[] not null default '{}',
  rfc text,
  contact jsonb not null default '{}',
  synthetic_fields text[] not null default '{}',
  -- accent-folded Spanish + English text with the process catalogue's synonyms, for free-text search
  search_text text not null default '',
  search_vector tsvector generated always as (to_tsvector('simple', search_text)) stored,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index supplier_profiles_scian on supplier_profiles using gin (scian_codes);
create index supplier_profiles_tags on supplier_profiles using gin (process_tags);
create index supplier_profiles_size on supplier_profiles (size_class);
create index supplier_profiles_search on supplier_profiles using gin (search_vector);
create index supplier_profiles_trgm on supplier_profiles using gin (search_text gin_trgm_ops);

create table facilities (
  id uuid primary key,
  org_id uuid not null references supplier_profiles(org_id) on delete cascade,
  name text not null,
  address text,
  state_code text check (state_code ~ '^[0-9]{2}$'),
  municipality text,
  lat double precision check (lat between -90 and 90),
  lon double precision check (lon between -180 and 180),
  industrial_park text,
  cluster text,
  -- identifier in an external directory (e.g. the RETC registry number) so re-imports update, never duplicate
  external_ref text,
  created_at timestamptz not null default now(),
  unique (org_id, external_ref)
);
create index facilities_org on facilities (org_id);
create index facilities_state on facilities (state_code);
create index facilities_geo on facilities (lat, lon);

create table track_record (
  id uuid primary key,
  org_id uuid not null references supplier_profiles(org_id) on delete cascade,
  title text not null,
  description text,
  customer_name text,
  customer_org_id uuid,
  happened_on date,
  value_minor bigint,
  currency text check (currency ~ '^[A-Z]{3}$'),
  scian_codes text[] not null default '{}',
  synthetic boolean not null default false,
  created_at timestamptz not null default now()
);
create index track_record_org on track_record (org_id);

create table documents (
  sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes bigint not null,
  media_type text not null check (media_type in ('application/pdf', 'image/png', 'image/jpeg')),
  storage_key text not null,
  created_at timestamptz not null default now()
);

create table certificates (
  id uuid primary key,
  org_id uuid not null references supplier_profiles(org_id) on delete cascade,
  standard_id text not null,
  certificate_number text not null,
  issuing_body text not null,
  scope text,
  valid_from date not null,
  valid_to date not null check (valid_to >= valid_from),
  document_sha256 text references documents(sha256),
  document_name text,
  status text not null default 'declared' check (status in ('declared', 'verified', 'rejected', 'expired', 'revoked')),
  status_reason text,
  verified_by uuid references organizations(id) on delete set null,
  verified_at timestamptz,
  synthetic boolean not null default false,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index certificates_org on certificates (org_id);
create index certificates_standard on certificates (standard_id, status, valid_to);

-- A supplier asks an auditor organisation to verify a certificate; the open request is the assignment that
-- lets the auditor's members see the document and decide.
create table verification_requests (
  id uuid primary key,
  certificate_id uuid not null references certificates(id) on delete cascade,
  supplier_org_id uuid not null references organizations(id) on delete cascade,
  auditor_org_id uuid not null references organizations(id) on delete cascade,
  status text not null default 'requested' check (status in ('requested', 'verified', 'rejected', 'cancelled')),
  reason text,
  requested_by uuid references users(id) on delete set null,
  decided_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  decided_at timestamptz
);
create index verification_requests_auditor on verification_requests (auditor_org_id, status);
create unique index verification_requests_open on verification_requests (certificate_id, auditor_org_id) where status = 'requested';

-- Expiry reminders and the expiry itself, once each per validity end date: the key includes valid_to, so a
-- changed date schedules (and may send) a fresh set while a repeated job finds its row and sends nothing.
create table certificate_notices (
  certificate_id uuid not null references certificates(id) on delete cascade,
  kind text not null check (kind in ('remind-60', 'remind-30', 'remind-7', 'expired')),
  valid_to date not null,
  sent_at timestamptz not null default now(),
  primary key (certificate_id, kind, valid_to)
);

create table mandates (
  id uuid primary key,
  supplier_org_id uuid not null references organizations(id) on delete cascade,
  bureau_org_id uuid not null references organizations(id) on delete cascade,
  scopes text[] not null check (scopes <@ array['view', 'apply', 'message'] and cardinality(scopes) > 0),
  starts_on date not null,
  ends_on date,
  commission_basis_points integer not null check (commission_basis_points between 0 and 10000),
  commission_terms text,
  status text not null default 'active' check (status in ('active', 'ended')),
  ended_by uuid references organizations(id) on delete set null,
  ended_at timestamptz,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (ends_on is null or ends_on >= starts_on)
);
create unique index mandates_active_pair on mandates (supplier_org_id, bureau_org_id) where status = 'active';
create index mandates_bureau on mandates (bureau_org_id, status);
