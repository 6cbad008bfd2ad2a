/**
 * The events kit against the real NATS JetStream and PostgreSQL on loopback: outbox → relay → stream →
 * inbox consumer → effect table. Each test gets its own event namespace (streams and subjects) under this
 * file's namespace; the file has its own database cloned from the fixture migrations.
 */
import { promises as fs } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import {
  dlqStreamName,
  streamName,
  subject,
  validateAnyEvent,
  type AnyEvent,
  type EventOf,
} from '@vinculo/contracts';
import { createTestDatabase, isolation, sharedUrls, type TestDatabase } from '@vinculo/testing';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase, sql, type Database, type Transaction } from '../src/db/index.js';
import {
  applyIfNewer,
  buildEvent,
  connectNats,
  createInboxConsumer,
  createOutboxRelay,
  defineConsumer,
  defineStreams,
  DLQ_HEADERS,
  enqueueEvent,
  EVENT_TABLES_SQL,
  provisionConsumer,
  provisionStreams,
  type DeadLetter,
  type EventsLogger,
  type EventTables,
  type InboxConsumer,
  type OutboxRelay,
} from '../src/events/index.js';

interface TestDB extends EventTables {
  effects: { event_id: string; type: string; applied_count: number };
  org_snapshots: { id: string; name: string; version: number };
}

