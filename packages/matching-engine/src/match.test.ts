import { describe, expect, it } from 'vitest';
import { createIndex } from './engine-index.js';
import { evaluateSuppliers, match } from './match.js';
import type { EngineRequirement, EngineSupplier } from './types.js';

function supplier(id: string, over: Partial<EngineSupplier> = {}): EngineSupplier {
  return {
    id,
    name: `Proveedor ${id}`,
    descriptions: ['Maquinado CNC de piezas de precisión para la industria automotriz'],
    scianCodes: ['332710'],
    processTags: ['cnc-machining'],
    materials: ['aluminio'],
    facilities: [{ lat: 20.59, lon: -100.39, stateCode: '22' }],
    capacity: { unit: 'units-per-month', amountPerMonth: 10_000 },
    sizeClass: 'small',
    tiers: [{ industry: 'automotive', tier: 2 }],
    certificates: [
      { standardId: 'iso-9001-2015', status: 'verified', validFrom: '2024-01-01', validTo: '2027-01-01' },
    ],
    trackRecord: [],
    ...over,
  };
}

function requirement(over: Partial<EngineRequirement> = {}): EngineRequirement {
  return {
    title: 'Machined aluminium brackets',
    description: 'CNC machining of aluminium parts',
    items: [{ description: 'Bracket', codes: [] }],
    capabilities: { scianCodes: ['3327'], processTags: [] },
    mustHaveCertificates: [{ standardId: 'iso-9001-2015' }],
    niceToHaveCertificates: [],
    location: { lat: 20.6, lon: -100.4, radiusKm: 150 },
    evaluationDate: '2026-01-15',
    deadline: '2026-06-30',
    ...over,
  };
}

