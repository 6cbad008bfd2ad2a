import { describe, expect, it } from 'vitest';
import { createIndex } from './engine-index.js';
import { evaluateSuppliers, match } from './match.js';
import { isRelevant, standingOf, upgradeRoadmap, type RoadmapRequirement } from './roadmap.js';
import type { EngineRequirement, EngineSupplier } from './types.js';

function supplier(over: Partial<EngineSupplier> = {}): EngineSupplier {
  return {
    id: 'me',
    name: 'Maquinados del Bajío',
    descriptions: ['Maquinado CNC de piezas de aluminio para la industria automotriz'],
    scianCodes: ['332710'],
    processTags: ['cnc-machining'],
    materials: ['aluminio'],
    facilities: [{ lat: 20.59, lon: -100.39, stateCode: '22' }],
    capacity: { unit: 'units-per-month', amountPerMonth: 10_000 },
    sizeClass: 'small',
    tiers: [{ industry: 'automotive', tier: 2 }],
    certificates: [
      { standardId: 'iso-9001-2015', status: 'verified', validFrom: '2024-01-01', validTo: '2028-01-01' },
    ],
    trackRecord: [],
    ...over,
  };
}

function requirement(over: Partial<EngineRequirement> = {}): EngineRequirement {
  return {
    title: 'Soportes de aluminio maquinados CNC',
    description: 'Maquinado CNC de soportes de aluminio',
    items: [{ description: 'Soporte', codes: [] }],
    capabilities: { scianCodes: ['3327'], processTags: [] },
    mustHaveCertificates: [{ standardId: 'iso-9001-2015' }],
    niceToHaveCertificates: [],
    location: { lat: 20.6, lon: -100.4, radiusKm: 300 },
    volume: { unit: 'units-per-month', amountPerMonth: 5_000 },
    evaluationDate: '2026-01-15',
    deadline: '2026-06-30',
    ...over,
  };
}

const iatf = [{ standardId: 'iatf-16949-2016' }];
const as9100 = [{ standardId: 'as9100d' }];
const reqs = (list: Record<string, EngineRequirement>): RoadmapRequirement[] =>
  Object.entries(list).map(([id, r]) => ({ id, requirement: r }));

describe('standingOf', () => {
  it('agrees with match() over a full index on who qualifies and on each gap', () => {
    const others = [
      supplier({ id: 'far', facilities: [{ lat: 25.7, lon: -100.3, stateCode: '19' }] }),
      supplier({ id: 'tier3', tiers: [{ industry: 'automotive', tier: 3 }] }),
      supplier({
        id: 'plastics',
        descriptions: ['Inyección de plástico'],
        scianCodes: ['326199'],
        processTags: [],
      }),
      supplier({ id: 'nocert', certificates: [] }),
      supplier({
        id: 'holder',
        certificates: [
          {
            standardId: 'iatf-16949-2016',
            status: 'verified',
            validFrom: '2024-01-01',
            validTo: '2028-01-01',
          },
        ],
      }),
    ];
    const index = createIndex([supplier(), ...others]);
    const r = requirement({ maxTier: 2, mustHaveCertificates: iatf });
    const m = match(index, r, { nearMissLimit: 50 });
    expect(m.candidates.length).toBeGreaterThan(0);
    expect(m.nearMisses.length).toBeGreaterThanOrEqual(3);
    for (const s of [supplier(), ...others]) {
      const st = standingOf(s)(r);
      const asCandidate = m.candidates.some((c) => c.supplierId === s.id);
      const near = m.nearMisses.find((n) => n.supplierId === s.id);
      expect(st.status === 'candidate', s.id).toBe(asCandidate);
      if (near) {
        expect(st.status, s.id).toBe('near-miss');
        expect(st.relevant, s.id).toBe(true);
        expect(st.failed, s.id).toEqual(near.failed);
      }
    }
  });

  it('calls a near miss of another trade irrelevant', () => {
    const st = standingOf(supplier())(
      requirement({
        title: 'Envases de vidrio',
        description: 'Botellas de vidrio soplado',
        capabilities: { scianCodes: ['327213'], processTags: [] },
        location: null,
      }),
    );
    expect(st).toMatchObject({ status: 'near-miss', relevant: false });
  });
});

