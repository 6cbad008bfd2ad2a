import { describe, expect, it } from 'vitest';
import { normalizeRfc, validateRfc } from './rfc.js';

describe('validateRfc', () => {
  it.each([
    ['SAT970701NN3', 'moral'], // Servicio de Administración Tributaria
    ['CFE370814QI0', 'moral'], // Comisión Federal de Electricidad
    ['PEM380607P35', 'moral'],
    ['A&B010101AB1', 'moral'],
    ['ÑAB991231Z99', 'moral'],
    ['GODE561231GR8', 'fisica'], // SAT's own example
    ['XAXX010101000', 'fisica'], // generic RFC "público en general"
    ['XEXX010101000', 'fisica'], // generic RFC for foreign residents
    ['MUÑO800229AB1', 'fisica'], // 29 Feb 1980
  ] as const)('accepts %s as persona %s', (rfc, kind) => {
    expect(validateRfc(rfc)).toEqual({ ok: true, kind, rfc });
  });

  it('normalises case, spaces and hyphens', () => {
    expect(validateRfc(' gode-561231-gr8 ')).toEqual({ ok: true, kind: 'fisica', rfc: 'GODE561231GR8' });
    expect(validateRfc('sat 970701 nn3')).toEqual({ ok: true, kind: 'moral', rfc: 'SAT970701NN3' });
    expect(normalizeRfc('muño800229ab1')).toBe('MUÑO800229AB1');
  });

  it('accepts 29 February of a year that is leap in either century', () => {
    expect(validateRfc('ABC000229AB1').ok).toBe(true); // 2000
    expect(validateRfc('ABC040229AB1').ok).toBe(true); // 1904 / 2004
  });

  it.each([
    'ABC010229AB1', // 29 Feb 2001 / 1901
    'ABC991301AB1', // month 13
    'ABC990001AB1', // month 0
    'ABC990100AB1', // day 0
    'ABC990431AB1', // 31 April
    'GODE561232GR8', // 32 December
  ])('rejects %s: not a calendar date', (rfc) => {
    expect(validateRfc(rfc)).toEqual({ ok: false, reason: 'date' });
  });

  it.each([
    '',
    'GODE561231GR', // homoclave too short
    'GODE561231GR89', // too long
    'GO1E561231GR8', // digit among the letters
    'AB970701NN3', // two letters
    'ABCDE970701NN3', // five letters
    'SAT97070INN3', // letter in the date
    'SAT970701N-3!', // symbol in the homoclave
    'SAT970701ñn3', // Ñ is not a homoclave character
    'SÁT970701NN3', // accented letter
  ])('rejects %j: wrong shape', (rfc) => {
    expect(validateRfc(rfc)).toEqual({ ok: false, reason: 'format' });
  });
});
