// `npm start`: install what is missing, reuse or start PostgreSQL/Redis/NATS, build, start every service
// (each runs its own migrations and stream provisioning at boot), print the gateway URL, stay in the
// foreground. Ctrl-C (or SIGTERM) stops the services, then the servers this script started.
//
// Environment: DATABASE_URL, REDIS_URL, NATS_URL, LOG_LEVEL, HOST, DATA_DIR, <SERVICE>_PORT (e.g.
// GATEWAY_PORT=8081), <SERVICE>_URL (e.g. REGISTRY_URL, else derived from the port), SKIP_BUILD=1.
//
// `npm start -- --demo`: raises the sign-up, login and per-minute rate limits of the services it starts (unless
// the variable is already set), so `npm run seed:demo` can load thousands of demo organisations from one
// address. Never for a deployment: those limits are what stops credential stuffing and sign-up floods.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {
  ROOT,
  ensureDebianPackages,
  ensureInfra,
  ensureNodeModules,
  log,
  onShutdown,
  sleep,
  spawnChild,
  turbo,
  warn,
} from './lib.mjs';

/** Started in this order; each later service gets <NAME>_URL of the ones before it. */
const SERVICES = [
  { name: 'registry', port: 3001 },
  { name: 'matching', port: 3002 },
  // { name: 'audits', port: 3003 },
  // { name: 'messaging', port: 3004 },
  { name: 'gateway', port: 8080 },
];

const DEMO = process.argv.slice(2).includes('--demo');
/** High limits for loading demo data (`--demo`); a variable already set in the environment wins. */
const DEMO_LIMITS = {
  SIGNUP_LIMIT_PER_IP: '100000',
  LOGIN_LIMIT_PER_IP: '100000',
  LOGIN_LIMIT_PER_ACCOUNT: '1000',
  API_RATE_LIMIT_PER_MINUTE: '1000000',
  GATEWAY_RATE_LIMIT_PER_MINUTE: '1000000',
};
const demoEnv = DEMO ? Object.fromEntries(Object.entries(DEMO_LIMITS).filter(([k]) => !process.env[k])) : {};

const HEALTH_TIMEOUT_MS = Number(process.env.HEALTH_TIMEOUT_MS || 60_000);
const STOP_GRACE_MS = 10_000;

function healthOk(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

let infra;
const running = []; // started services, in start order
let stopping = false;

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const svc of [...running].reverse()) {
    log(`stopping ${svc.name}`);
    await svc.child.stop(STOP_GRACE_MS);
  }
  await infra?.stop();
  process.exit(code);
}

onShutdown(async (sig) => {
  log(`${sig}: shutting down`);
  await stopAll(0);
});

if (DEMO) {
  const shown = Object.keys(DEMO_LIMITS)
    .map((k) => `${k}=${demoEnv[k] ?? `${process.env[k]} (from the environment)`}`)
    .join(', ');
  log(`--demo: raised rate limits for loading demo data (${shown}); not for production`);
}

try {
  await ensureDebianPackages(['postgresql', 'redis-server', 'nats-server']);
  infra = await ensureInfra();
  await ensureNodeModules();
  if (process.env.SKIP_BUILD !== '1') {
    log('building (turbo run build)…');
    const code = await turbo(['run', 'build', '--output-logs=errors-only'], {
      env: { ...process.env, ...infra.env },
    });
    if (code !== 0) throw new Error(`build failed (exit ${code})`);
  }

  const host = process.env.HOST || '127.0.0.1';
  const dataDir = path.resolve(ROOT, process.env.DATA_DIR || '.data');
  const urls = {};
  // Every service must agree on the token issuer (the registry's public path at the gateway) and find the
  // registry's public keys, wherever the ports were moved.
  const gatewayPort = Number(
    process.env.GATEWAY_PORT || SERVICES.find((s) => s.name === 'gateway')?.port || 8080,
  );
  const identity = {
    JWT_ISSUER: process.env.JWT_ISSUER || `http://127.0.0.1:${gatewayPort}/api/registry`,
  };
  for (const { name, port: defaultPort } of SERVICES) {
    const key = name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
    const port = Number(process.env[`${key}_PORT`] || defaultPort);
    urls[`${key}_URL`] = process.env[`${key}_URL`] || `http://127.0.0.1:${port}`;
    const main = path.join(ROOT, 'services', name, 'dist', 'main.js');
    if (!fs.existsSync(main)) {
      throw new Error(
        `services/${name}/dist/main.js is missing: does services/${name}/src/main.ts exist and build?`,
      );
    }
    const env = {
      ...process.env,
      ...demoEnv,
      ...infra.env,
      ...urls,
      ...identity,
      ...(urls.REGISTRY_URL && !process.env.JWKS_URL
        ? { JWKS_URL: `${urls.REGISTRY_URL}/.well-known/jwks.json` }
        : {}),
      HOST: host,
      PORT: String(port),
      LOG_LEVEL: process.env.LOG_LEVEL || 'info',
      DATA_DIR: dataDir,
    };
    log(`starting ${name} on ${host}:${port}`);
    const child = spawnChild(name, process.execPath, [main], { env, prefix: true });
    const svc = { name, port, child };
    running.push(svc);
    child.exited.then(({ code, signal }) => {
      if (stopping) return;
      warn(`${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`);
      void stopAll(1);
    });

    const healthUrl = `http://127.0.0.1:${port}/health`;
    const deadline = Date.now() + HEALTH_TIMEOUT_MS;
    for (;;) {
      if (stopping) await new Promise(() => {}); // stopAll will exit the process
      if (await healthOk(healthUrl)) break;
      if (Date.now() > deadline) {
        throw new Error(
          `${name} did not answer 200 at ${healthUrl} within ${HEALTH_TIMEOUT_MS / 1000}s; last output:\n${child.tail()}`,
        );
      }
      await sleep(300);
    }
    log(`${name} is healthy`);
  }
  const gateway = urls.GATEWAY_URL ?? 'http://127.0.0.1:8080';
  console.log(`\nVínculo is up: ${gateway}\nAPI docs:      ${gateway}/docs\nCtrl-C to stop.\n`);
  if (DEMO) console.log('Demo mode: rate limits raised for `npm run seed:demo`.\n');
} catch (err) {
  warn(`error: ${err?.message ?? err}`);
  await stopAll(1);
}
