// Fails when a library that crosses package boundaries is installed in more than one version
// (two copies of fastify, TypeBox, pg… break instanceof checks, type providers and plugin registries).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHARED = [
  'typebox',
  'fastify',
  'bullmq',
  'ioredis',
  '@nats-io/nats-core',
  '@nats-io/jetstream',
  '@nats-io/transport-node',
  'typescript',
  'kysely',
  'pg',
  'jsonwebtoken',
  'pino',
];

const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
if (!lock.packages) {
  console.error('package-lock.json has no "packages" map (lockfileVersion >= 2 expected)');
  process.exit(1);
}
/** name → version → [install paths] */
const found = new Map(SHARED.map((n) => [n, new Map()]));
for (const [location, meta] of Object.entries(lock.packages)) {
  const i = location.lastIndexOf('node_modules/');
  if (i < 0 || meta.link) continue;
  const name = meta.name ?? location.slice(i + 'node_modules/'.length);
  const versions = found.get(name);
  if (!versions || !meta.version) continue;
  if (!versions.has(meta.version)) versions.set(meta.version, []);
  versions.get(meta.version).push(location);
}

const dupes = [...found].filter(([, versions]) => versions.size > 1);
if (dupes.length) {
  console.error('single versions: FAILED — these shared libraries are installed in more than one version:');
  for (const [name, versions] of dupes) {
    console.error(`  ${name}`);
    for (const [version, locations] of versions) console.error(`    ${version}: ${locations.join(', ')}`);
  }
  console.error("Align the version ranges in the workspaces' package.json files, then run npm install.");
  process.exit(1);
}
console.log('single versions: ok');
