/**
 * Restarting NATS, Redis and PostgreSQL under a running registry (RELIABILITY.md, "restarted under load").
 *
 * The real service (dist/main.js, run `npm run build` first) runs as a child process against private
 * PostgreSQL, Redis and NATS instances this file starts, so they can be stopped and killed freely without
 * touching the shared servers. For each dependency in turn it proves: the process never exits; /ready turns
 * 503 naming that dependency `down`, then 200 again by itself (the test never touches the service); requests
 * that need the missing dependency answer 503 problem+json promptly (never a hang, never a 500); and the
 * service works again afterwards (login; events reach JetStream).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, jetstreamManager, silentLogger } from '@vinculo/service-kit/events';
import { freePort, startNats, startPostgres, startRedis, type PrivateServer } from '@vinculo/testing/servers';
import { http, spawnRegistry, waitFor, type HttpAnswer, type RegistryProcess } from './fault-helpers.js';

const TEST_TIMEOUT_MS = 120_000;
const DOWN_WITHIN_MS = 15_000;
const UP_WITHIN_MS = 30_000;
const EVENTS_WITHIN_MS = 10_000;
const PASSWORD = 'una contraseña larga 123';

type ReadyBody = { status: string; checks: Record<string, 'up' | 'down'> };

let pg: PrivateServer | undefined;
let redis: PrivateServer | undefined;
let nats: PrivateServer | undefined;
let reg: RegistryProcess | undefined;
let dataDir: string | undefined;
let exits: string[] = [];
let account: { email: string; password: string } | undefined;
let counter = 0;

function service(): RegistryProcess {
  if (!reg) throw new Error('registry not started');
  return reg;
}

/** Fails (with the service's last output) if the registry process has exited at any point. */
function expectAlive(): void {
  const r = service();
  if (exits.length > 0 || !r.alive()) {
    throw new Error(`registry process exited (${exits.join(', ')}):\n${r.output()}`);
  }
  expect(r.child.exitCode).toBeNull();
}

const ready = (): Promise<HttpAnswer> => http(service().baseUrl, 'GET', '/ready', undefined, 5_000);

function waitReady(status: 200 | 503, timeoutMs: number): Promise<HttpAnswer> {
  return waitFor(
    `/ready ${status}`,
    async () => {
      expectAlive();
      const r = await ready();
      return r.status === status ? r : undefined;
    },
    timeoutMs,
  );
}

const login = (): Promise<HttpAnswer> => {
  if (!account) throw new Error('no account');
  return http(service().baseUrl, 'POST', '/auth/login', account, 10_000);
};

async function signup(): Promise<HttpAnswer> {
  counter += 1;
  const email = `faults${counter}-${Date.now()}@example.mx`;
  const res = await http(service().baseUrl, 'POST', '/auth/signup', {
    email,
    password: PASSWORD,
    name: `Persona ${counter}`,
    organization: { name: `Empresa ${counter} SA de CV`, type: 'supplier' },
  });
  if (res.status === 201) account ??= { email, password: PASSWORD };
  return res;
}

/** A 503 problem+json answer: what a request needing a missing dependency must get. */
function expectUnavailable(res: HttpAnswer): void {
  expect(res.status, JSON.stringify(res.body)).toBe(503);
  expect(res.contentType).toContain('application/problem+json');
  expect(res.body).toMatchObject({ status: 503 });
}

function expectDown(res: HttpAnswer, dependency: string): void {
  expect(res.status).toBe(503);
  const body = res.body as ReadyBody;
  expect(body.status).toBe('not_ready');
  expect(body.checks[dependency], JSON.stringify(body)).toBe('down');
}

type NatsConnection = Awaited<ReturnType<typeof connectNats>>;

async function streamMessages(nc: NatsConnection): Promise<number> {
  const jsm = await jetstreamManager(nc);
  return (await jsm.streams.info('REGISTRY')).state.messages;
}

