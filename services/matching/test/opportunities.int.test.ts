/**
 * The supplier side in-process (DOMAIN.md journeys 2 and 3): a supplier sees the open requirements it qualifies
 * for and the ones it nearly qualifies for with the missing certificate named; its upgrading roadmap ranks that
 * certificate first; once the certificate arrives through a registry event the requirement moves to qualifying.
 * A bureau sees the same for a member under a mandate, and which of its members fit one requirement.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bracketsRfq,
  certificationSnapshot,
  eventually,
  mandateSnapshot,
  orgSnapshot,
  registryEvent,
  supplierSnapshot,
} from './fixtures.js';
import { bearer, startMatching, tokenFor, type Harness } from './harness.js';

let h: Harness;
let buyer: ReturnType<Harness['org']>;
const bureau = { orgId: randomUUID() };

const year = new Date().getFullYear() + 1;
const me = supplierSnapshot({ name: 'Maquinados del Bajío' });
const certified = supplierSnapshot({ name: 'Precisión Queretana' });
// Another trade that shares one common word ("piezas") with the machining shop.
const washer = supplierSnapshot({
  name: 'Lavados Industriales del Centro',
  description: {
    es: 'Lavado industrial, desengrase y limpieza ultrasónica de piezas metálicas',
    en: 'Industrial washing, degreasing and ultrasonic cleaning of metal parts',
  },
  scianCodes: ['561790'],
  processTags: [],
  materials: [],
});
const myIso = certificationSnapshot(me.id, { standardId: 'iso-9001-2015' });
const theirIatf = certificationSnapshot(certified.id);
const meAsSupplier = bearer(tokenFor({ orgId: me.id, orgType: 'supplier' }));
const asBureau = bearer(tokenFor({ orgId: bureau.orgId, orgType: 'bureau' }));

/** Requirement ids by name; each is posted by the buyer and opened (except where said). */
const ids: Record<string, string> = {};

async function applied(events: { id: string; type: string }[]): Promise<void> {
  const before = h.consumer.stats().applied;
  for (const e of events) await h.publish(e);
  await eventually(() => Promise.resolve(h.consumer.stats().applied >= before + events.length));
}

