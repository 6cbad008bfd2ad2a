/**
 * `dist/replicas.js` (build first: `npx tsc -p tsconfig.build.json`): MATCHING_REPLICAS copies of the service on
 * one port. A replica that dies is replaced, the port keeps answering, and SIGTERM stops them all. Runs the real
 * service against the shared servers in this file's own database, namespace, Redis prefix and queue names.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectNats,
  defineStreams,
  jetstreamManager,
  provisionStreams,
  silentLogger,
} from '@vinculo/service-kit/events';
import { createTestDatabase, isolation, sharedUrls, type TestDatabase } from '@vinculo/testing';
import { freePort } from '@vinculo/testing/servers';
import { migrationsDir } from './harness.js';

const serviceDir = fileURLToPath(new URL('..', import.meta.url));
const replicasJs = fileURLToPath(new URL('../dist/replicas.js', import.meta.url));
const iso = isolation();
const ns = iso.namespace;

let db: TestDatabase | undefined;
let port = 0;
let primary: ReturnType<typeof spawn> | undefined;
const output: string[] = [];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}; output:\n${output.join('')}`);
}

/** Pids of the live processes whose parent is `ppid` (Linux /proc). */
function childrenOf(ppid: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name is in parentheses and may hold spaces: fields resume after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === ppid && fields[0] !== 'Z') out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

const healthy = async (): Promise<boolean> => {
  const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1_000) }).catch(
    () => undefined,
  );
  return res?.status === 200;
};

beforeAll(async () => {
  db = await createTestDatabase({
    label: 'matching',
    migrations: [{ schema: 'matching', dir: migrationsDir }],
  });
  const nc = await connectNats({
    url: sharedUrls.nats(),
    name: `matching-replicas-${ns}`,
    log: silentLogger,
  });
  await provisionStreams(await jetstreamManager(nc), defineStreams(ns, ['registry', 'matching']));
  await nc.drain();
  port = await freePort();
});

afterAll(async () => {
  if (primary && primary.exitCode === null && primary.signalCode === null) {
    for (const pid of childrenOf(primary.pid ?? -1)) process.kill(pid, 'SIGKILL');
    primary.kill('SIGKILL');
  }
  const nc = await connectNats({
    url: sharedUrls.nats(),
    name: `matching-replicas-${ns}-end`,
    log: silentLogger,
  });
  const jsm = await jetstreamManager(nc);
  for (const s of defineStreams(ns, ['registry', 'matching']))
    await jsm.streams.delete(s.name).catch(() => undefined);
  await nc.drain();
  const redis = new Redis(sharedUrls.redis(), { maxRetriesPerRequest: 1 });
  const keys = await redis.keys(`${iso.redisPrefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  await db?.drop();
});

describe('dist/replicas.js', () => {
  it('runs the replicas on one port, replaces one that dies, and stops them all on SIGTERM', async () => {
    primary = spawn(process.execPath, [replicasJs], {
      cwd: serviceDir,
      env: {
        ...process.env,
        MATCHING_REPLICAS: '2',
        DATABASE_URL: db?.url ?? '',
        NATS_URL: sharedUrls.nats(),
        REDIS_URL: sharedUrls.redis(),
        EVENT_NAMESPACE: ns,
        REDIS_PREFIX: iso.redisPrefix,
        JOB_QUEUE_SUFFIX: ns,
        PORT: String(port),
        HOST: '127.0.0.1',
        JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json', // no tokens in this test
        LOG_LEVEL: 'warn',
        SHUTDOWN_TIMEOUT_MS: '8000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => primary?.once('exit', (code) => resolve(code)));
    primary.stdout?.on('data', (c: Buffer) => output.push(c.toString('utf8')));
    primary.stderr?.on('data', (c: Buffer) => output.push(c.toString('utf8')));
    const pid = primary.pid ?? -1;

    await until('both replicas', () => output.join('').includes('all 2 replicas listening'));
    const first = childrenOf(pid);
    expect(first).toHaveLength(2);
    expect(await healthy()).toBe(true);

    const [victim] = first as [number];
    process.kill(victim, 'SIGKILL');
    await until('a replacement replica', () => {
      const now = childrenOf(pid);
      return (
        now.length === 2 && !now.includes(victim) && output.join('').split('listening (2 of 2)').length > 2
      );
    });
    expect(output.join('')).toMatch(new RegExp(`replica ${victim} exited \\(SIGKILL\\)`));
    await until('the port to answer', healthy);

    const replicas = childrenOf(pid);
    primary.kill('SIGTERM');
    expect(await exited).toBe(0);
    await until('every replica to stop', () => replicas.every((p) => !fs.existsSync(`/proc/${p}`)));
  }, 90_000);
});
