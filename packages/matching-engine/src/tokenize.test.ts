import { describe, expect, it } from 'vitest';
import { stem, tokenize } from './tokenize.js';

describe('tokenize', () => {
  it('folds accents and case and drops Spanish and English stop words', () => {
    expect(tokenize('Fabricación de PIEZAS para the Automotive industry')).toEqual([
      'fabric',
      'piez',
      'automotiv',
      'industry',
    ]);
  });

  it('brings Spanish and English inflections of one word together', () => {
    expect(stem('servicios')).toBe(stem('servicio'));
    expect(stem('reparaciones')).toBe(stem('reparacion'));
    expect(stem('maquinados')).toBe(stem('maquinado'));
    expect(stem('machining')).toBe(stem('machines'));
    expect(stem('services')).toBe(stem('service'));
  });

  it('leaves digits, short words and -ss endings alone', () => {
    expect(stem('9001')).toBe('9001');
    expect(stem('cnc')).toBe('cnc');
    expect(stem('process')).toBe('process');
  });
});
