/**
 * One registry per test file on the shared servers: its own database (cloned from a migrated template), its
 * own Redis prefix, the real app through app.inject. Invitation e-mails are captured instead of queued.
 */
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { createDatabase, type Database } from '@vinculo/service-kit/db';
import type { HttpServer } from '@vinculo/service-kit/http';
import { createTestDatabase, isolation, sharedUrls, type TestDatabase } from '@vinculo/testing';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { RegistryDb } from '../src/db/schema.js';
import type { InvitationMessage } from '../src/domain/organizations.js';
import { createKeyStore, type KeyStore } from '../src/domain/signing-keys.js';
import { createLocalDiskStorage } from '../src/storage/local-disk.storage.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

export interface Harness {
  app: HttpServer;
  database: Database<RegistryDb>;
  redis: Redis;
  invitations: InvitationMessage[];
  keys: KeyStore;
  /** Certificates handed to the expiry scheduler. */
  scheduled: Array<{ id: string; validTo: string }>;
  dataDir: string;
  namespace: string;
  close(): Promise<void>;
}

export async function startRegistry(env: Record<string, string> = {}): Promise<Harness> {
  const iso = isolation();
  const testDb: TestDatabase = await createTestDatabase({
    label: 'registry',
    migrations: [{ schema: 'registry', dir: migrationsDir }],
  });
  const config = loadConfig({
    DATABASE_URL: testDb.url,
    EVENT_NAMESPACE: iso.namespace,
    REDIS_PREFIX: iso.redisPrefix,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const database = createDatabase<RegistryDb>({ url: config.DATABASE_URL, schema: 'registry', max: 5 });
  const redis = new Redis(sharedUrls.redis(), { maxRetriesPerRequest: 1 });
  const invitations: InvitationMessage[] = [];
  // No caching, so tests see key rotation at once.
  const keys = createKeyStore({
    db: database.db,
    rotationDays: 30,
    accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    cacheMs: 0,
  });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'registry-test-'));
  const scheduled: Array<{ id: string; validTo: string }> = [];
  const app = await buildApp({
    config,
    keys,
    storage: createLocalDiskStorage(dataDir),
    certificates: {
      schedule: (c) => {
        scheduled.push(c);
        return Promise.resolve();
      },
    },
    db: database.db,
    redis,
    logger: { level: 'silent' },
    readiness: { postgres: () => database.ping() },
    deliverInvitation: (m) => {
      invitations.push(m);
      return Promise.resolve();
    },
  });
  await app.ready();
  return {
    app,
    database,
    redis,
    invitations,
    keys,
    scheduled,
    dataDir,
    namespace: iso.namespace,
    async close() {
      await app.close();
      const keys = await redis.keys(`${iso.redisPrefix}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
      await database.close();
      await testDb.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;

/** A fresh account with its organisation; returns the tokens of its owner. */
export async function signup(
  app: HttpServer,
  type: 'buyer' | 'supplier' | 'bureau' | 'auditor' = 'supplier',
  extra: { email?: string; password?: string } = {},
) {
  counter += 1;
  const email = extra.email ?? `user${counter}-${Date.now()}@example.mx`;
  const password = extra.password ?? 'una contraseña larga 123';
  const res = await app.inject({
    method: 'POST',
    url: '/auth/signup',
    payload: {
      email,
      password,
      name: `Persona ${counter}`,
      organization: { name: `Empresa ${counter} SA de CV`, type },
    },
  });
  if (res.statusCode !== 201) throw new Error(`signup failed: ${res.statusCode} ${res.body}`);
  const body = res.json<{
    accessToken: string;
    refreshToken: string;
    user: { id: string };
    organization: { id: string; type: string };
  }>();
  return { ...body, email, password, orgId: body.organization.id, userId: body.user.id };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
