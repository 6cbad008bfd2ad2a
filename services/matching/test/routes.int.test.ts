/**
 * Properties over the whole route table, so a new route is covered the day it is added:
 * - authorization matrix: the expected answer per (route, caller) cell, for every organisation type;
 * - bad input (fast-check): never a 5xx, always problem+json on 4xx, nothing internal echoed.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable, type RouteEntry } from '../src/app.js';
import { bracketsRfq } from './fixtures.js';
import { bearer, startMatching, tokenFor, type Harness } from './harness.js';

let h: Harness;
let owner: ReturnType<Harness['org']>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  h = await startMatching();
  owner = h.org('buyer');
  // Invited-only and open: nobody but its buyer may see it.
  const res = await h.app.inject({
    method: 'POST',
    url: '/requirements',
    headers: owner.headers,
    payload: { ...bracketsRfq, visibility: 'invited' },
  });
  expect(res.statusCode).toBe(201);
  ids.requirementId = res.json<{ id: string }>().id;
  expect(
    (
      await h.app.inject({
        method: 'POST',
        url: `/requirements/${ids.requirementId}/open`,
        headers: owner.headers,
      })
    ).statusCode,
  ).toBe(200);
  // Applications and a deal (deals.routes.ts): two more public open requirements of the owner, each with a
  // supplier's application (public: any supplier may apply); the second is awarded.
  const applicant = h.org('supplier');
  for (const name of ['applicationId', 'dealId'] as const) {
    const call = async (url: string, headers: Record<string, string>, payload?: object) => {
      const r = await h.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });
      expect(r.statusCode, r.body).toBeLessThan(300);
      return r.json<{ id: string }>().id;
    };
    const req = await call('/requirements', owner.headers, bracketsRfq);
    await call(`/requirements/${req}/open`, owner.headers);
    ids[name] = await call(`/requirements/${req}/applications`, applicant.headers, applicationBody);
    if (name === 'dealId') ids[name] = await call(`/applications/${ids[name]}/award`, owner.headers, {});
  }
});
afterAll(async () => {
  await h?.close();
});

const key = (r: RouteEntry) => `${r.method} ${r.url}`;
const probes = ['/health', '/ready', '/metrics', '/openapi.json'];
const apiRoutes = () => routeTable(h.app).filter((r) => !probes.includes(r.url));

/** A valid body per route with a body; a route missing here fails the matrix, so fixtures keep up with routes. */
const applicationBody = {
  quote: {
    price: { amountMinor: 1_000_00, currency: 'MXN' },
    leadTimeDays: 10,
    notes: 'Incluye PPAP',
    attachments: [{ kind: 'url', url: 'https://example.mx/cotizacion.pdf' }],
  },
};
const validBodies: Record<string, object> = {
  'POST /requirements': bracketsRfq,
  'POST /requirements/:requirementId/invitations': { supplierId: '0193a5b0-7e2f-7cc1-8a4e-1f2d3c4b5a03' },
  'POST /requirements/:requirementId/applications': {
    supplierId: '0193a5b0-7e2f-7cc1-8a4e-1f2d3c4b5a03',
    ...applicationBody,
  },
  'POST /applications/:applicationId/award': {},
};

type Cell =
  'own' | 'own-viewer' | 'other-buyer' | 'supplier' | 'bureau' | 'auditor' | 'platform' | 'anonymous';
const cells: Cell[] = [
  'own',
  'own-viewer',
  'other-buyer',
  'supplier',
  'bureau',
  'auditor',
  'platform',
  'anonymous',
];

/**
 * The expected status per route and caller. "own" acts on the fixture requirement, so transitions run in the
 * order of this table against an open requirement: close (200), then open (409: closed cannot reopen), cancel (200).
 */
