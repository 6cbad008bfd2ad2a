// Registry benchmark: supplier search (GET /suppliers) on the seeded demo data, through the gateway, as a signed-in
// buyer. Own database, Redis prefix and event namespace on the shared servers; the demo seeder
// (tools/seed-demo/dist/main.js, a black box) loads the data once through that gateway — its time is printed and
// is not part of the measurement. Everything is torn down at the end, also on failure or SIGINT.
//
//   node services/registry/bench/search.mjs [--duration=10] [--runs=3] [--warmup=2] [--connections=10] [--no-doc]
//
// The seeder runs from a copy of its dist in a scratch directory ("shadow root", with node_modules and data/
// linked to the repository's), so its .data/demo-accounts.json and .data/demo-sessions.json are written there and
// the repository's own .data/ (the developer's session cache) is left alone; the copy also keeps a rebuild of
// tools/seed-demo during the run from changing the seeder under us. SEED_CONCURRENCY is passed through.
//
// Prints progress, a table, and a one-line JSON summary last. Writes the "Registry: supplier search" section of
// docs/benchmarks.md (between <!-- bench:search --> markers), leaving other sections alone.
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
const MARK_START = '<!-- bench:search -->';
const MARK_END = '<!-- /bench:search -->';
const AFTER_MARK = '<!-- /bench:registry -->'; // a new section goes right after the login/read one
const SEEDER_DIST = path.join(ROOT, 'tools/seed-demo/dist');

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? 'true'];
  }),
);
const DURATION = Number(args.duration ?? 10);
const RUNS = Number(args.runs ?? 3);
const WARMUP = Number(args.warmup ?? 2);
const CONNECTIONS = Number(args.connections ?? 10);
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
const seedRoot = fs.mkdtempSync(path.join(os.tmpdir(), `vinculo-${tag}-seed-`));

// Limits raised so neither the bulk load nor the run hits the limiter (printed and written to the doc).
const LIMITS = {
  SIGNUP_LIMIT_PER_IP: '10000000',
  LOGIN_LIMIT_PER_ACCOUNT: '10000000',
  LOGIN_LIMIT_PER_IP: '10000000',
  API_RATE_LIMIT_PER_MINUTE: '100000000',
  GATEWAY_RATE_LIMIT_PER_MINUTE: '100000000',
};

const log = (...a) => console.log('[bench:search]', ...a);
let dbCreated = false;
let cleaning;
const load = await createLoadRunner({ warmup: WARMUP, runs: RUNS, duration: DURATION, log });

// ---- helpers -------------------------------------------------------------------------------------------------
const procs = createProcesses({ cwd: ROOT });
const { children, waitReady, stop } = procs;
const start = (name, entry, env, opts) => procs.start(name, [entry], env, opts);
const admin = (fn) => withDb(ADMIN_URL, fn);

