import { join } from 'node:path';
import { createIndex, match, type EngineSupplier, type MatchResult } from '@vinculo/matching-engine';
import { capacityUnit, certificationStandard, classifySize, processTag, scianCode } from '@vinculo/taxonomy';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUYERS } from './buyers.js';
import { loadRetc } from './data.js';
import { decide } from './post-requirements.js';
import {
  addDays,
  DEMO_REQUIREMENTS,
  REGIONS,
  requirementBody,
  todayInMexicoCity,
  type DemoRequirement,
} from './requirements.js';
import { synthesize } from './synth.js';

const today = todayInMexicoCity();
const bodies = DEMO_REQUIREMENTS.map((r) => ({ r, body: requirementBody(r, today) }));
const label = (r: DemoRequirement) => `${r.buyer}: ${r.title}`;

describe('demo requirements as data', () => {
  it('are 30 to 40, every buyer posts several, in both languages', () => {
    expect(DEMO_REQUIREMENTS.length).toBeGreaterThanOrEqual(30);
    expect(DEMO_REQUIREMENTS.length).toBeLessThanOrEqual(40);
    for (const b of BUYERS) {
      const own = DEMO_REQUIREMENTS.filter((r) => r.buyer === b.slug);
      expect(own.length, b.slug).toBeGreaterThanOrEqual(5);
      expect(new Set(own.map((r) => r.language)), b.slug).toEqual(new Set(['es', 'en']));
    }
    const es = DEMO_REQUIREMENTS.filter((r) => r.language === 'es').length;
    expect(Math.abs(es - (DEMO_REQUIREMENTS.length - es))).toBeLessThanOrEqual(4);
    expect(DEMO_REQUIREMENTS.every((r) => BUYERS.some((b) => b.slug === r.buyer))).toBe(true);
  });

  it('are written in the language they claim (a rough check on common words)', () => {
    const es = /\b(de|para|con|por|mes|piezas|requisito)\b/gi;
    const en = /\b(the|and|for|with|per|month|required)\b/gi;
    for (const r of DEMO_REQUIREMENTS) {
      const text = `${r.title} ${r.description ?? ''}`;
      const nEs = text.match(es)?.length ?? 0;
      const nEn = text.match(en)?.length ?? 0;
      expect(r.language === 'es' ? nEs > nEn : nEn > nEs, label(r)).toBe(true);
    }
  });

  it('have titles unique per buyer (the seeder recognises what it posted by title)', () => {
    const keys = DEMO_REQUIREMENTS.map((r) => `${r.buyer}|${r.title}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('use only SCIAN codes, process tags, certificate standards and units the taxonomy knows', () => {
    for (const { r, body } of bodies) {
      for (const c of body.capabilities.scianCodes) expect(scianCode(c), `${label(r)}: ${c}`).toBeDefined();
      for (const t of body.capabilities.processTags) expect(processTag(t), `${label(r)}: ${t}`).toBeDefined();
      expect(body.capabilities.scianCodes.length + body.capabilities.processTags.length).toBeGreaterThan(0);
      for (const c of [...body.mustHaveCertificates, ...(body.niceToHaveCertificates ?? [])])
        expect(certificationStandard(c.standardId), `${label(r)}: ${c.standardId}`).toBeDefined();
      if (body.volume) expect(capacityUnit(body.volume.unit), label(r)).toBeDefined();
      // The route's limits (RequirementBody in services/matching).
      expect(body.title.length).toBeLessThanOrEqual(300);
      expect((body.description ?? '').length).toBeLessThanOrEqual(10_000);
      expect(body.items.length).toBeGreaterThan(0);
      for (const i of body.items) {
        expect(i.quantity).toBeGreaterThan(0);
        for (const code of i.codes) expect(code).toMatch(/^[0-9A-Za-z][0-9A-Za-z.-]{0,19}$/);
      }
    }
  });

  it('are concrete RFQs: quantities, materials or specs, quality requirements', () => {
    for (const r of DEMO_REQUIREMENTS) {
      expect((r.description ?? '').length, label(r)).toBeGreaterThan(250);
      expect(r.description, label(r)).toMatch(/\d/);
      expect(r.items.every((i) => i.codes.length > 0)).toBe(true);
    }
  });

  it('have deadlines 2 to 10 weeks after the run date, computed when the body is built', () => {
    for (const { r, body } of bodies) {
      expect(body.deadline > today, label(r)).toBe(true);
      expect(body.deadline >= addDays(today, 14)).toBe(true);
      expect(body.deadline <= addDays(today, 70)).toBe(true);
    }
    // A later run date moves every deadline with it.
    const later = addDays(today, 365);
    expect(requirementBody(DEMO_REQUIREMENTS[0]!, later).deadline).toBe(
      addDays(later, DEMO_REQUIREMENTS[0]!.weeks * 7),
    );
    expect(addDays('2026-12-28', 7)).toBe('2027-01-04');
    expect(addDays('2028-02-27', 2)).toBe('2028-02-29');
  });

  it('mix visibility (mostly public, some via bureaus, some invited), tiers, sizes and places', () => {
    const by = (f: (r: DemoRequirement) => unknown) =>
      DEMO_REQUIREMENTS.reduce<Record<string, number>>((m, r) => {
        const k = String(f(r));
        m[k] = (m[k] ?? 0) + 1;
        return m;
      }, {});
    const vis = by((r) => r.visibility);
    expect(vis.public).toBeGreaterThan(DEMO_REQUIREMENTS.length / 2);
    expect(vis.bureaus).toBeGreaterThanOrEqual(2);
    expect(vis.invited).toBeGreaterThanOrEqual(2);
    expect(Object.keys(by((r) => r.maxTier ?? null)).length).toBeGreaterThanOrEqual(2);
    expect(Object.keys(by((r) => r.sizePreference ?? null))).toEqual(
      expect.arrayContaining(['null', 'sme-only', 'prefer-sme']),
    );
    expect(Object.keys(by((r) => r.near?.region ?? 'anywhere')).length).toBeGreaterThanOrEqual(8);
    expect(bodies.every(({ body }) => !body.location || body.location.radiusKm > 0)).toBe(true);
    expect(Object.keys(REGIONS).every((k) => DEMO_REQUIREMENTS.some((r) => r.near?.region === k))).toBe(true);
  });
});

/**
 * The seeded suppliers as matching's read model will hold them: the same deterministic synthesis the seeder
 * sends, the size class the registry derives, certificates as declared (nobody verifies them on the demo).
 */
function seededSuppliers(): EngineSupplier[] {
  const groups = loadRetc(join(import.meta.dirname, '../../../data/retc_2022_establecimientos_mx.csv'));
  // The buyers matter: whether a track-record entry names one draws from the same generator as the certificates.
  const buyers = BUYERS.map((b) => ({ id: b.slug, name: b.name, industry: b.industry }));
  return groups.map((g) => {
    const s = synthesize(g, '', buyers);
    const p = s.profile;
    return {
      id: g.slug,
      name: g.name,
      descriptions: [p.description?.es, p.description?.en].filter((d): d is string => Boolean(d)),
      scianCodes: p.scianCodes ?? [],
      processTags: p.processTags ?? [],
      materials: p.materials ?? [],
      facilities: g.establishments.map((e) => ({ lat: e.lat, lon: e.lon, stateCode: e.stateCode })),
      capacity: p.capacity ? { unit: p.capacity.unit, amountPerMonth: p.capacity.amountPerMonth } : null,
      sizeClass: classifySize({
        employees: s.employees,
        annualSalesMxnMillions: p.annualSalesMxnMillions ?? 0,
        scianCode: p.scianCodes?.[0] ?? '',
      }).sizeClass,
      tiers: p.tiers ?? [],
      certificates: s.certificates.map((c) => ({
        standardId: c.standardId,
        status: 'declared' as const,
        validFrom: c.validFrom,
        validTo: c.validTo,
      })),
      trackRecord: [],
    };
  });
}

// On 2026-11-22 this matched the service's own answers on a freshly seeded stack, requirement by requirement.
describe('demo requirements against the seeded suppliers (matching engine, no servers)', () => {
  const results = new Map<DemoRequirement, MatchResult>();
  beforeAll(() => {
    const index = createIndex(seededSuppliers());
    for (const { r, body } of bodies)
      results.set(
        r,
        match(
          index,
          {
            ...body,
            description: body.description ?? '',
            niceToHaveCertificates: body.niceToHaveCertificates ?? [],
            evaluationDate: today,
          },
          { limit: 5, nearMissLimit: 10 },
        ),
      );
  }, 60_000);

  it('each has a few candidates and a few near misses', () => {
    const report = bodies.map(({ r }) => {
      const m = results.get(r)!;
      return `${String(m.total).padStart(4)} candidates, ${m.nearMisses.length} near misses — ${label(r)}`;
    });
    console.log(report.join('\n'));
    for (const { r } of bodies) {
      const m = results.get(r)!;
      expect(m.total, label(r)).toBeGreaterThanOrEqual(3);
      expect(m.nearMisses.length, label(r)).toBeGreaterThanOrEqual(2);
      expect(m.nearMisses.every((n) => n.failed.length > 0)).toBe(true);
    }
  });
});

describe('re-running the seeder (decide)', () => {
  const title = 'Zinc-nickel plating (CQI-11) of brake caliper brackets';
  const day = '2026-11-22';
  const req = (
    id: string,
    state: 'draft' | 'open' | 'closed' | 'awarded' | 'cancelled',
    deadline: string,
  ) => ({
    id,
    title,
    state,
    deadline,
  });

  it('posts what is not there, and never a second copy of an open one', () => {
    expect(decide([], title, day)).toEqual({ kind: 'create', reissue: false });
    expect(decide([{ ...req('a', 'open', '2026-12-20'), title: 'Another RFQ' }], title, day)).toEqual({
      kind: 'create',
      reissue: false,
    });
    expect(decide([req('a', 'open', '2026-12-20')], title, day)).toEqual({
      kind: 'keep',
      id: 'a',
      state: 'open',
    });
    expect(decide([req('x', 'closed', '2026-10-01'), req('a', 'open', '2026-12-20')], title, day)).toEqual({
      kind: 'keep',
      id: 'a',
      state: 'open',
    });
  });

  it('opens a draft left by an interrupted run', () => {
    expect(decide([req('d', 'draft', '2026-12-20')], title, day)).toEqual({ kind: 'open', id: 'd' });
  });

  it('posts again only when every earlier copy lapsed at its deadline', () => {
    expect(decide([req('c', 'closed', '2026-11-21')], title, day)).toEqual({ kind: 'create', reissue: true });
    expect(decide([req('c', 'closed', '2026-10-01'), req('d', 'draft', '2026-11-01')], title, day)).toEqual({
      kind: 'create',
      reissue: true,
    });
    // Acted on during a demo: left alone.
    expect(decide([req('w', 'awarded', '2026-10-01')], title, day)).toEqual({
      kind: 'keep',
      id: 'w',
      state: 'awarded',
    });
    expect(decide([req('x', 'cancelled', '2026-12-20')], title, day)).toEqual({
      kind: 'keep',
      id: 'x',
      state: 'cancelled',
    });
    expect(decide([req('c', 'closed', '2026-12-20')], title, day)).toEqual({
      kind: 'keep',
      id: 'c',
      state: 'closed',
    });
  });
});