const expected: Record<string, Record<Cell, number>> = {
  'POST /requirements': {
    own: 201,
    'own-viewer': 403,
    'other-buyer': 201,
    supplier: 403,
    bureau: 403,
    auditor: 403,
    platform: 403,
    anonymous: 401,
  },
  'GET /requirements': {
    own: 200,
    'own-viewer': 200,
    'other-buyer': 200,
    supplier: 200,
    bureau: 200,
    auditor: 200,
    platform: 200,
    anonymous: 401,
  },
  'GET /requirements/:requirementId': {
    own: 200,
    'own-viewer': 200,
    'other-buyer': 404,
    supplier: 404,
    bureau: 404,
    auditor: 404,
    platform: 404,
    anonymous: 401,
  },
  'GET /requirements/:requirementId/matches': {
    own: 200,
    'own-viewer': 200,
    'other-buyer': 404,
    supplier: 404,
    bureau: 404,
    auditor: 404,
    platform: 404,
    anonymous: 401,
  },
  'POST /requirements/:requirementId/close': {
    own: 200,
    'own-viewer': 403,
    'other-buyer': 404,
    supplier: 404,
    bureau: 404,
    auditor: 404,
    platform: 404,
    anonymous: 401,
  },
  'POST /requirements/:requirementId/open': {
    own: 409,
    'own-viewer': 403,
    'other-buyer': 404,
    supplier: 404,
    bureau: 404,
    auditor: 404,
    platform: 404,
    anonymous: 401,
  },
  'POST /requirements/:requirementId/cancel': {
    own: 200,
    'own-viewer': 403,
    'other-buyer': 404,
    supplier: 404,
    bureau: 404,
    auditor: 404,
    platform: 404,
    anonymous: 401,
  },
  // The supplier side (opportunities.routes.ts): a supplier asks for itself, a bureau must name a member (400
  // without one); members' fit is for bureaus, and the fixture requirement is invited-only with nobody invited.
  'GET /opportunities': {
    own: 403,
    'own-viewer': 403,
    'other-buyer': 403,
    supplier: 200,
    bureau: 400,
    auditor: 403,
    platform: 403,
    anonymous: 401,
  },
  'GET /insights/upgrades': {
    own: 403,
    'own-viewer': 403,
    'other-buyer': 403,
    supplier: 200,
    bureau: 400,
    auditor: 403,
    platform: 403,
    anonymous: 401,
  },
  'GET /requirements/:requirementId/members-fit': {
    own: 403,
    'own-viewer': 403,
    'other-buyer': 403,
    supplier: 403,
    bureau: 404,
    auditor: 403,
    platform: 403,
    anonymous: 401,
  },
  // Invitations, applications, deals (deals.routes.ts). By now the fixture requirement is cancelled (409 to
  // its buyer's invitation); the application (of a random supplier, on another open requirement of the owner)
  // is shortlisted, unshortlisted, then awarded by its buyer; withdrawing is its applicant's alone.
  'POST /requirements/:requirementId/invitations': {
    own: 409,
    'own-viewer': 403,
    'other-buyer': 404,
    supplier: 404,
    bureau: 404,
    auditor: 404,
    platform: 404,
    anonymous: 401,
  },
  'GET /requirements/:requirementId/invitations': {
    own: 200,
    'own-viewer': 200,
    'other-buyer': 404,
    supplier: 404,
    bureau: 404,
    auditor: 404,
    platform: 404,
    anonymous: 401,
  },
  // Buyers, auditors and the platform never apply (403); a supplier only for itself and a bureau only for a
  // mandated member (the body names a supplier that is neither: 404).
  'POST /requirements/:requirementId/applications': {
    own: 403,
    'own-viewer': 403,
    'other-buyer': 403,
    supplier: 404,
    bureau: 404,
    auditor: 403,
    platform: 403,
    anonymous: 401,
  },
  'GET /requirements/:requirementId/applications': {
    own: 200,
    'own-viewer': 200,
    'other-buyer': 404,
    supplier: 404,
    bureau: 404,
    auditor: 404,
    platform: 404,
    anonymous: 401,
  },
  'GET /applications': {
    own: 200,
    'own-viewer': 200,
    'other-buyer': 200,
    supplier: 200,
    bureau: 200,
    auditor: 200,
    platform: 200,
    anonymous: 401,
  },
  'GET /applications/:applicationId': {
    own: 200,
    'own-viewer': 200,
    'other-buyer': 404,
    supplier: 404,
    bureau: 404,
    auditor: 404,
    platform: 404,
    anonymous: 401,
  },
  'POST /applications/:applicationId/shortlist': {
    own: 200,
    'own-viewer': 403,
    'other-buyer': 404,
    supplier: 404,
    bureau: 404,
    auditor: 404,
    platform: 404,
    anonymous: 401,
  },
  'POST /applications/:applicationId/unshortlist': {
    own: 200,
    'own-viewer': 403,
    'other-buyer': 404,
    supplier: 404,
    bureau: 404,
    auditor: 404,
    platform: 404,
    anonymous: 401,
  },
  'POST /applications/:applicationId/withdraw': {
    own: 404,
    'own-viewer': 404,
    'other-buyer': 404,
    supplier: 404,
    bureau: 404,
    auditor: 404,
    platform: 404,
    anonymous: 401,
  },
  'POST /applications/:applicationId/award': {
    own: 201,
    'own-viewer': 403,
    'other-buyer': 404,
    supplier: 404,
    bureau: 404,
    auditor: 404,
    platform: 404,
    anonymous: 401,
  },
  'GET /deals': {
    own: 200,
    'own-viewer': 200,
    'other-buyer': 200,
    supplier: 200,
    bureau: 200,
    auditor: 200,
    platform: 200,
    anonymous: 401,
  },
  'GET /deals/:dealId': {
    own: 200,
    'own-viewer': 200,
    'other-buyer': 404,
    supplier: 404,
    bureau: 404,
    auditor: 404,
    platform: 404,
    anonymous: 401,
  },
};