async function cleanup() {
  cleaning ??= (async () => {
    // Seeder first (it talks to the gateway), then gateway, then registry.
    for (const p of [...children].reverse()) await stop(p).catch(() => {});
    if (dbCreated) {
      await admin((c) => c.query(`drop database if exists "${dbName}" with (force)`)).then(
        () => log(`dropped database ${dbName}`),
        (e) => log(`could not drop database ${dbName}: ${e.message}`),
      );
    }
    await clearRedisPrefix(REDIS_URL, redisPrefix).then(
      (n) => log(`deleted ${n} Redis keys under ${redisPrefix}`),
      (e) => log(`could not clear Redis prefix ${redisPrefix}: ${e.message}`),
    );
    await deleteStreams(NATS_URL, tag, ['registry']).then(
      (names) => log(`deleted NATS streams ${names.join(', ')}`),
      (e) => log(`could not delete NATS streams of ${tag}: ${e.message}`),
    );
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(seedRoot, { recursive: true, force: true });
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

const writeDoc = (section) =>
  writeDocSection(DOC, { start: MARK_START, end: MARK_END, after: AFTER_MARK }, section);

/** A copy of the seeder's dist under a scratch root, so its .data/ files land there (see the header). */
function prepareSeeder() {
  const main = path.join(SEEDER_DIST, 'main.js');
  if (!fs.existsSync(main))
    throw new Error('tools/seed-demo/dist/main.js is missing: build first (npm run bench builds)');
  const dir = path.join(seedRoot, 'tools/seed-demo');
  fs.mkdirSync(dir, { recursive: true });
  fs.cpSync(SEEDER_DIST, path.join(dir, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'tools/seed-demo/package.json'), path.join(dir, 'package.json')); // "type": "module"
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(seedRoot, 'node_modules'), 'dir');
  fs.symlinkSync(path.join(ROOT, 'data'), path.join(seedRoot, 'data'), 'dir');
  return path.join(dir, 'dist/main.js');
}

const sec = (ms) => `${(ms / 1000).toFixed(1)} s`;

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
    SIGNUP_LIMIT_PER_IP: LIMITS.SIGNUP_LIMIT_PER_IP,
    LOGIN_LIMIT_PER_ACCOUNT: LIMITS.LOGIN_LIMIT_PER_ACCOUNT,
    LOGIN_LIMIT_PER_IP: LIMITS.LOGIN_LIMIT_PER_IP,
    API_RATE_LIMIT_PER_MINUTE: LIMITS.API_RATE_LIMIT_PER_MINUTE,
  });
  await waitReady(registry, registryBase);
  log(
    `registry ready on ${registryBase} (database ${dbName}, Redis prefix ${redisPrefix}, namespace ${tag})`,
  );

  // The seeder talks to a gateway, so unlike login-and-read there is no direct-to-registry fallback.
  const gatewayEntry = path.join(ROOT, 'services/gateway/dist/main.js');
  if (!fs.existsSync(gatewayEntry))
    throw new Error('services/gateway/dist/main.js not built (the seeder needs the gateway)');
  const gatewayPort = await freePort();
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const gateway = start('gateway', gatewayEntry, {
    PORT: String(gatewayPort),
    REGISTRY_URL: registryBase,
    REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    GATEWAY_RATE_LIMIT_PER_MINUTE: LIMITS.GATEWAY_RATE_LIMIT_PER_MINUTE,
  });
  await waitReady(gateway, gatewayUrl, 30_000);
  const base = `${gatewayUrl}/api/registry`;
  log(`target: gateway → registry (${base})`);
  log(
    `rate limits for this run: ${Object.entries(LIMITS)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
  );

  // ---- seed (not measured) -----------------------------------------------------------------------------------
  const seederMain = prepareSeeder();
  log(
    `seeding: node tools/seed-demo/dist/main.js (copy in ${seedRoot}) with GATEWAY_URL=${gatewayUrl}${process.env.SEED_CONCURRENCY ? `, SEED_CONCURRENCY=${process.env.SEED_CONCURRENCY}` : ''}`,
  );
  const t0 = performance.now();
  // Registry and gateway only: the seeder's requirements step (matching) is skipped.
  const seeder = start(
    'seed-demo',
    seederMain,
    { GATEWAY_URL: gatewayUrl, SEED_REQUIREMENTS: '0' },
    { cwd: seedRoot, echo: true },
  );
  const seedCode = await seeder.done;
  const seedMs = performance.now() - t0;
  if (seedCode !== 0)
    throw new Error(`seeder exited ${seedCode} after ${sec(seedMs)}:\n${seeder.tail.join('').slice(-3000)}`);
  log(`seeding took ${sec(seedMs)} (not part of the measurement)`);

  const loaded = await withDb(databaseUrl.toString(), async (c) => {
    const one = async (q) => Number((await c.query(q)).rows[0].n);
    const top = await c.query(
      `select t, count(*)::int as n from registry.supplier_profiles, unnest(process_tags) t group by t order by n desc, t limit 1`,
    );
    return {
      suppliers: await one(`select count(*)::int as n from registry.supplier_profiles`),
      facilities: await one(`select count(*)::int as n from registry.facilities`),
      certificates: await one(`select count(*)::int as n from registry.certificates`),
      topTag: top.rows[0] ? { id: top.rows[0].t, n: top.rows[0].n } : null,
    };
  });
  log(
    `loaded: ${loaded.suppliers} supplier profiles, ${loaded.facilities} facilities, ${loaded.certificates} certificates`,
  );
  if (!loaded.suppliers) throw new Error('the seeder loaded no supplier profile');
  if (!loaded.topTag) throw new Error('no supplier has a process tag');
  log(`most common process tag: ${loaded.topTag.id} (${loaded.topTag.n} suppliers)`);

  const loadBeforeMeasure = os.loadavg()[0];

  // ---- a seeded buyer ------------------------------------------------------------------------------------------
  const accounts = JSON.parse(fs.readFileSync(path.join(seedRoot, '.data/demo-accounts.json'), 'utf8'));
  const buyer = accounts.accounts.find((a) => a.type === 'buyer');
  if (!buyer) throw new Error('the seeder wrote no buyer account');
  const loginBody = JSON.stringify({ email: buyer.email, password: accounts.password });
  const token = async () => {
    const res = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: loginBody,
    });
    if (!res.ok) throw new Error(`login as ${buyer.email}: HTTP ${res.status} ${await res.text()}`);
    const { accessToken } = await res.json();
    if (!accessToken) throw new Error('login response has no accessToken');
    return accessToken;
  };
  log(`signed in as seeded buyer ${buyer.email} (${buyer.name})`);

  // ---- the three combinations --------------------------------------------------------------------------------
  const combos = [
    { key: 'buyer', label: 'typical buyer search', query: 'q=maquinado&state=22' },
    {
      key: 'automotive',
      label: 'automotive, certified, SME',
      query: 'scian=3363&certificate=iatf-16949-2016&size=small&size=medium',
    },
    {
      key: 'browse',
      label: 'broad browse',
      query: `process=${encodeURIComponent(loaded.topTag.id)}&limit=50`,
    },
  ];

  const results = [];
  for (const combo of combos) {
    const accessToken = await token(); // fresh per combination: cannot expire during its runs
    const headers = { authorization: `Bearer ${accessToken}` };
    // How many suppliers match (paging through with limit=100) and the size of the measured page.
    let matches = 0;
    let firstPage;
    let cursor;
    const pageLimit = new URLSearchParams(combo.query).get('limit');
    do {
      const qs = new URLSearchParams(combo.query);
      qs.set('limit', '100');
      if (cursor) qs.set('cursor', cursor);
      const res = await fetch(`${base}/suppliers?${qs}`, { headers });
      if (!res.ok)
        throw new Error(`${combo.key}: GET /suppliers?${qs}: HTTP ${res.status} ${await res.text()}`);
      const page = await res.json();
      matches += page.items.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    {
      const res = await fetch(`${base}/suppliers?${combo.query}`, { headers });
      if (!res.ok)
        throw new Error(
          `${combo.key}: GET /suppliers?${combo.query}: HTTP ${res.status} ${await res.text()}`,
        );
      firstPage = (await res.json()).items.length;
    }
    log(
      `${combo.key}: GET /suppliers?${combo.query} — ${matches} matching suppliers, ${firstPage} on the measured page (limit ${pageLimit ?? 20}); ${CONNECTIONS} connections, ${DURATION} s × ${RUNS} (+${WARMUP} s warm-up)`,
    );
    const m = await load.measure(combo.key, {
      url: `${base}/suppliers?${combo.query}`,
      method: 'GET',
      connections: CONNECTIONS,
      headers,
    });
    results.push({ ...combo, matches, firstPage, ...m });
  }
  const loadAfter = os.loadavg()[0];

  const cpus = os.cpus();
  const machine = `${cpus[0]?.model.trim() ?? 'unknown CPU'} × ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()} (${os.arch()})`;
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const row = (name, r, i) => `| ${name} | ${i} | ${r.p50} | ${r.p99} | ${r.rps} |`;
  const section = `
