/**
 * Matching through the gateway, black-box, against the built registry, matching and gateway processes: journeys
 * 1 and 3 of DOMAIN.md and the supplier half of journey 2. Suppliers and mandates are registered with the
 * registry; its events reach matching's read model through NATS. A buyer posts an English requirement and gets
 * ranked, explained candidates and the near misses with their gaps; an SME sees the opportunities it qualifies
 * and nearly qualifies for and its upgrading roadmap; a bureau sees which members fit, applies for two and sees
 * its commission when one is awarded. Problem messages follow Accept-Language.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './stack.js';

let stack: Stack;
let registry: string;
let matching: string;

beforeAll(async () => {
  stack = await startStack({ matching: true });
  registry = `${stack.gatewayUrl}/api/registry`;
  matching = `${stack.gatewayUrl}/api/matching`;
}, 45_000);

afterAll(async () => {
  await stack?.stop();
}, 30_000);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function call(token: string | undefined, body?: unknown, method = 'POST', lang = 'en'): RequestInit {
  return {
    method,
    headers: {
      'accept-language': lang,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

async function json<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as T;
}

interface Account {
  accessToken: string;
  organization: { id: string };
}

async function signup(type: 'supplier' | 'buyer' | 'bureau', name: string): Promise<Account> {
  return json<Account>(
    await fetch(
      `${registry}/auth/signup`,
      call(undefined, {
        email: `${randomUUID()}@example.mx`,
        password: 'una contraseña larga 123',
        name: 'Responsable',
        organization: { name, type },
      }),
    ),
    201,
  );
}

const QUERETARO = { lat: 20.59, lon: -100.39 };

/** An automotive CNC machining SME, optionally IATF-certified, with one plant at `at`. */
async function machiningSupplier(
  name: string,
  at: { lat: number; lon: number; stateCode: string },
  iatf: boolean,
): Promise<Account> {
  const sme = await signup('supplier', name);
  const id = sme.organization.id;
  await json(
    await fetch(
      `${registry}/suppliers/${id}/profile`,
      call(
        sme.accessToken,
        {
          description: {
            es: 'Maquinado CNC de soportes y carcasas de aluminio para la industria automotriz; PPAP nivel 3.',
          },
          scianCodes: ['332710'],
          processTags: ['cnc-machining'],
          materials: ['aluminio 6061'],
          capacity: { unit: 'units-per-month', amountPerMonth: 8000 },
          employees: 60,
          annualSalesMxnMillions: 80,
          tiers: [{ industry: 'automotive', tier: 2 }],
          exportExperience: { exports: true, markets: ['US'] },
        },
        'PUT',
      ),
    ),
    200,
  );
  await json(
    await fetch(
      `${registry}/suppliers/${id}/facilities`,
      call(sme.accessToken, { name: 'Planta 1', municipality: 'Planta', ...at }),
    ),
    201,
  );
  if (iatf)
    await json(
      await fetch(
        `${registry}/suppliers/${id}/certificates`,
        call(sme.accessToken, {
          standardId: 'iatf-16949-2016',
          certificateNumber: `IATF-${randomUUID().slice(0, 8)}`,
          issuingBody: 'Organismo de certificación demo',
          validFrom: '2025-01-01',
          validTo: '2099-12-31',
        }),
      ),
      201,
    );
  return sme;
}

interface Matches {
  total: number;
  candidates: Array<{
    supplierId: string;
    score: number;
    explanation: Array<{ criterion: string; contribution: number; note: string }>;
  }>;
  nearMisses: Array<{ supplierId: string; gaps: Array<{ constraint: string; gap: string; fix: string }> }>;
}

/** Registry events reach matching asynchronously: poll until `done` holds (bounded). */
async function matchesUntil(
  token: string,
  requirementId: string,
  done: (m: Matches) => boolean,
): Promise<Matches> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const m = await json<Matches>(
      await fetch(
        `${matching}/requirements/${requirementId}/matches?limit=10`,
        call(token, undefined, 'GET'),
      ),
      200,
    );
    if (done(m) || Date.now() > deadline) return m;
    await sleep(200);
  }
}

const inWeeks = (n: number): string => new Date(Date.now() + n * 7 * 86_400_000).toISOString().slice(0, 10);

