/** Kysely table types of the matching schema; they mirror migrations/*.sql. */
import type { CertificationSnapshot, MandateSnapshot, SupplierSnapshot } from '@vinculo/contracts';
import type { EventTables } from '@vinculo/service-kit/events';
import type { ColumnType, Generated } from 'kysely';

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

export interface MatchingDb extends EventTables {
  organizations: OrganizationsTable;
  suppliers: SuppliersTable;
  certificates: CertificatesTable;
  mandates: MandatesTable;
  read_model_position: ReadModelPositionTable;
}
