import { describe, expect, it } from 'vitest';
import { findProcessTags, listProcessTags, processTag } from './processes.js';
import { isScianCode } from './scian.js';

const ids = (text: string): string[] => findProcessTags(text).map((t) => t.id);

describe('process tags', () => {
  it('has about forty well-formed tags with real SCIAN prefixes', () => {
    const tags = listProcessTags();
    expect(tags.length).toBeGreaterThanOrEqual(40);
    expect(new Set(tags.map((t) => t.id)).size).toBe(tags.length);
    for (const t of tags) {
      expect(t.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(t.es && t.en).toBeTruthy();
      expect(t.synonyms.length).toBeGreaterThan(1);
      for (const p of t.scianPrefixes) expect(isScianCode(p), `${t.id} ${p}`).toBe(true);
    }
    expect(processTag('cnc-machining')?.es).toBe('Maquinado CNC');
    expect(processTag('nope')).toBeUndefined();
  });

  it('finds tags in Spanish and English text, ignoring accents and case', () => {
    expect(ids('Soportes de aluminio con MAQUINADO CNC y anodizado')).toEqual(
      expect.arrayContaining(['cnc-machining', 'anodising']),
    );
    expect(ids('Mecanizado de precisión')).toEqual(['cnc-machining']);
    expect(ids('Tratamiento térmico y galvanizado')).toEqual(['heat-treatment', 'plating']);
    expect(ids('Plastic injection moulding of housings')).toEqual(['injection-moulding']);
    expect(ids('Arneses eléctricos automotrices')).toEqual(['wire-harness']);
    expect(ids('ensamble de PCB con SMT')).toEqual(['pcb-assembly-smt']);
    expect(ids('extrusión de aluminio')).toEqual(['plastic-extrusion', 'aluminium-extrusion']);
  });

  it('matches whole words only', () => {
    expect(ids('ciencia')).toEqual([]);
    expect(ids('temples')).toEqual([]);
    expect(ids('')).toEqual([]);
    expect(ids('servicio de limpieza de oficinas')).toEqual([]);
  });
});