## Registry: supplier search

- Date: ${date}
- Machine: ${machine}
- Load average (1 min) before the run / before the measurement (after seeding) / after: ${loadBefore.toFixed(2)} / ${loadBeforeMeasure.toFixed(2)} / ${loadAfter.toFixed(2)} on ${cpus.length} cores (other processes on the machine skew the figures when this exceeds the core count)
- Node ${process.version}, autocannon ${autocannonVersion()}; PostgreSQL, Redis and NATS on the same host (loopback)
- Command: \`npm run bench\` (root; builds, then runs \`node bench/login-and-read.mjs && node bench/search.mjs\` in services/registry), or directly \`node services/registry/bench/search.mjs --duration=${DURATION} --runs=${RUNS}\`
- Target: **gateway → registry**, \`GET /api/registry/suppliers\` with a seeded buyer's bearer token (${buyer.email})
- Rate limits raised for the run: ${Object.entries(LIMITS)
    .map(([k, v]) => `\`${k}=${v}\``)
    .join(', ')}
- Data: the demo seeder (\`tools/seed-demo/dist/main.js\`) run once against that gateway into a fresh database: **${loaded.suppliers.toLocaleString('en-US')} suppliers**, ${loaded.facilities.toLocaleString('en-US')} facilities, ${loaded.certificates.toLocaleString('en-US')} certificates, loaded in ${sec(seedMs)} (not measured)
- Load: ${CONNECTIONS} connections, ${DURATION} s per run after a ${WARMUP} s warm-up, ${RUNS} runs per combination; every response 2xx

| combination | query | matching suppliers | items per page |
|---|---|---|---|
${results.map((r) => `| ${r.key} (${r.label}) | \`${r.query}\` | ${r.matches} | ${r.firstPage} |`).join('\n')}

