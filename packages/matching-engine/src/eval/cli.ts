#!/usr/bin/env node
// vinculo-eval-matching --data <file.jsonl> [--json]: the leave-one-out evaluation of data/README.md.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseProcesses } from './dataset.js';
import { evaluate, type Metrics } from './protocol.js';

function row(name: string, m: Metrics): string {
  const f = (x: number): string => x.toFixed(3);
  return `${name.padEnd(12)} ${f(m.mrr).padStart(6)} ${f(m.recall1).padStart(6)} ${f(m.recall5).padStart(6)} ${f(m.recall10).padStart(6)}`;
}

function main(): number {
  const { values } = parseArgs({
    options: { data: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (!values.data) {
    process.stderr.write('usage: eval:matching -- --data <file.jsonl> [--json]\n');
    return 2;
  }
  const path = resolve(process.cwd(), values.data);
  const { processes, skipped } = parseProcesses(readFileSync(path, 'utf8'));
  const started = performance.now();
  const r = evaluate(processes);
  const ms = performance.now() - started;
  const lines = [
    `data: ${path} (${processes.length} processes${skipped ? `, ${skipped} unreadable lines skipped` : ''})`,
    `triples: ${r.triples}   candidate pool: ${r.candidates}   (${Math.round(ms)} ms)`,
    `${'system'.padEnd(12)} ${'MRR'.padStart(6)} ${'R@1'.padStart(6)} ${'R@5'.padStart(6)} ${'R@10'.padStart(6)}`,
    row('engine', r.engine),
    row('random', r.baselines.random),
    row('popularity', r.baselines.popularity),
    row('bm25', r.baselines.bm25),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (values.json) process.stdout.write(`${JSON.stringify(r)}\n`);
  return 0;
}

process.exitCode = main();
