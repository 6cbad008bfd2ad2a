// What the benchmark scripts (services/*/bench/*.mjs) share: free ports, service processes started from their
// dist and stopped, a PostgreSQL admin connection, and the clean-up of a run's Redis prefix and NATS streams.
// Each script keeps its own measurements and report.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

/** A free TCP port on the loopback interface. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Child processes of one benchmark run: `start` spawns `node ...args` (production mode, warn logs) keeping the
 * last lines of output for error messages, `waitReady` polls `/ready`, `stop` sends SIGTERM then SIGKILL after
 * 12 s. `children` lists every process started, in order. `BENCH_NODE_ARGS` (space-separated) is put before
 * every child's arguments, e.g. `BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"` to profile the services.
 */
export function createProcesses({ cwd, isAborted = () => false } = {}) {
  const children = [];

  function start(name, args, env = {}, { echo = false, cwd: here = cwd } = {}) {
    const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...nodeArgs, ...args], {
      cwd: here,
      env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail = [];
    const keep = (chunk) => {
      tail.push(chunk.toString());
      while (tail.length > 50) tail.shift();
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    if (echo) {
      const prefix = (stream) => (chunk) => {
        for (const line of chunk.toString().split('\n')) if (line.trim()) stream.write(`[${name}] ${line}\n`);
      };
      child.stdout.on('data', prefix(process.stdout));
      child.stderr.on('data', prefix(process.stderr));
    }
    const proc = { name, child, tail, exited: false, code: null };
    proc.done = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        proc.exited = true;
        proc.code = code ?? signal;
        resolve(proc.code);
      });
    });
    children.push(proc);
    return proc;
  }

  async function waitReady(proc, base, timeoutMs = 60_000) {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (isAborted()) throw new Error('aborted');
      if (proc.exited)
        throw new Error(
          `${proc.name} exited (${proc.code}) before ready:\n${proc.tail.join('').slice(-3000)}`,
        );
      try {
        const res = await fetch(`${base}/ready`, { signal: AbortSignal.timeout(2_000) });
        if (res.ok) return;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${proc.name} not ready within ${timeoutMs} ms:\n${proc.tail.join('').slice(-3000)}`);
  }

  async function stop(proc) {
    if (proc.exited) return;
    proc.child.kill('SIGTERM');
    const timer = setTimeout(() => proc.exited || proc.child.kill('SIGKILL'), 12_000);
    await proc.done;
    clearTimeout(timer);
  }

  return { children, start, waitReady, stop };
}

/** Runs `fn` with a connected pg client, always closing it. */
export async function withDb(connectionString, fn) {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Deletes every Redis key under `prefix`; returns how many. */
export async function clearRedisPrefix(url, prefix) {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  await redis.connect();
  let cursor = '0';
  let n = 0;
  try {
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) n += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
  return n;
}

/** Deletes the streams (and their DLQs) of `services` under the event namespace `tag`; returns their names. */
export async function deleteStreams(natsUrl, tag, services) {
  const { connectNats, defineStreams, jetstreamManager, silentLogger } =
    await import('@vinculo/service-kit/events');
  const nc = await connectNats({
    url: natsUrl,
    name: `bench-${tag}-cleanup`,
    log: silentLogger,
    waitOnFirstConnect: false,
  });
  try {
    const jsm = await jetstreamManager(nc);
    const names = defineStreams(tag, services).map((s) => s.name);
    for (const name of names) await jsm.streams.delete(name).catch(() => {});
    return names;
  } finally {
    await nc.close();
  }
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Closed-loop load with autocannon: `measure(label, opts)` runs a warm-up, then `runs` runs of `duration` s, and
 * returns each run and their medians; any non-2xx or error makes the figures meaningless, so it throws.
 * `stop()` ends the run in flight (on a signal).
 */
export async function createLoadRunner({ warmup, runs, duration, log }) {
  const { default: autocannon } = await import('autocannon');
  let current;
  const cannon = (opts) =>
    new Promise((resolve, reject) => {
      current = autocannon({ ...opts, timeout: 30 }, (err, res) => {
        current = undefined;
        if (err) reject(err);
        else resolve(res);
      });
    });
  async function measure(label, opts) {
    if (warmup > 0) await cannon({ ...opts, duration: warmup });
    const all = [];
    for (let i = 1; i <= runs; i++) {
      const r = await cannon({ ...opts, duration });
      const run = {
        p50: r.latency.p50,
        p99: r.latency.p99,
        rps: Math.round(r.requests.average * 10) / 10,
        total: r.requests.total,
        non2xx: r.non2xx,
        errors: r.errors + r.timeouts,
      };
      all.push(run);
      log(
        `${label} run ${i}/${runs}: p50 ${run.p50} ms, p99 ${run.p99} ms, ${run.rps} req/s (${run.total} requests, non-2xx ${run.non2xx}, errors ${run.errors})`,
      );
      if (run.non2xx > 0 || run.errors > 0)
        throw new Error(
          `${label}: ${run.non2xx} non-2xx responses and ${run.errors} errors — results would be meaningless`,
        );
    }
    return {
      runs: all,
      median: {
        p50: median(all.map((r) => r.p50)),
        p99: median(all.map((r) => r.p99)),
        rps: median(all.map((r) => r.rps)),
      },
    };
  }
  return { measure, stop: () => current?.stop() };
}

/**
 * Writes `section` between the `start` and `end` markers of the benchmarks page: in place when they exist, else
 * right after the `after` marker when given and present, else at the end. Other sections are left alone.
 */
export function writeDocSection(file, { start, end, after }, section) {
  let text = fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8')
    : '# Benchmarks\n\nWritten by `npm run bench` (each workspace writes its own section between markers). Loopback, noisy machines:\ncompare ratios within one run, not absolute figures across machines.\n';
  const block = `${start}\n${section.trim()}\n${end}`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  const at = after ? text.indexOf(after) : -1;
  if (a !== -1 && b > a) text = text.slice(0, a) + block + text.slice(b + end.length);
  else if (at !== -1) {
    const cut = at + after.length;
    text = `${text.slice(0, cut)}\n\n${block}${text.slice(cut)}`;
  } else text = `${text.trimEnd()}\n\n${block}\n`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
}
