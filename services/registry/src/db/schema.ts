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

type DateText = ColumnType<string, string, string>;
type NullableDateText = ColumnType<string | null, string | null | undefined, string | null>;
type Json<T> = ColumnType<T, string | undefined, string>;
type Numeric = ColumnType<number | null, number | null | undefined, number | null>;

export interface SupplierProfilesTable {
  org_id: string;
  description_es: string | null;
  description_en: string | null;
  scian_codes: ColumnType<string[], string[] | undefined, string[]>;
  scian_mapped: ColumnType<string[], string[] | undefined, string[]>;
  process_tags: ColumnType<string[], string[] | undefined, string[]>;
  materials: ColumnType<string[], string[] | undefined, string[]>;
  capacity_unit: string | null;
  capacity_per_month: Numeric;
  lead_time_days: number | null;
  largest_part_mm: Numeric;
  employees: number | null;
  annual_sales_mxn_millions: Numeric;
  size_class: 'micro' | 'small' | 'medium' | 'large' | null;
  size_rule: string | null;
  size_score: Numeric;
  tiers: Json<Array<{ industry: string; tier: number }>>;
  functional_stage: string | null;
  exports: ColumnType<boolean, boolean | undefined, boolean>;
  export_markets: ColumnType<string[], string[] | undefined, string[]>;
  rfc: string | null;
  contact: Json<{ name?: string; email?: string; phone?: string }>;
  synthetic_fields: ColumnType<string[], string[] | undefined, string[]>;
  search_text: ColumnType<string, string | undefined, string>;
  search_vector: ColumnType<string, never, never>;
  version: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface FacilitiesTable {
  id: string;
  org_id: string;
  name: string;
  address: string | null;
  state_code: string | null;
  municipality: string | null;
  lat: number | null;
  lon: number | null;
  industrial_park: string | null;
  cluster: string | null;
  external_ref: string | null;
  created_at: Timestamp;
}

export interface TrackRecordTable {
  id: string;
  org_id: string;
  title: string;
  description: string | null;
  customer_name: string | null;
  customer_org_id: string | null;
  happened_on: NullableDateText;
  value_minor: number | null;
  currency: string | null;
  scian_codes: ColumnType<string[], string[] | undefined, string[]>;
  synthetic: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
}

export interface DocumentsTable {
  sha256: string;
  size_bytes: number;
  media_type: 'application/pdf' | 'image/png' | 'image/jpeg';
  storage_key: string;
  created_at: Timestamp;
}

export type CertificateStatus = 'declared' | 'verified' | 'rejected' | 'expired' | 'revoked';

export interface CertificatesTable {
  id: string;
  org_id: string;
  standard_id: string;
  certificate_number: string;
  issuing_body: string;
  scope: string | null;
  valid_from: DateText;
  valid_to: DateText;
  document_sha256: string | null;
  document_name: string | null;
  status: ColumnType<CertificateStatus, CertificateStatus | undefined, CertificateStatus>;
  status_reason: string | null;
  verified_by: string | null;
  verified_at: NullableTimestamp;
  synthetic: ColumnType<boolean, boolean | undefined, boolean>;
  version: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface VerificationRequestsTable {
  id: string;
  certificate_id: string;
  supplier_org_id: string;
  auditor_org_id: string;
  status: ColumnType<
    'requested' | 'verified' | 'rejected' | 'cancelled',
    'requested' | 'verified' | 'rejected' | 'cancelled' | undefined,
    'requested' | 'verified' | 'rejected' | 'cancelled'
  >;
  reason: string | null;
  requested_by: string | null;
  decided_by: string | null;
  created_at: Timestamp;
  decided_at: NullableTimestamp;
}

export interface CertificateNoticesTable {
  certificate_id: string;
  kind: 'remind-60' | 'remind-30' | 'remind-7' | 'expired';
  valid_to: DateText;
  sent_at: Timestamp;
}

export type MandateScope = 'view' | 'apply' | 'message';

export interface MandatesTable {
  id: string;
  supplier_org_id: string;
  bureau_org_id: string;
  scopes: MandateScope[];
  starts_on: DateText;
  ends_on: NullableDateText;
  commission_basis_points: number;
  commission_terms: string | null;
  status: ColumnType<'active' | 'ended', 'active' | 'ended' | undefined, 'active' | 'ended'>;
  ended_by: string | null;
  ended_at: NullableTimestamp;
  version: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
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
  supplier_profiles: SupplierProfilesTable;
  facilities: FacilitiesTable;
  track_record: TrackRecordTable;
  documents: DocumentsTable;
  certificates: CertificatesTable;
  verification_requests: VerificationRequestsTable;
  certificate_notices: CertificateNoticesTable;
  mandates: MandatesTable;
}

export type User = Selectable<UsersTable>;
export type Organization = Selectable<OrganizationsTable>;
export type Membership = Selectable<MembershipsTable>;
export type RefreshToken = Selectable<RefreshTokensTable>;
export type SigningKey = Selectable<SigningKeysTable>;
export type Invitation = Selectable<InvitationsTable>;
export type ApiKey = Selectable<ApiKeysTable>;
export type SupplierProfile = Selectable<SupplierProfilesTable>;
export type Facility = Selectable<FacilitiesTable>;
export type TrackRecordRow = Selectable<TrackRecordTable>;
export type Certificate = Selectable<CertificatesTable>;
export type Mandate = Selectable<MandatesTable>;
export type VerificationRequest = Selectable<VerificationRequestsTable>;

// 0004_mandates.sql: merged into MandatesTable above (same-module interface merging).
export interface MandatesTable {
  end_reason: ColumnType<string | null, string | null | undefined, string | null>;
}
