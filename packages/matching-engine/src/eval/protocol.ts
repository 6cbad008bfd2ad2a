import { createIndex } from '../engine-index.js';
import { scoreAll } from '../match.js';
import { TextIndex } from '../text-index.js';
import { tokenize } from '../tokenize.js';
import type { EngineRequirement, EngineSupplier, EngineTrackRecord, Weights } from '../types.js';
import {
  normaliseSupplierName,
  withoutOutcome,
  type Classification,
  type ProcessItem,
  type ProcessRecord,
  type TenderView,
} from './dataset.js';

export interface Metrics {
  readonly mrr: number;
  readonly recall1: number;
  readonly recall5: number;
  readonly recall10: number;
}

export interface EvaluationResult {
  readonly triples: number;
  /** Pool size (mean over triples, rounded; with this protocol it is the same for every triple). */
  readonly candidates: number;
  readonly engine: Metrics;
  readonly baselines: { readonly random: Metrics; readonly popularity: Metrics; readonly bm25: Metrics };
}

/** One supplier's win: the process and which award of it. */
interface Win {
  readonly process: ProcessRecord;
  readonly awardIndex: number;
}

interface SupplierEntry {
  readonly key: string;
  /** The first spelling seen, for display. */
  readonly name: string;
  readonly wins: Win[];
  scale: string | null;
}

const SIZE_OF_SCALE: Readonly<Record<string, EngineSupplier['sizeClass']>> = {
  micro: 'micro',
  pequena: 'small',
  small: 'small',
  mediana: 'medium',
  medium: 'medium',
  'no mipyme': 'large',
  large: 'large',
  grande: 'large',
};

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function classifications(item: ProcessItem): Classification[] {
  return [item.classification ?? null, ...(item.additionalClassifications ?? [])].filter(
    (c): c is Classification => c !== null && typeof c === 'object',
  );
}

/** Item description plus its classification's words (GACM puts the budget line's name in `scheme`). */
function itemText(item: ProcessItem): string {
  const parts = [str(item.description)];
  for (const c of classifications(item)) parts.push(str(c.description), str(c.scheme));
  return parts.filter((p) => p !== '').join(' ');
}

function itemCodes(item: ProcessItem): string[] {
  return classifications(item)
    .map((c) => str(c.id))
    .filter((c) => c !== '');
}

/** The winners of a process (normalised names), over every award whatever its status. */
function winnersOf(p: ProcessRecord): Map<string, { name: string; scale: string | null }> {
  const out = new Map<string, { name: string; scale: string | null }>();
  for (const a of p.awards ?? [])
    for (const s of a.suppliers ?? []) {
      const name = str(s.name);
      const key = normaliseSupplierName(name);
      if (key && !out.has(key)) out.set(key, { name, scale: typeof s.scale === 'string' ? s.scale : null });
    }
  return out;
}

function trackRecordEntry(w: Win): EngineTrackRecord {
  const p = w.process;
  const award = p.awards?.[w.awardIndex];
  const items = p.items ?? [];
  const title = [str(p.title), str(award?.title)].filter((t) => t !== '').join(' — ');
  const description = [str(p.description), ...items.map(itemText)].filter((t) => t !== '').join('\n');
  return {
    title,
    description,
    customerName: str(p.buyer?.name) || null,
    customerId: str(p.buyer?.id) || null,
    date: str(award?.date) || str(p.date) || null,
    value: typeof award?.value === 'number' ? award.value : null,
    scianCodes: [],
    codes: items.flatMap(itemCodes),
  };
}

/** A candidate as the engine sees it: its wins other than the tested process become its track record. */
export function supplierProfile(entry: SupplierEntry, excludeProcessId: string | undefined): EngineSupplier {
  const wins = entry.wins.filter((w) => w.process.process_id !== excludeProcessId);
  const scale = entry.scale ? normaliseSupplierName(entry.scale) : '';
  return {
    id: entry.key,
    name: entry.name,
    descriptions: [],
    scianCodes: [],
    processTags: [],
    materials: [],
    facilities: [],
    capacity: null,
    sizeClass: SIZE_OF_SCALE[scale] ?? null,
    tiers: [],
    certificates: [],
    trackRecord: wins.map(trackRecordEntry),
  };
}

