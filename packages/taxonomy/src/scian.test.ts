import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsvRecords } from './csv.js';
import {
  isScianClass,
  isScianCode,
  listScianClasses,
  nearestScian2023Class,
  scianAncestors,
  scianCode,
  scianDescendantClasses,
  searchScian,
} from './scian.js';

describe('SCIAN 2023 catalogue', () => {
  it('loads the whole file quickly, once', () => {
    const t0 = performance.now();
    expect(scianCode('332710')).toBeDefined();
    const first = performance.now() - t0;
    const t1 = performance.now();
    scianCode('111110');
    expect(performance.now() - t1).toBeLessThan(5);
    // Generous against slow CI; measured ~20-40 ms locally.
    expect(first).toBeLessThan(300);
    expect(listScianClasses()).toHaveLength(1086);
  });

  it('describes a clase with its parent', () => {
    expect(scianCode('332710')).toMatchObject({
      code: '332710',
      level: 'clase',
      title: 'Maquinado de piezas para maquinaria y equipo en general',
      parent: '33271',
    });
    expect(scianCode(' 332710 ')?.code).toBe('332710');
    expect(scianCode('999999')).toBeUndefined();
  });

  it('resolves range sectors and two-digit prefixes inside them', () => {
    expect(scianCode('31-33')?.level).toBe('sector');
    expect(scianCode('32')?.code).toBe('31-33');
    expect(scianCode('49')?.code).toBe('48-49');
    expect(scianCode('331')?.parent).toBe('31-33');
    expect(scianCode('481')?.parent).toBe('48-49');
    expect(scianCode('11')?.parent).toBeNull();
  });

  it('every non-sector entry has a parent that exists', () => {
    for (const e of listScianClasses()) {
      const chain = scianAncestors(e.code);
      expect(chain).toHaveLength(5);
      expect(chain[0]?.level).toBe('sector');
    }
  });

  it('walks ancestors from sector down to the code, through the 31-33 range', () => {
    expect(scianAncestors('332710').map((e) => e.code)).toEqual(['31-33', '332', '3327', '33271', '332710']);
    expect(scianAncestors('3327').map((e) => e.level)).toEqual(['sector', 'subsector', 'rama']);
    expect(scianAncestors('nope')).toEqual([]);
  });

  it('distinguishes classes from other levels', () => {
    expect(isScianClass('332710')).toBe(true);
    expect(isScianClass('33271')).toBe(false);
    expect(isScianCode('33271')).toBe(true);
    expect(isScianCode('31-33')).toBe(true);
    expect(isScianClass('221110')).toBe(false);
    expect(isScianCode('221110')).toBe(false);
  });

  it('lists descendant classes of any prefix', () => {
    expect(scianDescendantClasses('3327').map((e) => e.code)).toEqual(['332710', '332720']);
    const manufacturing = scianDescendantClasses('31-33');
    expect(manufacturing.length).toBeGreaterThan(200);
    expect(manufacturing.every((e) => /^3[123]/.test(e.code))).toBe(true);
    expect(scianDescendantClasses('x')).toEqual([]);
  });

  it('maps codes of older SCIAN editions to a 2023 class', () => {
    expect(nearestScian2023Class('332710')).toEqual({ code: '332710', mapped: false });
    expect(nearestScian2023Class('221110')).toEqual({ code: '221111', mapped: true });
    expect(nearestScian2023Class('211110')).toEqual({ code: '211111', mapped: true });
    expect(nearestScian2023Class('222111')).toEqual({ code: '221311', mapped: true });
    expect(nearestScian2023Class('335120')).toEqual({ code: '335132', mapped: true });
    expect(nearestScian2023Class('315192')).toEqual({ code: '315121', mapped: true });
    expect(nearestScian2023Class('3327')).toEqual({ code: '332710', mapped: true });
    expect(nearestScian2023Class('99')).toBeUndefined();
  });

  it('replaces "see category" stub descriptions with the real text', () => {
    expect(scianCode('11111')?.description).toBe(scianCode('111110')?.description);
  });

  it('searches titles ignoring accents and case', () => {
    expect(searchScian('maquinado de piezas', 3)[0]?.code).toBe('332710');
    expect(searchScian('FABRICACION TORNILLOS', 1)[0]?.code).toBe('332720');
    expect(searchScian('inyección plásticos', 5).length).toBeGreaterThan(0);
    expect(searchScian('de la y', 5)).toEqual([]);
    expect(searchScian('acero', 2)).toHaveLength(2);
  });

  it('maps every SCIAN code used in RETC 2022 to a 2023 class', () => {
    const rows = parseCsvRecords(
      readFileSync(new URL('../../../data/retc_2022_establecimientos_mx.csv', import.meta.url), 'utf8'),
    );
    for (const r of rows) expect(isScianClass(nearestScian2023Class(r.scian ?? '')?.code ?? '')).toBe(true);
  });
});
