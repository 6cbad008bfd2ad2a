/**
 * Outbox and inbox proven with real processes (RELIABILITY.md "Relay killed between publish and mark",
 * "Consumer killed mid-stream", "Poison messages"). 500 events go outbox → relay child → JetStream → consumer
 * child → `crash_effects`, while:
 *   - the relay child SIGKILLs itself from its fault hook after a batch is published and before it is marked
 *     (a planned number of times; the test restarts it every time it dies);
 *   - the test SIGKILLs the consumer child at random moments while it holds unacked messages (and restarts
 *     it), and once SIGSTOPs it for longer than the ack wait, then SIGCONTs it;
 *   - 3 poison messages (malformed JSON, schema-violating data, an envelope without id) are published straight
 *     to the stream subject.
 * Pass: every event applied exactly once (outbox = distinct inbox ids = effect rows, no duplicate effect), the
 * stream holds each event once (re-publishes deduplicated), consumer drained, redeliveries happened, and the
 * poison is in the DLQ with reason 'invalid'.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { streamName, subject, type EventOf } from '@vinculo/contracts';
import { createTestDatabase, isolation, sharedUrls, type TestDatabase } from '@vinculo/testing';
import type { RawBuilder } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, sql, type Database } from '../src/db/index.js';
import {
  buildEvent,
  connectNats,
  defineConsumer,
  defineStreams,
  DLQ_HEADERS,
  enqueueEvent,
  provisionConsumer,
  provisionStreams,
  type DeadLetter,
  type EventsLogger,
  type EventTables,
} from '../src/events/index.js';

interface CrashDB extends EventTables {
  crash_effects: { event_id: string; type: string; pid: number; delivery_count: number };
}

const EVENTS = 500;
const TX_SIZE = 50;
const RELAY_BATCH = 10;
/** Relay lives that end in a self-SIGKILL after publish; each dies on its 1st–5th batch (≤ 200 rows marked). */
const RELAY_KILLS = 6;
const CONSUMER_KILLS = 5;
const STOP_AT_KILL = 2; // the SIGSTOP/SIGCONT happens before this kill
const ACK_WAIT_MS = 2_000;
const STOP_MS = 3_000; // > ack wait: the server redelivers what the frozen consumer holds
const RUN_BUDGET_MS = 70_000;

const SCHEMA = 'evcrash';
const migrationsDir = fileURLToPath(new URL('./fixtures/events/migrations', import.meta.url));
const relayScript = fileURLToPath(new URL('./fixtures/events/relay-child.mjs', import.meta.url));
const consumerScript = fileURLToPath(new URL('./fixtures/events/consumer-child.mjs', import.meta.url));
const iso = isolation();
const ns = iso.namespace;
const verbose = Boolean(process.env.EVENTS_TEST_LOG);
const log: EventsLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: verbose ? console.warn : () => undefined,
  error: verbose ? console.error : () => undefined,
};

let tdb: TestDatabase | undefined;
let database: Database<CrashDB> | undefined;
let nc: NatsConnection | undefined;
let js: JetStreamClient;
let jsm: JetStreamManager;
const streamsMade: string[] = [];

// ---- child processes ---------------------------------------------------------------------------------------

interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  stdout: string[];
  stderrTail: string[];
  /** Set when the test itself sent a terminating signal. */
  killedByTest: boolean;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  waitLine(re: RegExp, timeoutMs?: number): Promise<void>;
}

const children: Child[] = [];

