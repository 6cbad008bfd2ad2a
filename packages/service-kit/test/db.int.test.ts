/** The db kit against the real PostgreSQL: migrations in order under a lock, transactions, outage detection. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@vinculo/testing';
import {
  createDatabase,
  inTransaction,
  isDatabaseUnavailable,
  isUniqueViolation,
  migrateToLatest,
  sql,
} from '../src/db/index.js';

interface Db {
  things: { id: number; name: string };
}

let testDb: TestDatabase;
const dir = mkdtempSync(path.join(tmpdir(), 'kit-migrations-'));

beforeAll(async () => {
  // An empty template; this file's migrations are applied by the test itself.
  const empty = mkdtempSync(path.join(tmpdir(), 'kit-empty-'));
  testDb = await createTestDatabase({ label: 'kitdb', migrations: [{ schema: 'kitdb', dir: empty }] });
  writeFileSync(
    path.join(dir, '0001_things.sql'),
    'create table things (id int primary key, name text not null);',
  );
  writeFileSync(path.join(dir, '0002_seed.sql'), "insert into things values (1, 'first');");
});
afterAll(async () => {
  await testDb.drop();
});

describe('migrations', () => {
  it('applies files in order once, even when several replicas migrate at the same time', async () => {
    const replicas = [1, 2, 3].map(() => createDatabase<Db>({ url: testDb.url, schema: 'kitdb', max: 2 }));
    try {
      const applied = await Promise.all(replicas.map((r) => migrateToLatest(r, dir)));
      expect(applied.flat().sort()).toEqual(['0001_things', '0002_seed']);
      const rows = await replicas[0]!.db.selectFrom('things').selectAll().execute();
      expect(rows).toEqual([{ id: 1, name: 'first' }]);
      expect(await migrateToLatest(replicas[0]!, dir)).toEqual([]);
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
    }
  });
});

describe('transactions and errors', () => {
  it('rolls back everything when the work fails, and names unique violations', async () => {
    const database = createDatabase<Db>({ url: testDb.url, schema: 'kitdb', max: 2 });
    try {
      await expect(
        inTransaction(database.db, async (trx) => {
          await trx.insertInto('things').values({ id: 2, name: 'second' }).execute();
          await trx.insertInto('things').values({ id: 1, name: 'duplicate' }).execute();
        }),
      ).rejects.toSatisfy((err: unknown) => isUniqueViolation(err));
      const count = await sql<{ n: number }>`select count(*)::int as n from things`.execute(database.db);
      expect(count.rows[0]!.n).toBe(1);
    } finally {
      await database.close();
    }
  });

  it('tells an unreachable database apart from a bug', async () => {
    const nowhere = createDatabase<Db>({
      url: 'postgres://vinculo:vinculo@127.0.0.1:1/none',
      schema: 'kitdb',
      max: 1,
    });
    try {
      expect(await nowhere.ping(500)).toBe(false);
      const err = await nowhere.db
        .selectFrom('things')
        .selectAll()
        .execute()
        .catch((e: unknown) => e);
      expect(isDatabaseUnavailable(err)).toBe(true);
      expect(isDatabaseUnavailable(new Error('syntax error at or near "selec"'))).toBe(false);
    } finally {
      await nowhere.close();
    }
  });
});
