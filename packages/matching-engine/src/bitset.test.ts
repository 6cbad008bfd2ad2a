import { describe, expect, it } from 'vitest';
import { Bitset, failingOneOrTwo } from './bitset.js';

describe('Bitset', () => {
  it('grows, and computes and/or/andNot/count/iterate', () => {
    const a = Bitset.from([1, 5, 64, 1000]);
    const b = Bitset.from([5, 64, 2000]);
    expect([...a.and(b)]).toEqual([5, 64]);
    expect([...a.or(b)]).toEqual([1, 5, 64, 1000, 2000]);
    expect([...a.andNot(b)]).toEqual([1, 1000]);
    expect(a.or(b).count()).toBe(5);
    a.delete(5);
    expect(a.has(5)).toBe(false);
    expect(Bitset.full(33).count()).toBe(33);
  });

  it('finds the members failing one or two of the sets, not zero and not three', () => {
    const universe = Bitset.full(8);
    // member i passes set k when bit k of i is 1: failures = 3 - popcount(i)
    const passes = [0, 1, 2].map((k) => Bitset.from([0, 1, 2, 3, 4, 5, 6, 7].filter((i) => (i >> k) & 1)));
    expect([...failingOneOrTwo(universe, passes)]).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