function spawnChild(name: string, script: string, extraEnv: Record<string, string>): Child {
  const proc = spawn(process.execPath, [script], {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    env: {
      ...process.env,
      DB_URL: tdb?.url ?? '',
      DB_SCHEMA: SCHEMA,
      NATS_URL: sharedUrls.nats(),
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (proc.pid === undefined) throw new Error(`${name}: spawn failed`);
  const stdout: string[] = [];
  const stderrTail: string[] = [];
  const lineWaiters: Array<() => void> = [];
  let outBuf = '';
  proc.stdout?.on('data', (chunk: Buffer) => {
    outBuf += chunk.toString('utf8');
    const parts = outBuf.split('\n');
    outBuf = parts.pop() ?? '';
    stdout.push(...parts);
    for (const w of lineWaiters.splice(0)) w();
  });
  proc.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    if (verbose) process.stderr.write(`[${name} ${proc.pid}] ${text}`);
    stderrTail.push(text);
    if (stderrTail.length > 40) stderrTail.shift();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.once('exit', (code, signal) => {
      for (const w of lineWaiters.splice(0)) w();
      resolve({ code, signal });
    });
  });
  const child: Child = {
    name,
    proc,
    pid: proc.pid,
    stdout,
    stderrTail,
    killedByTest: false,
    exited,
    alive: () => proc.exitCode === null && proc.signalCode === null,
    async waitLine(re, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!stdout.some((l) => re.test(l))) {
        if (!child.alive()) throw new Error(`${name} exited before printing ${re}: ${stderrTail.join('')}`);
        if (Date.now() > deadline)
          throw new Error(`${name} did not print ${re} in time: ${stderrTail.join('')}`);
        await new Promise<void>((resolve) => {
          lineWaiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
  };
  children.push(child);
  return child;
}

function signal(child: Child, sig: NodeJS.Signals): void {
  if (sig === 'SIGKILL' || sig === 'SIGTERM') child.killedByTest = true;
  if (child.alive()) child.proc.kill(sig);
}

/** SIGTERM, then SIGKILL if it has not exited within the grace period. */
async function stopChild(
  child: Child,
  graceMs = 10_000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  signal(child, 'SIGCONT');
  signal(child, 'SIGTERM');
  const timer = setTimeout(() => signal(child, 'SIGKILL'), graceMs);
  try {
    return await child.exited;
  } finally {
    clearTimeout(timer);
  }
}

// ---- helpers -----------------------------------------------------------------------------------------------

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const randomBetween = (lo: number, hi: number): number => lo + Math.floor(Math.random() * (hi - lo + 1));
const runDeadline = { at: 0 };

async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Math.min(Date.now() + timeoutMs, runDeadline.at || Infinity);
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function db() {
  if (!database) throw new Error('no database');
  return database.db;
}

async function scalar(query: RawBuilder<{ n: number }>): Promise<number> {
  const r = await query.execute(db());
  return Number(r.rows[0]?.n ?? 0);
}

const unpublished = () =>
  scalar(sql<{ n: number }>`select count(*)::int as n from outbox where published_at is null`);
const marked = () =>
  scalar(sql<{ n: number }>`select count(*)::int as n from outbox where published_at is not null`);
const effectRows = () => scalar(sql<{ n: number }>`select count(*)::int as n from crash_effects`);
const effectRowsOf = (pid: number) =>
  scalar(sql<{ n: number }>`select count(*)::int as n from crash_effects where pid = ${pid}`);

function orgUpdated(i: number): EventOf<'registry.org.updated'> {
  const id = uuidv7();
  const now = new Date().toISOString();
  return buildEvent({
    type: 'registry.org.updated',
    source: 'registry',
    aggregate: { type: 'org', id, version: 2 },
    data: { id, name: `Crash Org ${i}`, type: 'supplier', country: 'MX', createdAt: now, updatedAt: now },
    correlationId: `crash-${ns}`,
  });
}

// ---- setup / teardown --------------------------------------------------------------------------------------

beforeAll(async () => {
  tdb = await createTestDatabase({ label: 'evcrash', migrations: [{ schema: SCHEMA, dir: migrationsDir }] });
  database = createDatabase<CrashDB>({ url: tdb.url, schema: SCHEMA, onError: () => undefined });
  // The fixture's `effects` has event_id as primary key; this one deliberately has no unique key, so a second
  // apply of an event would be visible as a second row instead of being refused.
  await sql`create table crash_effects (
    event_id uuid not null,
    type text not null,
    pid integer not null,
    delivery_count integer not null,
    applied_at timestamptz not null default now()
  )`.execute(db());
  nc = await connectNats({
    url: sharedUrls.nats(),
    name: `events-crash-test-${ns}`,
    log,
    waitOnFirstConnect: false,
  });
  jsm = await jetstreamManager(nc);
  js = jetstream(nc);
});

afterAll(async () => {
  for (const c of children) {
    if (!c.alive()) continue;
    signal(c, 'SIGCONT');
    signal(c, 'SIGKILL');
  }
  await Promise.all(children.map((c) => c.exited));
  if (jsm) for (const name of streamsMade) await jsm.streams.delete(name).catch(() => undefined);
  await nc?.drain().catch(() => undefined);
  await database?.close();
  await tdb?.drop();
});

// ---- the test ----------------------------------------------------------------------------------------------

describe('events: outbox and inbox under crashing processes', () => {
  it(`applies ${EVENTS} events exactly once while the relay dies after publish and the consumer is killed mid-batch`, async () => {
    const started = Date.now();
    runDeadline.at = started + RUN_BUDGET_MS;

    const streamDefs = defineStreams(ns, ['registry']);
    await provisionStreams(jsm, streamDefs);
    streamsMade.push(...streamDefs.map((d) => d.name));
    const def = defineConsumer(ns, 'registry', 'crash-consumer', {
      ackWaitMs: ACK_WAIT_MS,
      maxDeliver: 5,
      backoffMs: [100, 200],
    });
    await provisionConsumer(jsm, def);
    const stream = streamName(ns, 'registry');
    const eventSubject = subject(ns, 'registry.org.updated');

    // 500 outbox rows in 10 transactions, as 10 use cases would write them.
    const ids: string[] = [];
    for (let t = 0; t < EVENTS / TX_SIZE; t++) {
      await db()
        .transaction()
        .execute(async (trx) => {
          for (let i = 0; i < TX_SIZE; i++) {
            const e = orgUpdated(t * TX_SIZE + i);
            ids.push(e.id);
            await enqueueEvent(trx, e, eventSubject);
          }
        });
    }

    // Poison, published straight to the stream subject (one before the relay starts, two between relay lives).
    const schemaViolating = { ...orgUpdated(-1), data: { ...orgUpdated(-1).data, type: 'pirate' } };
    const { id: _dropped, ...noId } = orgUpdated(-2);
    const poison: Array<{ label: string; body: string }> = [
      { label: 'malformed', body: '{"id": "not json' },
      { label: 'schema', body: JSON.stringify(schemaViolating) },
      { label: 'no-id', body: JSON.stringify(noId) },
    ];
    let poisonSent = 0;
    const sendPoison = async (): Promise<void> => {
      const p = poison[poisonSent];
      if (!p) return;
      await js.publish(eventSubject, p.body, { msgID: `poison-${ns}-${p.label}` });
      poisonSent++;
    };
    await sendPoison();

    // ---- relay supervisor: restart on every death until the outbox is drained -------------------------------
    const relayKills: Array<{ life: number; killAfter: number; publishedNotMarked: number }> = [];
    let relayLives = 0;
    let relayChild: Child | undefined;
    const superviseRelay = async (): Promise<void> => {
      for (;;) {
        const killAfter = relayLives < RELAY_KILLS ? randomBetween(1, 5) : 0;
        const child = spawnChild('relay', relayScript, {
          RELAY_BATCH_SIZE: String(RELAY_BATCH),
          RELAY_KILL_AFTER_BATCHES: String(killAfter),
        });
        relayChild = child;
        relayLives++;
        for (;;) {
          if (!child.alive()) break;
          if ((await unpublished()) === 0) return; // drained: leave this life running, it is stopped later
          if (Date.now() > runDeadline.at) throw new Error('relay supervisor: out of time');
          await sleep(100);
        }
        const exit = await child.exited;
        if (exit.signal !== 'SIGKILL' || child.killedByTest) {
          throw new Error(
            `relay exited unexpectedly (${JSON.stringify(exit)}): ${child.stderrTail.join('')}`,
          );
        }
        expect(child.stdout.some((l) => l.startsWith('fault-kill after-publish'))).toBe(true);
        // Died between publish and mark: the stream holds more events than the outbox has marked.
        const inStream = (await jsm.streams.info(stream)).state.messages - poisonSent;
        relayKills.push({ life: relayLives, killAfter, publishedNotMarked: inStream - (await marked()) });
        await sendPoison();
      }
    };

    // ---- consumer chaos: SIGKILL at random moments while it holds unacked messages, one SIGSTOP/SIGCONT ------
    let consumerChild: Child | undefined;
    const consumerEnv = {
      CONSUMER_DEF: JSON.stringify(def),
      HANDLER_SLEEP_MS: '25',
      CONSUMER_BATCH: '20',
      CONSUMER_EXPIRES_MS: '4000',
      HANDLER_TIMEOUT_MS: '1500',
    };
    const startConsumer = async (): Promise<Child> => {
      const c = spawnChild('consumer', consumerScript, consumerEnv);
      consumerChild = c;
      await c.waitLine(/^ready$/);
      return c;
    };
    let consumerKills = 0;
    let consumerStops = 0;
    const chaosConsumer = async (): Promise<void> => {
      let c = await startConsumer();
      for (let k = 0; k < CONSUMER_KILLS; k++) {
        await sleep(randomBetween(200, 700));
        // Mid-batch: this process has applied something and the server counts messages out without an ack.
        const busy = async (): Promise<boolean> => {
          if ((await effectRowsOf(c.pid)) === 0) return false;
          return (await jsm.consumers.info(def.stream, def.durable)).num_ack_pending > 0;
        };
        await waitFor(`consumer ${c.pid} busy before kill ${k + 1}`, busy, 20_000);
        if (k === STOP_AT_KILL) {
          signal(c, 'SIGSTOP');
          consumerStops++;
          await sleep(STOP_MS);
          signal(c, 'SIGCONT');
          await sleep(randomBetween(200, 600));
          await waitFor(`consumer ${c.pid} busy after SIGCONT`, busy, 20_000);
        }
        if (!c.alive()) throw new Error(`consumer died on its own: ${c.stderrTail.join('')}`);
        signal(c, 'SIGKILL');
        await c.exited;
        consumerKills++;
        c = await startConsumer();
      }
    };

    await Promise.all([superviseRelay(), chaosConsumer()]);

    // ---- drain ----------------------------------------------------------------------------------------------
    await waitFor('outbox drained', async () => (await unpublished()) === 0);
    await waitFor(`${EVENTS} effect rows`, async () => (await effectRows()) >= EVENTS, 40_000);
    await waitFor('3 dead letters', async () => (await jsm.streams.info(def.dlq.stream)).state.messages >= 3);
    await waitFor('consumer drained', async () => {
      const info = await jsm.consumers.info(def.stream, def.durable);
      return info.num_pending === 0 && info.num_ack_pending === 0;
    });
    const consumerInfo = await jsm.consumers.info(def.stream, def.durable);
    const streamInfo = await jsm.streams.info(stream);

    // Stop both gracefully (they must exit 0 on SIGTERM).
    const relayExit = relayChild ? await stopChild(relayChild) : undefined;
    const consumerExit = consumerChild ? await stopChild(consumerChild) : undefined;
    expect(relayExit).toEqual({ code: 0, signal: null });
    expect(consumerExit).toEqual({ code: 0, signal: null });

    // ---- the verdict ----------------------------------------------------------------------------------------
    const outboxCount = await scalar(sql<{ n: number }>`select count(*)::int as n from outbox`);
    const inboxDistinct = await scalar(
      sql<{
        n: number;
      }>`select count(distinct event_id)::int as n from inbox where consumer = ${def.durable}`,
    );
    const effects = await effectRows();
    const duplicates = await sql<{ event_id: string; n: number }>`
      select event_id, count(*)::int as n from crash_effects group by event_id having count(*) > 1`.execute(
      db(),
    );
    const effectsMatchingOutbox = await scalar(
      sql<{ n: number }>`select count(*)::int as n from crash_effects e join outbox o on o.id = e.event_id`,
    );
    const appliedOnRedelivery = await scalar(
      sql<{ n: number }>`select count(*)::int as n from crash_effects where delivery_count > 1`,
    );
    const redeliveryLines = children
      .filter((c) => c.name === 'consumer')
      .reduce((n, c) => n + c.stdout.filter((l) => l.startsWith('redelivery ')).length, 0);
    // Every delivery, redeliveries included, takes a consumer sequence number.
    const serverRedeliveries = consumerInfo.delivered.consumer_seq - consumerInfo.delivered.stream_seq;

    const summary = {
      events: EVENTS,
      relayLives,
      relayKills,
      consumerKills,
      consumerStops,
      consumerProcesses: children.filter((c) => c.name === 'consumer').length,
      serverRedeliveries,
      redeliveryLines,
      appliedOnRedelivery,
      streamMessages: streamInfo.state.messages,
      ms: Date.now() - started,
    };
    console.log(`events-crash: ${JSON.stringify(summary)}`);

    expect(outboxCount).toBe(EVENTS);
    expect(inboxDistinct).toBe(EVENTS);
    expect(effects).toBe(EVENTS);
    expect(effectsMatchingOutbox).toBe(EVENTS);
    expect(duplicates.rows).toEqual([]);
    expect(consumerInfo.num_pending).toBe(0);
    expect(consumerInfo.num_ack_pending).toBe(0);

    expect(relayKills.length).toBe(RELAY_KILLS);
    for (const k of relayKills) expect(k.publishedNotMarked).toBeGreaterThan(0);
    expect(streamInfo.state.messages).toBe(EVENTS + poison.length); // re-publishes dropped by Nats-Msg-Id

    expect(consumerKills).toBe(CONSUMER_KILLS);
    expect(consumerStops).toBe(1);
    expect(serverRedeliveries).toBeGreaterThan(0);
    expect(redeliveryLines).toBeGreaterThan(0);
    expect(appliedOnRedelivery).toBeGreaterThan(0);

    const dlqInfo = await jsm.streams.info(def.dlq.stream);
    expect(dlqInfo.state.messages).toBe(poison.length);
    const letters: Array<{ reason: string | undefined; body: DeadLetter }> = [];
    for (let seq = 1; seq <= poison.length; seq++) {
      const m = await jsm.streams.getMessage(def.dlq.stream, { seq });
      if (!m) throw new Error(`no dead letter at ${seq}`);
      letters.push({ reason: m.header.get(DLQ_HEADERS.reason), body: m.json<DeadLetter>() });
    }
    expect(letters.map((l) => l.reason)).toEqual(['invalid', 'invalid', 'invalid']);
    expect(letters.map((l) => l.body.reason)).toEqual(['invalid', 'invalid', 'invalid']);
    expect(letters.some((l) => l.body.raw === poison[0]?.body)).toBe(true);
    expect(
      letters.some((l) => (l.body.event as { id?: string } | undefined)?.id === schemaViolating.id),
    ).toBe(true);
    expect(letters.filter((l) => l.body.errors.length > 0)).toHaveLength(3);
    for (const l of letters) expect(l.body.originalSubject).toBe(eventSubject);
    expect(Date.now() - started).toBeLessThan(RUN_BUDGET_MS);
  }, 85_000);
});