describe('journey 1: a buyer posts a requirement and gets an explained ranking with near misses', () => {
  it('ranks the fitting SME, names what the near misses lack, and keeps the matches private', async () => {
    const fit = await machiningSupplier(
      'Maquinados Precisos del Bajío',
      { ...QUERETARO, stateCode: '22' },
      true,
    );
    const uncertified = await machiningSupplier(
      'Tornos y Fresas de Querétaro',
      { lat: 20.62, lon: -100.27, stateCode: '22' },
      false,
    );
    const far = await machiningSupplier(
      'Maquinados Frontera',
      { lat: 32.5, lon: -117.0, stateCode: '02' },
      true,
    );
    const buyer = await signup('buyer', 'Tier-1 Automotive México');

    const body = {
      title: 'CNC-machined aluminium brackets',
      description:
        'Machined 6061-T6 aluminium brackets for a seat structure; PPAP level 3; 5,000 units/month.',
      items: [
        {
          description: 'Bracket, seat frame, machined',
          codes: ['31161500'],
          quantity: 60000,
          unit: 'pieces',
        },
      ],
      capabilities: { scianCodes: ['3327'], processTags: ['cnc-machining'] },
      mustHaveCertificates: [{ standardId: 'iatf-16949-2016' }],
      maxTier: 2,
      location: { ...QUERETARO, radiusKm: 300 },
      volume: { unit: 'units-per-month', amountPerMonth: 5000 },
      deadline: inWeeks(4),
      visibility: 'public',
    };

    // A bad requirement is refused with a stable code, in the caller's language.
    const bad = await fetch(
      `${matching}/requirements`,
      call(buyer.accessToken, { ...body, mustHaveCertificates: [{ standardId: 'iso-99999' }] }, 'POST', 'es'),
    );
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const problem = await json<{ code: string; title: string }>(bad, 400);
    expect(problem.code).toMatch(/^MATCHING_/);
    expect(problem.title).toMatch(/[áéíóúñ]|certificad|desconocid|no /i);

    const created = await json<{ id: string; state: string }>(
      await fetch(`${matching}/requirements`, call(buyer.accessToken, body)),
      201,
    );
    expect(created.state).toBe('draft');
    await json(await fetch(`${matching}/requirements/${created.id}/open`, call(buyer.accessToken)), 200);

    const m = await matchesUntil(
      buyer.accessToken,
      created.id,
      (x) => x.candidates.some((c) => c.supplierId === fit.organization.id) && x.nearMisses.length >= 2,
    );
    expect(m.candidates.map((c) => c.supplierId)).toEqual([fit.organization.id]);
    const top = m.candidates[0]!;
    expect(top.explanation.reduce((s, e) => s + e.contribution, 0)).toBeCloseTo(top.score, 4);
    expect(top.explanation.find((e) => e.criterion === 'certificates')?.note).toMatch(/declared|IATF/i);

    const gaps = new Map(m.nearMisses.map((n) => [n.supplierId, n.gaps.map((g) => g.constraint)]));
    expect(gaps.get(uncertified.organization.id)).toEqual(['certificate']);
    expect(gaps.get(far.organization.id)).toEqual(['radius']);
    const certGap = m.nearMisses.find((n) => n.supplierId === uncertified.organization.id)!.gaps[0]!;
    expect(`${certGap.gap} ${certGap.fix}`).toMatch(/IATF/);

    // Another buyer cannot see the matches (404, not 403: the requirement does not exist for it).
    const other = await signup('buyer', 'Otra Armadora');
    const foreign = await fetch(
      `${matching}/requirements/${created.id}/matches`,
      call(other.accessToken, undefined, 'GET'),
    );
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('content-type')).toContain('application/problem+json');
  }, 90_000);
});

const requirementBody = (title: string, visibility = 'public') => ({
  title,
  description: 'Soportes de aluminio maquinados en CNC, PPAP nivel 3, entrega mensual.',
  items: [{ description: 'Soporte maquinado', codes: [], quantity: 24000, unit: 'piezas' }],
  capabilities: { scianCodes: ['332710'], processTags: ['cnc-machining'] },
  mustHaveCertificates: [{ standardId: 'iatf-16949-2016' }],
  location: { ...QUERETARO, radiusKm: 300 },
  volume: { unit: 'units-per-month', amountPerMonth: 2000 },
  deadline: inWeeks(3),
  visibility,
});

async function openRequirement(token: string, body: unknown): Promise<string> {
  const r = await json<{ id: string }>(await fetch(`${matching}/requirements`, call(token, body)), 201);
  await json(await fetch(`${matching}/requirements/${r.id}/open`, call(token)), 200);
  return r.id;
}

/** Polls a GET through the gateway until `done` holds (registry events reach matching asynchronously). */
async function getUntil<T>(token: string, url: string, done: (body: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const body = await json<T>(await fetch(url, call(token, undefined, 'GET')), 200);
    if (done(body) || Date.now() > deadline) return body;
    await sleep(200);
  }
}

interface Opportunities {
  items: Array<{
    requirement: { id: string };
    status: string;
    gaps: Array<{ constraint: string; fix: string }>;
  }>;
}
interface Roadmap {
  upgrades: Array<{
    upgrade: { kind: string; standardId?: string };
    opens: { alone: number };
    requirements: Array<{ requirementId: string; alone: boolean }>;
  }>;
}

