import { describe, expect, it } from 'vitest';
import { catalogues, rng, syntheticRequirement, syntheticSupplier } from './bench/synthetic.js';
import { createIndex } from './engine-index.js';
import { match, scoreAll } from './match.js';
import { TextIndex } from './text-index.js';
import type { EngineRequirement, EngineSupplier, EngineTrackRecord } from './types.js';

/** BM25 (k1 1.2, b 0.75, Lucene's IDF) computed the long way, as the reference for TextIndex. */
function bm25(docs: ReadonlyMap<number, readonly string[]>, query: readonly string[]): Map<number, number> {
  const n = docs.size;
  const avg = [...docs.values()].reduce((s, d) => s + d.length, 0) / n;
  const out = new Map<number, number>();
  for (const [id, d] of docs) {
    let s = 0;
    for (const t of query) {
      const df = [...docs.values()].filter((x) => x.includes(t)).length;
      const tf = d.filter((x) => x === t).length;
      if (tf === 0) continue;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      s += (idf * tf * 2.2) / (tf + 1.2 * (1 - 0.75 + (0.75 * d.length) / avg));
    }
    out.set(id, s);
  }
  return out;
}

describe('TextIndex', () => {
  it('keeps BM25 exact while documents come and go (cached impacts are refreshed)', () => {
    const index = new TextIndex({ k1: 1.2, b: 0.75 });
    const docs = new Map<number, string[]>([
      [0, ['torno', 'cnc', 'acero']],
      [1, ['torno', 'torno', 'aluminio', 'pintura', 'acero']],
      [2, ['pintura']],
    ]);
    const query = ['torno', 'acero'];
    const check = (): void => {
      const scores = new Float64Array(8);
      index.score(
        query.map((term) => ({ term, weight: 1 })),
        scores,
      );
      for (const [id, s] of bm25(docs, query)) expect(scores[id]).toBeCloseTo(s, 12);
    };
    for (const [id, d] of docs) index.add(id, d);
    check();
    // The average length and the lists change: scores must follow.
    docs.set(3, ['acero', 'acero', 'soldadura', 'soldadura', 'soldadura', 'torno']);
    index.add(3, docs.get(3) as string[]);
    check();
    index.remove(1);
    docs.delete(1);
    check();
    docs.set(1, ['acero']);
    index.add(1, ['acero']);
    check();
  });

  it('gives a removed document nothing, also when the average length does not move', () => {
    const index = new TextIndex({ k1: 1.2, b: 0.75 });
    const docs = new Map<number, string[]>([
      [0, ['torno', 'acero']],
      [1, ['torno', 'pintura']],
      [2, ['acero', 'pintura']],
    ]);
    for (const [id, d] of docs) index.add(id, d);
    const query = [{ term: 'torno', weight: 1 }];
    index.score(query, new Float64Array(4)); // caches the impacts for the average length 2
    index.remove(1); // length 2: the average stays 2, so the cached impacts are reused
    docs.delete(1);
    const scores = new Float64Array(4);
    index.score(query, scores);
    expect(scores[1]).toBe(0);
    for (const [id, s] of bm25(docs, ['torno'])) expect(scores[id]).toBeCloseTo(s, 12);
  });
});

describe('match pruning', () => {
  it('returns the same page and near misses as scoring every candidate', () => {
    const r = rng(7);
    const cat = catalogues();
    const index = createIndex(Array.from({ length: 3000 }, (_, i) => syntheticSupplier(r, i, cat)));
    for (let q = 0; q < 120; q++) {
      const req = syntheticRequirement(r, cat);
      const page = match(index, req, { limit: 10, nearMissLimit: 10 });
      // A page as large as the candidate set never fills the heap before the end, so nothing is pruned.
      const all = match(index, req, { limit: 100_000, nearMissLimit: 50 });
      expect(page.total).toBe(all.total);
      expect(page.candidates.map((c) => [c.supplierId, c.score])).toEqual(
        all.candidates.slice(0, 10).map((c) => [c.supplierId, c.score]),
      );
      expect(page.nearMisses.map((c) => c.supplierId)).toEqual(
        all.nearMisses.slice(0, 10).map((c) => c.supplierId),
      );
    }
  });
});

describe('text criterion over a track record', () => {
  const contract = (title: string, description: string | null): EngineTrackRecord => ({
    title,
    description,
    customerName: null,
    date: null,
    scianCodes: [],
  });
  const supplier = (id: string, trackRecord: EngineTrackRecord[]): EngineSupplier => ({
    id,
    name: id,
    descriptions: [],
    scianCodes: [],
    processTags: [],
    materials: [],
    facilities: [],
    capacity: null,
    sizeClass: null,
    tiers: [],
    certificates: [],
    trackRecord,
  });
  const requirement: EngineRequirement = {
    title: 'Servicio de testigo social',
    description: '',
    items: [],
    capabilities: { scianCodes: [], processTags: [] },
    mustHaveCertificates: [],
    niceToHaveCertificates: [],
    evaluationDate: '2026-01-15',
  };

  it('counts a word once per contract: restating the object across its fields is not more evidence', () => {
    const index = createIndex([
      supplier('once', [contract('Testigo social para la licitación de obra', null)]),
      // The same contract with its title repeated as description and item lines, as procurement data does.
      supplier('copies', [
        contract(
          'Testigo social para la licitación de obra',
          'Testigo social para la licitación de obra\nTestigo social para la licitación de obra',
        ),
      ]),
      supplier('other', [contract('Arrendamiento de oficinas', 'Arrendamiento de oficinas')]),
    ]);
    const scores = new Map(scoreAll(index, requirement).map((c) => [c.supplierId, c.score]));
    expect(scores.get('copies')).toBe(scores.get('once'));
    expect(scores.get('once')).toBeGreaterThan(scores.get('other') as number);
  });

  it('weighs a classification code by the evidence it carries: one most suppliers hold barely counts', () => {
    const coded = (code: string): EngineTrackRecord => ({ ...contract('Servicio', null), codes: [code] });
    const index = createIndex([
      supplier('a', [coded('3230')]),
      supplier('b', [coded('3230')]),
      supplier('c', [coded('3230')]),
      supplier('d', [coded('6220')]),
      supplier('e', [coded('5150')]),
    ]);
    const codesValue = (code: string, id: string): number => {
      const r = match(index, { ...requirement, items: [{ description: '', codes: [code] }] }, { limit: 10 });
      const c = r.candidates.find((x) => x.supplierId === id);
      return c?.explanation.find((e) => e.criterion === 'codes')?.value ?? Number.NaN;
    };
    // Held by one supplier only, once, at the average length: the full value.
    expect(codesValue('6220', 'd')).toBeCloseTo(1, 12);
    // Held by three of five: the best holder no longer gets 1 just for being the best.
    expect(codesValue('3230', 'a')).toBeLessThan(0.5);
    expect(codesValue('3230', 'a')).toBeGreaterThan(0);
    expect(codesValue('3230', 'd')).toBe(0);
  });
});
