/**
 * Acceptance (issue 4): "Killing the matching service while registry events flow loses nothing: after restart
 * its read model equals a fresh replay."
 *
 * The real service (dist/main.js; build it first with `npx tsc -p tsconfig.build.json`) runs as a child process
 * against the shared servers in this file's own database, event namespace, Redis prefix and queue names. A
 * stream of registry events (organisations, supplier profiles and edits, certificates added, verified and
 * revoked, mandates granted and ended, member events, stale snapshots) is published while the test SIGKILLs the
 * service several times — each time while it is applying events and holds unacked messages — and restarts it.
 * Once the service has caught up, the replay CLI (dist/replay.js) rebuilds the read model from the stream into a
 * second, empty database, and the two are compared table by table, row by row.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamName, subject } from '@vinculo/contracts';
import { createDatabase, type Database } from '@vinculo/service-kit/db';
import {
  connectNats,
  defineStreams,
  jetstream,
  jetstreamManager,
  provisionStreams,
  silentLogger,
} from '@vinculo/service-kit/events';
import { createTestDatabase, isolation, sharedUrls, type TestDatabase } from '@vinculo/testing';
import { freePort } from '@vinculo/testing/servers';
import type { MatchingDb } from '../src/db/schema.js';
import { REGISTRY_CONSUMER } from '../src/events/registry.consumer.js';
import { migrationsDir } from './harness.js';
import { dumpReadModel } from './read-model-compare.js';
import { registryStream } from './registry-stream.js';

const SUPPLIERS = 40;
const KILLS = 3;
const PUBLISH_EVERY_MS = 10;
const ACK_WAIT_MS = 2_000;
const BUDGET_MS = 55_000;

const serviceDir = fileURLToPath(new URL('..', import.meta.url));
const mainJs = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const replayJs = fileURLToPath(new URL('../dist/replay.js', import.meta.url));
const iso = isolation();
const ns = iso.namespace;
const verbose = Boolean(process.env.MATCHING_TEST_LOG);

type Nats = Awaited<ReturnType<typeof connectNats>>;

let live: TestDatabase | undefined;
let liveDb: Database<MatchingDb> | undefined;
let fresh: TestDatabase | undefined;
let freshDb: Database<MatchingDb> | undefined;
let nc: Nats | undefined;
let port = 0;
const children: Child[] = [];

interface Child {
  proc: ChildProcess;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
}

function spawnNode(script: string, env: Record<string, string>): Child {
  const proc = spawn(process.execPath, [script], {
    cwd: serviceDir,
    env: {
      ...process.env,
      NATS_URL: sharedUrls.nats(),
      REDIS_URL: sharedUrls.redis(),
      EVENT_NAMESPACE: ns,
      REDIS_PREFIX: iso.redisPrefix,
      JOB_QUEUE_SUFFIX: ns,
      LOG_LEVEL: verbose ? 'info' : 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer): void => {
    const text = chunk.toString('utf8');
    if (verbose) process.stderr.write(`[${proc.pid}] ${text}`);
    lines.push(...text.split('\n').filter(Boolean));
    if (lines.length > 400) lines.splice(0, lines.length - 400);
  };
  proc.stdout?.on('data', collect);
  proc.stderr?.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const child: Child = {
    proc,
    lines,
    exited,
    alive: () => proc.exitCode === null && proc.signalCode === null,
  };
  children.push(child);
  return child;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (err) {
      last = err;
    }
    await sleep(50);
  }
  throw new Error(
    `timed out waiting for ${what}${last instanceof Error ? ` (last error: ${last.message})` : ''}`,
  );
}

function startService(): Child {
  return spawnNode(mainJs, {
    DATABASE_URL: live?.url ?? '',
    PORT: String(port),
    HOST: '127.0.0.1',
    JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json', // no tokens in this test
    REGISTRY_ACK_WAIT_MS: String(ACK_WAIT_MS),
    SHUTDOWN_TIMEOUT_MS: '8000',
  });
}

async function untilHealthy(child: Child): Promise<void> {
  await waitFor(
    'the service to answer /health',
    async () => {
      if (!child.alive()) throw new Error(`service exited:\n${child.lines.join('\n')}`);
      const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1_000) });
      return res.status === 200;
    },
    20_000,
  );
}

const applied = async (): Promise<number> => {
  if (!liveDb) return 0;
  const r = await liveDb.db
    .selectFrom('inbox')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('consumer', '=', REGISTRY_CONSUMER)
    .executeTakeFirstOrThrow();
  return Number(r.n);
};

beforeAll(async () => {
  [live, fresh] = await Promise.all([
    createTestDatabase({ label: 'matching', migrations: [{ schema: 'matching', dir: migrationsDir }] }),
    createTestDatabase({ label: 'matching', migrations: [{ schema: 'matching', dir: migrationsDir }] }),
  ]);
  liveDb = createDatabase<MatchingDb>({ url: live.url, schema: 'matching', max: 2 });
  freshDb = createDatabase<MatchingDb>({ url: fresh.url, schema: 'matching', max: 2 });
  nc = await connectNats({ url: sharedUrls.nats(), name: `matching-durability-${ns}`, log: silentLogger });
  await provisionStreams(await jetstreamManager(nc), defineStreams(ns, ['registry', 'matching']));
  port = await freePort();
});

afterAll(async () => {
  for (const c of children) if (c.alive()) c.proc.kill('SIGKILL');
  await Promise.all(children.map((c) => c.exited));
  if (nc) {
    const jsm = await jetstreamManager(nc);
    for (const s of defineStreams(ns, ['registry', 'matching']))
      await jsm.streams.delete(s.name).catch(() => undefined);
    await nc.drain().catch(() => undefined);
  }
  const redis = new Redis(sharedUrls.redis(), { maxRetriesPerRequest: 1 });
  const keys = await redis.keys(`${iso.redisPrefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  await liveDb?.close();
  await freshDb?.close();
  await live?.drop();
  await fresh?.drop();
});

describe('matching killed while registry events flow', () => {
  it(
    `loses nothing over ${KILLS} SIGKILLs: after restart its read model equals a fresh replay`,
    async () => {
      const started = Date.now();
      if (!nc || !liveDb || !freshDb) throw new Error('setup failed');
      const js = jetstream(nc);
      const jsm = await jetstreamManager(nc);
      const events = registryStream(SUPPLIERS);

      const phases: Record<string, number> = {};
      let mark = Date.now();
      const phase = (name: string): void => {
        phases[name] = Date.now() - mark;
        mark = Date.now();
      };
      let service = startService();
      await untilHealthy(service);
      phase('boot');

      // The stream flows in KILLS + 1 stretches; stretch k + 1 starts once kill k is done, so every kill lands
      // while events are flowing, and events keep arriving while the service is down.
      const stretch = Math.ceil(events.length / (KILLS + 1));
      let published = 0;
      let killsDone = 0;
      const publisher = (async () => {
        for (const [i, e] of events.entries()) {
          while (Math.floor(i / stretch) > killsDone) await sleep(20);
          await js.publish(subject(ns, e.type), JSON.stringify(e), { msgID: e.id });
          published++;
          await sleep(PUBLISH_EVERY_MS);
        }
      })();

      const kills: { pid: number | undefined; applied: number; published: number; ackPending: number }[] = [];
      for (let k = 0; k < KILLS; k++) {
        const floor = await applied();
        await sleep(200 + Math.floor(Math.random() * 400));
        // Mid-stream: this process has applied events, and published ones are still to be applied.
        let at = { applied: 0, published: 0 };
        await waitFor(
          `service ${service.proc.pid} busy before kill ${k + 1}`,
          async () => {
            at = { applied: await applied(), published };
            return at.applied > floor && at.applied < at.published;
          },
          15_000,
        );
        const ackPending = (await jsm.consumers.info(streamName(ns, 'registry'), REGISTRY_CONSUMER))
          .num_ack_pending;
        if (!service.alive()) throw new Error(`service died on its own:\n${service.lines.join('\n')}`);
        service.proc.kill('SIGKILL');
        expect((await service.exited).signal).toBe('SIGKILL');
        killsDone++;
        kills.push({ pid: service.proc.pid, ...at, ackPending });
        phase(`kill${k + 1}`);
        service = startService();
        await untilHealthy(service);
        phase(`restart${k + 1}`);
      }
      await publisher;
      phase('publishing');
      expect(published).toBe(events.length);

      // Caught up: every event applied once, nothing pending or unacked on the durable consumer.
      await waitFor(
        'the service to catch up',
        async () => {
          const info = await jsm.consumers.info(streamName(ns, 'registry'), REGISTRY_CONSUMER);
          return info.num_pending === 0 && info.num_ack_pending === 0 && (await applied()) === events.length;
        },
        20_000,
      );
      phase('catchUp');

      // A fresh replay of the same stream into an empty database, by the CLI the lead's script runs.
      const replay = spawnNode(replayJs, { DATABASE_URL: fresh?.url ?? '' });
      const exit = await replay.exited;
      expect(exit, replay.lines.join('\n')).toEqual({ code: 0, signal: null });
      const counts = JSON.parse(replay.lines.filter((l) => l.startsWith('{"lastSeq"')).at(-1) ?? '{}') as {
        applied?: number;
        invalid?: number;
      };
      expect(counts).toMatchObject({ applied: events.length, invalid: 0 });
      phase('replay');

      const afterKills = await dumpReadModel(liveDb.db);
      const replayed = await dumpReadModel(freshDb.db);
      expect(afterKills.suppliers).toHaveLength(SUPPLIERS);
      expect(afterKills.inbox).toHaveLength(events.length);
      expect(afterKills.eventsApplied).toBe(events.length);
      expect(afterKills.organizations).toEqual(replayed.organizations);
      expect(afterKills.suppliers).toEqual(replayed.suppliers);
      expect(afterKills.certificates).toEqual(replayed.certificates);
      expect(afterKills.mandates).toEqual(replayed.mandates);
      expect(afterKills).toEqual(replayed);

      expect(kills).toHaveLength(KILLS);
      for (const k of kills) expect(k.applied).toBeLessThan(k.published);

      // And it still stops cleanly.
      service.proc.kill('SIGTERM');
      expect(await service.exited).toEqual({ code: 0, signal: null });
      console.log(
        `durability: ${JSON.stringify({ events: events.length, kills, phases, ms: Date.now() - started })}`,
      );
      expect(Date.now() - started).toBeLessThan(BUDGET_MS);
    },
    BUDGET_MS + 5_000,
  );
});