describe('journey 2, supplier half: an SME sees its opportunities and its upgrading roadmap', () => {
  it('lists what it qualifies and nearly qualifies for, and ranks the missing certificate first', async () => {
    const sme = await machiningSupplier(
      'Maquinados Sin IATF',
      { lat: 20.6, lon: -100.35, stateCode: '22' },
      false,
    );
    const buyer = await signup('buyer', 'Armadora Demo');
    const ids = [
      await openRequirement(buyer.accessToken, requirementBody('Soportes para asiento')),
      await openRequirement(buyer.accessToken, requirementBody('Carcasas de bomba')),
    ];
    const qualifyingBody = { ...requirementBody('Bujes sin certificación'), mustHaveCertificates: [] };
    const qualifying = await openRequirement(buyer.accessToken, qualifyingBody);

    const opportunities = await getUntil<Opportunities>(
      sme.accessToken,
      `${matching}/opportunities`,
      (o) => o.items.length >= 3,
    );
    const status = new Map(opportunities.items.map((o) => [o.requirement.id, o]));
    expect(status.get(qualifying)?.status).toBe('qualifying');
    for (const id of ids) {
      expect(status.get(id)?.status).toBe('near-miss');
      expect(status.get(id)?.gaps.map((g) => g.constraint)).toEqual(['certificate']);
    }

    const roadmap = await json<Roadmap>(
      await fetch(`${matching}/insights/upgrades`, call(sme.accessToken, undefined, 'GET')),
      200,
    );
    // Journey 1's requirement in this stack asks for IATF 16949 too: the certificate opens it as well.
    const first = roadmap.upgrades[0]!;
    expect(first.upgrade).toMatchObject({ kind: 'certificate', standardId: 'iatf-16949-2016' });
    const opened = first.requirements.filter((r) => r.alone).map((r) => r.requirementId);
    expect(opened).toEqual(expect.arrayContaining(ids));
    expect(opened).not.toContain(qualifying);
    expect(first.opens.alone).toBe(opened.length);

    // A buyer has no opportunities: the supplier side is for suppliers and bureaus (403, in the caller's language).
    const refused = await fetch(`${matching}/opportunities`, call(buyer.accessToken, undefined, 'GET', 'es'));
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
  }, 90_000);
});

interface MembersFit {
  fit: Array<{ supplierId: string }>;
  nearFit: Array<{ supplierId: string; gaps: Array<{ constraint: string }> }>;
}
interface Application {
  id: string;
  supplierId: string;
  bureauId: string | null;
}

describe('journey 3: a bureau sees which members fit, applies for two and sees its commission', () => {
  it('brokers an award under the mandate terms', async () => {
    const bureau = await signup('bureau', 'Bolsa de Subcontratación del Bajío');
    const members = [
      await machiningSupplier('Miembro Uno', { lat: 20.6, lon: -100.4, stateCode: '22' }, true),
      await machiningSupplier('Miembro Dos', { lat: 20.55, lon: -100.3, stateCode: '22' }, true),
      await machiningSupplier('Miembro Tres', { lat: 20.7, lon: -100.45, stateCode: '22' }, false),
    ];
    for (const m of members)
      await json(
        await fetch(
          `${registry}/mandates`,
          call(m.accessToken, {
            bureauOrgId: bureau.organization.id,
            scopes: ['view', 'apply', 'message'],
            commission: { basisPoints: 350 },
          }),
        ),
        201,
      );
    const buyer = await signup('buyer', 'Tier-1 Asientos');
    const id = await openRequirement(buyer.accessToken, requirementBody('Soportes vía bolsa', 'bureaus'));

    const [one, two, three] = members.map((m) => m.organization.id) as [string, string, string];
    const fit = await getUntil<MembersFit>(
      bureau.accessToken,
      `${matching}/requirements/${id}/members-fit`,
      (f) => f.fit.length === 2 && f.nearFit.length === 1,
    );
    expect(fit.fit.map((f) => f.supplierId).sort()).toEqual([one, two].sort());
    expect(fit.nearFit[0]).toMatchObject({ supplierId: three, gaps: [{ constraint: 'certificate' }] });

    const quote = (amountMinor: number) => ({
      price: { amountMinor, currency: 'MXN' },
      leadTimeDays: 28,
      notes: 'PPAP nivel 3 incluido',
    });
    const applications: Application[] = [];
    for (const [supplierId, amount] of [
      [one, 1_000_000_00],
      [two, 1_100_000_00],
    ] as const)
      applications.push(
        await json<Application>(
          await fetch(
            `${matching}/requirements/${id}/applications`,
            call(bureau.accessToken, { supplierId, quote: quote(amount) }),
          ),
          201,
        ),
      );
    expect(applications.map((a) => a.bureauId)).toEqual([bureau.organization.id, bureau.organization.id]);

    const deal = await json<{
      id: string;
      commission: { basisPoints: number; amount: { amountMinor: number } };
    }>(
      await fetch(`${matching}/applications/${applications[0]!.id}/award`, call(buyer.accessToken, {})),
      201,
    );
    // 3.5 % of MXN 1,000,000.00 = MXN 35,000.00.
    expect(deal.commission).toMatchObject({ basisPoints: 350, amount: { amountMinor: 35_000_00 } });
    const seen = await json<{
      items: Array<{ id: string; commission: { amount: { amountMinor: number } } | null }>;
    }>(await fetch(`${matching}/deals`, call(bureau.accessToken, undefined, 'GET')), 200);
    expect(seen.items.map((d) => d.id)).toEqual([deal.id]);
    const other = await json<Application>(
      await fetch(
        `${matching}/applications/${applications[1]!.id}`,
        call(bureau.accessToken, undefined, 'GET'),
      ),
      200,
    );
    expect(other).toMatchObject({ state: 'rejected' });
  }, 90_000);
});
