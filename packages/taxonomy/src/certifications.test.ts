import { describe, expect, it } from 'vitest';
import {
  certificationStandard,
  findCertificationStandard,
  listCertificationStandards,
  satisfies,
} from './certifications.js';

describe('certification catalogue', () => {
  it('has the required standards with unique ids and valid references', () => {
    const all = listCertificationStandards();
    const ids = new Set(all.map((s) => s.id));
    expect(ids.size).toBe(all.length);
    for (const id of [
      'iso-9001-2015',
      'iatf-16949-2016',
      'as9100d',
      'as9120b',
      'iso-13485-2016',
      'iso-14001-2015',
      'iso-45001-2018',
      'iso-iec-27001-2022',
      'iso-50001-2018',
      'fssc-22000-v6',
      'nadcap',
      'ctpat',
      'oea-mx',
    ]) {
      expect(ids.has(id), id).toBe(true);
    }
    for (const s of all) {
      for (const ref of [...s.equivalentTo, ...s.includes, ...(s.supersededBy ? [s.supersededBy] : [])]) {
        expect(ids.has(ref), `${s.id} → ${ref}`).toBe(true);
      }
      expect(s.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(s.name.es && s.name.en).toBeTruthy();
      expect(s.status === 'superseded').toBe(s.supersededBy !== undefined);
    }
    expect(certificationStandard('nadcap')?.kind).toBe('process');
    expect(certificationStandard('nope')).toBeUndefined();
  });

  it('satisfies by identity, equivalence (both ways) and inclusion (one way)', () => {
    expect(satisfies('iso-9001-2015', 'iso-9001-2015')).toBe(true);
    expect(satisfies('as9100d', 'en-9100-2018')).toBe(true);
    expect(satisfies('en-9100-2018', 'as9100d')).toBe(true);
    expect(satisfies('jisq-9100-2016', 'en-9100-2018')).toBe(true);
    expect(satisfies('oea-mx', 'ctpat')).toBe(true);
    expect(satisfies('iatf-16949-2016', 'iso-9001-2015')).toBe(true);
    expect(satisfies('en-9100-2018', 'iso-9001-2015')).toBe(true);
    expect(satisfies('fssc-22000-v6', 'iso-22000-2018')).toBe(true);
    expect(satisfies('iso-9001-2015', 'iatf-16949-2016')).toBe(false);
    expect(satisfies('iso-13485-2016', 'iso-9001-2015')).toBe(false);
  });

  it('does not accept superseded editions for current requirements', () => {
    expect(satisfies('iso-9001-2008', 'iso-9001-2015')).toBe(false);
    expect(satisfies('iso-iec-27001-2013', 'iso-iec-27001-2022')).toBe(false);
    expect(satisfies('ohsas-18001-2007', 'iso-45001-2018')).toBe(false);
    expect(satisfies('unknown', 'iso-9001-2015')).toBe(false);
  });

  it('finds standards from free-text spellings', () => {
    expect(findCertificationStandard('ISO 9001')?.id).toBe('iso-9001-2015');
    expect(findCertificationStandard('iatf16949')?.id).toBe('iatf-16949-2016');
    expect(findCertificationStandard('AS 9100 Rev D')?.id).toBe('as9100d');
    expect(findCertificationStandard('ISO/IEC 27001:2013')?.id).toBe('iso-iec-27001-2013');
    expect(findCertificationStandard('Operador Económico Autorizado')?.id).toBe('oea-mx');
    expect(findCertificationStandard('ISO 99999')).toBeUndefined();
  });
});
