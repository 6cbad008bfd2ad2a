-- Invitations, applications (quotes) and deals (issue 4, deliverable 6).

-- A buyer invited a supplier to one of its requirements. An invitation makes an open requirement visible to
-- that supplier whatever its visibility (opportunities and applications read this table).
create table invitations (
  id uuid primary key,
  requirement_id uuid not null references requirements,
  supplier_id uuid not null,
  invited_by_org_id uuid not null,
  message text,
  created_at timestamptz not null default now(),
  unique (requirement_id, supplier_id)
);
create index invitations_supplier on invitations (supplier_id);

-- A supplier's application with its quote, submitted by the supplier itself or by a bureau under an `apply`
-- mandate (bureau_id, mandate_id and the mandate's commission terms at that moment: the terms the bureau
-- brokered under, which the deal's commission uses). States: submitted ⇄ shortlisted; submitted | shortlisted
-- → withdrawn (by the applicant) | awarded | rejected (when another application is awarded).
create table applications (
  id uuid primary key,
  requirement_id uuid not null references requirements,
  supplier_id uuid not null,
  bureau_id uuid,
  mandate_id uuid,
  commission_basis_points integer check (commission_basis_points between 0 and 10000),
  submitted_by_org_id uuid not null,
  state text not null default 'submitted'
    check (state in ('submitted', 'withdrawn', 'shortlisted', 'awarded', 'rejected')),
  -- Money as integer minor units plus currency.
  price_amount_minor bigint not null check (price_amount_minor >= 0),
  price_currency text not null check (price_currency ~ '^[A-Z]{3}$'),
  lead_time_days integer not null check (lead_time_days >= 0),
  notes text,
  -- References only ({ kind: 'document', id } | { kind: 'url', url }): no file contents here.
  attachments jsonb not null default '[]',
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  withdrawn_at timestamptz,
  check ((bureau_id is null) = (mandate_id is null)),
  check ((bureau_id is null) = (commission_basis_points is null))
);
-- One live application per (requirement, supplier): a withdrawn one is history, and the supplier may apply again.
create unique index applications_live on applications (requirement_id, supplier_id) where state <> 'withdrawn';
create index applications_requirement on applications (requirement_id, id);
create index applications_supplier on applications (supplier_id, id);
create index applications_bureau on applications (bureau_id, id) where bureau_id is not null;

-- An award: one per requirement (awarded is final). Joined into the supplier's track record (source
-- 'platform') that the matching index sees.
create table deals (
  id uuid primary key,
  requirement_id uuid not null unique references requirements,
  application_id uuid not null unique references applications,
  buyer_org_id uuid not null,
  supplier_id uuid not null,
  bureau_id uuid,
  commission_basis_points integer check (commission_basis_points between 0 and 10000),
  commission_amount_minor bigint check (commission_amount_minor >= 0),
  value_amount_minor bigint not null check (value_amount_minor >= 0),
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  tier smallint check (tier between 1 and 4),
  starts_on date not null,
  awarded_at timestamptz not null,
  check ((bureau_id is null) = (commission_amount_minor is null)),
  check ((bureau_id is null) = (commission_basis_points is null))
);
create index deals_supplier on deals (supplier_id, id);
create index deals_buyer on deals (buyer_org_id, id);
create index deals_bureau on deals (bureau_id, id) where bureau_id is not null;
