// `npm test` (and `npm run test:chaos`): bring up PostgreSQL, Redis and NATS (reusing running ones), install
// npm packages if needed, drop stale test databases, build, check single versions, run every package's tests.
//
//   npm test                                   all tests
//   npm test -- --filter=@vinculo/registry     turbo options (--filter/-F, --continue, --force) go to turbo
//   npm test -- -t "login"                     anything else is passed to each package's test script (vitest)
//   npm run test:chaos                         also the long soak tests (CHAOS=1)
import {
  ROOT,
  capture,
  ensureDebianPackages,
  ensureInfra,
  ensureNodeModules,
  log,
  onShutdown,
  run,
  turbo,
  warn,
} from './lib.mjs';

const argv = process.argv.slice(2);
const chaos = argv.includes('--chaos');
const turboArgs = [];
const passArgs = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--chaos' || a === '--') continue;
  if (a === '--filter' || a === '-F') turboArgs.push(a, argv[++i] ?? '');
  else if (/^(--filter=|--force|--continue|--affected|--output-logs|--log-order|--summarize)/.test(a))
    turboArgs.push(a);
  else passArgs.push(a);
}

let infra;
let status = 1;
onShutdown(async (sig) => {
  warn(`${sig}: stopping`);
  await infra?.stop();
  process.exit(130);
});

try {
  await ensureDebianPackages(['postgresql', 'redis-server', 'nats-server']);
  infra = await ensureInfra();
  await ensureNodeModules();

  const env = { ...process.env, ...infra.env };
  if (!env.TEST_ADMIN_DATABASE_URL) {
    const admin = new URL(env.DATABASE_URL);
    admin.pathname = '/postgres';
    env.TEST_ADMIN_DATABASE_URL = admin.toString();
  }
  if (chaos) env.CHAOS = '1';

  // Stale per-file test databases (t_*) and templates (tpl_*) from killed runs.
  const list = capture(
    'psql',
    [
      env.TEST_ADMIN_DATABASE_URL,
      '-w',
      '-XAtc',
      "select datname from pg_database where datname like 't\\_%' or datname like 'tpl\\_%'",
    ],
    { env },
  );
  if (list.code !== 0) throw new Error(`cannot list test databases: ${list.stderr.trim()}`);
  // A t_<label>_<base36 ms>_<hex> database younger than STALE_TEST_DB_MINUTES may belong to a test run still
  // going on (another terminal): keep it, and keep the templates too while such a run may be using them.
  const names = list.stdout.split('\n').filter(Boolean);
  const maxAgeMs = Number(process.env.STALE_TEST_DB_MINUTES ?? 30) * 60_000;
  const isFresh = (n) => {
    const stamp = /^t_[a-z0-9]+_([a-z0-9]+)_/.exec(n)?.[1];
    return stamp !== undefined && Date.now() - Number.parseInt(stamp, 36) < maxAgeMs;
  };
  const fresh = names.filter(isFresh);
  if (fresh.length)
    log(`keeping ${fresh.length} recent test database(s) and the templates (another test run may be active)`);
  const stale = names.filter((n) => !isFresh(n) && !(fresh.length && n.startsWith('tpl_')));
  let dropped = 0;
  for (const name of stale) {
    const ident = `"${name.replace(/"/g, '""')}"`;
    const r = capture(
      'psql',
      [
        env.TEST_ADMIN_DATABASE_URL,
        '-w',
        '-Xq',
        '-c',
        `alter database ${ident} is_template false`,
        '-c',
        `drop database if exists ${ident} with (force)`,
      ],
      { env },
    );
    if (r.code !== 0) warn(`could not drop ${name}: ${r.stderr.trim()}`);
    else dropped++;
  }
  if (dropped) log(`dropped ${dropped} stale test database(s)`);

  for (const check of ['check-single-versions.mjs', 'check-compose.mjs']) {
    if ((await run(process.execPath, [`infra/local/${check}`], { cwd: ROOT })) !== 0)
      throw new Error(`${check} failed`);
  }
  if ((await turbo(['run', 'build'], { env })) !== 0) throw new Error('build failed');
  const testArgs = ['run', 'test', '--concurrency=1', '--continue', ...turboArgs];
  if (passArgs.length) testArgs.push('--', ...passArgs);
  status = await turbo(testArgs, { env });
  log(status === 0 ? 'tests passed' : `tests failed (exit ${status})`);
} catch (err) {
  warn(`error: ${err?.message ?? err}`);
  status = 1;
} finally {
  await infra?.stop();
}
process.exit(status);
