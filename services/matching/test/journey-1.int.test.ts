/**
 * Journey 1 in-process: a buyer posts "CNC-machined aluminium brackets, IATF 16949, Tier 2, within 300 km of
 * Querétaro, 5,000 units/month" and gets ranked, explained candidates and the near misses with their gaps; when
 * a candidate's IATF certificate expires (registry.certification.expired), it moves to the near misses with that
 * gap named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupplierSnapshot } from '@vinculo/contracts';
import {
  bracketsRfq,
  certificationSnapshot,
  eventually,
  orgSnapshot,
  registryEvent,
  supplierSnapshot,
} from './fixtures.js';
import { startMatching, type Harness } from './harness.js';

let h: Harness;
let buyer: ReturnType<Harness['org']>;
let requirementId: string;

const facility = (name: string, lat: number, lon: number, stateCode: string) => ({
  id: crypto.randomUUID(),
  name,
  stateCode,
  municipality: name,
  lat,
  lon,
  industrialPark: null,
  cluster: null,
});

const queretaro = supplierSnapshot({
  name: 'Maquinados Querétaro',
  facilities: [facility('El Marqués', 20.61, -100.25, '22')],
});
const slp = supplierSnapshot({
  name: 'Precisión Potosina',
  facilities: [facility('San Luis Potosí', 22.15, -100.98, '24')],
  tiers: [{ industry: 'automotive', tier: 1 }],
});
const monterrey = supplierSnapshot({
  name: 'Regiomontana de Maquinados',
  facilities: [facility('Apodaca', 25.78, -100.19, '19')],
});
const iso9001Only = supplierSnapshot({
  name: 'Talleres Corregidora',
  facilities: [facility('Corregidora', 20.54, -100.44, '22')],
});

const iatf = {
  queretaro: certificationSnapshot(queretaro.id, { status: 'verified' }),
  slp: certificationSnapshot(slp.id, { status: 'declared' }),
  monterrey: certificationSnapshot(monterrey.id),
};
const iso9001 = certificationSnapshot(iso9001Only.id, { standardId: 'iso-9001-2015' });

interface Matches {
  total: number;
  candidates: {
    supplierId: string;
    name: string;
    score: number;
    explanation: { criterion: string; contribution: number; note: string }[];
  }[];
  nearMisses: {
    supplierId: string;
    name: string;
    gaps: { constraint: string; gap: string; fix: string }[];
  }[];
}

const matches = async (query = '') => {
  const res = await h.app.inject({
    method: 'GET',
    url: `/requirements/${requirementId}/matches${query}`,
    headers: buyer.headers,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Matches>();
};

beforeAll(async () => {
  h = await startMatching();
  buyer = h.org('buyer');
  await h.publish(
    registryEvent(
      'registry.org.created',
      { type: 'org', id: buyer.orgId, version: 1 },
      orgSnapshot({ id: buyer.orgId, type: 'buyer', name: 'Asientos Globales' }),
    ),
  );
  const suppliers: SupplierSnapshot[] = [queretaro, slp, monterrey, iso9001Only];
  for (const s of suppliers)
    await h.publish(
      registryEvent('registry.supplier.registered', { type: 'supplier', id: s.id, version: 1 }, s),
    );
  for (const c of [iatf.queretaro, iatf.slp, iatf.monterrey, iso9001])
    await h.publish(
      registryEvent('registry.certification.added', { type: 'certification', id: c.id, version: 1 }, c),
    );
  await eventually(() =>
    Promise.resolve(suppliers.every((s) => h.index.nameOf(s.id)) && h.consumer.stats().applied >= 9),
  );
  const res = await h.app.inject({
    method: 'POST',
    url: '/requirements',
    headers: buyer.headers,
    payload: bracketsRfq,
  });
  expect(res.statusCode, res.body).toBe(201);
  requirementId = res.json<{ id: string }>().id;
});
afterAll(async () => {
  await h?.close();
});

describe('journey 1: a buyer gets ranked, explained matches', () => {
  it('ranks the qualified suppliers with explanations and lists the near misses with their gaps', async () => {
    const started = performance.now();
    const m = await matches();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(m.total).toBe(2);
    expect(m.candidates.map((c) => c.name).sort()).toEqual(['Maquinados Querétaro', 'Precisión Potosina']);
    // Verified, closer and at the asked tier beats declared and farther away.
    expect(m.candidates[0]!.name).toBe('Maquinados Querétaro');
    for (const c of m.candidates) {
      const sum = c.explanation.reduce((s, e) => s + e.contribution, 0);
      expect(sum).toBeCloseTo(c.score, 4);
      expect(c.explanation.map((e) => e.criterion)).toEqual(
        expect.arrayContaining(['certificates', 'distance', 'capability']),
      );
    }
    const declared = m.candidates.find((c) => c.name === 'Precisión Potosina')!;
    expect(declared.explanation.find((e) => e.criterion === 'certificates')!.note).toMatch(/declared/i);

    const near = new Map(m.nearMisses.map((n) => [n.name, n.gaps.map((g) => g.constraint)]));
    expect(near.get('Regiomontana de Maquinados')).toEqual(['radius']);
    expect(near.get('Talleres Corregidora')).toEqual(['certificate']);
  });

  it('pages candidates stably and takes weights per request', async () => {
    const first = await matches('?limit=1');
    const second = await matches('?limit=1&offset=1');
    expect([first.candidates[0]!.name, second.candidates[0]!.name]).toEqual([
      'Maquinados Querétaro',
      'Precisión Potosina',
    ]);
    const noDistance = await matches('?weights.distance=0&weights.capability=5');
    const weights = noDistance.candidates[0]!.explanation.find((e) => e.criterion === 'distance');
    expect(weights?.contribution ?? 0).toBe(0);
    const zero = await h.app.inject({
      method: 'GET',
      url: `/requirements/${requirementId}/matches?${['capability', 'text', 'codes', 'certificates', 'tier', 'distance', 'capacity', 'trackRecord', 'buyerHistory', 'recency', 'qualification', 'preference'].map((c) => `weights.${c}=0`).join('&')}`,
      headers: buyer.headers,
    });
    expect(zero.statusCode).toBe(400);
    expect(zero.json<{ code: string }>().code).toBe('MATCHING_WEIGHTS_ALL_ZERO');
  });

  it('shows the matches to the requirement buyer only', async () => {
    for (const other of [h.org('buyer'), h.org('supplier'), h.org('bureau')]) {
      const res = await h.app.inject({
        method: 'GET',
        url: `/requirements/${requirementId}/matches`,
        headers: other.headers,
      });
      expect(res.statusCode).toBe(404);
    }
  });

  it('moves a supplier whose IATF certificate expired from the candidates to the near misses, naming the gap', async () => {
    await h.publish(
      registryEvent(
        'registry.certification.expired',
        { type: 'certification', id: iatf.queretaro.id, version: 2 },
        { ...iatf.queretaro, status: 'expired', validTo: '2025-01-01' },
      ),
    );
    const m = await eventually(async () => {
      const now = await matches();
      return now.candidates.every((c) => c.supplierId !== queretaro.id) ? now : undefined;
    });
    expect(m.candidates.map((c) => c.name)).toEqual(['Precisión Potosina']);
    const miss = m.nearMisses.find((n) => n.supplierId === queretaro.id);
    expect(miss?.gaps).toEqual([
      expect.objectContaining({
        constraint: 'certificate',
        gap: expect.stringMatching(/IATF 16949.*expired/),
      }),
    ]);
  });
});
