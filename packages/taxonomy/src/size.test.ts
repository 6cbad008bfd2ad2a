import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifySize, MX_SIZE_RULE, sizeSectorOfScian, type SizeClass } from './size.js';

const ORDER: Record<SizeClass, number> = { micro: 0, small: 1, medium: 2, large: 3 };

function size(employees: number, annualSalesMxnMillions: number, scianCode: string): SizeClass {
  return classifySize({ employees, annualSalesMxnMillions, scianCode }).sizeClass;
}

describe('DOF 2009 size stratification', () => {
  it('maps SCIAN sectors to industry, commerce and services', () => {
    expect(sizeSectorOfScian('332710')).toBe('industry');
    expect(sizeSectorOfScian('31-33')).toBe('industry');
    expect(sizeSectorOfScian('236')).toBe('industry');
    expect(sizeSectorOfScian('111110')).toBe('industry');
    expect(sizeSectorOfScian('434311')).toBe('commerce');
    expect(sizeSectorOfScian('468111')).toBe('commerce');
    expect(sizeSectorOfScian('541330')).toBe('services');
    expect(sizeSectorOfScian('488')).toBe('services');
    expect(() => sizeSectorOfScian('x')).toThrow(RangeError);
  });

  it('computes the combined score and names the rule', () => {
    const r = classifySize({ employees: 30, annualSalesMxnMillions: 100, scianCode: '434311' });
    expect(r).toEqual({
      sizeClass: 'small',
      score: 93,
      sector: 'commerce',
      rule: { id: 'mx-dof-2009', version: MX_SIZE_RULE.version, source: MX_SIZE_RULE.source },
    });
    expect(r.rule.source).toContain('DOF');
  });

  it('micro up to 4.6 in every sector', () => {
    for (const code of ['332710', '434311', '541330']) {
      expect(size(10, 4, code)).toBe('micro'); // 1 + 3.6 = 4.6
      expect(size(11, 4, code)).toBe('small'); // 4.7
    }
    expect(size(0, 0, '332710')).toBe('micro');
  });

  it('small up to 93 in commerce and 95 in industry and services', () => {
    expect(size(30, 100, '434311')).toBe('small'); // 93
    expect(size(31, 100, '434311')).toBe('medium'); // 93.1
    expect(size(50, 100, '332710')).toBe('small'); // 95
    expect(size(51, 100, '332710')).toBe('medium'); // 95.1
    expect(size(50, 100, '541330')).toBe('small');
    expect(size(51, 100, '541330')).toBe('medium');
  });

  it('medium up to 235 in commerce and services and 250 in industry', () => {
    expect(size(100, 250, '434311')).toBe('medium'); // 235
    expect(size(101, 250, '434311')).toBe('large'); // 235.1
    expect(size(100, 250, '541330')).toBe('medium');
    expect(size(101, 250, '541330')).toBe('large');
    expect(size(250, 250, '332710')).toBe('medium'); // 250
    expect(size(251, 250, '332710')).toBe('large'); // 250.1
    expect(size(100, 250.01, '332710')).toBe('medium');
  });

  it('rejects impossible inputs', () => {
    expect(() => size(-1, 1, '332710')).toThrow(RangeError);
    expect(() => size(1, Number.NaN, '332710')).toThrow(RangeError);
  });

  it('never shrinks when employees or sales grow', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2000 }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        fc.integer({ min: 0, max: 50 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.constantFrom('332710', '434311', '541330'),
        (e, s, de, ds, code) => ORDER[size(e, s, code)] <= ORDER[size(e + de, s + ds, code)],
      ),
    );
  });
});
