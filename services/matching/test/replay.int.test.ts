/**
 * The replay (src/replay.ts, `npm run matching:replay`): the read model rebuilt from nothing by replaying the
 * REGISTRY stream equals the one the durable consumer built, in place and in an empty database; afterwards the
 * durable consumer, even one that is redelivered the whole stream, applies only what is new.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamName, subject } from '@vinculo/contracts';
import { createDatabase, type Database } from '@vinculo/service-kit/db';
import {
  defineConsumer,
  jetstream,
  jetstreamManager,
  provisionConsumer,
  silentLogger,
  type InboxConsumer,
} from '@vinculo/service-kit/events';
import { createTestDatabase, type TestDatabase } from '@vinculo/testing';
import type { MatchingDb } from '../src/db/schema.js';
import { createRegistryConsumer, REGISTRY_CONSUMER } from '../src/events/registry.consumer.js';
import { replayRegistry } from '../src/replay.js';
import { eventually, registryEvent, supplierSnapshot } from './fixtures.js';
import { migrationsDir, startEvents, type EventsHarness } from './harness.js';
import { dumpReadModel } from './read-model-compare.js';
import { registryStream } from './registry-stream.js';

let h: EventsHarness;
let second: TestDatabase | undefined;
let secondDb: Database<MatchingDb> | undefined;
let redelivered: InboxConsumer | undefined;

const stream = registryStream(12);

const inboxCount = async (): Promise<number> => (await dumpReadModel(h.database.db)).inbox.length;

beforeAll(async () => {
  h = await startEvents();
  for (const e of stream) await h.publish(e);
  // A poison message: the consumer dead-letters it, the replay skips it.
  const js = jetstream(h.nc);
  await js.publish(subject(h.namespace, 'registry.org.created'), '{"not": "an event"', { msgID: 'poison-1' });
  await eventually(async () => (await inboxCount()) === stream.length, 20_000);
});

afterAll(async () => {
  await redelivered?.stop();
  await secondDb?.close();
  await second?.drop();
  await h?.close();
});

describe('matching:replay', () => {
  it('rebuilds, in place, exactly the read model the durable consumer built', async () => {
    const built = await dumpReadModel(h.database.db);
    expect(built.suppliers).toHaveLength(12);
    expect(built.eventsApplied).toBe(stream.length);

    const counts = await replayRegistry({
      db: h.database.db,
      js: jetstream(h.nc),
      jsm: await jetstreamManager(h.nc),
      namespace: h.namespace,
      log: silentLogger,
    });
    expect(counts).toMatchObject({
      lastSeq: stream.length + 1,
      read: stream.length + 1,
      applied: stream.length,
      duplicates: 0,
      invalid: 1,
      failed: 0,
      rows: { organizations: 13, suppliers: 12, certificates: 12 },
    });
    expect(await dumpReadModel(h.database.db)).toEqual(built);
    const position = await h.database.db
      .selectFrom('read_model_position')
      .select('stream_seq')
      .where('consumer', '=', REGISTRY_CONSUMER)
      .executeTakeFirstOrThrow();
    // The last valid event is at sequence stream.length (the poison came after it).
    expect(Number(position.stream_seq)).toBe(stream.length);
  });

  it('rebuilds the same read model in an empty database', async () => {
    second = await createTestDatabase({
      label: 'matching',
      migrations: [{ schema: 'matching', dir: migrationsDir }],
    });
    secondDb = createDatabase<MatchingDb>({ url: second.url, schema: 'matching', max: 2 });
    const counts = await replayRegistry({
      db: secondDb.db,
      js: jetstream(h.nc),
      jsm: await jetstreamManager(h.nc),
      namespace: h.namespace,
      log: silentLogger,
    });
    expect(counts.applied).toBe(stream.length);
    expect(await dumpReadModel(secondDb.db)).toEqual(await dumpReadModel(h.database.db));
  });

  it('lets the durable consumer continue without re-applying, even when the whole stream is redelivered', async () => {
    // Re-create the durable consumer from sequence 1: every old event comes again.
    await h.consumer.stop();
    const jsm = await jetstreamManager(h.nc);
    const def = defineConsumer(h.namespace, 'registry', REGISTRY_CONSUMER);
    await jsm.consumers.delete(streamName(h.namespace, 'registry'), REGISTRY_CONSUMER);
    await provisionConsumer(jsm, def);
    redelivered = createRegistryConsumer({
      namespace: h.namespace,
      js: jetstream(h.nc),
      db: h.database.db,
      log: silentLogger,
      expiresMs: 2_000,
    });
    redelivered.start();
    const before = await dumpReadModel(h.database.db);
    const profile = supplierSnapshot({ name: 'Nuevo después del replay' });
    await h.publish(
      registryEvent(
        'registry.supplier.registered',
        { type: 'supplier', id: profile.id, version: 1 },
        profile,
      ),
    );
    await eventually(async () => (await inboxCount()) === stream.length + 1, 20_000);
    await eventually(() => {
      const s = redelivered?.stats();
      return Promise.resolve(s !== undefined && s.applied + s.duplicates === stream.length + 1);
    }, 20_000);
    const stats = redelivered.stats();
    expect(stats.applied).toBe(1);
    expect(stats.duplicates).toBe(stream.length);
    const after = await dumpReadModel(h.database.db);
    expect(after.eventsApplied).toBe(before.eventsApplied + 1);
    expect(after.suppliers).toHaveLength(13);
    expect(after.organizations).toEqual(before.organizations);
    expect(after.certificates).toEqual(before.certificates);
  });
});
