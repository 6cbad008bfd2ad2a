/**
 * A database per test file, cloned from a migrated template. The template's name carries a hash of the
 * migration files, so a changed migration builds a new template; creation is serialised by an advisory lock
 * because PostgreSQL refuses to clone a template while another session is connected to it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createDatabase, migrateToLatest } from '@vinculo/service-kit/db';

export const adminUrl = (): string =>
  process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://vinculo:vinculo@127.0.0.1:5432/postgres';

function urlFor(database: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${database}`;
  return u.toString();
}

async function migrationsHash(dirs: string[]): Promise<string> {
  const h = createHash('sha256');
  for (const dir of dirs) {
    const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
    for (const f of files) h.update(f).update(await fs.readFile(path.join(dir, f)));
  }
  return h.digest('hex').slice(0, 12);
}

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Short label used in database names, e.g. 'registry'. */
  label: string;
  /** Schema → migrations directory, applied to the template in order. */
  migrations: Array<{ schema: string; dir: string }>;
}

export async function createTestDatabase(opts: TestDatabaseOptions): Promise<TestDatabase> {
  const hash = await migrationsHash(opts.migrations.map((m) => m.dir));
  const template = `tpl_${opts.label}_${hash}`;
  const name = `t_${opts.label}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withAdmin(async (admin) => {
    await admin.query('select pg_advisory_lock(hashtext($1))', ['vinculo-test-templates']);
    try {
      const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [template]);
      if (!rowCount) {
        const building = `${template}_building`;
        await admin.query(`drop database if exists ${building} with (force)`);
        await admin.query(`create database ${building}`);
        for (const m of opts.migrations) {
          const database = createDatabase({ url: urlFor(building), schema: m.schema, max: 1 });
          try {
            await migrateToLatest(database, m.dir);
          } finally {
            await database.close();
          }
        }
        // Renaming publishes the template only once it is complete.
        await admin.query(`alter database ${building} rename to ${template}`);
      }
      await admin.query(`create database ${name} template ${template}`);
    } finally {
      await admin.query('select pg_advisory_unlock(hashtext($1))', ['vinculo-test-templates']);
    }
  });
  return {
    url: urlFor(name),
    name,
    drop: () =>
      withAdmin(async (admin) => void (await admin.query(`drop database if exists ${name} with (force)`))),
  };
}

/** Drops databases left behind by test runs that were killed (called once before a test run). */
export async function dropStaleTestDatabases(olderThanMs = 0): Promise<number> {
  return withAdmin(async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(
      "select datname from pg_database where datname like 't\\_%' or datname like 'tpl\\_%'",
    );
    let n = 0;
    for (const { datname } of rows) {
      const stamp = /^t_[a-z0-9]+_([a-z0-9]+)_/.exec(datname)?.[1];
      if (stamp && Date.now() - Number.parseInt(stamp, 36) < olderThanMs) continue;
      await admin.query(`drop database if exists ${datname} with (force)`);
      n++;
    }
    return n;
  });
}