/** The requirement a buyer would have posted for the process: tender-time fields only. */
export function requirementFromTender(p: TenderView): EngineRequirement {
  const items = (p.items ?? []).map((i) => ({ description: itemText(i), codes: itemCodes(i) }));
  const date = str(p.date);
  return {
    title: str(p.title),
    description: str(p.description),
    items,
    capabilities: { scianCodes: [], processTags: [] },
    mustHaveCertificates: [],
    niceToHaveCertificates: [],
    buyerId: str(p.buyer?.id) || null,
    buyerName: str(p.buyer?.name) || null,
    evaluationDate: /^\d{4}-\d{2}-\d{2}/.test(date) ? date.slice(0, 10) : '1970-01-01',
  };
}

/** Text of a profile for the BM25 baseline: everything in the track record, concatenated. */
function profileText(s: EngineSupplier): string {
  return s.trackRecord
    .map((r) => [r.title, r.description ?? '', r.customerName ?? '', ...(r.codes ?? [])].join(' '))
    .join('\n');
}

function requirementText(r: EngineRequirement): string {
  return [
    r.title,
    r.description,
    ...r.items.map((i) => `${i.description} ${i.codes.join(' ')}`),
    r.buyerName ?? '',
  ].join('\n');
}

/** 1 + the number of other candidates scoring at least as high as the target: ties never favour it. */
export function pessimisticRank(scores: ReadonlyMap<string, number>, target: string): number {
  const s = scores.get(target);
  if (s === undefined) return Number.POSITIVE_INFINITY;
  let rank = 1;
  for (const [id, v] of scores) if (id !== target && v >= s) rank++;
  return rank;
}

function metricsOf(ranks: readonly number[]): Metrics {
  const n = ranks.length || 1;
  let mrr = 0;
  let r1 = 0;
  let r5 = 0;
  let r10 = 0;
  for (const r of ranks) {
    mrr += Number.isFinite(r) ? 1 / r : 0;
    if (r <= 1) r1++;
    if (r <= 5) r5++;
    if (r <= 10) r10++;
  }
  return { mrr: mrr / n, recall1: r1 / n, recall5: r5 / n, recall10: r10 / n };
}

/** Expected metrics of a uniformly random order of N candidates: MRR = H_N / N, Recall@k = k / N. */
export function randomBaseline(poolSizes: readonly number[]): Metrics {
  const n = poolSizes.length || 1;
  let mrr = 0;
  let r1 = 0;
  let r5 = 0;
  let r10 = 0;
  for (const N of poolSizes) {
    let h = 0;
    for (let i = 1; i <= N; i++) h += 1 / i;
    mrr += N > 0 ? h / N : 0;
    r1 += N > 0 ? Math.min(1, N) / N : 0;
    r5 += N > 0 ? Math.min(5, N) / N : 0;
    r10 += N > 0 ? Math.min(10, N) / N : 0;
  }
  return { mrr: mrr / n, recall1: r1 / n, recall5: r5 / n, recall10: r10 / n };
}

export interface EvaluateOptions {
  readonly weights?: Partial<Weights>;
  /** Builds the requirement; replaceable only so a test can prove what it is handed. */
  readonly buildRequirement?: (p: TenderView) => EngineRequirement;
  /** Called with each triple's ranks (for breakdowns by publisher or buyer); never sees the outcome. */
  readonly onTriple?: (t: {
    readonly processId: string;
    readonly publisher: string;
    readonly engineRank: number;
    readonly bm25Rank: number;
  }) => void;
}