| combination | run | p50 (ms) | p99 (ms) | req/s |
|---|---|---|---|---|
${results.map((r) => `${r.runs.map((x, i) => row(r.key, x, i + 1)).join('\n')}\n| **${r.key}** | **median** | **${r.median.p50}** | **${r.median.p99}** | **${r.median.rps}** |`).join('\n')}

\`${combos[2].query.split('&')[0]}\` is the process tag most suppliers carry in the seeded data (${loaded.topTag.n} of ${loaded.suppliers}).
Compare with the \`me\` row of the login/read section (same gateway path and token check, no search) for the cost
of the search itself.
`;
  if (WRITE_DOC) {
    writeDoc(section);
    log(`wrote ${path.relative(ROOT, DOC)}`);
  }
  console.log(section);
  summary = {
    bench: 'registry:search',
    target: 'gateway → registry',
    limits: Object.fromEntries(Object.entries(LIMITS).map(([k, v]) => [k, Number(v)])),
    suppliers: loaded.suppliers,
    facilities: loaded.facilities,
    seedS: Math.round(seedMs / 100) / 10,
    durationS: DURATION,
    runs: RUNS,
    connections: CONNECTIONS,
    ...Object.fromEntries(results.map((r) => [r.key, { query: r.query, matches: r.matches, ...r.median }])),
    node: process.version,
    loadavg: [loadBefore, loadBeforeMeasure, loadAfter].map((x) => Number(x.toFixed(2))),
    cpus: `${cpus[0]?.model.trim()} x${cpus.length}`,
    date,
  };
} catch (err) {
  status = 1;
  console.error('[bench:search] FAILED:', err?.stack ?? err);
  summary = { bench: 'registry:search', ok: false, error: String(err?.message ?? err).split('\n')[0] };
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
