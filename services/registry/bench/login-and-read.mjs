// Registry benchmark: login (argon2id-bound) and an authenticated read (GET /me), through the gateway when it is
// built and starts, else against the registry directly (the output says which). Own database, Redis prefix and
// event namespace on the shared servers; everything is torn down at the end, also on failure or SIGINT.
//
//   node services/registry/bench/login-and-read.mjs [--duration=10] [--runs=3] [--warmup=2] [--no-doc]
//
// Prints progress, a table, and a one-line JSON summary last. Writes the "Registry: login and authenticated read"
// section of docs/benchmarks.md (between <!-- bench:registry --> markers), leaving other sections alone.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  clearRedisPrefix,
  createLoadRunner,
  createProcesses,
  deleteStreams,
  freePort,
  withDb,
  writeDocSection,
} from '../../../infra/local/bench-kit.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DOC = path.join(ROOT, 'docs/benchmarks.md');
const MARK_START = '<!-- bench:registry -->';
const MARK_END = '<!-- /bench:registry -->';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? 'true'];
  }),
);
const DURATION = Number(args.duration ?? 10);
const RUNS = Number(args.runs ?? 3);
const WARMUP = Number(args.warmup ?? 2);
const WRITE_DOC = args['no-doc'] === undefined;

const ADMIN_URL =
  process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://vinculo:vinculo@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

const id = crypto
  .randomBytes(5)
  .toString('hex')
  .replace(/[^a-z0-9]/g, '');
const tag = `bench${id}`; // lowercase letters + digits
const dbName = `bench_${id}`;
const redisPrefix = `bench:${id}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `vinculo-${tag}-`));

// Limits raised so the run measures the work, not the limiter (printed and written to the doc).
const LIMITS = {
  LOGIN_LIMIT_PER_ACCOUNT: '10000000',
  LOGIN_LIMIT_PER_IP: '10000000',
  API_RATE_LIMIT_PER_MINUTE: '100000000',
  GATEWAY_RATE_LIMIT_PER_MINUTE: '100000000',
};

const log = (...a) => console.log('[bench:registry]', ...a);
let dbCreated = false;
let cleaning;
const load = await createLoadRunner({ warmup: WARMUP, runs: RUNS, duration: DURATION, log });

// ---- helpers -------------------------------------------------------------------------------------------------
const procs = createProcesses({ cwd: ROOT });
const { children, waitReady, stop } = procs;
const start = (name, entry, env) => procs.start(name, [entry], env);
const admin = (fn) => withDb(ADMIN_URL, fn);

async function cleanup() {
  cleaning ??= (async () => {
    await Promise.all(children.map((p) => stop(p).catch(() => {})));
    if (dbCreated) {
      await admin((c) => c.query(`drop database if exists "${dbName}" with (force)`)).catch((e) =>
        log(`could not drop database ${dbName}: ${e.message}`),
      );
    }
    await clearRedisPrefix(REDIS_URL, redisPrefix).catch((e) =>
      log(`could not clear Redis prefix ${redisPrefix}: ${e.message}`),
    );
    await deleteStreams(NATS_URL, tag, ['registry']).catch((e) =>
      log(`could not delete NATS streams of ${tag}: ${e.message}`),
    );
    fs.rmSync(dataDir, { recursive: true, force: true });
  })();
  return cleaning;
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    log(`${sig}: stopping children, dropping ${dbName}`);
    load.stop();
    void cleanup().finally(() => process.exit(130));
  });
}

const writeDoc = (section) => writeDocSection(DOC, { start: MARK_START, end: MARK_END }, section);

// ---- main ----------------------------------------------------------------------------------------------------
let status = 0;
let summary;
const loadBefore = os.loadavg()[0];
try {
  await admin((c) => c.query(`create database "${dbName}"`));
  dbCreated = true;
  const databaseUrl = new URL(ADMIN_URL);
  databaseUrl.pathname = `/${dbName}`;

  const registryPort = await freePort();
  const registryBase = `http://127.0.0.1:${registryPort}`;
  const registry = start('registry', path.join(ROOT, 'services/registry/dist/main.js'), {
    PORT: String(registryPort),
    DATABASE_URL: databaseUrl.toString(),
    REDIS_URL,
    NATS_URL,
    REDIS_PREFIX: redisPrefix,
    EVENT_NAMESPACE: tag,
    JOB_QUEUE_SUFFIX: tag,
    DATA_DIR: dataDir,
    LOGIN_LIMIT_PER_ACCOUNT: LIMITS.LOGIN_LIMIT_PER_ACCOUNT,
    LOGIN_LIMIT_PER_IP: LIMITS.LOGIN_LIMIT_PER_IP,
    API_RATE_LIMIT_PER_MINUTE: LIMITS.API_RATE_LIMIT_PER_MINUTE,
  });
  await waitReady(registry, registryBase);
  log(
    `registry ready on ${registryBase} (database ${dbName}, Redis prefix ${redisPrefix}, namespace ${tag})`,
  );

  // Through the gateway when it is there; else the registry directly (it serves /auth/* at its root).
  let target = 'registry (direct)';
  let base = registryBase;
  let fallbackReason = '';
  const gatewayEntry = path.join(ROOT, 'services/gateway/dist/main.js');
  if (!fs.existsSync(gatewayEntry)) {
    fallbackReason = 'services/gateway/dist/main.js not built';
  } else {
    const gatewayPort = await freePort();
    const gateway = start('gateway', gatewayEntry, {
      PORT: String(gatewayPort),
      REGISTRY_URL: registryBase,
      REDIS_URL,
      REDIS_PREFIX: redisPrefix,
      GATEWAY_RATE_LIMIT_PER_MINUTE: LIMITS.GATEWAY_RATE_LIMIT_PER_MINUTE,
    });
    try {
      await waitReady(gateway, `http://127.0.0.1:${gatewayPort}`, 30_000);
      target = 'gateway → registry';
      base = `http://127.0.0.1:${gatewayPort}/api/registry`;
    } catch (e) {
      fallbackReason = `gateway failed to start: ${e.message.split('\n')[0]}`;
      await stop(gateway);
    }
  }
  if (fallbackReason) log(`FALLBACK: measuring the registry directly — ${fallbackReason}`);
  log(`target: ${target} (${base})`);
  log(
    `rate limits for this run: ${Object.entries(LIMITS)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
  );

  const email = `${tag}@bench.example`;
  const password = `bench-${crypto.randomBytes(8).toString('hex')}`;
  const signup = await fetch(`${base}/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email,
      password,
      name: 'Bench Buyer',
      organization: { name: `Bench ${tag}`, type: 'buyer' },
    }),
  });
  if (signup.status !== 201) throw new Error(`signup: HTTP ${signup.status} ${await signup.text()}`);
  const loginBody = JSON.stringify({ email, password });

  log(`login: POST ${base}/auth/login, connections 4, ${DURATION} s × ${RUNS} (+${WARMUP} s warm-up)`);
  const login = await load.measure('login', {
    url: `${base}/auth/login`,
    method: 'POST',
    connections: 4,
    headers: { 'content-type': 'application/json' },
    body: loginBody,
  });

  // Fresh token so it cannot expire during the read runs.
  const tokenRes = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: loginBody,
  });
  if (!tokenRes.ok) throw new Error(`login: HTTP ${tokenRes.status} ${await tokenRes.text()}`);
  const { accessToken } = await tokenRes.json();
  if (!accessToken) throw new Error('login response has no accessToken');

  log(`me: GET ${base}/me, connections 10, ${DURATION} s × ${RUNS} (+${WARMUP} s warm-up)`);
  const me = await load.measure('me', {
    url: `${base}/me`,
    method: 'GET',
    connections: 10,
    headers: { authorization: `Bearer ${accessToken}` },
  });

  const cpus = os.cpus();
  const machine = `${cpus[0]?.model.trim() ?? 'unknown CPU'} × ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()} (${os.arch()})`;
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const row = (name, r, i) => `| ${name} | ${i} | ${r.p50} | ${r.p99} | ${r.rps} |`;
  const section = `
## Registry: login and authenticated read

- Date: ${date}
- Machine: ${machine}
- Load average (1 min) before/after: ${loadBefore.toFixed(2)} / ${os.loadavg()[0].toFixed(2)} on ${cpus.length} cores (other processes on the machine skew the figures when this exceeds the core count)
- Node ${process.version}, autocannon ${autocannonVersion()}; PostgreSQL, Redis and NATS on the same host (loopback)
- Command: \`npm run bench\` (root; builds, then runs \`node bench/login-and-read.mjs\` in services/registry), or directly \`node services/registry/bench/login-and-read.mjs --duration=${DURATION} --runs=${RUNS}\`
- Target: **${target}**${fallbackReason ? ` — fallback: ${fallbackReason}` : ''}
- Rate limits raised for the run: ${Object.entries(LIMITS)
    .map(([k, v]) => `\`${k}=${v}\``)
    .join(', ')}
