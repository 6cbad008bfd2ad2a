import { describe, expect, it } from 'vitest';
import { groupRetc, slugify } from './data.js';
import { hasLegalEntitySuffix, mayBeNaturalPerson, repairShiftedForm } from './legal.js';
import { minimalPdf } from './pdf.js';
import { hash32, rngFor } from './prng.js';
import { synthesize } from './synth.js';

describe('legal-entity suffixes', () => {
  it.each([
    'ACME SA DE CV',
    'ACME, S.A. DE C.V.',
    'ACME S. A. DE C. V.',
    'ACME S DE RL DE CV',
    'ACME, S. DE R.L. DE C.V.',
    'ACME SAPI DE CV',
    'ACME, S.A.P.I. DE C.V.',
    'ACME SAB DE CV',
    'ACME S.C.',
    'ACME A.C.',
    'GRANJA X, S.P.R. DE R.L.',
    'TUBOS DE ACERO DE MÉXICO, S.A.',
    'TECNIFLEX, S. EN C.S. DE C.V.',
    'TERNIUM MEXICO S.A. DE C.V. (PLANTA PESQUERÍA)',
  ])('recognises %s', (name) => expect(hasLegalEntitySuffix(name)).toBe(true));

  it.each([
    'JUSTINA ANSELMA ABASCAL ALMADA',
    'JUAN PEREZ SALAS',
    'SALES DEL ISTMO',
    'MARIA SACRAMENTO',
    'SC JOHNSON',
  ])('finds no legal form in %s', (name) => expect(hasLegalEntitySuffix(name)).toBe(false));

  it('flags names without a legal form as possible natural persons, not public bodies', () => {
    expect(mayBeNaturalPerson('JUSTINA ANSELMA ABASCAL ALMADA')).toBe(true);
    expect(mayBeNaturalPerson('SECRETARIA DE SALUD')).toBe(false);
    expect(mayBeNaturalPerson('ACME SA DE CV')).toBe(false);
  });

  it('moves a legal form the file split into the establishment column back', () => {
    expect(
      repairShiftedForm('SILICATOS ESPECIALES', 'S.A. DE C.V.,SILICATOS ESPECIALES, S.A DE C.V.'),
    ).toEqual({
      razonSocial: 'SILICATOS ESPECIALES, S.A. DE C.V.',
      establishment: 'SILICATOS ESPECIALES, S.A DE C.V.',
    });
    expect(repairShiftedForm('SEFAR', 'S.A. DE C.V.,')).toEqual({
      razonSocial: 'SEFAR, S.A. DE C.V.',
      establishment: '',
    });
    expect(repairShiftedForm('ACME SA DE CV', 'PLANTA NORTE')).toEqual({
      razonSocial: 'ACME SA DE CV',
      establishment: 'PLANTA NORTE',
    });
  });
});

const HEADER =
  'nra,razon_social,nombre_establecimiento,scian,desc_scian,actividad_principal,sector_semarnat,subsector_semarnat,estado,municipio,localidad,codigo_postal,parque_industrial,lat,lon,anio';

describe('grouping the RETC rows', () => {
  const csv = [
    HEADER,
    'N1,ACME  SA de CV,PLANTA 1,332710,x,x,x,x,Nuevo León,Apodaca,,,Parque Stiva,25.7,-100.2,2022',
    'N2,Acme SA de CV,,221110,x,x,x,x,Querétaro,El Marqués,,,,20.6,-100.3,2022',
    'N3,JUAN PEREZ SALAS,,331510,x,x,x,x,Nuevo León,Apodaca,,,,25.7,-100.2,2022',
    'N4,JUAN PEREZ SALAS,TALLER JUAN PEREZ,331510,x,x,x,x,Nuevo León,Apodaca,,,,25.7,-100.2,2022',
  ].join('\n');
  const groups = groupRetc(csv);

  it('makes one supplier per normalised razón social, mapping old SCIAN codes', () => {
    expect(groups).toHaveLength(2);
    const acme = groups[0]!;
    expect(acme.establishments.map((e) => e.nra)).toEqual(['N1', 'N2']);
    expect(acme.establishments[1]?.scianMapped).toBe(true);
    expect(acme.establishments[1]?.name).toBe('ACME SA de CV');
    expect(acme.establishments[0]?.industrialPark).toBe('Parque Stiva');
  });

  it('never shows a possible natural person’s name', () => {
    const person = groups[1]!;
    expect(person.naturalPerson).toBe(true);
    const shown = [person.name, person.slug, ...person.establishments.map((e) => e.name)]
      .join(' ')
      .toUpperCase();
    expect(shown).not.toMatch(/PEREZ|JUAN/);
    expect(person.name).toMatch(/ — Apodaca$/);
  });

  it('synthesizes the same profile every time, marked synthetic', () => {
    const a = synthesize(groups[0]!, 'demo+x@vinculo.example', []);
    const b = synthesize(groups[0]!, 'demo+x@vinculo.example', []);
    expect(a).toEqual(b);
    expect(a.profile.scianCodes).toContain('332710');
    expect(a.profile.scianMapped).toEqual(a.profile.scianCodes.filter((c) => c !== '332710'));
    expect(a.profile.synthetic).toContain('employees');
    expect(a.trackRecord.every((t) => t.synthetic === true)).toBe(true);
    expect(a.certificates.length).toBeLessThanOrEqual(2);
  });
});

describe('prng and pdf', () => {
  it('is deterministic per key', () => {
    expect(hash32('abc')).toBe(hash32('abc'));
    const x = rngFor('k');
    const y = rngFor('k');
    expect([x.next(), x.int(1, 6), x.next()]).toEqual([y.next(), y.int(1, 6), y.next()]);
    expect(rngFor('k').next()).not.toBe(rngFor('other').next());
  });

  it('builds a PDF whose xref points at its objects', () => {
    const bytes = minimalPdf(['CERTIFICADO', 'Número: DEMO-1 (a)'], 'T');
    const text = Buffer.from(bytes).toString('latin1');
    expect(text.startsWith('%PDF-1.4\n')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    const startxref = Number(/startxref\n(\d+)/.exec(text)?.[1]);
    expect(text.slice(startxref, startxref + 4)).toBe('xref');
    const offsets = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    offsets.forEach((off, i) =>
      expect(text.slice(off, off + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`),
    );
    expect(text).toContain('(Numero: DEMO-1 \\(a\\))');
    expect(minimalPdf(['a'])).not.toEqual(minimalPdf(['b']));
  });

  it('slugifies', () => expect(slugify('Fundición Ñandú, S.A. de C.V.')).toBe('fundicion-nandu-s-a-de-c-v'));
});
