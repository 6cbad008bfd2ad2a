import { describe, expect, it } from 'vitest';
import { foldText, foldTokens } from './text.js';

describe('foldText', () => {
  it('drops accents and case, keeps ñ as n and punctuation', () => {
    expect(foldText('Querétaro, MÉXICO — Año')).toBe('queretaro, mexico — ano');
    expect(foldText('ﬁ²')).toBe('fi2');
  });

  it('tokenises on non-alphanumerics', () => {
    expect(foldTokens('Maquinado CNC/torneado (3 ejes)')).toEqual([
      'maquinado',
      'cnc',
      'torneado',
      '3',
      'ejes',
    ]);
    expect(foldTokens('  ')).toEqual([]);
  });
});
