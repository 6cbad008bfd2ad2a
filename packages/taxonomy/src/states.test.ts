import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsvRecords } from './csv.js';
import { MX_STATES, resolveState, stateByCode } from './states.js';

describe('Mexican states', () => {
  it('has the 32 INEGI entities in code order, inside Mexico', () => {
    expect(MX_STATES.map((s) => s.code)).toEqual(
      Array.from({ length: 32 }, (_, i) => String(i + 1).padStart(2, '0')),
    );
    for (const s of MX_STATES) {
      expect(s.centroid.lat).toBeGreaterThan(14.5);
      expect(s.centroid.lat).toBeLessThan(32.8);
      expect(s.centroid.lon).toBeGreaterThan(-117.2);
      expect(s.centroid.lon).toBeLessThan(-86.7);
    }
    expect(stateByCode('32')?.shortName).toBe('Zacatecas');
  });

  it.each([
    ['México', '15'],
    ['Estado de México', '15'],
    ['EDOMEX', '15'],
    ['Ciudad de México', '09'],
    ['cdmx', '09'],
    ['Distrito Federal', '09'],
    ['Veracruz de Ignacio de la Llave', '30'],
    ['veracruz', '30'],
    ['Michoacan de Ocampo', '16'],
    ['Coahuila de Zaragoza', '05'],
    ['COAHUILA', '05'],
    ['nuevo leon', '19'],
    ['Queretaro de Arteaga', '22'],
    ['Estado de Jalisco', '14'],
    ['9', '09'],
    ['MX-QUE', '22'],
    ['  San Luis Potosi ', '24'],
  ])('resolves %s to %s', (name, code) => {
    expect(resolveState(name)?.code).toBe(code);
  });

  it('rejects unknown names', () => {
    expect(resolveState('Texas')).toBeUndefined();
    expect(resolveState('')).toBeUndefined();
    expect(resolveState('Estado de')).toBeUndefined();
  });

  it('resolves every estado in RETC 2022', () => {
    const rows = parseCsvRecords(
      readFileSync(new URL('../../../data/retc_2022_establecimientos_mx.csv', import.meta.url), 'utf8'),
    );
    const names = new Set(rows.map((r) => r.estado ?? ''));
    expect(names.size).toBe(32);
    const unresolved = [...names].filter((n) => !resolveState(n));
    expect(unresolved).toEqual([]);
    expect(new Set([...names].map((n) => resolveState(n)?.code)).size).toBe(32);
  });

  it('puts RETC facilities near their state centroid', () => {
    const rows = parseCsvRecords(
      readFileSync(new URL('../../../data/retc_2022_establecimientos_mx.csv', import.meta.url), 'utf8'),
    );
    // A loose sanity check of the hand-entered centroids: the median facility lies within 4° of its state's.
    const byState = new Map<string, number[]>();
    for (const r of rows) {
      const s = resolveState(r.estado ?? '');
      const lat = Number(r.lat);
      const lon = Number(r.lon);
      if (!s || !Number.isFinite(lat) || !Number.isFinite(lon) || lat === 0) continue;
      const d = Math.hypot(lat - s.centroid.lat, lon - s.centroid.lon);
      byState.set(s.code, [...(byState.get(s.code) ?? []), d]);
    }
    for (const [code, ds] of byState) {
      ds.sort((a, b) => a - b);
      expect(ds[Math.floor(ds.length / 2)], code).toBeLessThan(4);
    }
  });
});
