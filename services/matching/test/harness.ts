/**
 * One matching service per test file on the shared servers: its own database (cloned from a migrated
 * template), its own event namespace (REGISTRY and MATCHING streams, the matching-registry consumer), the real
 * consumer feeding the read model.
 */
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { staticKeySource } from '@vinculo/service-kit/auth';
import type { HttpServer } from '@vinculo/service-kit/http';
import { subject } from '@vinculo/contracts';
import { createDatabase, type Database } from '@vinculo/service-kit/db';
import {
  connectNats,
  defineConsumer,
  defineStreams,
  jetstream,
  jetstreamManager,
  provisionConsumer,
  provisionStreams,
  silentLogger,
  type InboxConsumer,
} from '@vinculo/service-kit/events';
import { createTestDatabase, isolation, sharedUrls, type TestDatabase } from '@vinculo/testing';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { MatchingDb } from '../src/db/schema.js';
import { createSupplierIndex, type SupplierIndex } from '../src/domain/supplier-index.js';
import { createRegistryConsumer, REGISTRY_CONSUMER } from '../src/events/registry.consumer.js';

export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

type Nats = Awaited<ReturnType<typeof connectNats>>;

export interface EventsHarness {
  database: Database<MatchingDb>;
  namespace: string;
  nc: Nats;
  consumer: InboxConsumer;
  /** Publishes an envelope to the namespace's REGISTRY stream (msgID = event id unless given). */
  publish(event: { id: string; type: string }, msgId?: string): Promise<void>;
  close(): Promise<void>;
}

export interface EventsHarnessOptions {
  onSuppliersChanged?: (supplierIds: string[]) => Promise<void>;
}

export async function startEvents(opts: EventsHarnessOptions = {}): Promise<EventsHarness> {
  const iso = isolation();
  const testDb: TestDatabase = await createTestDatabase({
    label: 'matching',
    migrations: [{ schema: 'matching', dir: migrationsDir }],
  });
  const database = createDatabase<MatchingDb>({ url: testDb.url, schema: 'matching', max: 5 });
  const nc = await connectNats({ url: sharedUrls.nats(), name: 'matching-test', log: silentLogger });
  const jsm = await jetstreamManager(nc);
  const streams = defineStreams(iso.namespace, ['registry', 'matching']);
  await provisionStreams(jsm, streams);
  await provisionConsumer(jsm, defineConsumer(iso.namespace, 'registry', REGISTRY_CONSUMER));
  const js = jetstream(nc);
  const consumer = createRegistryConsumer({
    namespace: iso.namespace,
    js,
    db: database.db,
    log: silentLogger,
    expiresMs: 2_000,
    ...(opts.onSuppliersChanged ? { onSuppliersChanged: opts.onSuppliersChanged } : {}),
  });
  consumer.start();
  return {
    database,
    namespace: iso.namespace,
    nc,
    consumer,
    async publish(event, msgId) {
      await js.publish(subject(iso.namespace, event.type), JSON.stringify(event), {
        msgID: msgId ?? event.id,
      });
    },
    async close() {
      await consumer.stop();
      for (const s of streams) await jsm.streams.delete(s.name).catch(() => undefined);
      await nc.drain();
      await database.close();
      await testDb.drop();
    },
  };
}

const ISSUER = 'http://127.0.0.1:8080/api/registry';
const AUDIENCE = 'vinculo';
const KID = 'test-key';

/** An ES256 key pair standing in for the registry's signing key. */
const signingKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });

const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');

export interface Caller {
  orgId: string;
  orgType: 'buyer' | 'supplier' | 'bureau' | 'auditor' | 'platform';
  roles?: string[];
}

/** An access token as the registry signs it (ES256, kid, typ access), for this organisation. */
export function tokenFor(
  caller: Caller,
  opts: { key?: KeyObject; expiresIn?: number; issuer?: string } = {},
): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64({ alg: 'ES256', typ: 'JWT', kid: KID });
  const payload = b64({
    iss: opts.issuer ?? ISSUER,
    aud: AUDIENCE,
    sub: randomUUID(),
    org: caller.orgId,
    orgType: caller.orgType,
    roles: caller.roles ?? ['owner'],
    jti: randomUUID(),
    typ: 'access',
    iat: now,
    exp: now + (opts.expiresIn ?? 900),
  });
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), {
    key: opts.key ?? signingKey.privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${header}.${payload}.${signature.toString('base64url')}`;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export interface Harness extends EventsHarness {
  app: HttpServer;
  index: SupplierIndex;
  redis: Redis;
  /** A fresh organisation of this type with an owner's token. */
  org(
    orgType: Caller['orgType'],
    roles?: string[],
  ): { orgId: string; token: string; headers: Record<string, string> };
}

export async function startMatching(env: Record<string, string> = {}): Promise<Harness> {
  const late: { index?: SupplierIndex } = {};
  const events = await startEvents({
    onSuppliersChanged: (ids) => late.index?.refresh(ids) ?? Promise.resolve(),
  });
  const config = loadConfig({
    EVENT_NAMESPACE: events.namespace,
    REDIS_PREFIX: `test:${events.namespace}`,
    LOG_LEVEL: 'silent',
    API_RATE_LIMIT_PER_MINUTE: '100000',
    ...env,
  });
  const index = createSupplierIndex(events.database.db);
  await index.build();
  late.index = index;
  const redis = new Redis(sharedUrls.redis(), { maxRetriesPerRequest: 1 });
  const app = await buildApp({
    config,
    db: events.database.db,
    redis,
    keys: staticKeySource({ [KID]: signingKey.publicKey }),
    index,
    logger: { level: 'silent' },
    readiness: { postgres: () => events.database.ping() },
  });
  await app.ready();
  return {
    ...events,
    app,
    index,
    redis,
    org(orgType, roles) {
      const orgId = randomUUID();
      const token = tokenFor({ orgId, orgType, ...(roles ? { roles } : {}) });
      return { orgId, token, headers: bearer(token) };
    },
    async close() {
      await app.close();
      const keys = await redis.keys(`test:${events.namespace}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
      await events.close();
    },
  };
}