describe('match', () => {
  it('ranks fitting suppliers with an explanation whose contributions sum to the score', () => {
    const index = createIndex([
      supplier('a'),
      supplier('b', { descriptions: ['Inyección de plástico'], processTags: [] }),
    ]);
    const r = match(index, requirement());
    expect(r.total).toBe(2);
    expect(r.candidates[0]?.supplierId).toBe('a');
    const c = r.candidates[0];
    expect(c?.explanation.reduce((s, e) => s + e.contribution, 0)).toBeCloseTo(c?.score ?? -1, 10);
  });

  it('rejects an expired certificate as a must-have and names the gap in the near misses', () => {
    const index = createIndex([
      supplier('ok'),
      supplier('expired', {
        certificates: [
          { standardId: 'iso-9001-2015', status: 'verified', validFrom: '2021-01-01', validTo: '2025-06-01' },
        ],
      }),
    ]);
    const r = match(index, requirement());
    expect(r.candidates.map((c) => c.supplierId)).toEqual(['ok']);
    expect(r.nearMisses[0]?.supplierId).toBe('expired');
    expect(r.nearMisses[0]?.failed[0]).toMatchObject({ constraint: 'certificate' });
    expect(r.nearMisses[0]?.failed[0]?.gap).toContain('expired on 2025-06-01');
  });

  it('takes a revoked certificate out of the matches', () => {
    const index = createIndex([supplier('x')]);
    index.upsert(
      supplier('x', {
        certificates: [
          { standardId: 'iso-9001-2015', status: 'revoked', validFrom: '2024-01-01', validTo: '2027-01-01' },
        ],
      }),
    );
    const r = match(index, requirement());
    expect(r.total).toBe(0);
    expect(r.nearMisses[0]?.failed[0]?.gap).toContain('revoked');
  });

  it('accepts a catalogue-equivalent standard (IATF 16949 includes ISO 9001)', () => {
    const index = createIndex([
      supplier('iatf', {
        certificates: [
          {
            standardId: 'iatf-16949-2016',
            status: 'verified',
            validFrom: '2024-01-01',
            validTo: '2027-01-01',
          },
        ],
      }),
    ]);
    expect(match(index, requirement()).total).toBe(1);
  });

  it('scores a declared certificate below a verified one and flags one expiring before the deadline', () => {
    const index = createIndex([
      supplier('v'),
      supplier('d', {
        certificates: [
          { standardId: 'iso-9001-2015', status: 'declared', validFrom: '2024-01-01', validTo: '2026-03-01' },
        ],
      }),
    ]);
    const r = match(index, requirement());
    expect(r.candidates.map((c) => c.supplierId)).toEqual(['v', 'd']);
    const note = r.candidates[1]?.explanation.find((e) => e.criterion === 'certificates')?.note;
    expect(note).toContain('declared');
    expect(note).toContain('before the deadline');
  });

  it('applies radius (nearest facility), tier (t <= N) and SME-only as hard constraints', () => {
    const index = createIndex([
      supplier('far', { facilities: [{ lat: 25.67, lon: -100.31, stateCode: '19' }] }),
      supplier('twoSites', {
        facilities: [
          { lat: 25.67, lon: -100.31, stateCode: '19' },
          { lat: 20.7, lon: -100.5, stateCode: '22' },
        ],
      }),
      supplier('tier3', { tiers: [{ industry: 'automotive', tier: 3 }] }),
      supplier('large', { sizeClass: 'large' }),
    ]);
    const r = match(index, requirement({ maxTier: 2, sizePreference: 'sme-only' }));
    expect(r.candidates.map((c) => c.supplierId)).toEqual(['twoSites']);
    const gaps = Object.fromEntries(
      r.nearMisses.map((n) => [n.supplierId, n.failed.map((f) => f.constraint)]),
    );
    expect(gaps).toEqual({ far: ['radius'], tier3: ['tier'], large: ['size'] });
  });

  it('breaks ties by supplier id and paginates stably', () => {
    const index = createIndex(['c', 'a', 'b'].map((id) => supplier(id)));
    const all = match(index, requirement(), { limit: 3 }).candidates.map((c) => c.supplierId);
    expect(all).toEqual(['a', 'b', 'c']);
    expect(match(index, requirement(), { limit: 1, offset: 1 }).candidates.map((c) => c.supplierId)).toEqual([
      'b',
    ]);
  });

  it('keeps the index fresh on upsert and remove', () => {
    const index = createIndex([supplier('a')]);
    index.remove('a');
    expect(match(index, requirement()).total).toBe(0);
    index.upsert(supplier('a', { descriptions: ['Estampado de lámina'] }));
    expect(
      match(
        index,
        requirement({
          capabilities: { scianCodes: [], processTags: [] },
          mustHaveCertificates: [],
          location: null,
        }),
      ).total,
    ).toBe(1);
  });

  it('finds Spanish text from an English requirement through catalogue synonyms', () => {
    const index = createIndex([
      supplier('es', {
        descriptions: ['Troquelado de lámina para autopartes'],
        processTags: [],
        scianCodes: ['332110'],
      }),
      supplier('other', { descriptions: ['Servicios de limpieza'], processTags: [], scianCodes: ['561720'] }),
    ]);
    const r = match(
      index,
      requirement({
        title: 'Metal stamping',
        description: 'stamped parts',
        capabilities: { scianCodes: [], processTags: [] },
        mustHaveCertificates: [],
        location: null,
      }),
    );
    expect(r.candidates[0]?.supplierId).toBe('es');
    expect(r.candidates[0]?.explanation.find((e) => e.criterion === 'text')?.value).toBe(1);
  });
});

describe('evaluateSuppliers', () => {
  it('gives each supplier its standing, the score match() gives it, and its gaps', () => {
    const index = createIndex([
      supplier('ok'),
      supplier('far', { facilities: [{ lat: 32.5, lon: -117.0, stateCode: '02' }] }),
      supplier('far-uncertified', {
        facilities: [{ lat: 32.5, lon: -117.0, stateCode: '02' }],
        certificates: [],
      }),
      supplier('unfit', {
        facilities: [{ lat: 32.5, lon: -117.0, stateCode: '02' }],
        certificates: [],
        scianCodes: ['326199'],
      }),
    ]);
    const r = requirement();
    const byId = new Map(
      evaluateSuppliers(index, r, ['ok', 'far', 'far-uncertified', 'unfit', 'unknown']).map((e) => [
        e.supplierId,
        e,
      ]),
    );
    expect(byId.has('unknown')).toBe(false);
    expect(byId.get('ok')?.status).toBe('candidate');
    expect(byId.get('ok')?.score).toBeCloseTo(match(index, r).candidates[0]?.score ?? -1, 10);
    expect(byId.get('far')).toMatchObject({ status: 'near-miss', failed: [{ constraint: 'radius' }] });
    expect(
      byId
        .get('far-uncertified')
        ?.failed.map((g) => g.constraint)
        .sort(),
    ).toEqual(['certificate', 'radius']);
    expect(byId.get('unfit')?.status).toBe('unfit');
  });
});
