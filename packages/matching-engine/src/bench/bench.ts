#!/usr/bin/env node
// bench:matching [--suppliers N] [--queries Q] [--json] [--update-doc docs/benchmarks.md]: the in-process half
// of issue 4's benchmark. The HTTP and freshness halves run the matching service: services/matching/bench/matching.mjs
// (root `npm run bench:matching`) runs this CLI first and then those.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createIndex } from '../engine-index.js';
import { match } from '../match.js';
import type { EngineRequirement } from '../types.js';
import { catalogues, rng, syntheticRequirement, syntheticSupplier } from './synthetic.js';

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const round = (x: number): number => Math.round(x * 100) / 100;

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function main(): number {
  const { values } = parseArgs({
    options: {
      suppliers: { type: 'string', default: '100000' },
      queries: { type: 'string', default: '2000' },
      json: { type: 'boolean', default: false },
      'update-doc': { type: 'string' },
    },
  });
  const n = Number(values.suppliers);
  const q = Number(values.queries);
  if (!Number.isInteger(n) || n <= 0 || !Number.isInteger(q) || q <= 0) {
    process.stderr.write(
      'usage: bench:matching -- [--suppliers N] [--queries Q] [--json] [--update-doc FILE]\n',
    );
    return 2;
  }
  const r = rng(42);
  const cat = catalogues();
  const suppliers = Array.from({ length: n }, (_, i) => syntheticSupplier(r, i, cat));
  const requirements: EngineRequirement[] = Array.from({ length: q }, () => syntheticRequirement(r, cat));
  gc();
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const index = createIndex(suppliers);
  const buildMs = performance.now() - t0;
  gc();
  const memoryMb = (process.memoryUsage().rss - rssBefore) / 1048576;

  for (const req of requirements.slice(0, Math.min(100, q))) match(index, req, { limit: 20 });
  const times: number[] = [];
  let matched = 0;
  for (const req of requirements) {
    const s = performance.now();
    const res = match(index, req, { limit: 20 });
    times.push(performance.now() - s);
    matched += res.total;
  }
  times.sort((a, b) => a - b);
  const result = {
    suppliers: n,
    buildMs: Math.round(buildMs),
    memoryMb: Math.round(memoryMb),
    inProcess: { p50Ms: round(percentile(times, 50)), p99Ms: round(percentile(times, 99)) },
    http: null,
    freshnessP99Ms: null,
  };
  const cpus = os.cpus();
  const machine = `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
  const lines = [
    `suppliers ${n}, queries ${q} (80 % typical, 20 % broad), mean candidates ${Math.round(matched / q)}`,
    `build ${result.buildMs} ms, memory +${result.memoryMb} MB RSS`,
    `in-process match p50 ${result.inProcess.p50Ms} ms, p99 ${result.inProcess.p99Ms} ms (max ${round(times[times.length - 1] ?? 0)} ms)`,
    'http, freshness: measured by services/matching/bench/matching.mjs (root npm run bench:matching), not by this CLI',
    `machine: ${machine}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (values['update-doc']) {
    const path = resolve(process.cwd(), values['update-doc']);
    const section = [
      '<!-- bench:matching -->',
      '## Matching engine (in-process)',
      '',
      `- Command: \`node packages/matching-engine/dist/bench/bench.js --suppliers ${n} --queries ${q}\` (the in-process part of the root \`npm run bench:matching\`)`,
      `- Machine: ${machine}`,
      `- Date: ${new Date().toISOString().slice(0, 10)}`,
      '',
      '| suppliers | build | memory (RSS growth) | match p50 | match p99 |',
      '|---|---|---|---|---|',
      `| ${n.toLocaleString('en')} | ${result.buildMs} ms | ${result.memoryMb} MB | ${result.inProcess.p50Ms} ms | ${result.inProcess.p99Ms} ms |`,
      '',
      `Synthetic suppliers (seeded) and ${q} requirements, 80 % typical (a SCIAN class or a process, often ISO 9001, a`,
      '300 km radius or a tier) and 20 % broad (a whole sector). Targets (issue 4): build ≤ 10 s, in-process p99 ≤ 10 ms.',
      'HTTP and freshness: the next section (the matching service through the gateway).',
      '<!-- /bench:matching -->',
    ].join('\n');
    const doc = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
    const re = /<!-- bench:matching -->[\s\S]*?<!-- \/bench:matching -->/;
    writeFileSync(
      path,
      re.test(doc) ? doc.replace(re, section) : `${doc.replace(/\n*$/, '\n\n')}${section}\n`,
    );
  }
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  return 0;
}

process.exitCode = main();
