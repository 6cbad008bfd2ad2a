-- Identity and organisations: people, organisations, memberships, refresh-token families, signing keys,
-- invitations and API keys. Secrets (refresh tokens, invitation tokens, API keys) are stored only as SHA-256.

create table users (
  id uuid primary key,
  email text not null,
  email_normalized text not null unique,
  name text not null,
  password_hash text,
  last_org_id uuid,
  locale text not null default 'es',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table organizations (
  id uuid primary key,
  name text not null,
  type text not null check (type in ('buyer', 'supplier', 'bureau', 'auditor', 'platform')),
  country text not null default 'MX',
  tax_id text,
  state_code text,
  municipality text,
  website text,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table memberships (
  org_id uuid not null references organizations(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  role text not null check (role in ('owner', 'admin', 'member', 'viewer')),
  created_at timestamptz not null default now(),
  primary key (org_id, user_id)
);
create index memberships_user on memberships(user_id);

create table refresh_tokens (
  id uuid primary key,
  family_id uuid not null,
  user_id uuid not null references users(id) on delete cascade,
  org_id uuid not null references organizations(id) on delete cascade,
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  revoked_at timestamptz,
  revoked_reason text
);
create index refresh_tokens_family on refresh_tokens(family_id);

create table signing_keys (
  kid text primary key,
  algorithm text not null default 'ES256',
  private_pem text not null,
  public_jwk jsonb not null,
  created_at timestamptz not null default now(),
  -- after retirement a key signs nothing but stays in the JWKS until its last token has expired
  retired_at timestamptz
);

create table invitations (
  id uuid primary key,
  org_id uuid not null references organizations(id) on delete cascade,
  email text not null,
  email_normalized text not null,
  role text not null check (role in ('owner', 'admin', 'member', 'viewer')),
  token_hash text not null unique,
  invited_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  accepted_at timestamptz,
  accepted_by uuid references users(id) on delete set null,
  revoked_at timestamptz
);
create index invitations_org on invitations(org_id, created_at desc);

create table api_keys (
  id uuid primary key,
  org_id uuid not null references organizations(id) on delete cascade,
  name text not null,
  prefix text not null,
  key_hash text not null unique,
  scopes text[] not null,
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
create index api_keys_org on api_keys(org_id, created_at desc);
