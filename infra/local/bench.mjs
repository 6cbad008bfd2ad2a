// `npm run bench`: reuse or start PostgreSQL/Redis/NATS, build, then run every workspace's "bench" script in
// turn (each writes its own section of docs/benchmarks.md). Extra arguments go to each bench script.
import fs from 'node:fs';
import path from 'node:path';
import {
  ROOT,
  ensureDebianPackages,
  ensureInfra,
  ensureNodeModules,
  log,
  onShutdown,
  run,
  turbo,
  warn,
} from './lib.mjs';

function workspaces() {
  const root = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const dirs = [];
  for (const pattern of root.workspaces ?? []) {
    if (pattern.endsWith('/*')) {
      const base = path.join(ROOT, pattern.slice(0, -2));
      if (!fs.existsSync(base)) continue;
      for (const d of fs.readdirSync(base).sort()) dirs.push(path.join(base, d));
    } else dirs.push(path.join(ROOT, pattern));
  }
  return dirs
    .filter((d) => fs.existsSync(path.join(d, 'package.json')))
    .map((dir) => ({ dir, pkg: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) }))
    .filter(({ pkg }) => pkg.scripts?.bench);
}

let infra;
onShutdown(async (sig) => {
  warn(`${sig}: stopping`);
  await infra?.stop();
  process.exit(130);
});

let status = 0;
try {
  await ensureDebianPackages(['postgresql', 'redis-server', 'nats-server']);
  infra = await ensureInfra();
  await ensureNodeModules();
  const env = { ...process.env, ...infra.env, NODE_ENV: process.env.NODE_ENV || 'production' };
  if (
    process.env.SKIP_BUILD !== '1' &&
    (await turbo(['run', 'build', '--output-logs=errors-only'], { env })) !== 0
  ) {
    throw new Error('build failed');
  }
  const benches = workspaces();
  if (!benches.length) log('no workspace has a "bench" script yet');
  const extra = process.argv.slice(2);
  for (const { dir, pkg } of benches) {
    log(`bench: ${pkg.name}`);
    const code = await run('npm', ['run', 'bench', ...(extra.length ? ['--', ...extra] : [])], {
      cwd: dir,
      env,
    });
    if (code !== 0) {
      warn(`bench ${pkg.name} failed (exit ${code})`);
      status = code;
    }
  }
} catch (err) {
  warn(`error: ${err?.message ?? err}`);
  status = 1;
} finally {
  await infra?.stop();
}
process.exit(status);
