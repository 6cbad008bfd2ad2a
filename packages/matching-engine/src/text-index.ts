import { Bitset } from './bitset.js';

export interface Bm25Params {
  readonly k1: number;
  readonly b: number;
}

export const DEFAULT_BM25: Bm25Params = { k1: 1.2, b: 0.75 };

/** A query term with a weight (1 for the requirement's own words, less for synonyms). */
export interface WeightedTerm {
  readonly term: string;
  readonly weight: number;
}

/** A term's documents and frequencies in typed arrays (the first `n` entries), grown by doubling. */
class Posting {
  docs = new Int32Array(4);
  tfs = new Float64Array(4);
  n = 0;
  /**
   * Each entry's BM25 term-frequency part, tf / (tf + k1 (1 - b + b len / avgLen)), for the average length
   * `impactAvg`: a query then costs one multiply-add per posting. Recomputed (in the scoring pass) when the
   * list or the average length has changed since, so scores are exactly those of the formula.
   */
  impacts = new Float64Array(0);
  impactAvg = Number.NaN;

  push(doc: number, tf: number): void {
    this.impactAvg = Number.NaN;
    if (this.n === this.docs.length) {
      const docs = new Int32Array(this.n * 2);
      docs.set(this.docs);
      this.docs = docs;
      const tfs = new Float64Array(this.n * 2);
      tfs.set(this.tfs);
      this.tfs = tfs;
    }
    this.docs[this.n] = doc;
    this.tfs[this.n] = tf;
    this.n++;
  }

  /**
   * A removed document's impact becomes 0, so scoring never tests liveness (a handful of removals would
   * otherwise put every common word's list on the slower, checking path until it is compacted). Entries are
   * in ordinal order unless an ordinal was reused, hence the binary search with a linear fallback.
   */
  zeroImpact(doc: number): void {
    if (Number.isNaN(this.impactAvg)) return;
    const docs = this.docs;
    let lo = 0;
    let hi = this.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const d = docs[mid] as number;
      if (d === doc) {
        this.impacts[mid] = 0;
        return;
      }
      if (d < doc) lo = mid + 1;
      else hi = mid - 1;
    }
    for (let i = 0; i < this.n; i++) if (docs[i] === doc) this.impacts[i] = 0;
  }

  /** Keeps the entries for which `keep(doc)` holds, in order; returns how many were dropped. */
  retain(keep: (doc: number) => boolean): number {
    this.impactAvg = Number.NaN;
    let w = 0;
    for (let i = 0; i < this.n; i++) {
      const d = this.docs[i] as number;
      if (!keep(d)) continue;
      this.docs[w] = d;
      this.tfs[w] = this.tfs[i] as number;
      w++;
    }
    const dropped = this.n - w;
    this.n = w;
    return dropped;
  }
}

/**
 * Inverted index with BM25 scoring (Lucene's non-negative IDF). Documents are ordinals handed in by the
 * caller; removing one marks it dead (its postings are skipped and the statistics corrected) so that updates
 * cost O(document), not O(index). Dead postings are dropped lazily when a term's list is mostly dead.
 */
export class TextIndex {
  private readonly termIds = new Map<string, number>();
  private readonly terms: string[] = [];
  private readonly postings: Posting[] = [];
  private readonly df: number[] = [];
  private readonly deadInPosting: number[] = [];
  /** Per document: its distinct term ids and their frequencies (for removal and for explanations). */
  private readonly docTerms: (Uint32Array | undefined)[] = [];
  private readonly docTfs: (Uint16Array | undefined)[] = [];
  private docLen = new Float64Array(1024);
  private readonly alive = new Bitset();
  private liveDocs = 0;
  /** Zero between calls of `add`, which counts a document's term frequencies in it. */
  private tfScratch = new Uint32Array(1024);
  private totalLen = 0;

  constructor(private readonly params: Bm25Params = DEFAULT_BM25) {}

  get size(): number {
    return this.liveDocs;
  }

  add(doc: number, tokens: readonly string[]): void {
    if (this.alive.has(doc)) this.remove(doc);
    // A reused ordinal still has dead postings, which would come back to life with it: purge them first.
    const stale = this.docTerms[doc];
    if (stale) for (const id of stale) this.purge(id, doc);
    // Term frequencies counted in a reused array indexed by term id, the distinct ids in first-seen order.
    const seen: number[] = [];
    let counts = this.tfScratch;
    for (const t of tokens) {
      let id = this.termIds.get(t);
      if (id === undefined) {
        id = this.terms.length;
        this.termIds.set(t, id);
        this.terms.push(t);
        this.postings.push(new Posting());
        this.df.push(0);
        this.deadInPosting.push(0);
      }
      if (id >= counts.length) {
        const next = new Uint32Array(Math.max(id + 1, counts.length * 2));
        next.set(counts);
        this.tfScratch = counts = next;
      }
      if (counts[id] === 0) seen.push(id);
      counts[id] = (counts[id] as number) + 1;
    }
    const ids = new Uint32Array(seen.length);
    const tfs = new Uint16Array(seen.length);
    for (let i = 0; i < seen.length; i++) {
      const id = seen[i] as number;
      const n = counts[id] as number;
      counts[id] = 0;
      ids[i] = id;
      tfs[i] = Math.min(n, 0xffff);
      (this.postings[id] as Posting).push(doc, n);
      this.df[id] = (this.df[id] as number) + 1;
    }
    this.docTerms[doc] = ids;
    this.docTfs[doc] = tfs;
    if (doc >= this.docLen.length) {
      const next = new Float64Array(Math.max(doc + 1, this.docLen.length * 2));
      next.set(this.docLen);
      this.docLen = next;
    }
    this.docLen[doc] = tokens.length;
    this.totalLen += tokens.length;
    this.liveDocs++;
    this.alive.add(doc);
  }

