/**
 * PostgreSQL access: one pg pool per service, a Kysely instance over it whose search_path is the service's own
 * schema, transactions, SQL migrations applied in order under Kysely's migrator (which holds a PostgreSQL
 * advisory lock while it runs), and the classification of connection failures as "unavailable" (HTTP 503).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  sql,
  type Migration,
  type MigrationProvider,
  type Transaction,
} from 'kysely';

export { sql };
/** Time-ordered uuid (v7) for primary keys: index-friendly and sortable by creation. */
export { v7 as newId } from 'uuid';
export type { Kysely, Transaction };

/** Either the root Kysely instance or an open transaction: repositories accept both. */
export type Executor<DB> = Kysely<DB> | Transaction<DB>;

export interface DbOptions {
  url: string;
  /** The service's schema; it becomes the search_path so queries name tables without a schema. */
  schema: string;
  max?: number;
  applicationName?: string;
  statementTimeoutMs?: number;
  /** Called for errors on idle clients (a restarted server): without a listener pg would crash the process. */
  onError?: (err: Error) => void;
}

export interface Database<DB> {
  db: Kysely<DB>;
  pool: pg.Pool;
  schema: string;
  /** Resolves when a trivial query succeeds within the timeout. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

// int8 (bigint, count(*)) as JS number: our counters and sequences stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));
// date (calendar dates, e.g. certificate validity) stays a 'YYYY-MM-DD' string: never shifted by a time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
// numeric (capacities, sales in millions) as JS number; money is never numeric here but integer minor units.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number.parseFloat(v));

export function createDatabase<DB>(opts: DbOptions): Database<DB> {
  if (!/^[a-z_][a-z0-9_]*$/.test(opts.schema)) throw new Error(`bad schema name ${opts.schema}`);
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? opts.schema,
    options: `-c search_path=${opts.schema},public -c statement_timeout=${opts.statementTimeoutMs ?? 15_000}`,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', (err) => opts.onError?.(err));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    db,
    pool,
    schema: opts.schema,
    async ping(timeoutMs = 1_000) {
      let timer: NodeJS.Timeout | undefined;
      try {
        const probe = pool.query('select 1').then(() => true);
        const timeout = new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), timeoutMs);
        });
        return await Promise.race([probe, timeout]);
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy(); // ends the pool too
    },
  };
}

/** Runs fn in a transaction on the root instance, or joins the transaction it is given. */
export async function inTransaction<DB, T>(
  exec: Executor<DB>,
  fn: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  if (exec.isTransaction) return fn(exec as Transaction<DB>);
  return exec.transaction().execute(fn);
}

/** Reads `NNNN_name.sql` files in lexical order; each runs in its own transaction. */
export function sqlFileMigrations(dir: string): MigrationProvider {
  return {
    async getMigrations() {
      const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
      const out: Record<string, Migration> = {};
      for (const file of files) {
        const text = await fs.readFile(path.join(dir, file), 'utf8');
        out[file.replace(/\.sql$/, '')] = {
          async up(db) {
            await sql.raw(text).execute(db);
          },
        };
      }
      return out;
    },
  };
}

/** Creates the schema if needed and applies every pending migration in order, under an advisory lock. */
export async function migrateToLatest<DB>(database: Database<DB>, migrationsDir: string): Promise<string[]> {
  const { db, schema } = database;
  await sql.raw(`create schema if not exists ${schema}`).execute(db);
  const migrator = new Migrator({
    db,
    provider: sqlFileMigrations(migrationsDir),
    migrationTableSchema: schema,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(`migration failed: ${JSON.stringify(error)}`);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);

/** True when an error means "the database cannot be reached right now" rather than a bug or bad data. */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect ECONNREFUSED/i.test(
    err.message,
  );
}

/** PostgreSQL unique_violation, for "already exists" answers. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: unknown; constraint?: unknown };
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}
