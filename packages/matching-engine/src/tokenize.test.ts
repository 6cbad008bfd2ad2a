import { describe, expect, it } from 'vitest';
import { stem, tokenize, tokenizeClean } from './tokenize.js';

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

  it('drops, for matching, the words whose encoding lost a character and keeps the rest', () => {
    const broken = 'ELABORACI?N DEL PROGRAMA AMBIENTAL, NUEVO AEROPUERTO DE M\uFFFDXICO ¿Qué? ok?';
    expect(tokenizeClean(broken)).toEqual(tokenize('DEL PROGRAMA AMBIENTAL, NUEVO AEROPUERTO DE ¿Qué? ok?'));
    // The fragments would otherwise match only records broken the same way.
    expect(tokenize(broken)).toContain('xic');
    expect(tokenizeClean('Elaboración del programa')).toEqual(tokenize('Elaboración del programa'));
  });
});
