/** Kysely table types of the registry schema; they mirror migrations/*.sql. */
import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type OrgType = 'buyer' | 'supplier' | 'bureau' | 'auditor' | 'platform';
export type Role = 'owner' | 'admin' | 'member' | 'viewer';

export interface UsersTable {
  id: string;
  email: string;
  email_normalized: string;
  name: string;
  password_hash: string | null;
  last_org_id: string | null;
  locale: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OrganizationsTable {
  id: string;
  name: string;
  type: OrgType;
  country: ColumnType<string, string | undefined, string>;
  tax_id: string | null;
  state_code: string | null;
  municipality: string | null;
  website: string | null;
  version: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MembershipsTable {
  org_id: string;
  user_id: string;
  role: Role;
  created_at: Timestamp;
}

export interface RefreshTokensTable {
  id: string;
  family_id: string;
  user_id: string;
  org_id: string;
  token_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  revoked_reason: string | null;
}

export interface SigningKeysTable {
  kid: string;
  algorithm: ColumnType<string, string | undefined, string>;
  private_pem: string;
  public_jwk: ColumnType<Record<string, unknown>, string, string>;
  created_at: Timestamp;
  retired_at: NullableTimestamp;
}

export interface InvitationsTable {
  id: string;
  org_id: string;
  email: string;
  email_normalized: string;
  role: Role;
  token_hash: string;
  invited_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  accepted_at: NullableTimestamp;
  accepted_by: string | null;
  revoked_at: NullableTimestamp;
}

export interface ApiKeysTable {
  id: string;
  org_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  scopes: string[];
  created_by: string | null;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface OutboxTable {
  id: string;
  seq: Generated<number>;
  subject: string;
  type: string;
  payload: ColumnType<unknown, string, string>;
  created_at: Timestamp;
  published_at: NullableTimestamp;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
}

export interface InboxTable {
  consumer: string;
  event_id: string;
  applied_at: Timestamp;
}

export interface RegistryDb {
  users: UsersTable;
  organizations: OrganizationsTable;
  memberships: MembershipsTable;
  refresh_tokens: RefreshTokensTable;
  signing_keys: SigningKeysTable;
  invitations: InvitationsTable;
  api_keys: ApiKeysTable;
  outbox: OutboxTable;
  inbox: InboxTable;
}

export type User = Selectable<UsersTable>;
export type Organization = Selectable<OrganizationsTable>;
export type Membership = Selectable<MembershipsTable>;
export type RefreshToken = Selectable<RefreshTokensTable>;
export type SigningKey = Selectable<SigningKeysTable>;
export type Invitation = Selectable<InvitationsTable>;
export type ApiKey = Selectable<ApiKeysTable>;
