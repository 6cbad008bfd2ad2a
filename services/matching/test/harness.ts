/**
 * One matching service per test file on the shared servers: its own database (cloned from a migrated
 * template), its own event namespace (REGISTRY and MATCHING streams, the matching-registry consumer), the real
 * consumer feeding the read model.
 */
import { fileURLToPath } from 'node:url';
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
import type { MatchingDb } from '../src/db/schema.js';
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
  const testDb: TestDatabase = await createTestDatabase({ label: 'matching', migrations: [{ schema: 'matching', dir: migrationsDir }] });
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
      await js.publish(subject(iso.namespace, event.type), JSON.stringify(event), { msgID: msgId ?? event.id });
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