  /** `reusable: false` promises the ordinal is never added again, so its term list can be dropped now. */
  remove(doc: number, reusable = true): void {
    if (!this.alive.has(doc)) return;
    const ids = this.docTerms[doc];
    if (ids) {
      for (const id of ids) {
        this.df[id] = (this.df[id] as number) - 1;
        const dead = (this.deadInPosting[id] as number) + 1;
        this.deadInPosting[id] = dead;
        const p = this.postings[id] as Posting;
        if (dead > 32 && dead * 2 > p.n) this.compactPosting(id, doc);
        else p.zeroImpact(doc);
      }
    }
    this.alive.delete(doc);
    this.totalLen -= this.docLen[doc] ?? 0;
    this.liveDocs--;
    // Unless told otherwise, docTerms stays until the ordinal is reused (see add), so its dead postings can
    // be found again.
    if (!reusable) this.docTerms[doc] = undefined;
    this.docTfs[doc] = undefined;
  }

  private purge(id: number, doc: number): void {
    const removed = (this.postings[id] as Posting).retain((d) => d !== doc);
    this.deadInPosting[id] = Math.max(0, (this.deadInPosting[id] as number) - removed);
  }

  private compactPosting(id: number, removing: number): void {
    (this.postings[id] as Posting).retain((d) => d !== removing && this.alive.has(d));
    this.deadInPosting[id] = 0;
  }

  idf(term: string): number {
    const id = this.termIds.get(term);
    const df = id === undefined ? 0 : (this.df[id] as number);
    return Math.log(1 + (this.liveDocs - df + 0.5) / (df + 0.5));
  }

  /**
   * Adds each live document's BM25 score for the query into `scores` (indexed by ordinal, long enough for
   * every ordinal in use). Typed postings and one pass per term keep this at a few nanoseconds per posting.
   */
  score(query: readonly WeightedTerm[], scores: Float64Array): void {
    if (this.liveDocs === 0) return;
    const { k1, b } = this.params;
    const avg = this.totalLen / this.liveDocs || 1;
    // tf + k1 (1 - b + b len / avg) = tf + c0 + c1 len
    const c0 = k1 * (1 - b);
    const c1 = (k1 * b) / avg;
    const docLen = this.docLen;
    const aliveWords = this.alive.words;
    for (const { term, weight } of query) {
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      const df = this.df[id] as number;
      if (df === 0) continue;
      const w = weight * Math.log(1 + (this.liveDocs - df + 0.5) / (df + 0.5)) * (k1 + 1);
      const p = this.postings[id] as Posting;
      const docs = p.docs;
      const n = p.n;
      if (p.impactAvg !== avg) {
        // Stale impacts (the list or the average length changed): recompute them while scoring; a removed
        // document's impact is 0 (see `Posting.zeroImpact`).
        if (p.impacts.length < n) p.impacts = new Float64Array(p.docs.length);
        const impacts = p.impacts;
        const tfs = p.tfs;
        for (let i = 0; i < n; i++) {
          const d = docs[i] as number;
          const tf = tfs[i] as number;
          const alive = ((aliveWords[d >>> 5] as number) >>> (d & 31)) & 1;
          const x = (alive * tf) / (tf + c0 + c1 * (docLen[d] as number));
          impacts[i] = x;
          scores[d] = (scores[d] as number) + w * x;
        }
        p.impactAvg = avg;
        continue;
      }
      // Removed documents have impact 0: no liveness test on the hot path.
      const impacts = p.impacts;
      for (let i = 0; i < n; i++) {
        const d = docs[i] as number;
        scores[d] = (scores[d] as number) + w * (impacts[i] as number);
      }
    }
  }

  /** The query terms a document contains, most frequent first (for explanations). */
  matchedTerms(doc: number, query: readonly WeightedTerm[]): string[] {
    if (!this.alive.has(doc)) return [];
    const ids = this.docTerms[doc];
    const tfs = this.docTfs[doc];
    if (!ids || !tfs) return [];
    const found: { term: string; tf: number }[] = [];
    const wanted = new Set(query.map((q) => q.term));
    for (let i = 0; i < ids.length; i++) {
      const term = this.terms[ids[i] as number] as string;
      if (wanted.has(term)) found.push({ term, tf: tfs[i] as number });
    }
    return found.sort((x, y) => y.tf - x.tf || (x.term < y.term ? -1 : 1)).map((f) => f.term);
  }
}