/** Runs the leave-one-out protocol of data/README.md over parsed processes. */
export function evaluate(
  processes: readonly ProcessRecord[],
  options: EvaluateOptions = {},
): EvaluationResult {
  const build = options.buildRequirement ?? requirementFromTender;
  const suppliers = new Map<string, SupplierEntry>();
  const winnersByProcess: Map<string, { name: string; scale: string | null }>[] = [];
  for (const p of processes) {
    const winners = winnersOf(p);
    winnersByProcess.push(winners);
    for (const [key, w] of winners) {
      let e = suppliers.get(key);
      if (!e) suppliers.set(key, (e = { key, name: w.name, wins: [], scale: null }));
      if (w.scale && !e.scale) e.scale = w.scale;
      const awardIndex = Math.max(
        0,
        (p.awards ?? []).findIndex((a) =>
          (a.suppliers ?? []).some((s) => normaliseSupplierName(str(s.name)) === key),
        ),
      );
      e.wins.push({ process: p, awardIndex });
    }
  }
  const distinctProcesses = (e: SupplierEntry): Set<string> =>
    new Set(e.wins.map((w) => w.process.process_id));

  const full = new Map<string, EngineSupplier>();
  for (const e of suppliers.values()) full.set(e.key, supplierProfile(e, undefined));
  const index = createIndex([...full.values()]);
  const bm25 = new TextIndex({ k1: 1.2, b: 0.75 });
  const bm25Ordinal = new Map<string, number>();
  for (const s of full.values()) {
    const o = bm25Ordinal.size;
    bm25Ordinal.set(s.id, o);
    bm25.add(o, tokenize(profileText(s)));
  }

  const engineRanks: number[] = [];
  const popularityRanks: number[] = [];
  const bm25Ranks: number[] = [];
  const pools: number[] = [];
  processes.forEach((p, i) => {
    const winners = winnersByProcess[i] as Map<string, unknown>;
    if (winners.size !== 1) return;
    const target = [...winners.keys()][0] as string;
    const entry = suppliers.get(target) as SupplierEntry;
    const otherWins = [...distinctProcesses(entry)].filter((id) => id !== p.process_id);
    if (otherWins.length === 0) return;
    // The pool: every supplier with a win outside P, each profiled without P.
    const pool = [...suppliers.values()].filter((e) =>
      [...distinctProcesses(e)].some((id) => id !== p.process_id),
    );
    const affected = pool.filter((e) => distinctProcesses(e).has(p.process_id));
    const requirement = build(withoutOutcome(p));

    for (const e of affected) index.upsert(supplierProfile(e, p.process_id));
    const outsiders = [...suppliers.keys()].filter((k) => !pool.some((e) => e.key === k));
    for (const k of outsiders) index.remove(k);
    const engineScores = new Map(
      scoreAll(index, requirement, { weights: options.weights }).map((c) => [c.supplierId, c.score]),
    );
    for (const k of outsiders) index.upsert(full.get(k) as EngineSupplier);
    for (const e of affected) index.upsert(full.get(e.key) as EngineSupplier);
    engineRanks.push(pessimisticRank(engineScores, target));

    const popularity = new Map(
      pool.map((e) => [e.key, [...distinctProcesses(e)].filter((id) => id !== p.process_id).length]),
    );
    popularityRanks.push(pessimisticRank(popularity, target));

    for (const e of affected)
      bm25.add(bm25Ordinal.get(e.key) as number, tokenize(profileText(supplierProfile(e, p.process_id))));
    for (const k of outsiders) bm25.remove(bm25Ordinal.get(k) as number);
    const scratch = new Float64Array(bm25Ordinal.size);
    const counts = new Map<string, number>();
    for (const t of tokenize(requirementText(requirement))) counts.set(t, (counts.get(t) ?? 0) + 1);
    bm25.score(
      [...counts].map(([term, weight]) => ({ term, weight })),
      scratch,
    );
    const bm25Scores = new Map(pool.map((e) => [e.key, scratch[bm25Ordinal.get(e.key) as number] as number]));
    for (const k of outsiders)
      bm25.add(bm25Ordinal.get(k) as number, tokenize(profileText(full.get(k) as EngineSupplier)));
    for (const e of affected)
      bm25.add(bm25Ordinal.get(e.key) as number, tokenize(profileText(full.get(e.key) as EngineSupplier)));
    bm25Ranks.push(pessimisticRank(bm25Scores, target));
    pools.push(pool.length);
    options.onTriple?.({
      processId: p.process_id,
      publisher: str(p.publisher) || 'unknown',
      engineRank: engineRanks[engineRanks.length - 1] as number,
      bm25Rank: bm25Ranks[bm25Ranks.length - 1] as number,
    });
  });

  return {
    triples: engineRanks.length,
    candidates: pools.length ? Math.round(pools.reduce((a, b) => a + b, 0) / pools.length) : 0,
    engine: metricsOf(engineRanks),
    baselines: {
      random: randomBaseline(pools),
      popularity: metricsOf(popularityRanks),
      bm25: metricsOf(bm25Ranks),
    },
  };
}