- Load: login = POST /auth/login, one account, 4 connections; me = GET /me with a bearer token, 10 connections; ${DURATION} s per run after a ${WARMUP} s warm-up, ${RUNS} runs each; every response 2xx

| scenario | run | p50 (ms) | p99 (ms) | req/s |
|---|---|---|---|---|
${login.runs.map((r, i) => row('login', r, i + 1)).join('\n')}
| **login** | **median** | **${login.median.p50}** | **${login.median.p99}** | **${login.median.rps}** |
${me.runs.map((r, i) => row('me', r, i + 1)).join('\n')}
| **me** | **median** | **${me.median.p50}** | **${me.median.p99}** | **${me.median.rps}** |

Login is bound by argon2id verification (~22 ms of CPU each, see RELIABILITY.md "Figures"); the ratio me/login
req/s (${(me.median.rps / login.median.rps).toFixed(0)}× here) is the figure to compare across machines.
`;
  if (WRITE_DOC) {
    writeDoc(section);
    log(`wrote ${path.relative(ROOT, DOC)}`);
  }
  console.log(section);
  summary = {
    bench: 'registry:login-and-read',
    target,
    fallback: fallbackReason || null,
    limits: Object.fromEntries(Object.entries(LIMITS).map(([k, v]) => [k, Number(v)])),
    durationS: DURATION,
    runs: RUNS,
    login: login.median,
    me: me.median,
    node: process.version,
    loadavg: [Number(loadBefore.toFixed(2)), Number(os.loadavg()[0].toFixed(2))],
    cpus: `${cpus[0]?.model.trim()} x${cpus.length}`,
    date,
  };
} catch (err) {
  status = 1;
  console.error('[bench:registry] FAILED:', err?.stack ?? err);
  summary = {
    bench: 'registry:login-and-read',
    ok: false,
    error: String(err?.message ?? err).split('\n')[0],
  };
} finally {
  await cleanup();
}
console.log(JSON.stringify(summary));
process.exit(status);

function autocannonVersion() {
  try {
    const p = path.join(ROOT, 'node_modules/autocannon/package.json');
    return JSON.parse(fs.readFileSync(p, 'utf8')).version;
  } catch {
    return 'unknown';
  }
}
