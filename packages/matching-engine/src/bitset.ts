/**
 * A growable set of small non-negative integers (document ordinals) over 32-bit words. Binary operations
 * return new sets sized to the longer operand; the in-place variants (`*InPlace`) avoid allocation on the
 * hot path of a query.
 */
export class Bitset {
  words: Uint32Array;

  constructor(capacityBits = 0) {
    this.words = new Uint32Array(Math.max(1, Math.ceil(capacityBits / 32)));
  }

  static from(values: Iterable<number>): Bitset {
    const b = new Bitset();
    for (const v of values) b.add(v);
    return b;
  }

  /** Every ordinal below `n`. */
  static full(n: number): Bitset {
    const b = new Bitset(n);
    const whole = n >>> 5;
    b.words.fill(0xffffffff, 0, whole);
    const rest = n & 31;
    if (rest) b.words[whole] = (1 << rest) - 1;
    return b;
  }

  private grow(wordIndex: number): void {
    if (wordIndex < this.words.length) return;
    let size = this.words.length;
    while (size <= wordIndex) size *= 2;
    const next = new Uint32Array(size);
    next.set(this.words);
    this.words = next;
  }

  add(i: number): void {
    const w = i >>> 5;
    this.grow(w);
    this.words[w] = (this.words[w] as number) | (1 << (i & 31));
  }

  delete(i: number): void {
    const w = i >>> 5;
    if (w < this.words.length) this.words[w] = (this.words[w] as number) & ~(1 << (i & 31));
  }

  has(i: number): boolean {
    const w = i >>> 5;
    return w < this.words.length && ((this.words[w] as number) & (1 << (i & 31))) !== 0;
  }

  clone(): Bitset {
    const b = new Bitset();
    b.words = this.words.slice();
    return b;
  }

  and(o: Bitset): Bitset {
    return this.clone().andInPlace(o);
  }

  or(o: Bitset): Bitset {
    return this.clone().orInPlace(o);
  }

  andNot(o: Bitset): Bitset {
    return this.clone().andNotInPlace(o);
  }

  andInPlace(o: Bitset): this {
    const a = this.words;
    const b = o.words;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) a[i] = (a[i] as number) & (b[i] as number);
    a.fill(0, n);
    return this;
  }

  orInPlace(o: Bitset): this {
    this.grow(o.words.length - 1);
    const a = this.words;
    const b = o.words;
    for (let i = 0; i < b.length; i++) a[i] = (a[i] as number) | (b[i] as number);
    return this;
  }

  andNotInPlace(o: Bitset): this {
    const a = this.words;
    const b = o.words;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) a[i] = (a[i] as number) & ~(b[i] as number);
    return this;
  }

  count(): number {
    let c = 0;
    for (const w of this.words) c += popcount(w);
    return c;
  }

  isEmpty(): boolean {
    for (const w of this.words) if (w !== 0) return false;
    return true;
  }

  /** Calls `fn` with each member in increasing order. */
  forEach(fn: (i: number) => void): void {
    const words = this.words;
    for (let wi = 0; wi < words.length; wi++) {
      let w = words[wi] as number;
      while (w !== 0) {
        const t = w & -w;
        fn((wi << 5) + 31 - Math.clz32(t));
        w ^= t;
      }
    }
  }

  *[Symbol.iterator](): IterableIterator<number> {
    const out: number[] = [];
    this.forEach((i) => out.push(i));
    yield* out;
  }
}

export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/**
 * Members of `universe` failing exactly one or two of the `passes` sets (a saturating bit-sliced counter,
 * word by word): the near-miss population, computed without visiting suppliers one at a time.
 */
export function failingOneOrTwo(universe: Bitset, passes: readonly Bitset[]): Bitset {
  const out = new Bitset();
  const u = universe.words;
  out.words = new Uint32Array(u.length);
  for (let i = 0; i < u.length; i++) {
    const uw = u[i] as number;
    if (uw === 0) continue;
    let ones = 0;
    let twos = 0;
    let more = 0;
    for (const p of passes) {
      const f = uw & ~(i < p.words.length ? (p.words[i] as number) : 0);
      more |= twos & f;
      twos = (twos & ~f) | (ones & f);
      ones = (ones & ~f) | (~ones & ~twos & ~more & f);
    }
    out.words[i] = (ones | twos) & ~more;
  }
  return out;
}