function headersFor(cell: Cell): Record<string, string> {
  switch (cell) {
    case 'own':
      return owner.headers;
    case 'own-viewer':
      return bearer(tokenFor({ orgId: owner.orgId, orgType: 'buyer', roles: ['viewer'] }));
    case 'other-buyer':
      return h.org('buyer').headers;
    case 'supplier':
    case 'bureau':
    case 'auditor':
    case 'platform':
      return h.org(cell).headers;
    case 'anonymous':
      return {};
  }
}

describe('authorization matrix', () => {
  it('has an expectation and fixtures for every route', () => {
    const routes = apiRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(7);
    for (const r of routes) {
      expect(expected[key(r)], `no expected answers for ${key(r)}`).toBeDefined();
      for (const p of r.params) expect(ids[p], `no fixture id for :${p} in ${key(r)}`).toBeDefined();
      if (r.hasBody) expect(validBodies[key(r)], `no valid body for ${key(r)}`).toBeDefined();
    }
  });

  it('answers each caller as the table says (404, never 403, for private objects of another organisation)', async () => {
    const byKey = new Map(apiRoutes().map((r) => [key(r), r]));
    for (const [k, row] of Object.entries(expected)) {
      const r = byKey.get(k)!;
      const url = r.url.replace(/:([A-Za-z]+)/g, (_, p: string) => ids[p]!);
      // Callers other than the owner first, so the owner's transitions do not change what they see.
      for (const cell of [...cells.filter((c) => c !== 'own'), 'own' as const]) {
        const payload = validBodies[k];
        const res = await h.app.inject({
          method: r.method as 'GET',
          url,
          headers: headersFor(cell),
          ...(payload ? { payload } : {}),
        });
        expect(res.statusCode, `${k} as ${cell}: ${res.body.slice(0, 200)}`).toBe(row[cell]);
        if (res.statusCode >= 400) expect(res.headers['content-type']).toContain('application/problem+json');
      }
    }
  });
});

const privileged = fc.record(
  {
    orgId: fc.uuid(),
    role: fc.constant('owner'),
    buyerId: fc.uuid(),
    state: fc.constant('awarded'),
    version: fc.integer(),
    __proto__: fc.object(),
  },
  { requiredKeys: [] },
);
const nasty = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ maxLength: 20_000 }),
  fc.array(fc.integer(), { maxLength: 2_000 }),
  fc.constant('\u0000'),
  fc.constant('ÿ̸̢̧͔͓̀ 🇲🇽 \uD800'),
);
/** Valid requirement bodies with one field replaced by something nasty. */
const mutatedRfq = fc
  .record({ field: fc.constantFrom(...Object.keys(bracketsRfq), 'extra'), value: nasty })
  .map(({ field, value }) => ({ ...bracketsRfq, [field]: value }));
/** Valid application bodies with one quote field replaced by something nasty. */
const mutatedQuote = fc
  .record({ field: fc.constantFrom(...Object.keys(applicationBody.quote), 'extra'), value: nasty })
  .map(({ field, value }) => ({ quote: { ...applicationBody.quote, [field]: value } }));
const bodyArb = fc.oneof(
  fc.dictionary(fc.string({ maxLength: 20 }), nasty, { maxKeys: 6 }),
  privileged,
  nasty,
  mutatedRfq,
  mutatedQuote,
);
const paramArb = fc.oneof(
  fc.uuid(),
  fc.string({ maxLength: 80 }),
  fc.constantFrom('..%2F..%2Fetc', '%00', 'null', '-1', '1e309', ''),
);
const queryArb = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('-1', '0', '101', '1e309', 'NaN', '9'.repeat(40), 'open', 'draft'),
  fc.double().map(String),
);