async function post(name: string, body: object, open = true): Promise<void> {
  const res = await h.app.inject({
    method: 'POST',
    url: '/requirements',
    headers: buyer.headers,
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(201);
  ids[name] = res.json<{ id: string }>().id;
  if (!open) return;
  const opened = await h.app.inject({
    method: 'POST',
    url: `/requirements/${ids[name]}/open`,
    headers: buyer.headers,
  });
  expect(opened.statusCode, opened.body).toBe(200);
}

interface Opportunity {
  requirement: { id: string; title: string; deadline: string };
  invited: boolean;
  status: 'qualifying' | 'near-miss';
  score: number | null;
  highlights: { criterion: string; note: string }[];
  gaps: { constraint: string; gap: string; fix: string }[];
}
interface Page {
  supplierId: string;
  items: Opportunity[];
  nextCursor: string | null;
}
interface Roadmap {
  evaluated: number;
  qualifying: number;
  nearMisses: number;
  demandUnit: string;
  upgrades: {
    key: string;
    label: { en: string; es: string };
    opens: { alone: number; withOthers: number };
    demand: { alone: { unit: string; amountPerMonth: number; requirements: number }[] };
    requirements: { requirementId: string; title: string; alone: boolean }[];
  }[];
}

async function getJson<T>(url: string, headers: Record<string, string>): Promise<T> {
  const res = await h.app.inject({ method: 'GET', url, headers });
  expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
  return res.json<T>();
}

/** Every opportunity, walking the cursor with `limit` per page. */
async function allOpportunities(headers: Record<string, string>, query = '', limit = 50) {
  const items: Opportunity[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: Page = await getJson<Page>(
      `/opportunities?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`,
      headers,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 50);
  return { items, pages };
}

const byId = (items: Opportunity[]) => new Map(items.map((o) => [o.requirement.id, o]));

beforeAll(async () => {
  h = await startMatching();
  buyer = h.org('buyer');
  await applied([
    registryEvent(
      'registry.org.created',
      { type: 'org', id: buyer.orgId, version: 1 },
      orgSnapshot({ id: buyer.orgId, type: 'buyer', name: 'Asientos Globales' }),
    ),
    registryEvent('registry.supplier.registered', { type: 'supplier', id: me.id, version: 1 }, me),
    registryEvent(
      'registry.supplier.registered',
      { type: 'supplier', id: certified.id, version: 1 },
      certified,
    ),
    registryEvent('registry.supplier.registered', { type: 'supplier', id: washer.id, version: 1 }, washer),
    registryEvent('registry.certification.added', { type: 'certification', id: myIso.id, version: 1 }, myIso),
    registryEvent(
      'registry.certification.added',
      { type: 'certification', id: theirIatf.id, version: 1 },
      theirIatf,
    ),
  ]);
  await eventually(() => Promise.resolve(h.index.nameOf(me.id) !== undefined));

  // Two IATF brackets requirements (5,000 units/month each), one AS9100 one, one that ISO 9001 satisfies.
  await post('iatfA', { ...bracketsRfq, deadline: `${year}-03-01` });
  await post('iatfB', {
    ...bracketsRfq,
    title: 'Bujes de aluminio maquinados / machined aluminium bushings',
    deadline: `${year}-03-02`,
  });
  await post('aero', {
    ...bracketsRfq,
    title: 'Soportes maquinados para aeronave / machined aircraft brackets',
    mustHaveCertificates: [{ standardId: 'as9100d' }],
    maxTier: null,
    volume: { unit: 'units-per-month', amountPerMonth: 800 },
    deadline: `${year}-03-03`,
  });
  await post('iso', {
    ...bracketsRfq,
    title: 'Placas de aluminio maquinadas / machined aluminium plates',
    mustHaveCertificates: [{ standardId: 'iso-9001-2015' }],
    deadline: `${year}-03-04`,
  });
  // Not visible (yet) or not relevant to the supplier.
  await post('invited', {
    ...bracketsRfq,
    mustHaveCertificates: [],
    visibility: 'invited',
    deadline: `${year}-03-05`,
  });
  await post('viaBureaus', {
    ...bracketsRfq,
    mustHaveCertificates: [],
    visibility: 'bureaus',
    deadline: `${year}-03-06`,
  });
  await post('draft', { ...bracketsRfq, mustHaveCertificates: [] }, false);
  await post('glass', {
    ...bracketsRfq,
    title: 'Botellas de vidrio soplado / blown glass bottles',
    description: 'Envases de vidrio para bebidas',
    items: [{ description: 'Botella de vidrio', codes: ['327213'], quantity: 1000, unit: 'pieza' }],
    capabilities: { scianCodes: ['327213'], processTags: [] },
    location: null,
    maxTier: null,
    deadline: `${year}-03-07`,
  });
});
afterAll(async () => {
  await h?.close();
});

describe('opportunities of a supplier', () => {
  it('lists what it qualifies for and what it nearly qualifies for, naming the missing certificate', async () => {
    const { items } = await allOpportunities(meAsSupplier);
    expect(items.map((o) => o.requirement.id)).toEqual([ids.iatfA, ids.iatfB, ids.aero, ids.iso]);
    const o = byId(items);
    expect(o.get(ids.iso!)).toMatchObject({ status: 'qualifying', gaps: [], invited: false });
    for (const name of ['iatfA', 'iatfB'])
      expect(o.get(ids[name]!)).toMatchObject({
        status: 'near-miss',
        gaps: [
          {
            constraint: 'certificate',
            gap: expect.stringMatching(/IATF 16949/),
            fix: expect.stringMatching(/obtain IATF 16949/),
          },
        ],
      });
    expect(o.get(ids.aero!)?.gaps.map((g) => g.gap)).toEqual([expect.stringMatching(/AS9100/)]);
    for (const item of items) {
      expect(item.score).toBeGreaterThan(0);
      expect(item.highlights).toHaveLength(3);
    }
  });

  it('pages stably by deadline, one requirement at a time, and filters by status', async () => {
    const all = await allOpportunities(meAsSupplier);
    const oneByOne = await allOpportunities(meAsSupplier, '', 1);
    expect(oneByOne.items.map((o) => o.requirement.id)).toEqual(all.items.map((o) => o.requirement.id));
    expect(oneByOne.pages).toBeGreaterThanOrEqual(4);
    const near = await allOpportunities(meAsSupplier, '&status=near-miss');
    expect(near.items.map((o) => o.requirement.id)).toEqual([ids.iatfA, ids.iatfB, ids.aero]);
    const forged = Buffer.from(JSON.stringify({ deadline: '2024-13-45', id: randomUUID() })).toString(
      'base64url',
    );
    const bad = await h.app.inject({
      method: 'GET',
      url: `/opportunities?cursor=${forged}`,
      headers: meAsSupplier,
    });
    expect(bad.statusCode).toBe(400);
  });

  it('ranks the missing certificate that opens the most requirements and demand first in the roadmap', async () => {
    const map = await getJson<Roadmap>('/insights/upgrades', meAsSupplier);
    expect(map).toMatchObject({ evaluated: 5, qualifying: 1, nearMisses: 3, demandUnit: 'units-per-month' });
    expect(map.upgrades.map((u) => [u.key, u.opens.alone])).toEqual([
      ['certificate:iatf-16949-2016', 2],
      ['certificate:as9100d', 1],
    ]);
    const first = map.upgrades[0]!;
    expect(first.label.en).toMatch(/IATF 16949/);
    expect(first.demand.alone).toEqual([
      { unit: 'units-per-month', amountPerMonth: 10_000, requirements: 2 },
    ]);
    expect(first.requirements.map((r) => [r.requirementId, r.alone])).toEqual(
      [
        [ids.iatfA, true],
        [ids.iatfB, true],
      ].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
    );
    expect(first.requirements.every((r) => r.title.length > 0)).toBe(true);
  });

  it('shows an invited-only requirement once invited, and a bureaus-only one once under a mandate', async () => {
    await h.database.db
      .insertInto('invitations')
      .values({
        id: randomUUID(),
        requirement_id: ids.invited!,
        supplier_id: me.id,
        invited_by_org_id: buyer.orgId,
        message: null,
      })
      .execute();
    let o = byId((await allOpportunities(meAsSupplier)).items);
    expect(o.get(ids.invited!)).toMatchObject({ status: 'qualifying', invited: true });
    expect(o.has(ids.viaBureaus!)).toBe(false);

    const mandate = mandateSnapshot(me.id, bureau.orgId, { scopes: ['view'] });
    await applied([
      registryEvent('registry.mandate.granted', { type: 'mandate', id: mandate.id, version: 1 }, mandate),
    ]);
    o = byId((await allOpportunities(meAsSupplier)).items);
    expect(o.get(ids.viaBureaus!)).toMatchObject({ status: 'qualifying', invited: false });
    expect(o.has(ids.draft!)).toBe(false);
    expect(o.has(ids.glass!)).toBe(false);
  });
});

describe('a bureau for its members', () => {
  it("sees a member's opportunities and roadmap as the member does", async () => {
    const mine = await allOpportunities(meAsSupplier);
    const theirs = await allOpportunities(asBureau, `&supplierId=${me.id}`);
    expect(theirs.items.map((o) => [o.requirement.id, o.status])).toEqual(
      mine.items.map((o) => [o.requirement.id, o.status]),
    );
    const map = await getJson<Roadmap>(`/insights/upgrades?supplierId=${me.id}`, asBureau);
    expect(map.upgrades[0]?.key).toBe('certificate:iatf-16949-2016');
  });

  it('sees which members fit one requirement and which nearly fit, with the gap', async () => {
    const mandate = mandateSnapshot(certified.id, bureau.orgId, { scopes: ['view', 'apply'] });
    await applied([
      registryEvent('registry.mandate.granted', { type: 'mandate', id: mandate.id, version: 1 }, mandate),
    ]);
    const fit = await getJson<{
      members: number;
      fit: { supplierId: string; name: string; score: number }[];
      nearFit: { supplierId: string; gaps: { constraint: string; gap: string }[] }[];
    }>(`/requirements/${ids.iatfA}/members-fit`, asBureau);
    expect(fit.members).toBe(2);
    expect(fit.fit.map((m) => m.name)).toEqual(['Precisión Queretana']);
    expect(fit.nearFit).toEqual([
      expect.objectContaining({
        supplierId: me.id,
        gaps: [
          expect.objectContaining({ constraint: 'certificate', gap: expect.stringMatching(/IATF 16949/) }),
        ],
      }),
    ]);
  });
});

describe('after an upgrade', () => {
  it('moves the requirement to qualifying once the certificate arrives through a registry event', async () => {
    const iatf = certificationSnapshot(me.id);
    await applied([
      registryEvent('registry.certification.added', { type: 'certification', id: iatf.id, version: 1 }, iatf),
    ]);
    const o = await eventually(async () => {
      const now = byId((await allOpportunities(meAsSupplier)).items);
      return now.get(ids.iatfA!)?.status === 'qualifying' ? now : undefined;
    });
    expect(o.get(ids.iatfB!)).toMatchObject({ status: 'qualifying', gaps: [] });
    expect(o.get(ids.aero!)?.status).toBe('near-miss');
    const map = await getJson<Roadmap>('/insights/upgrades', meAsSupplier);
    expect(map.upgrades.map((u) => u.key)).toEqual(['certificate:as9100d']);
    const fit = await getJson<{ fit: { supplierId: string }[] }>(
      `/requirements/${ids.iatfA}/members-fit`,
      asBureau,
    );
    expect(fit.fit.map((m) => m.supplierId).sort()).toEqual([me.id, certified.id].sort());
  });
});

describe('near, not merely sharing a word', () => {
  it('leaves out a requirement of another trade that shares one common word with the supplier', async () => {
    // Fails capability and the certificate (two constraints) and shares "piezas": a near miss by count, but the
    // washing shop is the relevant supplier here, so on the full index the machining shop is not near.
    await post('washing', {
      ...bracketsRfq,
      title: 'Lavado y desengrase de piezas / washing and degreasing of parts',
      description: 'Lavado industrial y limpieza ultrasónica de piezas metálicas antes de pintura',
      items: [{ description: 'Lavado de piezas', codes: [], quantity: 1000, unit: 'pieza' }],
      capabilities: { scianCodes: ['561790'], processTags: [] },
      deadline: `${year}-03-08`,
    });
    const { items } = await allOpportunities(meAsSupplier);
    expect(items.map((o) => o.requirement.id)).not.toContain(ids.washing);
    // Nor does the roadmap suggest taking up washing.
    const map = await getJson<Roadmap>('/insights/upgrades', meAsSupplier);
    expect(map.upgrades.map((u) => u.key)).not.toContain('scian:561790');
    expect(map.upgrades.flatMap((u) => u.requirements.map((x) => x.requirementId))).not.toContain(
      ids.washing,
    );
    const washerSees = await allOpportunities(bearer(tokenFor({ orgId: washer.id, orgType: 'supplier' })));
    expect(byId(washerSees.items).get(ids.washing!)?.status).toBe('near-miss');
  });
});