describe('upgradeRoadmap', () => {
  it('ranks the missing certificate that opens the most requirements first, naming each requirement', () => {
    const map = upgradeRoadmap(
      supplier(),
      reqs({
        a: requirement({ mustHaveCertificates: iatf }),
        b: requirement({ mustHaveCertificates: iatf, volume: null }),
        c: requirement({ mustHaveCertificates: as9100 }),
        ok: requirement(),
      }),
    );
    expect(map).toMatchObject({ evaluated: 4, qualifying: 1, nearMisses: 3, demandUnit: 'units-per-month' });
    expect(map.upgrades.map((u) => [u.key, u.opens.alone])).toEqual([
      ['certificate:iatf-16949-2016', 2],
      ['certificate:as9100d', 1],
    ]);
    const first = map.upgrades[0]!;
    expect(first.label.en).toMatch(/IATF 16949/);
    expect(first.requirements.map((l) => [l.requirementId, l.alone])).toEqual([
      ['a', true],
      ['b', true],
    ]);
    expect(first.requirements[0]!.closes).toEqual([
      expect.objectContaining({ constraint: 'certificate', gap: expect.stringMatching(/IATF 16949/) }),
    ]);
    // b states no volume: it is opened but adds no demand.
    expect(first.demand.alone).toEqual([{ unit: 'units-per-month', amountPerMonth: 5_000, requirements: 1 }]);
  });

  it('leaves out the near misses a second opinion (isNear) does not find near', () => {
    const all = reqs({
      a: requirement({ mustHaveCertificates: iatf }),
      c: requirement({ mustHaveCertificates: as9100 }),
    });
    const map = upgradeRoadmap(supplier(), all, { isNear: (id) => id !== 'c' });
    expect(map.nearMisses).toBe(1);
    expect(map.upgrades.map((u) => u.key)).toEqual(['certificate:iatf-16949-2016']);
  });

  it('counts a requirement with two gaps for each upgrade only together with the other gap, which it lists', () => {
    const map = upgradeRoadmap(
      supplier(),
      reqs({ both: requirement({ mustHaveCertificates: iatf, maxTier: 1 }) }),
    );
    const cert = map.upgrades.find((u) => u.key === 'certificate:iatf-16949-2016')!;
    const tier = map.upgrades.find((u) => u.key === 'tier:1')!;
    expect(cert.opens).toEqual({ alone: 0, withOthers: 1 });
    expect(cert.requirements[0]!.alsoNeeded.map((g) => g.constraint)).toEqual(['tier']);
    expect(tier.requirements[0]!.alsoNeeded.map((g) => g.constraint)).toEqual(['certificate']);
    expect(cert.demand.withOthers[0]).toMatchObject({ amountPerMonth: 5_000 });
  });

  it('breaks a tie in requirements opened by demand in the unit of the supplier capacity', () => {
    const map = upgradeRoadmap(
      supplier(),
      reqs({
        small: requirement({
          mustHaveCertificates: iatf,
          volume: { unit: 'units-per-month', amountPerMonth: 100 },
        }),
        big: requirement({
          mustHaveCertificates: as9100,
          volume: { unit: 'units-per-month', amountPerMonth: 9_000 },
        }),
        heavy: requirement({
          mustHaveCertificates: [{ standardId: 'iso-14001-2015' }],
          volume: { unit: 'tonnes-per-month', amountPerMonth: 50 },
        }),
      }),
    );
    expect(map.upgrades.map((u) => u.key)).toEqual([
      'certificate:as9100d',
      'certificate:iatf-16949-2016',
      'certificate:iso-14001-2015',
    ]);
    // Tonnes are summed as kilograms.
    expect(map.upgrades[2]!.demand.alone).toEqual([
      { unit: 'kg-per-month', amountPerMonth: 50_000, requirements: 1 },
    ]);
  });

  it('treats tiers as ordinal: serving at tier 1 opens what tier 2 opens and more', () => {
    const map = upgradeRoadmap(
      supplier({ tiers: [{ industry: 'automotive', tier: 3 }] }),
      reqs({ t1: requirement({ maxTier: 1 }), t2: requirement({ maxTier: 2 }) }),
    );
    expect(map.upgrades.map((u) => [u.key, u.requirements.map((l) => l.requirementId)])).toEqual([
      ['tier:1', ['t1', 't2']],
      ['tier:2', ['t2']],
    ]);
  });

  it('offers each stated code or process as its own capability upgrade', () => {
    const map = upgradeRoadmap(
      supplier({ scianCodes: ['332999'], processTags: [] }),
      reqs({
        turned: requirement({
          capabilities: { scianCodes: ['332720'], processTags: ['turning'] },
        }),
      }),
    );
    expect(map.upgrades.map((u) => [u.key, u.opens.alone]).sort()).toEqual([
      ['process:turning', 1],
      ['scian:332720', 1],
    ]);
  });

  it('leaves out unfit and irrelevant requirements, and lists the radius as its own kind', () => {
    const map = upgradeRoadmap(
      supplier(),
      reqs({
        unfit: requirement({ mustHaveCertificates: [...iatf, ...as9100], maxTier: 1 }),
        glass: requirement({
          title: 'Envases de vidrio',
          description: 'Botellas de vidrio soplado',
          capabilities: { scianCodes: ['327213'], processTags: [] },
          location: null,
        }),
        far: requirement({ location: { lat: 32.5, lon: -117.0, radiusKm: 100 } }),
      }),
    );
    expect(map.nearMisses).toBe(1);
    expect(map.upgrades.map((u) => [u.key, u.opens.alone])).toEqual([['radius', 1]]);
  });

  it('lists capacity below the volume asked, converted within the dimension, without counting it as opening anything', () => {
    const map = upgradeRoadmap(
      supplier({ capacity: { unit: 'kg-per-month', amountPerMonth: 500 } }),
      reqs({
        tonnes: requirement({ volume: { unit: 'tonnes-per-month', amountPerMonth: 2 } }),
        kilos: requirement({ volume: { unit: 'kg-per-month', amountPerMonth: 400 } }),
        pieces: requirement({
          mustHaveCertificates: iatf,
          volume: { unit: 'units-per-month', amountPerMonth: 300 },
        }),
      }),
    );
    expect(map.capacity).toEqual([
      {
        unit: 'kg-per-month',
        current: 500,
        neededToCoverAll: 2_000,
        requirements: [{ requirementId: 'tonnes', status: 'candidate', amountPerMonth: 2_000 }],
      },
      {
        unit: 'units-per-month',
        current: null,
        neededToCoverAll: 300,
        requirements: [{ requirementId: 'pieces', status: 'near-miss', amountPerMonth: 300 }],
      },
    ]);
    expect(map.demandUnit).toBe('kg-per-month');
    expect(map.upgrades.every((u) => u.upgrade.kind !== ('capacity' as string))).toBe(true);
  });

  it('is empty for a supplier that qualifies everywhere', () => {
    const map = upgradeRoadmap(supplier(), reqs({ a: requirement(), b: requirement({ maxTier: 3 }) }));
    expect(map).toMatchObject({ qualifying: 2, nearMisses: 0, upgrades: [], capacity: [] });
  });
});

