// Static check of docker-compose.yml and infra/Dockerfile (no Docker engine runs on the build machines).
// Uses `docker compose config` when an engine answers, else parses the YAML with python3's `yaml` module,
// else falls back to checking key lines. Then checks the structure this project relies on.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const composePath = path.join(ROOT, 'docker-compose.yml');
const dockerfilePath = path.join(ROOT, 'infra', 'Dockerfile');
const problems = [];
const notes = [];

const INFRA = ['nats', 'redis', 'postgres'];
const APPS = { registry: 3001, matching: 3002, gateway: 8080 };
const APP_ENV = ['DATABASE_URL', 'REDIS_URL', 'NATS_URL', 'HOST', 'PORT'];

function sh(cmd, args, input) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', input, timeout: 30_000 });
  return { code: r.error ? -1 : r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

// 1. Parse.
let compose;
const docker = sh('docker', ['compose', 'config', '--format', 'json']);
if (docker.code === 0) {
  compose = JSON.parse(docker.stdout);
  notes.push('parsed with docker compose config');
} else {
  const py = sh(
    'python3',
    ['-c', 'import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'],
    fs.readFileSync(composePath, 'utf8'),
  );
  if (py.code === 0) {
    compose = JSON.parse(py.stdout);
    notes.push('parsed with python3 yaml (no Docker engine)');
  } else if (/ModuleNotFoundError|No module named/.test(py.stderr) || py.code === -1) {
    notes.push('no Docker engine and no python3 yaml: checked key lines only');
  } else {
    problems.push(`docker-compose.yml is not valid YAML:\n${py.stderr.trim()}`);
  }
}

// 2. Structure.
const text = fs.readFileSync(composePath, 'utf8');
if (compose) {
  const services = compose.services ?? {};
  const volumes = Object.keys(compose.volumes ?? {});
  for (const name of [...INFRA, ...Object.keys(APPS)])
    if (!services[name]) problems.push(`service "${name}" is missing`);
  for (const [name, svc] of Object.entries(services)) {
    if (!svc.image && !svc.build) problems.push(`${name}: neither image nor build`);
    const deps = Array.isArray(svc.depends_on) ? svc.depends_on : Object.keys(svc.depends_on ?? {});
    for (const d of deps) if (!services[d]) problems.push(`${name}: depends_on unknown service "${d}"`);
    for (const v of svc.volumes ?? []) {
      const source = typeof v === 'string' ? v.split(':')[0] : v.source;
      if (source && !source.startsWith('.') && !source.startsWith('/') && !volumes.includes(source)) {
        problems.push(`${name}: volume "${source}" is not declared under volumes:`);
      }
    }
  }
  for (const name of INFRA)
    if (services[name] && !services[name].healthcheck) problems.push(`${name}: no healthcheck`);
  const cmd = (s) => [].concat(s?.command ?? []).join(' ');
  if (services.nats && !/-js\b/.test(cmd(services.nats)))
    problems.push('nats: JetStream (-js) is not enabled');
  if (services.redis && !/noeviction/.test(cmd(services.redis)))
    problems.push('redis: maxmemory-policy noeviction missing');
  if (services.redis && !/appendonly\s+yes/.test(cmd(services.redis)))
    problems.push('redis: AOF (--appendonly yes) missing');
  for (const [name, port] of Object.entries(APPS)) {
    const svc = services[name];
    if (!svc) continue;
    const build = typeof svc.build === 'string' ? { context: svc.build } : (svc.build ?? {});
    if (!String(build.dockerfile ?? '').endsWith('infra/Dockerfile'))
      problems.push(`${name}: not built from infra/Dockerfile`);
    if (build.args?.SERVICE !== name) problems.push(`${name}: build arg SERVICE should be "${name}"`);
    if (!fs.existsSync(path.join(ROOT, 'services', name, 'package.json')))
      problems.push(`${name}: services/${name} does not exist`);
    const env = Array.isArray(svc.environment)
      ? Object.fromEntries(svc.environment.map((e) => e.split(/=(.*)/s).slice(0, 2)))
      : (svc.environment ?? {});
    for (const k of APP_ENV) if (!(k in env)) problems.push(`${name}: environment ${k} missing`);
    if (String(env.PORT) !== String(port)) problems.push(`${name}: PORT should be ${port}`);
    const deps = Array.isArray(svc.depends_on) ? svc.depends_on : Object.keys(svc.depends_on ?? {});
    for (const d of INFRA) if (!deps.includes(d)) problems.push(`${name}: should depend on ${d}`);
  }
  const gw = services.gateway;
  if (gw) {
    const ports = (gw.ports ?? []).map((p) =>
      typeof p === 'object' ? `${p.published}:${p.target}` : String(p),
    );
    if (!ports.some((p) => /(^|:)8080:8080$/.test(p))) problems.push('gateway: port 8080 is not published');
    const env = gw.environment ?? {};
    if (!Array.isArray(env) && env.REGISTRY_URL !== 'http://registry:3001')
      problems.push('gateway: REGISTRY_URL should be http://registry:3001');
    if (!Array.isArray(env) && env.MATCHING_URL !== 'http://matching:3002')
      problems.push('gateway: MATCHING_URL should be http://matching:3002');
  }
  const matchingEnv = services.matching?.environment ?? {};
  if (services.matching && !Array.isArray(matchingEnv)) {
    if (matchingEnv.JWKS_URL !== 'http://registry:3001/.well-known/jwks.json')
      problems.push('matching: JWKS_URL should be http://registry:3001/.well-known/jwks.json');
    if (!matchingEnv.JWT_ISSUER) problems.push('matching: environment JWT_ISSUER missing');
  }
} else if (!problems.length) {
  for (const line of [
    'services:',
    '  nats:',
    '  redis:',
    '  postgres:',
    '  registry:',
    '  matching:',
    '  gateway:',
    "'8080:8080'",
    'dockerfile: infra/Dockerfile',
  ]) {
    // Keys (`services:`, `  <service>:`) must be whole lines: `  matching:` also occurs inside depends_on.
    const found = line.endsWith(':')
      ? text.split('\n').some((l) => l.trimEnd() === line)
      : text.includes(line);
    if (!found) problems.push(`docker-compose.yml: expected "${line.trim()}"`);
  }
}

// 3. Dockerfile: stages referenced exist, SERVICE declared where used, turbo prune present.
const dockerfile = fs.readFileSync(dockerfilePath, 'utf8').replace(/\\\n/g, ' ');
const stages = [];
let stage = null;
for (const raw of dockerfile.split('\n')) {
  const line = raw.trim();
  if (!line || line.startsWith('#')) continue;
  const [instr] = line.split(/\s+/);
  const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?/i.exec(line);
  if (from) {
    stage = { name: from[1]?.toLowerCase(), args: new Set() };
    stages.push(stage);
    continue;
  }
  if (!stage) {
    if (!/^(ARG)$/i.test(instr)) problems.push(`Dockerfile: "${instr}" before the first FROM`);
    continue;
  }
  if (/^ARG$/i.test(instr)) stage.args.add(line.split(/\s+/)[1].split('=')[0]);
  const copyFrom = /--from=(\S+)/.exec(line);
  if (copyFrom && /^COPY$/i.test(instr) && !stages.some((s) => s.name === copyFrom[1].toLowerCase())) {
    problems.push(`Dockerfile: COPY --from=${copyFrom[1]} names no earlier stage`);
  }
  if (/^(RUN|ENV|COPY)$/i.test(instr) && /\$\{?SERVICE\b/.test(line) && !stage.args.has('SERVICE')) {
    problems.push(`Dockerfile: stage ${stage.name ?? '?'} uses $SERVICE without ARG SERVICE`);
  }
}
if (!/turbo@?\S*\s+prune\s+@vinculo\/\$\{SERVICE\}\s+--docker/.test(dockerfile))
  problems.push('Dockerfile: turbo prune --docker step missing');
if (!/services\/\$\{SERVICE\}\/dist\/main\.js/.test(dockerfile))
  problems.push('Dockerfile: CMD should run services/${SERVICE}/dist/main.js');
if (stages.length < 2) problems.push('Dockerfile: expected a multi-stage build');

if (problems.length) {
  console.error(`compose check: FAILED (${notes.join('; ')})`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
console.log(`compose check: ok (${notes.join('; ')})`);
