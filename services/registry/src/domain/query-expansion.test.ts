import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandQuery, queryTerms, stem } from './query-expansion.js';

describe('stem', () => {
  it.each([
    ['inyecciones', 'inyeccion'],
    ['metales', 'metal'],
    ['procesos', 'proceso'],
    ['maquinado', 'maquin'],
    ['mecanizados', 'mecaniz'],
    ['machining', 'machin'],
    ['moulding', 'mould'],
    ['stamped', 'stamp'],
    ['assemblies', 'assembl'],
    ['fabricacion', 'fabric'],
    ['fabrication', 'fabric'],
    ['parts', 'part'],
    ['process', 'process'],
    ['cnc', 'cnc'],
    ['lado', 'lado'],
  ])('%s → %s', (word, expected) => {
    expect(stem(word)).toBe(expected);
  });

  it('always answers a prefix of the word, never shorter than four letters unless the word was', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,20}$/), (w) => {
        const s = stem(w);
        expect(w.startsWith(s)).toBe(true);
        expect(s.length).toBeGreaterThanOrEqual(Math.min(w.length, 4));
      }),
    );
  });
});

describe('queryTerms', () => {
  it('folds accents and drops Spanish and English stop words', () => {
    expect(queryTerms('Inyección de plástico para la industria')).toEqual([
      'inyeccion',
      'plastico',
      'industria',
    ]);
    expect(queryTerms('the machining of aluminium parts')).toEqual(['machin', 'aluminium', 'part']);
  });

  it('keeps only plain letters and digits', () => {
    expect(queryTerms('ISO-9001 · 日本 “tornos”')).toEqual(['iso', '9001', 'torno']);
    expect(queryTerms('de la y the')).toEqual([]);
  });
});

describe('expandQuery', () => {
  it('expands English "machining" to the Spanish names of the cnc-machining tag', () => {
    const q = expandQuery('machining');
    expect(q.tagIds).toContain('cnc-machining');
    expect(q.tsquery).toContain('maquin:*');
    expect(q.tsquery).toContain('mecaniz:*');
    expect(q.tsquery).toContain('machin:*');
  });

  it('keeps stop words inside catalogue phrases so they stay adjacent', () => {
    const q = expandQuery('injection moulding');
    expect(q.tagIds).toContain('injection-moulding');
    expect(q.tsquery).toContain('(inyeccion:* <-> de <-> plastico:*)');
  });

  it('names SCIAN classes whose title covers the query', () => {
    const q = expandQuery('maquinado de piezas');
    expect(q.scianCodes.length).toBeGreaterThan(0);
    expect(q.scianCodes.every((c) => /^\d{6}$/.test(c))).toBe(true);
  });

  it('answers no tsquery when nothing searchable is left', () => {
    expect(expandQuery('de la').tsquery).toBeNull();
    expect(expandQuery('¿?').tsquery).toBeNull();
  });

  it('builds tsquery text only from plain words and operators for any input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const q = expandQuery(s);
        if (q.tsquery !== null) expect(q.tsquery).toMatch(/^[a-z0-9:*|<>()\- ]+$/);
      }),
    );
  });
});