const SCHEMA = 'evtest';
const migrationsDir = fileURLToPath(new URL('./fixtures/events/migrations', import.meta.url));
const iso = isolation();
const log: EventsLogger = process.env.EVENTS_TEST_LOG
  ? { debug: () => undefined, info: console.log, warn: console.warn, error: console.error }
  : { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

let tdb: TestDatabase;
let database: Database<TestDB>;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;
const streamsMade: string[] = [];
const running: Array<InboxConsumer | OutboxRelay> = [];
let nsCounter = 0;

/** A fresh namespace (and REGISTRY + REGISTRY_DLQ streams) per test, so tests never see each other's events. */
async function freshNamespace(): Promise<string> {
  const ns = `${iso.namespace}n${nsCounter++}`;
  const defs = defineStreams(ns, ['registry']);
  await provisionStreams(jsm, defs);
  streamsMade.push(...defs.map((d) => d.name));
  return ns;
}

function orgEvent(
  opts: { name?: string; id?: string; version?: number } = {},
): EventOf<'registry.org.created'> {
  const id = opts.id ?? uuidv7();
  const now = new Date().toISOString();
  return buildEvent({
    type: 'registry.org.created',
    source: 'registry',
    aggregate: { type: 'org', id, version: opts.version ?? 1 },
    data: {
      id,
      name: opts.name ?? 'Aceros del Norte',
      type: 'supplier',
      country: 'MX',
      createdAt: now,
      updatedAt: now,
    },
    correlationId: `test-${iso.namespace}`,
  });
}

/** The handler of a consuming service: one effect row per applied event (a second apply bumps the count). */
async function recordEffect(event: AnyEvent, trx: Transaction<TestDB>): Promise<void> {
  await trx
    .insertInto('effects')
    .values({ event_id: event.id, type: event.type, applied_count: 1 })
    .onConflict((oc) =>
      oc.column('event_id').doUpdateSet((eb) => ({ applied_count: eb('effects.applied_count', '+', 1) })),
    )
    .execute();
}

async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function count(table: 'effects' | 'inbox' | 'outbox'): Promise<number> {
  const r = await database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

function consumerFor(
  ns: string,
  durable: string,
  overrides: Partial<Parameters<typeof createInboxConsumer<TestDB, AnyEvent>>[0]> = {},
) {
  const def = defineConsumer(ns, 'registry', durable, { maxDeliver: 3, backoffMs: [50, 100] });
  const consumer = createInboxConsumer<TestDB, AnyEvent>({
    ...def,
    js,
    db: database.db,
    log,
    validate: validateAnyEvent,
    handle: recordEffect,
    ...overrides,
  });
  running.push(consumer);
  return { def, consumer };
}

async function pendingOf(stream: string, durable: string): Promise<{ pending: number; ackPending: number }> {
  const info = await jsm.consumers.info(stream, durable);
  return { pending: info.num_pending, ackPending: info.num_ack_pending };
}

beforeAll(async () => {
  tdb = await createTestDatabase({ label: 'events', migrations: [{ schema: SCHEMA, dir: migrationsDir }] });
  database = createDatabase<TestDB>({ url: tdb.url, schema: SCHEMA, onError: () => undefined });
  nc = await connectNats({
    url: sharedUrls.nats(),
    name: `events-test-${iso.namespace}`,
    log,
    waitOnFirstConnect: false,
  });
  jsm = await jetstreamManager(nc);
  js = jetstream(nc);
});

beforeEach(async () => {
  await sql`truncate effects, inbox, outbox, org_snapshots`.execute(database.db);
});

afterAll(async () => {
  for (const r of running) await r.stop();
  for (const name of streamsMade) await jsm.streams.delete(name).catch(() => undefined);
  await nc?.drain();
  await database?.close();
  await tdb?.drop();
});

describe('events: outbox, relay, inbox consumer', () => {
  it('ships the event tables SQL in the fixture migration unchanged', async () => {
    expect(await fs.readFile(`${migrationsDir}/0001_events.sql`, 'utf8')).toBe(EVENT_TABLES_SQL);
  });

  it('provisions streams and consumers idempotently from the definitions', async () => {
    const ns = await freshNamespace();
    await provisionStreams(jsm, defineStreams(ns, ['registry']));
    const info = await jsm.streams.info(streamName(ns, 'registry'));
    expect(info.config.subjects).toEqual([`${ns}.registry.>`]);
    expect(info.config.storage).toBe('file');
    expect(info.config.max_age).toBe(0);
    expect(info.config.duplicate_window).toBe(120_000_000_000);
    expect((await jsm.streams.info(dlqStreamName(ns, 'registry'))).config.subjects).toEqual([
      `${ns}.dlq.registry.>`,
    ]);
    const def = defineConsumer(ns, 'registry', 'idem');
    await provisionConsumer(jsm, def);
    const again = await provisionConsumer(jsm, { ...def, ackWaitMs: 45_000 });
    expect(again.config.ack_wait).toBe(45_000_000_000);
    expect(again.config.ack_policy).toBe('explicit');
  });

  it('applies 300 events exactly once on the way from outbox to effect table', async () => {
    const ns = await freshNamespace();
    const { def, consumer } = consumerFor(ns, 'flow');
    await provisionConsumer(jsm, def);
    const relay = createOutboxRelay({ db: database.db, js, log, pollMs: 50, batchSize: 64 });
    running.push(relay);
    relay.start();
    consumer.start();
    for (let batch = 0; batch < 30; batch++) {
      await database.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 10; i++) {
          const e = orgEvent({ name: `org ${batch}-${i}` });
          await enqueueEvent(trx, e, subject(ns, e.type));
        }
      });
      relay.notify();
    }
    await waitFor('300 effects', async () => (await count('effects')) === 300);
    await waitFor('consumer drained', async () => {
      const p = await pendingOf(def.stream, def.durable);
      if (process.env.EVENTS_TEST_LOG) console.log(p, consumer.stats());
      return p.pending === 0 && p.ackPending === 0;
    });
    await relay.stop();
    await consumer.stop();
    const twice = await database.db
      .selectFrom('effects')
      .select('event_id')
      .where('applied_count', '>', 1)
      .execute();
    expect(twice).toEqual([]);
    expect(await count('inbox')).toBe(300);
    const unpublished = await database.db
      .selectFrom('outbox')
      .select('id')
      .where('published_at', 'is', null)
      .execute();
    expect(unpublished).toEqual([]);
    expect((await jsm.streams.info(def.stream)).state.messages).toBe(300);
    // publish order = outbox seq order
    const seqOrder = await database.db.selectFrom('outbox').select('id').orderBy('seq').execute();
    const first = await jsm.streams.getMessage(def.stream, { seq: 1 });
    const last = await jsm.streams.getMessage(def.stream, { seq: 300 });
    expect(first?.json<{ id: string }>().id).toBe(seqOrder[0]?.id);
    expect(last?.json<{ id: string }>().id).toBe(seqOrder[299]?.id);
  });

  it('drops a re-published event with the same Nats-Msg-Id inside the duplicate window', async () => {
    const ns = await freshNamespace();
    const e = orgEvent();
    const a = await js.publish(subject(ns, e.type), JSON.stringify(e), { msgID: e.id });
    const b = await js.publish(subject(ns, e.type), JSON.stringify(e), { msgID: e.id });
    expect(a.duplicate).toBe(false);
    expect(b.duplicate).toBe(true);
    expect(b.seq).toBe(a.seq);
    expect((await jsm.streams.info(streamName(ns, 'registry'))).state.messages).toBe(1);
  });

  it('skips the handler for a redelivered event the inbox already holds', async () => {
    const ns = await freshNamespace();
    const { def, consumer } = consumerFor(ns, 'redelivery');
    await provisionConsumer(jsm, def);
    const e = orgEvent();
    // Different msg ids: as if re-published after the duplicate window had passed.
    await js.publish(subject(ns, e.type), JSON.stringify(e), { msgID: `${e.id}-a` });
    await js.publish(subject(ns, e.type), JSON.stringify(e), { msgID: `${e.id}-b` });
    consumer.start();
    await waitFor('both deliveries handled', () => {
      const s = consumer.stats();
      return s.applied + s.duplicates === 2;
    });
    await consumer.stop();
    expect(consumer.stats()).toMatchObject({ applied: 1, duplicates: 1 });
    const rows = await database.db.selectFrom('effects').selectAll().execute();
    expect(rows).toEqual([{ event_id: e.id, type: 'registry.org.created', applied_count: 1 }]);
  });

  it('dead-letters malformed, schema-violating, always-throwing and hanging events while good ones flow', async () => {
    const ns = await freshNamespace();
    const { def, consumer } = consumerFor(ns, 'poison', {
      handlerTimeoutMs: 300,
      handle: async (event, trx) => {
        if (event.type === 'registry.org.created' && event.data.name === 'boom')
          throw new Error('boom: cannot apply');
        if (event.type === 'registry.org.created' && event.data.name === 'hang')
          await new Promise(() => undefined);
        await recordEffect(event, trx);
      },
    });
    await provisionConsumer(jsm, def);
    const subj = subject(ns, 'registry.org.created');
    const good = Array.from({ length: 10 }, (_, i) => orgEvent({ name: `good ${i}` }));
    const boom = orgEvent({ name: 'boom' });
    const hang = orgEvent({ name: 'hang' });
    const invalid = { ...orgEvent(), data: { ...orgEvent().data, type: 'pirate' } };
    await js.publish(subj, '{"not json', { msgID: uuidv7() });
    await js.publish(subj, JSON.stringify(invalid), { msgID: invalid.id });
    await js.publish(subj, JSON.stringify(boom), { msgID: boom.id });
    await js.publish(subj, JSON.stringify(hang), { msgID: hang.id });
    for (const e of good) await js.publish(subj, JSON.stringify(e), { msgID: e.id });
    consumer.start();
    await waitFor('good events applied', async () => (await count('effects')) === 10);
    await waitFor(
      '4 dead letters',
      async () => (await jsm.streams.info(def.dlq.stream)).state.messages === 4,
    );
    await waitFor('consumer drained', async () => {
      const p = await pendingOf(def.stream, def.durable);
      if (process.env.EVENTS_TEST_LOG) console.log(p, consumer.stats());
      return p.pending === 0 && p.ackPending === 0;
    });
    await consumer.stop();

    const letters: Array<{ reason: string | undefined; count: string | undefined; body: DeadLetter }> = [];
    for (let seq = 1; seq <= 4; seq++) {
      const m = await jsm.streams.getMessage(def.dlq.stream, { seq });
      if (!m) throw new Error(`no dead letter at ${seq}`);
      expect(m.subject).toBe(def.dlq.subject);
      letters.push({
        reason: m.header.get(DLQ_HEADERS.reason),
        count: m.header.get(DLQ_HEADERS.deliveryCount),
        body: m.json<DeadLetter>(),
      });
    }
    const byId = (id: string) =>
      letters.find((l) => (l.body.event as { id?: string } | undefined)?.id === id);
    expect(letters.find((l) => l.body.raw === '{"not json')).toMatchObject({ reason: 'invalid', count: '1' });
    expect(byId(invalid.id)).toMatchObject({ reason: 'invalid', count: '1' });
    expect(byId(invalid.id)?.body.errors.join(' ')).toMatch(/data\/type/);
    expect(byId(boom.id)).toMatchObject({ reason: 'failed', count: '3' });
    expect(byId(boom.id)?.body.errors[0]).toMatch(/boom: cannot apply/);
    expect(byId(boom.id)?.body.originalSubject).toBe(subj);
    expect(byId(hang.id)).toMatchObject({ reason: 'failed', count: '3' });
    expect(byId(hang.id)?.body.errors[0]).toMatch(/timed out/);
    // Failed events left nothing behind: their transactions rolled back, inbox included.
    expect(await count('inbox')).toBe(10);
  });

  it('ignores a snapshot older than the version it holds', async () => {
    const ns = await freshNamespace();
    const id = uuidv7();
    const applied: boolean[] = [];
    const { def, consumer } = consumerFor(ns, 'snapshots', {
      handle: async (event, trx) => {
        if (event.type !== 'registry.org.created' && event.type !== 'registry.org.updated') return;
        applied.push(
          await applyIfNewer(trx, {
            table: 'org_snapshots',
            row: { id: event.aggregate.id, name: event.data.name, version: event.aggregate.version },
          }),
        );
      },
    });
    await provisionConsumer(jsm, def);
    const v2 = orgEvent({ id, version: 2, name: 'v2' });
    const v1 = orgEvent({ id, version: 1, name: 'v1' });
    const v3 = orgEvent({ id, version: 3, name: 'v3' });
    consumer.start();
    const subj = subject(ns, 'registry.org.created');
    await js.publish(subj, JSON.stringify(v2), { msgID: v2.id });
    await js.publish(subj, JSON.stringify(v1), { msgID: v1.id });
    await waitFor('two snapshots handled', () => applied.length === 2);
    expect(await database.db.selectFrom('org_snapshots').selectAll().execute()).toEqual([
      { id, name: 'v2', version: 2 },
    ]);
    await js.publish(subj, JSON.stringify(v3), { msgID: v3.id });
    await waitFor('third snapshot handled', () => applied.length === 3);
    await consumer.stop();
    expect(applied).toEqual([true, false, true]);
    expect(await database.db.selectFrom('org_snapshots').selectAll().execute()).toEqual([
      { id, name: 'v3', version: 3 },
    ]);
  });

  it('re-publishes rows after a crash between publish and mark, and they are applied once', async () => {
    const ns = await freshNamespace();
    let crashes = 1;
    const relay = createOutboxRelay({
      db: database.db,
      js,
      log,
      batchSize: 50,
      faultHook: (point) => {
        if (point === 'after-publish' && crashes-- > 0) throw new Error('simulated crash after publish');
      },
    });
    const events = Array.from({ length: 20 }, (_, i) => orgEvent({ name: `relay ${i}` }));
    await database.db.transaction().execute(async (trx) => {
      for (const e of events) await enqueueEvent(trx, e, subject(ns, e.type));
    });
    await expect(relay.tick()).rejects.toThrow(/simulated crash/);
    const stream = streamName(ns, 'registry');
    expect((await jsm.streams.info(stream)).state.messages).toBe(20); // published...
    const unmarked = await database.db
      .selectFrom('outbox')
      .select('id')
      .where('published_at', 'is', null)
      .execute();
    expect(unmarked).toHaveLength(20); // ...but not marked
    expect(await relay.tick()).toBe(20);
    expect(await relay.tick()).toBe(0);
    expect((await jsm.streams.info(stream)).state.messages).toBe(20); // the re-publish was deduplicated

    const { def, consumer } = consumerFor(ns, 'after-crash');
    await provisionConsumer(jsm, def);
    consumer.start();
    await waitFor('20 effects', async () => (await count('effects')) === 20);
    await consumer.stop();
    expect(
      await database.db.selectFrom('effects').select('event_id').where('applied_count', '>', 1).execute(),
    ).toEqual([]);
  });

  it('re-creates its consume loop when the consumer is deleted and provisioned again, replay absorbed by the inbox', async () => {
    const ns = await freshNamespace();
    const { def, consumer } = consumerFor(ns, 'recreate');
    await provisionConsumer(jsm, def);
    consumer.start();
    const subj = subject(ns, 'registry.org.created');
    const e1 = orgEvent({ name: 'before' });
    await js.publish(subj, JSON.stringify(e1), { msgID: e1.id });
    await waitFor('first event applied', async () => (await count('effects')) === 1);
    await jsm.consumers.delete(def.stream, def.durable);
    await new Promise((r) => setTimeout(r, 500));
    await provisionConsumer(jsm, def); // a fresh consumer replays the stream from the start
    const e2 = orgEvent({ name: 'after' });
    await js.publish(subj, JSON.stringify(e2), { msgID: e2.id });
    await waitFor('second event applied', async () => (await count('effects')) === 2, 25_000);
    await waitFor('replayed first event skipped', () => consumer.stats().duplicates === 1);
    await consumer.stop();
    expect(consumer.stats().loops).toBeGreaterThanOrEqual(2);
    expect(
      await database.db.selectFrom('effects').select('event_id').where('applied_count', '>', 1).execute(),
    ).toEqual([]);
  });
});
