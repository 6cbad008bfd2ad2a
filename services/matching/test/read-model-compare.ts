/**
 * The read model as comparable rows: every table's rows by id, without the apply time, plus the registry
 * consumer's inbox ids and applied count. Two read models fed the same stream must give equal dumps.
 */
import { sql, type Kysely } from '@vinculo/service-kit/db';
import type { MatchingDb } from '../src/db/schema.js';

export interface ReadModelDump {
  organizations: unknown[];
  suppliers: unknown[];
  certificates: unknown[];
  mandates: unknown[];
  inbox: string[];
  eventsApplied: number;
}

export async function dumpReadModel(db: Kysely<MatchingDb>): Promise<ReadModelDump> {
  const rows = async (table: string, columns: string) =>
    (
      await sql<
        Record<string, unknown>
      >`select ${sql.raw(columns)} from ${sql.table(table)} order by id`.execute(db)
    ).rows;
  const inbox = await sql<{ event_id: string }>`
    select event_id from inbox where consumer = 'matching-registry' order by event_id`.execute(db);
  const position = await sql<{ n: string | null }>`
    select events_applied::text as n from read_model_position where consumer = 'matching-registry'`.execute(
    db,
  );
  return {
    organizations: await rows('organizations', 'id, name, type, version'),
    suppliers: await rows('suppliers', 'id, snapshot, version'),
    certificates: await rows('certificates', 'id, supplier_id, snapshot, version'),
    mandates: await rows('mandates', 'id, supplier_id, bureau_id, snapshot, version'),
    inbox: inbox.rows.map((r) => r.event_id),
    eventsApplied: Number(position.rows[0]?.n ?? 0),
  };
}
