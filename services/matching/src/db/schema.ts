/** Kysely table types of the matching schema; they mirror migrations/*.sql. */
import type { CertificationSnapshot, MandateSnapshot, SupplierSnapshot } from '@vinculo/contracts';
import type { EventTables } from '@vinculo/service-kit/events';
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { SupplierRecord } from './read-model.repository.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: read as the parsed value, written as JSON text (pg would send a JS array as a PostgreSQL array). */
type Json<T> = ColumnType<T, string, string>;

export interface OrganizationsTable {
  id: string;
  name: string;
  type: string;
  version: number;
  updated_at: Timestamp;
}

export interface SuppliersTable {
  id: string;
  snapshot: Json<SupplierSnapshot>;
  version: number;
  updated_at: Timestamp;
}

export interface CertificatesTable {
  id: string;
  supplier_id: string;
  snapshot: Json<CertificationSnapshot>;
  version: number;
  updated_at: Timestamp;
}

export interface MandatesTable {
  id: string;
  supplier_id: string;
  bureau_id: string;
  snapshot: Json<MandateSnapshot>;
  version: number;
  updated_at: Timestamp;
}

export interface ReadModelPositionTable {
  consumer: string;
  stream_seq: number | null;
  last_event_id: string;
  last_event_type: string;
  last_occurred_at: Timestamp;
  events_applied: Generated<number>;
  updated_at: Timestamp;
}

export type RequirementState = 'draft' | 'open' | 'closed' | 'awarded' | 'cancelled';
export type Visibility = 'public' | 'invited' | 'bureaus';

/** What a buyer asks for, as the API takes it (stored as jsonb). */
export interface RequirementSpec {
  description: string;
  items: { description: string; codes: string[]; quantity: number; unit: string }[];
  capabilities: { scianCodes: string[]; processTags: string[] };
  mustHaveCertificates: { standardId: string; verifiedOnly?: boolean }[];
  niceToHaveCertificates: { standardId: string; verifiedOnly?: boolean }[];
  maxTier: 1 | 2 | 3 | 4 | null;
  sizePreference: 'sme-only' | 'prefer-sme' | null;
  location: { lat: number; lon: number; radiusKm: number } | null;
  volume: { unit: string; amountPerMonth: number } | null;
}

type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface RequirementsTable {
  id: string;
  buyer_org_id: string;
  state: ColumnType<RequirementState, RequirementState | undefined, RequirementState>;
  title: string;
  spec: Json<RequirementSpec>;
  deadline: string;
  visibility: Visibility;
  version: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  opened_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  cancelled_at: NullableTimestamp;
}

export type Requirement = Selectable<RequirementsTable>;

export interface InvitationsTable {
  id: string;
  requirement_id: string;
  supplier_id: string;
  invited_by_org_id: string;
  message: string | null;
  created_at: Timestamp;
}

export type ApplicationState = 'submitted' | 'withdrawn' | 'shortlisted' | 'awarded' | 'rejected';

/** A quote's attachment: a reference to a registry document or a link, never the file itself. */
export type QuoteAttachment =
  { kind: 'document'; id: string; name?: string } | { kind: 'url'; url: string; name?: string };

export interface ApplicationsTable {
  id: string;
  requirement_id: string;
  supplier_id: string;
  bureau_id: string | null;
  mandate_id: string | null;
  commission_basis_points: number | null;
  submitted_by_org_id: string;
  state: ColumnType<ApplicationState, ApplicationState | undefined, ApplicationState>;
  price_amount_minor: number;
  price_currency: string;
  lead_time_days: number;
  notes: string | null;
  attachments: Json<QuoteAttachment[]>;
  version: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  withdrawn_at: NullableTimestamp;
}

export interface DealsTable {
  id: string;
  requirement_id: string;
  application_id: string;
  buyer_org_id: string;
  supplier_id: string;
  bureau_id: string | null;
  commission_basis_points: number | null;
  commission_amount_minor: number | null;
  value_amount_minor: number;
  currency: string;
  tier: number | null;
  /** Calendar date (Mexico City), YYYY-MM-DD. */
  starts_on: string;
  awarded_at: Timestamp;
}

export type Invitation = Selectable<InvitationsTable>;
export type Application = Selectable<ApplicationsTable>;
export type Deal = Selectable<DealsTable>;

/** Freshness (migrations/0005_freshness.sql): a supplier's change still to re-evaluate, with its state before. */
export interface SupplierRematchTable {
  supplier_id: string;
  before: ColumnType<SupplierRecord | null, string | null, string | null>;
  trigger: string;
  /** bigint: pg hands it over as a string. */
  stamp: Generated<string>;
  requested_at: Generated<Date>;
}

/** Each (requirement, supplier) announced by matching.candidate.found, once. */
export interface CandidateNotificationsTable {
  requirement_id: string;
  supplier_id: string;
  event_id: string;
  score: number;
  trigger: string;
  notified_at: Generated<Date>;
}

export interface MatchingDb extends EventTables {
  supplier_rematch: SupplierRematchTable;
  candidate_notifications: CandidateNotificationsTable;
  requirements: RequirementsTable;
  organizations: OrganizationsTable;
  suppliers: SuppliersTable;
  certificates: CertificatesTable;
  mandates: MandatesTable;
  read_model_position: ReadModelPositionTable;
  invitations: InvitationsTable;
  applications: ApplicationsTable;
  deals: DealsTable;
}
