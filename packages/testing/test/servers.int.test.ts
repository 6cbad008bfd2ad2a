import net from 'node:net';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, startNats, startPostgres, startRedis, type PrivateServer } from '../src/servers.js';

/** Opens a raw TCP connection, writes `send`, resolves with the first chunk received. */
function exchange(port: number, send: string | undefined, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error('timeout'));
    });
    socket.once('error', reject);
    socket.once('connect', () => {
      if (send !== undefined) socket.write(send);
    });
    socket.once('data', (chunk) => {
      socket.destroy();
      resolve(chunk.toString('utf8'));
    });
  });
}

async function pgQuery(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Record<string, unknown>>(sql)).rows;
  } finally {
    await client.end();
  }
}

const refused = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });

describe('private servers', () => {
  const started: PrivateServer[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.stop()));
  });

  it('freePort returns a bindable port', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(1024);
    expect(await refused(port)).toBe(true);
  });

  it('NATS with JetStream starts, survives SIGKILL + restart on the same port, stops', async () => {
    const nats = await startNats({ jetstream: true });
    started.push(nats);
    const info = await exchange(nats.port, undefined);
    expect(info).toMatch(/^INFO /);
    expect(info).toContain('"jetstream":true');
    const pid = nats.pid;
    nats.kill('SIGKILL');
    await nats.restart();
    expect(nats.pid).not.toBe(pid);
    expect(await exchange(nats.port, undefined)).toMatch(/^INFO /);
    await nats.stop();
    expect(await refused(nats.port)).toBe(true);
  });

  it('Redis starts, keeps its AOF data across restart, stops', async () => {
    const redis = await startRedis({ aof: true });
    started.push(redis);
    expect(await exchange(redis.port, 'PING\r\n')).toBe('+PONG\r\n');
    expect(await exchange(redis.port, 'SET k v\r\n')).toBe('+OK\r\n');
    await redis.restart();
    expect(await exchange(redis.port, 'GET k\r\n')).toBe('$1\r\nv\r\n');
    expect(await exchange(redis.port, 'CONFIG GET maxmemory-policy\r\n')).toContain('noeviction');
    await redis.stop();
    expect(await refused(redis.port)).toBe(true);
  });

  it('Redis pauses under SIGSTOP and resumes under SIGCONT', async () => {
    const redis = await startRedis();
    started.push(redis);
    redis.kill('SIGSTOP');
    await expect(exchange(redis.port, 'PING\r\n', 1000)).rejects.toThrow('timeout');
    redis.kill('SIGCONT');
    expect(await exchange(redis.port, 'PING\r\n')).toBe('+PONG\r\n');
  });

  it('PostgreSQL starts, keeps data across restart and SIGKILL, stops', async () => {
    const postgres = await startPostgres();
    started.push(postgres);
    expect(postgres.url).toBe(`postgres://postgres@127.0.0.1:${postgres.port}/postgres`);
    await pgQuery(postgres.url, 'create table t (x int); insert into t values (42)');
    await postgres.restart();
    expect(await pgQuery(postgres.url, 'select x from t')).toEqual([{ x: 42 }]);
    postgres.kill('SIGKILL');
    await postgres.start();
    expect(await pgQuery(postgres.url, 'select x from t')).toEqual([{ x: 42 }]);
    await postgres.stop();
    expect(await refused(postgres.port)).toBe(true);
  });
});