describe('isRelevant', () => {
  it('needs stated capability or a real share of the words: one common word is not a trade in common', () => {
    const index = createIndex([
      supplier({ id: 'fit' }),
      supplier({
        id: 'adjacent',
        scianCodes: ['332999'],
        processTags: [],
        descriptions: ['Maquinado CNC de soportes y piezas de aluminio'],
      }),
      supplier({
        id: 'one-word',
        scianCodes: ['561720'],
        processTags: [],
        materials: [],
        descriptions: ['Limpieza de oficinas y naves; retiro de piezas de desecho'],
      }),
    ]);
    const r = requirement();
    const byId = new Map(evaluateSuppliers(index, r, ['adjacent', 'one-word']).map((e) => [e.supplierId, e]));
    expect(byId.get('adjacent')?.status).toBe('near-miss');
    expect(byId.get('one-word')?.status).toBe('near-miss');
    expect(isRelevant(byId.get('adjacent')!, r)).toBe(true);
    expect(isRelevant(byId.get('one-word')!, r)).toBe(false);
  });

  it('does not count a shared SCIAN sector or subsector as capability in common', () => {
    const index = createIndex([
      supplier({ id: 'fit' }),
      supplier({
        id: 'sector-only',
        scianCodes: ['336390'],
        processTags: [],
        materials: [],
        descriptions: ['Fabricación de asientos y vestiduras'],
      }),
    ]);
    const r = requirement();
    const [e] = evaluateSuppliers(index, r, ['sector-only']);
    expect(e?.status).toBe('near-miss');
    expect(e?.explanation.find((x) => x.criterion === 'capability')?.value).toBe(0);
    expect(isRelevant(e!, r)).toBe(false);
  });
});