describe('registry under dependency restarts', () => {
  beforeAll(async () => {
    [pg, redis, nats] = await Promise.all([startPostgres(), startRedis(), startNats({ jetstream: true })]);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vinculo-faults-'));
    const port = await freePort();
    reg = spawnRegistry(
      {
        DATABASE_URL: pg.url, // the private cluster's superuser: nothing else lives there
        REDIS_URL: redis.url,
        NATS_URL: nats.url,
        EVENT_NAMESPACE: '', // private NATS: production stream names (REGISTRY)
        REDIS_PREFIX: 't',
        LOG_LEVEL: 'warn',
        DATA_DIR: dataDir,
      },
      port,
    );
    reg.child.on('exit', (code, signal) => exits.push(`code ${code} signal ${signal}`));
    await waitFor(
      '/health 200',
      async () => {
        expectAlive();
        return (await http(service().baseUrl, 'GET', '/health', undefined, 2_000)).status === 200
          ? true
          : undefined;
      },
      30_000,
    );
    await waitReady(200, 30_000);
    const res = await signup();
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }, 90_000);

  afterAll(async () => {
    // Every step is attempted even when an earlier one fails.
    await reg?.kill().catch(() => undefined);
    await Promise.allSettled([pg?.stop(), redis?.stop(), nats?.stop()]);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    exits = [];
  }, 60_000);

  it(
    'PostgreSQL stopped and restarted: /ready 503 then 200 by itself; login answers 503 during the outage',
    async () => {
      if (!pg) throw new Error('no postgres');
      expect((await login()).status).toBe(200);

      pg.kill('SIGINT'); // fast shutdown: server-side connections are terminated
      expectDown(await waitReady(503, DOWN_WITHIN_MS), 'postgres');
      // Login needs the database: a prompt 503 problem, not a 500 and not a hang (10 s fetch timeout).
      expectUnavailable(await login());
      expectUnavailable(await login());
      expectAlive();

      await pg.start(); // same port, same data
      const back = await waitReady(200, UP_WITHIN_MS);
      expect((back.body as ReadyBody).checks).toMatchObject({ postgres: 'up', redis: 'up', nats: 'up' });
      expectAlive();
      const res = await login();
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expectAlive();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'Redis killed and restarted: /ready 503 then 200 by itself; login (rate limiter fails closed) answers 503',
    async () => {
      if (!redis) throw new Error('no redis');
      redis.kill('SIGKILL');
      expectDown(await waitReady(503, DOWN_WITHIN_MS), 'redis');
      // The per-account login limiter is `failClosed`: with its store down, an unlimited login would allow
      // brute force, so the route answers 503 SERVICE_UNAVAILABLE (with Retry-After) rather than letting it through.
      const during = await login();
      expectUnavailable(during);
      expectAlive();

      await redis.start(); // same port; no persistence, so counters and queues start empty
      const back = await waitReady(200, UP_WITHIN_MS);
      expect((back.body as ReadyBody).checks).toMatchObject({ postgres: 'up', redis: 'up', nats: 'up' });
      expectAlive();
      const res = await login();
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expectAlive();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'NATS killed and restarted: /ready 503 then 200 by itself; events of a new sign-up reach the REGISTRY stream',
    async () => {
      if (!nats) throw new Error('no nats');
      nats.kill('SIGKILL');
      expectDown(await waitReady(503, DOWN_WITHIN_MS), 'nats');
      expectAlive();

      await nats.start(); // same port and JetStream store
      const back = await waitReady(200, UP_WITHIN_MS);
      expect((back.body as ReadyBody).checks).toMatchObject({ postgres: 'up', redis: 'up', nats: 'up' });
      expectAlive();

      const nc = await connectNats({
        url: nats.url,
        name: 'faults-test',
        log: silentLogger,
        waitOnFirstConnect: false,
      });
      try {
        const before = await streamMessages(nc);
        expect(before).toBeGreaterThanOrEqual(2); // the first sign-up's events (org created, owner added)
        const res = await signup();
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        // A sign-up writes two outbox events in its transaction; the relay publishes them to JetStream.
        const after = await waitFor(
          'REGISTRY stream to grow by 2',
          async () => {
            const n = await streamMessages(nc);
            return n >= before + 2 ? n : undefined;
          },
          EVENTS_WITHIN_MS,
        );
        expect(after).toBe(before + 2);
      } finally {
        await nc.close();
      }
      expectAlive();
    },
    TEST_TIMEOUT_MS,
  );
});
