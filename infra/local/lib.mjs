// Shared bring-up helpers for `npm start`, `npm test` and `npm run bench`.
// Node built-ins only: these run before node_modules exists.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const DEFAULTS = {
  DATABASE_URL: 'postgres://vinculo:vinculo@127.0.0.1:5432/vinculo',
  REDIS_URL: 'redis://127.0.0.1:6379',
  NATS_URL: 'nats://127.0.0.1:4222',
};

/** The connection URLs from the environment, with local defaults. */
export function infraEnv(env = process.env) {
  return {
    DATABASE_URL: env.DATABASE_URL || DEFAULTS.DATABASE_URL,
    REDIS_URL: env.REDIS_URL || DEFAULTS.REDIS_URL,
    NATS_URL: env.NATS_URL || DEFAULTS.NATS_URL,
  };
}

export const log = (msg) => console.log(`[vinculo] ${msg}`);
export const warn = (msg) => console.error(`[vinculo] ${msg}`);

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Finds an executable in PATH, the sbin directories and PostgreSQL's versioned bin directories. */
export function which(bin) {
  const dirs = (process.env.PATH || '').split(path.delimiter).filter(Boolean);
  dirs.push('/usr/local/sbin', '/usr/sbin', '/sbin');
  for (const dir of dirs) {
    const p = path.join(dir, bin);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch {
      /* not here */
    }
  }
  return null;
}

/** PostgreSQL server binaries directory (newest version under /usr/lib/postgresql first). */
export function pgBinDir() {
  const base = '/usr/lib/postgresql';
  try {
    const versions = fs
      .readdirSync(base)
      .filter((v) => fs.existsSync(path.join(base, v, 'bin', 'postgres')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(base, versions[0], 'bin');
  } catch {
    /* no Debian layout */
  }
  const initdb = which('initdb');
  return initdb ? path.dirname(initdb) : null;
}

/** Runs a command, inheriting stdio unless told otherwise; resolves with its exit code. */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** Runs a command capturing its output; never throws. */
export function capture(cmd, args, opts = {}) {
  const { input, ...rest } = opts;
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: ROOT, input, timeout: 60_000, ...rest });
  return {
    code: r.error ? -1 : r.status,
    stdout: r.stdout || '',
    stderr: (r.stderr || '') + (r.error ? String(r.error) : ''),
  };
}

// ---------------------------------------------------------------------------------------------------------
// npm packages