describe('bad input', () => {
  it('never answers a 5xx to any route, and every 4xx is problem+json with a code', async () => {
    const routes = apiRoutes();
    for (const r of routes) {
      await fc.assert(
        fc.asyncProperty(
          bodyArb,
          fc.array(paramArb, { minLength: 1, maxLength: 1 }),
          fc.array(queryArb, { minLength: 5, maxLength: 5 }),
          fc.boolean(),
          fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
          async (body, params, q, truncate, contentType) => {
            const url = r.url.replace(/:([A-Za-z]+)/g, (_, p: string) =>
              params[0] === '' ? ids[p]! : encodeURIComponent(params[0]!),
            );
            const json = JSON.stringify(body) ?? 'null';
            const payload = truncate ? json.slice(0, Math.max(1, json.length - 3)) : json;
            const query = [
              `limit=${encodeURIComponent(q[0]!)}`,
              `cursor=${encodeURIComponent(q[1]!)}`,
              `offset=${encodeURIComponent(q[2]!)}`,
              `state=${encodeURIComponent(q[3]!)}`,
              `weights.distance=${encodeURIComponent(q[4]!)}`,
            ].join('&');
            const res = await h.app.inject({
              method: r.method as 'POST',
              url: `${url}?${query}`,
              headers: { ...owner.headers, 'content-type': contentType },
              ...(r.method === 'GET' ? {} : { payload }),
            });
            expect(res.statusCode, `${key(r)} → ${res.statusCode} ${res.body.slice(0, 300)}`).toBeLessThan(
              500,
            );
            if (res.statusCode >= 400) {
              expect(res.headers['content-type']).toContain('application/problem+json');
              expect(res.json<{ code: string }>().code).toMatch(/^[A-Z][A-Z0-9_]+$/);
              expect(res.body).not.toMatch(/stack|at async|node_modules|select |insert /);
            }
          },
        ),
        { numRuns: 40 },
      );
    }
  });

  it('never answers a 5xx to valid-shaped requirement bodies (deadline, codes, numbers at their limits)', async () => {
    const rfq = fc.record({
      title: fc.string({ minLength: 1, maxLength: 300 }),
      items: fc.array(
        fc.record({
          description: fc.string({ minLength: 1, maxLength: 50 }),
          codes: fc.array(fc.stringMatching(/^[0-9A-Za-z][0-9A-Za-z.-]{0,19}$/), { maxLength: 3 }),
          quantity: fc.double({ min: 0, max: 1e12, noNaN: true }),
          unit: fc.string({ minLength: 1, maxLength: 50 }),
        }),
        { maxLength: 3 },
      ),
      capabilities: fc.record({
        scianCodes: fc.array(fc.stringMatching(/^[0-9]{2,6}$/), { maxLength: 3 }),
        processTags: fc.array(fc.constantFrom('cnc-machining', 'injection-moulding', 'x'), { maxLength: 2 }),
      }),
      mustHaveCertificates: fc.array(
        fc.record({
          standardId: fc.constantFrom('iatf-16949-2016', 'iso-9001-2015', 'nadcap', 'nope'),
          verifiedOnly: fc.boolean(),
        }),
        { maxLength: 3 },
      ),
      location: fc.option(
        fc.record({
          lat: fc.double({ min: -90, max: 90, noNaN: true }),
          lon: fc.double({ min: -180, max: 180, noNaN: true }),
          radiusKm: fc.double({ min: 0, max: 20_000, noNaN: true }),
        }),
      ),
      deadline: fc.oneof(fc.constant(bracketsRfq.deadline), fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/)),
      visibility: fc.constantFrom('public', 'invited', 'bureaus'),
    });
    await fc.assert(
      fc.asyncProperty(rfq, async (body) => {
        const res = await h.app.inject({
          method: 'POST',
          url: '/requirements',
          headers: owner.headers,
          payload: body,
        });
        expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
        if (res.statusCode === 201) {
          const id = res.json<{ id: string }>().id;
          const m = await h.app.inject({
            method: 'GET',
            url: `/requirements/${id}/matches`,
            headers: owner.headers,
          });
          expect(m.statusCode, m.body.slice(0, 300)).toBe(200);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('OpenAPI', () => {
  it('documents every route with its bearer security scheme', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{
      paths: Record<string, unknown>;
      components: { securitySchemes: Record<string, unknown> };
    }>();
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/requirements', '/requirements/{requirementId}/matches']),
    );
    const forged = Buffer.from(
      JSON.stringify({ createdAt: '2024-13-45T99:99:99.000Z', id: '00000000-0000-4000-8000-000000000000' }),
    ).toString('base64url');
    const bad = await h.app.inject({
      method: 'GET',
      url: `/requirements?cursor=${forged}`,
      headers: owner.headers,
    });
    expect(bad.statusCode).toBe(400);
  });
});
