/**
 * Private server instances for fault-injection tests: NATS (JetStream), Redis and PostgreSQL, each on a free
 * loopback port with its data in a fresh temporary directory. They never touch the shared servers, so a test
 * can stop, SIGKILL, SIGSTOP or restart them freely. `restart()` keeps the port and the data.
 *
 * Binaries: nats-server, redis-server from PATH (and /usr/sbin); PostgreSQL's initdb and postgres from
 * /usr/lib/postgresql/<newest>/bin, else PATH. PostgreSQL refuses to run as root, so when we are root it runs
 * as the `postgres` OS user (the temporary directory is chowned to it).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface PrivateServer {
  /** Connection URL (nats://, redis://, postgres://). */
  readonly url: string;
  readonly port: number;
  /** The temporary directory holding the server's data. */
  readonly dir: string;
  /** The server's current process id (changes on restart). */
  readonly pid: number | undefined;
  /** Graceful stop; removes the data directory. Idempotent. */
  stop(): Promise<void>;
  /** Sends a signal to the server process (SIGKILL, SIGSTOP, SIGCONT, SIGTERM…). Does not wait. */
  kill(signal?: NodeJS.Signals): void;
  /** Stops the server (gracefully unless it is already dead) and starts it again on the same port and data. */
  restart(): Promise<void>;
  /** Starts it again after a kill() (no-op while it runs). */
  start(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/** A free TCP port on 127.0.0.1 (asks the kernel for one, then releases it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

function canConnect(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * True when PostgreSQL accepts a session: sends a v3 StartupMessage (user and database `postgres`, trust auth)
 * and expects AuthenticationOk ('R') rather than an error such as "the database system is starting up".
 */
function postgresAcceptsSessions(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const body = Buffer.from('user\0postgres\0database\0postgres\0\0', 'utf8');
    const msg = Buffer.alloc(8 + body.length);
    msg.writeInt32BE(msg.length, 0);
    msg.writeInt32BE(196608, 4); // protocol 3.0
    body.copy(msg, 8);
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => socket.write(msg));
    socket.once('data', (chunk) => done(chunk[0] === 0x52 /* 'R' */));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function findBinary(name: string, extraDirs: string[] = []): string {
  const dirs = [
    ...extraDirs,
    ...(process.env.PATH ?? '').split(path.delimiter),
    '/usr/local/sbin',
    '/usr/sbin',
    '/sbin',
  ];
  for (const dir of dirs.filter(Boolean)) {
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* not here */
    }
  }
  throw new Error(
    `${name} not found (install it: apt-get install ${name === 'redis-server' || name === 'nats-server' ? name : 'postgresql'})`,
  );
}

function postgresBinDirs(): string[] {
  const base = '/usr/lib/postgresql';
  try {
    return fs
      .readdirSync(base)
      .sort((a, b) => Number(b) - Number(a))
      .map((v) => path.join(base, v, 'bin'))
      .filter((d) => fs.existsSync(path.join(d, 'postgres')));
  } catch {
    return [];
  }
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

function postgresUser(): { uid: number; gid: number } {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (!uid || !gid)
    throw new Error('running as root but there is no `postgres` OS user to run PostgreSQL as');
  return { uid: Number(uid), gid: Number(gid) };
}

function chownRecursive(p: string, uid: number, gid: number): void {
  fs.chownSync(p, uid, gid);
  if (fs.statSync(p).isDirectory())
    for (const e of fs.readdirSync(p)) chownRecursive(path.join(p, e), uid, gid);
}

/** Every live private server, killed if the test process exits without stopping them. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(proc: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const p of live) {
        try {
          p.kill('SIGKILL');
        } catch {
          /* gone */
        }
      }
    });
  }
  live.add(proc);
  proc.once('exit', () => live.delete(proc));
}

interface Spec {
  name: string;
  port: number;
  dir: string;
  url: string;
  command: string;
  args: string[];
  uid?: number;
  gid?: number;
  /** Signal for a graceful stop. */
  stopSignal: NodeJS.Signals;
  /** Readiness beyond an accepted TCP connection. */
  ready?: (port: number) => Promise<boolean>;
}

