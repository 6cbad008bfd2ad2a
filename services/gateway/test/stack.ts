/**
 * The real stack as processes: the built registry (services/registry/dist/main.js) and, when asked, the built
 * matching service behind the built gateway (services/gateway/dist/main.js), on free loopback ports, against the shared PostgreSQL, Redis and NATS with
 * per-call isolation (own database, event namespace, Redis prefix and queue suffix). Build the services first.
 * `stop()` ends every process (SIGTERM, SIGKILL after 5 s) and removes the database, the namespace's NATS
 * streams and the prefix's Redis keys.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connectNats, jetstreamManager, silentLogger } from '@vinculo/service-kit/events';
import { redisConnection } from '@vinculo/service-kit/jobs';
import { createTestDatabase, isolation, sharedUrls, type TestDatabase } from '@vinculo/testing';
import { freePort } from '@vinculo/testing/servers';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const registryMain = fileURLToPath(new URL('../../registry/dist/main.js', import.meta.url));
const matchingMain = fileURLToPath(new URL('../../matching/dist/main.js', import.meta.url));
const gatewayMain = fileURLToPath(new URL('../dist/main.js', import.meta.url));
export const registryMigrationsDir = fileURLToPath(new URL('../../registry/migrations', import.meta.url));
const matchingMigrationsDir = fileURLToPath(new URL('../../matching/migrations', import.meta.url));

const READY_TIMEOUT_MS = 20_000;
const KILL_AFTER_MS = 5_000;

export interface Stack {
  /** Public origin of the gateway, e.g. http://127.0.0.1:40123 (no trailing slash). */
  gatewayUrl: string;
  registryUrl: string;
  /** Set when the stack was started with `matching: true`. */
  matchingUrl?: string;
  namespace: string;
  stop(): Promise<void>;
}

interface Proc {
  name: string;
  child: ChildProcess;
  output: string[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const exited = (c: ChildProcess): boolean => c.exitCode !== null || c.signalCode !== null;

/** Every live child, SIGKILLed if the test process exits without stop(). */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

function start(name: string, main: string, env: Record<string, string>): Proc {
  const output: string[] = [];
  const child = spawn(process.execPath, [main], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const collect = (chunk: Buffer): void => {
    output.push(chunk.toString('utf8'));
    if (output.length > 100) output.shift();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.on('error', (err) => output.push(String(err)));
  live.add(child);
  child.once('exit', () => live.delete(child));
  return { name, child, output };
}

async function waitReady(proc: Proc, url: string, deadline: number): Promise<void> {
  for (;;) {
    if (exited(proc.child)) {
      throw new Error(
        `${proc.name} exited (code ${proc.child.exitCode}) before ready:\n${proc.output.join('')}`,
      );
    }
    const status = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(1_000) }).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${proc.name} not ready at ${url}/ready within ${READY_TIMEOUT_MS} ms (last status ${status}):\n${proc.output.join('')}`,
      );
    }
    await sleep(100);
  }
}

async function terminate(proc: Proc | undefined): Promise<void> {
  if (!proc || exited(proc.child)) return;
  const { child } = proc;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function removeStreams(namespace: string): Promise<void> {
  const nc = await connectNats({
    url: sharedUrls.nats(),
    name: `test-cleanup-${namespace}`,
    log: silentLogger,
    waitOnFirstConnect: false,
  });
  try {
    const jsm = await jetstreamManager(nc);
    const prefix = `${namespace.toUpperCase()}_`;
    const doomed: string[] = [];
    for await (const name of jsm.streams.names()) if (name.startsWith(prefix)) doomed.push(name);
    for (const name of doomed) await jsm.streams.delete(name);
  } finally {
    await nc.close();
  }
}

async function removeRedisKeys(prefix: string): Promise<void> {
  const redis = redisConnection(sharedUrls.redis(), 'worker');
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

export async function startStack(options: { matching?: boolean } = {}): Promise<Stack> {
  const iso = isolation();
  const db: TestDatabase = await createTestDatabase({
    label: options.matching ? 'gwmatching' : 'gwjourney',
    migrations: [
      { schema: 'registry', dir: registryMigrationsDir },
      ...(options.matching ? [{ schema: 'matching', dir: matchingMigrationsDir }] : []),
    ],
  });
  const [registryPort, matchingPort, gatewayPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const registryUrl = `http://127.0.0.1:${registryPort}`;
  const matchingUrl = options.matching ? `http://127.0.0.1:${matchingPort}` : undefined;
  const common = {
    REDIS_URL: sharedUrls.redis(),
    NATS_URL: sharedUrls.nats(),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    REDIS_PREFIX: iso.redisPrefix,
  };

  let registry: Proc | undefined;
  let matching: Proc | undefined;
  let gateway: Proc | undefined;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    const errors: unknown[] = [];
    const attempt = async (fn: () => Promise<void>): Promise<void> => {
      await fn().catch((err: unknown) => void errors.push(err));
    };
    await attempt(() => terminate(gateway));
    await attempt(() => terminate(matching));
    await attempt(() => terminate(registry));
    await attempt(() => removeStreams(iso.namespace));
    await attempt(() => removeRedisKeys(iso.redisPrefix));
    await attempt(() => db.drop());
    if (errors.length > 0) throw new AggregateError(errors, 'stack cleanup failed');
  };

  try {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    registry = start('registry', registryMain, {
      ...common,
      PORT: String(registryPort),
      DATABASE_URL: db.url,
      EVENT_NAMESPACE: iso.namespace,
      JOB_QUEUE_SUFFIX: iso.namespace,
      JWT_ISSUER: `${gatewayUrl}/api/registry`,
    });
    if (matchingUrl)
      matching = start('matching', matchingMain, {
        ...common,
        PORT: String(matchingPort),
        DATABASE_URL: db.url,
        EVENT_NAMESPACE: iso.namespace,
        JOB_QUEUE_SUFFIX: iso.namespace,
        JWT_ISSUER: `${gatewayUrl}/api/registry`,
        JWKS_URL: `${registryUrl}/.well-known/jwks.json`,
      });
    gateway = start('gateway', gatewayMain, {
      ...common,
      PORT: String(gatewayPort),
      REGISTRY_URL: registryUrl,
      ...(matchingUrl ? { MATCHING_URL: matchingUrl } : {}),
    });
    await waitReady(registry, registryUrl, deadline);
    if (matching && matchingUrl) await waitReady(matching, matchingUrl, deadline);
    await waitReady(gateway, gatewayUrl, deadline);
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
  return { gatewayUrl, registryUrl, ...(matchingUrl ? { matchingUrl } : {}), namespace: iso.namespace, stop };
}