/** `npm ci` when node_modules is missing or older than package-lock.json. */
export async function ensureNodeModules() {
  const lock = path.join(ROOT, 'package-lock.json');
  const marker = path.join(ROOT, 'node_modules', '.package-lock.json');
  let stale = !fs.existsSync(marker);
  if (!stale) stale = fs.statSync(marker).mtimeMs < fs.statSync(lock).mtimeMs;
  if (!stale) return;
  log('installing npm packages (npm ci)…');
  let code = await run('npm', ['ci', '--no-audit', '--no-fund'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (code !== 0) {
    // npm ci refuses a lockfile it considers out of sync (e.g. optional platform packages missing);
    // npm install resolves the same tree from it. Fix the lockfile when you see this.
    warn(
      `npm ci failed (exit ${code}); falling back to npm install — check that package-lock.json is in sync`,
    );
    code = await run('npm', ['install', '--no-audit', '--no-fund'], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (code !== 0) throw new Error(`npm install failed with exit code ${code}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Debian packages

const PACKAGE_PROBES = {
  postgresql: () => Boolean(pgBinDir() && which('psql')),
  'redis-server': () => Boolean(which('redis-server')),
  'nats-server': () => Boolean(which('nats-server')),
};

/** apt-get installs the packages whose binaries are missing (root only; otherwise says what to install). */
export async function ensureDebianPackages(pkgs = ['postgresql', 'redis-server', 'nats-server']) {
  const missing = pkgs.filter((p) => !(PACKAGE_PROBES[p] ?? (() => Boolean(which(p))))());
  if (missing.length === 0) return;
  if (!which('apt-get')) {
    warn(`missing ${missing.join(', ')} and apt-get is not available: install them yourself (skipping)`);
    return;
  }
  if (!isRoot()) {
    warn(
      `missing ${missing.join(', ')}; not root, so not installing: sudo apt-get install -y ${missing.join(' ')}`,
    );
    return;
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let code = await run('apt-get', ['update'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (code !== 0) throw new Error(`apt-get update failed with exit code ${code}`);
  code = await run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (code !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed with exit code ${code}`);
}

// ---------------------------------------------------------------------------------------------------------
// Servers

/** True when host:port accepts a TCP connection within timeoutMs. */
export function tcpProbe(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Waits (bounded) until host:port accepts connections; fails early if `child` exits. */
export async function waitForPort(name, host, port, { timeoutMs = 30_000, child } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.proc.exitCode !== null) {
      throw new Error(
        `${name} exited (code ${child.proc.exitCode}) before listening on ${host}:${port}:\n${child.tail()}`,
      );
    }
    if (await tcpProbe(host, port, 500)) return;
    await sleep(200);
  }
  throw new Error(
    `${name} did not accept connections on ${host}:${port} within ${timeoutMs / 1000}s` +
      (child ? `; last output:\n${child.tail()}` : ''),
  );
}

function hostPort(url, defaultPort) {
  const u = new URL(url);
  const host = (u.hostname || '127.0.0.1').replace(/^\[|\]$/g, '');
  return { host, port: Number(u.port || defaultPort) };
}

const isLocal = (host) => ['127.0.0.1', 'localhost', '::1', '0.0.0.0'].includes(host);

/**
 * Spawns a long-running child in its own process group (so a terminal Ctrl-C reaches us first and we stop
 * things in order), keeping the last output lines in memory and all of it in `logFile` (or prefixed on stdout).
 */
export function spawnChild(name, cmd, args, { env, cwd = ROOT, logFile, prefix = false } = {}) {
  const proc = spawn(cmd, args, {
    cwd,
    env: env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const lines = [];
  const out = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : null;
  let partial = { stdout: '', stderr: '' };
  const onData = (stream) => (chunk) => {
    const text = partial[stream] + chunk.toString('utf8');
    const parts = text.split('\n');
    partial[stream] = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      if (lines.length > 40) lines.shift();
      if (prefix)
        (stream === 'stderr' ? process.stderr : process.stdout).write(`${name.padEnd(9)}| ${line}\n`);
    }
    out?.write(chunk);
  };
  proc.stdout.on('data', onData('stdout'));
  proc.stderr.on('data', onData('stderr'));
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  proc.once('error', (err) => {
    lines.push(String(err));
  });
  exited.then(() => out?.end());
  const child = {
    name,
    proc,
    exited,
    tail: (n = 20) => lines.slice(-n).join('\n'),
    signal(sig) {
      try {
        process.kill(-proc.pid, sig);
      } catch {
        try {
          proc.kill(sig);
        } catch {
          /* gone */
        }
      }
    },
    /** SIGTERM, then SIGKILL after graceMs. */
    async stop(graceMs = 10_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      child.signal('SIGTERM');
      const t = setTimeout(() => child.signal('SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
    },
  };
  liveChildren.add(child);
  exited.then(() => liveChildren.delete(child));
  return child;
}

const liveChildren = new Set();
const exitHooks = [];
process.once('exit', () => {
  for (const c of liveChildren) c.signal('SIGKILL');
  for (const hook of exitHooks) {
    try {
      hook();
    } catch {
      /* best effort */
    }
  }
});

function pgClusters() {
  const r = capture('pg_lsclusters', ['--no-header']);
  if (r.code !== 0) return [];
  return r.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 4)
    .map(([version, cluster, port, status]) => ({ version, cluster, port: Number(port), status }));
}

async function startPostgres(host, port, dataDir) {
  if (which('pg_ctlcluster')) {
    let clusters = pgClusters();
    let cluster = clusters.find((c) => c.port === port) ?? clusters[0];
    if (!cluster) {
      const bin = pgBinDir();
      const version = bin ? path.basename(path.dirname(bin)) : '15';
      log(`creating PostgreSQL cluster ${version}/main on port ${port}`);
      const r = capture('pg_createcluster', [version, 'main', '-p', String(port), '--start']);
      if (r.code !== 0) throw new Error(`pg_createcluster failed:\n${r.stdout}${r.stderr}`);
      clusters = pgClusters();
      cluster = clusters.find((c) => c.port === port) ?? clusters[0];
      if (!cluster) throw new Error('pg_createcluster reported success but pg_lsclusters shows no cluster');
    } else {
      if (cluster.port !== port) {
        throw new Error(
          `PostgreSQL cluster ${cluster.version}/${cluster.cluster} listens on port ${cluster.port}, but DATABASE_URL says ${port}`,
        );
      }
      log(`starting PostgreSQL cluster ${cluster.version}/${cluster.cluster}`);
      const r = capture('pg_ctlcluster', [
        '--skip-systemctl-redirect',
        cluster.version,
        cluster.cluster,
        'start',
      ]);
      if (r.code !== 0 && !/already running/i.test(r.stderr + r.stdout)) {
        throw new Error(`pg_ctlcluster start failed:\n${r.stdout}${r.stderr}`);
      }
    }
    await waitForPort('PostgreSQL', host, port, { timeoutMs: 60_000 });
    const stop = () =>
      capture('pg_ctlcluster', [
        '--skip-systemctl-redirect',
        cluster.version,
        cluster.cluster,
        'stop',
        '-m',
        'fast',
      ]);
    return { name: 'PostgreSQL', stop: async () => void stop(), stopSync: stop };
  }
  // No Debian cluster tooling: a private cluster under .data/postgres (initdb/postgres as the current user).
  const bin = pgBinDir();
  if (!bin)
    throw new Error('PostgreSQL is not reachable and no PostgreSQL binaries (initdb, postgres) were found');
  if (isRoot())
    throw new Error(
      'PostgreSQL is not reachable and pg_ctlcluster is missing; install the postgresql package',
    );
  const pgdata = path.join(dataDir, 'postgres');
  if (!fs.existsSync(path.join(pgdata, 'PG_VERSION'))) {
    fs.mkdirSync(pgdata, { recursive: true });
    const r = capture(path.join(bin, 'initdb'), [
      '-D',
      pgdata,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
    ]);
    if (r.code !== 0) throw new Error(`initdb failed:\n${r.stdout}${r.stderr}`);
  }
  const child = spawnChild(
    'postgres',
    path.join(bin, 'postgres'),
    ['-D', pgdata, '-p', String(port), '-k', pgdata, '-c', `listen_addresses=${host}`],
    {
      logFile: path.join(dataDir, 'postgres.log'),
    },
  );
  await waitForPort('PostgreSQL', host, port, { timeoutMs: 60_000, child });
  return { name: 'PostgreSQL', stop: () => child.stop(), stopSync: () => child.signal('SIGINT') };
}

const sqlLiteral = (s) => `'${String(s).replace(/'/g, "''")}'`;
const sqlIdent = (s) => `"${String(s).replace(/"/g, '""')}"`;

/** Creates the application role and database (idempotent) through a PostgreSQL superuser. */
async function ensureRoleAndDatabase(databaseUrl) {
  const u = new URL(databaseUrl);
  const user = decodeURIComponent(u.username || 'vinculo');
  const password = decodeURIComponent(u.password || 'vinculo');
  const database = decodeURIComponent(u.pathname.replace(/^\//, '') || user);
  const { host, port } = hostPort(databaseUrl, 5432);
  const psqlEnv = { ...process.env, PGCONNECT_TIMEOUT: '5' };

  const probe = capture('psql', [databaseUrl, '-w', '-Atc', 'select 1'], { env: psqlEnv });
  if (probe.code === 0) return;

  const sql = [
    `select 'create role ${sqlIdent(user)}' where not exists (select 1 from pg_roles where rolname = ${sqlLiteral(user)}) \\gexec`,
    `alter role ${sqlIdent(user)} with login createdb password ${sqlLiteral(password)};`,
    `select 'create database ${sqlIdent(database)} owner ${sqlIdent(user)}' where not exists (select 1 from pg_database where datname = ${sqlLiteral(database)}) \\gexec`,
    '',
  ].join('\n');
  const psqlArgs = ['-v', 'ON_ERROR_STOP=1', '-X', '-q', '-d', 'postgres', '-p', String(port), '-f', '-'];
  const attempts = [['psql', ['-h', host, '-U', 'postgres', '-w', ...psqlArgs]]];
  if (isRoot() && isLocal(host)) {
    if (which('runuser')) attempts.push(['runuser', ['-u', 'postgres', '--', 'psql', ...psqlArgs]]);
    attempts.push(['su', ['postgres', '-s', '/bin/sh', '-c', `psql ${psqlArgs.join(' ')}`]]);
  }
  const errors = [];
  for (const [cmd, args] of attempts) {
    const r = capture(cmd, args, { input: sql, env: psqlEnv, cwd: '/' });
    if (r.code === 0) {
      log(`ensured PostgreSQL role "${user}" and database "${database}"`);
      const again = capture('psql', [databaseUrl, '-w', '-Atc', 'select 1'], { env: psqlEnv });
      if (again.code !== 0)
        throw new Error(`created role/database but still cannot connect with DATABASE_URL:\n${again.stderr}`);
      return;
    }
    errors.push(`${cmd}: ${(r.stderr || r.stdout).trim()}`);
  }
  throw new Error(
    `cannot connect with DATABASE_URL (${probe.stderr.trim()}) and could not create role "${user}" / database "${database}" as a superuser:\n  ${errors.join('\n  ')}`,
  );
}

/**
 * Reuses PostgreSQL, Redis and NATS at the configured URLs, or starts them (PostgreSQL: the system cluster;
 * Redis and NATS: child processes with data under dataDir). Returns { env, stop() }.
 */
export async function ensureInfra({ dataDir = path.join(ROOT, '.data') } = {}) {
  const env = infraEnv();
  const started = [];
  const stop = async () => {
    while (started.length) {
      const s = started.pop();
      log(`stopping ${s.name}`);
      await s.stop();
    }
  };
  exitHooks.push(() => {
    for (const s of started) s.stopSync?.();
  });
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    // PostgreSQL
    {
      const { host, port } = hostPort(env.DATABASE_URL, 5432);
      if (await tcpProbe(host, port)) log(`PostgreSQL: reusing ${host}:${port}`);
      else if (!isLocal(host)) throw new Error(`PostgreSQL at ${host}:${port} is not reachable`);
      else started.push(await startPostgres(host, port, dataDir));
      if (!which('psql')) warn('psql not found: cannot check the vinculo role and database');
      else await ensureRoleAndDatabase(env.DATABASE_URL);
    }
    // Redis
    {
      const { host, port } = hostPort(env.REDIS_URL, 6379);
      if (await tcpProbe(host, port)) log(`Redis: reusing ${host}:${port}`);
      else if (!isLocal(host)) throw new Error(`Redis at ${host}:${port} is not reachable`);
      else {
        const bin = which('redis-server');
        if (!bin)
          throw new Error(`Redis is not reachable at ${host}:${port} and redis-server is not installed`);
        const dir = path.join(dataDir, 'redis');
        fs.mkdirSync(dir, { recursive: true });
        log(`Redis: starting redis-server on 127.0.0.1:${port} (data in ${path.relative(ROOT, dir) || dir})`);
        const child = spawnChild(
          'redis',
          bin,
          [
            '--port',
            String(port),
            '--bind',
            '127.0.0.1',
            '--dir',
            dir,
            '--appendonly',
            'yes',
            '--maxmemory-policy',
            'noeviction',
            '--daemonize',
            'no',
          ],
          { logFile: path.join(dir, 'redis.log') },
        );
        started.push({ name: 'Redis', stop: () => child.stop(), stopSync: () => child.signal('SIGTERM') });
        await waitForPort('redis-server', '127.0.0.1', port, { child });
      }
    }
    // NATS
    {
      const { host, port } = hostPort(env.NATS_URL, 4222);
      if (await tcpProbe(host, port)) log(`NATS: reusing ${host}:${port}`);
      else if (!isLocal(host)) throw new Error(`NATS at ${host}:${port} is not reachable`);
      else {
        const bin = which('nats-server');
        if (!bin)
          throw new Error(`NATS is not reachable at ${host}:${port} and nats-server is not installed`);
        const dir = path.join(dataDir, 'nats');
        fs.mkdirSync(dir, { recursive: true });
        log(
          `NATS: starting nats-server -js on 127.0.0.1:${port} (store in ${path.relative(ROOT, dir) || dir})`,
        );
        const child = spawnChild('nats', bin, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], {
          logFile: path.join(dir, 'nats.log'),
        });
        started.push({ name: 'NATS', stop: () => child.stop(), stopSync: () => child.signal('SIGTERM') });
        await waitForPort('nats-server', '127.0.0.1', port, { child });
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { env, stop, started: () => started.map((s) => s.name) };
}

/** Runs `fn` on SIGINT/SIGTERM once (a second signal exits at once). */
export function onShutdown(fn) {
  let called = false;
  const handler = (sig) => {
    if (called) {
      warn(`${sig} again: exiting now`);
      process.exit(130);
    }
    called = true;
    Promise.resolve(fn(sig)).catch((err) => {
      warn(String(err?.stack || err));
      process.exit(1);
    });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  process.on('SIGHUP', handler);
}

/** `npx turbo …` from the local install, with the environment passed through to tasks. */
export function turbo(args, opts = {}) {
  const i = args.indexOf('--');
  const own = i < 0 ? args : args.slice(0, i);
  const rest = i < 0 ? [] : args.slice(i);
  return run('npx', ['--no-install', 'turbo', ...own, '--env-mode=loose', ...rest], opts);
}