function managed(spec: Spec): PrivateServer {
  let proc: ChildProcess | undefined;
  let output: string[] = [];
  let removed = false;
  let dying = false;

  const alive = (): boolean => proc !== undefined && proc.exitCode === null && proc.signalCode === null;

  const start = async (): Promise<void> => {
    if (removed) throw new Error(`${spec.name} was stopped for good`);
    if (proc && dying) await waitExit(proc); // kill() does not wait for the exit
    dying = false;
    if (alive()) return;
    const deadline = Date.now() + READY_TIMEOUT_MS;
    // After a SIGKILL the port or shared memory may take a moment to be released: retry early exits.
    for (let attempt = 1; ; attempt++) {
      output = [];
      const child = spawn(spec.command, spec.args, {
        cwd: spec.dir,
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(spec.uid !== undefined ? { uid: spec.uid, gid: spec.gid } : {}),
        env: { ...process.env, LC_ALL: 'C' },
      });
      const collect = (chunk: Buffer): void => {
        output.push(chunk.toString('utf8'));
        if (output.length > 50) output.shift();
      };
      child.stdout?.on('data', collect);
      child.stderr?.on('data', collect);
      child.on('error', (err) => output.push(String(err)));
      track(child);
      proc = child;
      for (;;) {
        if (!alive()) break;
        if ((await canConnect(spec.port)) && (!spec.ready || (await spec.ready(spec.port)))) return;
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new Error(
            `${spec.name} did not accept connections on port ${spec.port} in time:\n${output.join('')}`,
          );
        }
        await sleep(100);
      }
      if (Date.now() > deadline || attempt >= 20) {
        throw new Error(`${spec.name} exited during start (code ${child.exitCode}):\n${output.join('')}`);
      }
      await sleep(250);
    }
  };

  const waitExit = async (p: ChildProcess): Promise<void> => {
    if (p.exitCode !== null || p.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        p.kill('SIGKILL');
      }, STOP_TIMEOUT_MS);
      p.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
  };

  const halt = async (): Promise<void> => {
    const p = proc;
    if (!p || !alive()) return;
    p.kill('SIGCONT'); // in case a test left it stopped
    p.kill(spec.stopSignal);
    await waitExit(p);
  };

  const server: PrivateServer = {
    url: spec.url,
    port: spec.port,
    dir: spec.dir,
    get pid() {
      return proc?.pid;
    },
    start,
    kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (!alive()) return;
      if (!['SIGSTOP', 'SIGCONT', 'SIGTSTP', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'].includes(signal))
        dying = true;
      proc?.kill(signal);
    },
    async restart() {
      await halt();
      await start();
    },
    async stop() {
      if (removed) return;
      await halt();
      removed = true;
      fs.rmSync(spec.dir, { recursive: true, force: true });
    },
  };
  return server;
}

function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `vinculo-${prefix}-`));
}

export interface NatsOptions {
  /** Enable JetStream with its store in the temporary directory (default true). */
  jetstream?: boolean;
}

/** A private nats-server (JetStream on by default). */
export async function startNats(opts: NatsOptions = {}): Promise<PrivateServer> {
  const port = await freePort();
  const dir = tmpDir('nats');
  const args = ['-a', '127.0.0.1', '-p', String(port)];
  if (opts.jetstream !== false) args.push('-js', '-sd', path.join(dir, 'store'));
  const server = managed({
    name: 'nats-server',
    port,
    dir,
    url: `nats://127.0.0.1:${port}`,
    command: findBinary('nats-server'),
    args,
    stopSignal: 'SIGTERM',
  });
  await startOrClean(server);
  return server;
}

export interface RedisOptions {
  /** Persist with an append-only file (appendfsync everysec), as production does. Default false. */
  aof?: boolean;
}

/** A private redis-server (noeviction; no persistence unless `aof`). */
export async function startRedis(opts: RedisOptions = {}): Promise<PrivateServer> {
  const port = await freePort();
  const dir = tmpDir('redis');
  const server = managed({
    name: 'redis-server',
    port,
    dir,
    url: `redis://127.0.0.1:${port}`,
    command: findBinary('redis-server'),
    args: [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      opts.aof ? 'yes' : 'no',
      '--maxmemory-policy',
      'noeviction',
      '--daemonize',
      'no',
    ],
    stopSignal: 'SIGTERM',
  });
  await startOrClean(server);
  return server;
}

export interface PostgresOptions {
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string>;
}

/**
 * A private PostgreSQL cluster (initdb, trust auth, superuser `postgres`), listening on 127.0.0.1 and on a
 * unix socket inside its temporary directory. Runs as the `postgres` OS user when we are root.
 */
export async function startPostgres(opts: PostgresOptions = {}): Promise<PrivateServer> {
  const binDirs = postgresBinDirs();
  const initdb = findBinary('initdb', binDirs);
  const postgres = findBinary('postgres', binDirs.length ? binDirs : [path.dirname(initdb)]);
  const port = await freePort();
  const dir = tmpDir('pg');
  const pgdata = path.join(dir, 'data');
  const sockets = path.join(dir, 'sock');
  fs.mkdirSync(sockets);
  const owner = isRoot() ? postgresUser() : undefined;
  if (owner) chownRecursive(dir, owner.uid, owner.gid);
  try {
    execFileSync(
      initdb,
      ['-D', pgdata, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
      {
        cwd: dir,
        stdio: 'pipe',
        env: { ...process.env, LC_ALL: 'C' },
        ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
      },
    );
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    const e = err as { stderr?: Buffer; message: string };
    throw new Error(`initdb failed: ${e.stderr?.toString() ?? e.message}`, { cause: err });
  }
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: sockets,
    fsync: 'off', // a killed process loses nothing without it; only OS crashes would
    shared_buffers: '32MB',
    max_connections: '100',
    ...opts.settings,
  };
  const args = ['-D', pgdata, '-p', String(port)];
  for (const [k, v] of Object.entries(settings)) args.push('-c', `${k}=${v}`);
  const server = managed({
    name: 'postgres',
    port,
    dir,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    command: postgres,
    args,
    ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
    stopSignal: 'SIGINT', // fast shutdown
    ready: postgresAcceptsSessions,
  });
  await startOrClean(server);
  return server;
}

async function startOrClean(server: PrivateServer): Promise<void> {
  try {
    await server.start();
  } catch (err) {
    await server.stop().catch(() => undefined);
    throw err;
  }
}
