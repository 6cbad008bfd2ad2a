/**
 * Properties over the whole route table, so a new route is covered the day it is added:
 * - object-level authorization: another organisation's id in any id-bearing route answers 404 (public routes
 *   answer 200 to everyone, listed below);
 * - bad input (fast-check): never a 5xx, always problem+json on 4xx, nothing internal echoed.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable, type RouteEntry } from '../src/app.js';
import { newId } from '@vinculo/service-kit/db';
import { bearer, signup, startRegistry, type Harness } from './harness.js';

let h: Harness;
let a: Awaited<ReturnType<typeof signup>>;
let b: Awaited<ReturnType<typeof signup>>;
const ids: Record<string, { a: string; b: string }> = {};

beforeAll(async () => {
  h = await startRegistry({
    API_RATE_LIMIT_PER_MINUTE: '100000',
    LOGIN_LIMIT_PER_IP: '100000',
    SIGNUP_LIMIT_PER_IP: '100000',
  });
  a = await signup(h.app, 'supplier');
  b = await signup(h.app, 'supplier');
  const made = async (who: typeof a, path: string, payload: object) => {
    const r = await h.app.inject({
      method: 'POST',
      url: `/organizations/${who.orgId}/${path}`,
      headers: bearer(who.accessToken),
      payload,
    });
    expect(r.statusCode).toBe(201);
    return r.json<{ id: string }>().id;
  };
  ids.orgId = { a: a.orgId, b: b.orgId };
  ids.userId = { a: a.userId, b: b.userId };
  ids.invitationId = {
    a: await made(a, 'invitations', { email: 'x-a@example.mx', role: 'member' }),
    b: await made(b, 'invitations', { email: 'x-b@example.mx', role: 'member' }),
  };
  ids.keyId = {
    a: await made(a, 'api-keys', { name: 'k', scopes: ['registry:read'] }),
    b: await made(b, 'api-keys', { name: 'k', scopes: ['registry:read'] }),
  };
  // Supplier-registry objects are inserted directly, so the matrix does not depend on the routes it tests.
  const auditor = await signup(h.app, 'auditor');
  const bureau = await signup(h.app, 'bureau');
  const supplierObjects = async (orgId: string) => {
    const db = h.database.db;
    await db
      .insertInto('supplier_profiles')
      .values({ org_id: orgId, scian_codes: ['332710'], search_text: 'maquinado' })
      .execute();
    const facility = newId();
    await db
      .insertInto('facilities')
      .values({ id: facility, org_id: orgId, name: 'Planta', state_code: '22', lat: 20.6, lon: -100.4 })
      .execute();
    const entry = newId();
    await db.insertInto('track_record').values({ id: entry, org_id: orgId, title: 'Soportes' }).execute();
    const certificate = newId();
    await db
      .insertInto('certificates')
      .values({
        id: certificate,
        org_id: orgId,
        standard_id: 'iso-9001-2015',
        certificate_number: 'MX-1',
        issuing_body: 'Ente',
        valid_from: '2025-01-01',
        valid_to: '2028-01-01',
      })
      .execute();
    const request = newId();
    await db
      .insertInto('verification_requests')
      .values({
        id: request,
        certificate_id: certificate,
        supplier_org_id: orgId,
        auditor_org_id: auditor.orgId,
      })
      .execute();
    const mandate = newId();
    await db
      .insertInto('mandates')
      .values({
        id: mandate,
        supplier_org_id: orgId,
        bureau_org_id: bureau.orgId,
        scopes: ['view'],
        starts_on: '2025-01-01',
        commission_basis_points: 250,
      })
      .execute();
    return {
      supplierId: orgId,
      facilityId: facility,
      entryId: entry,
      certificateId: certificate,
      requestId: request,
      mandateId: mandate,
    };
  };
  const objectsA = await supplierObjects(a.orgId);
  const objectsB = await supplierObjects(b.orgId);
  for (const k of Object.keys(objectsA) as Array<keyof typeof objectsA>)
    ids[k] = { a: objectsA[k], b: objectsB[k] };
});
afterAll(async () => {
  await h.close();
});

/** A valid body per route with a body; a route missing here fails the matrix, so fixtures keep up with routes. */
const validBodies: Record<string, object> = {
  'PATCH /organizations/:orgId': { name: 'Nuevo nombre' },
  'PATCH /organizations/:orgId/members/:userId': { role: 'admin' },
  'POST /organizations/:orgId/invitations': { email: 'nueva@example.mx', role: 'viewer' },
  'POST /organizations/:orgId/api-keys': { name: 'ERP', scopes: ['registry:read'] },
  'PUT /suppliers/:supplierId/profile': {
    scianCodes: ['332710'],
    processTags: [],
    materials: [],
    tiers: [],
    exportExperience: { exports: false, markets: [] },
    description: {},
  },
  'POST /suppliers/:supplierId/facilities': { name: 'Planta 2' },
  'PUT /suppliers/:supplierId/facilities': { facilities: [{ name: 'Planta 2' }] },
  'PATCH /suppliers/:supplierId/facilities/:facilityId': { name: 'Planta renombrada' },
  'POST /suppliers/:supplierId/track-record': { title: 'Carcasas de aluminio', scianCodes: [] },
  'POST /suppliers/:supplierId/certificates': {
    standardId: 'iso-9001-2015',
    certificateNumber: 'MX-2',
    issuingBody: 'Ente',
    validFrom: '2025-01-01',
    validTo: '2028-01-01',
  },
  'PATCH /suppliers/:supplierId/certificates/:certificateId': { certificateNumber: 'MX-3' },
  'POST /suppliers/:supplierId/certificates/:certificateId/revoke': { reason: 'Sustituido' },
  'POST /suppliers/:supplierId/certificates/:certificateId/verification-requests': {
    auditorOrgId: '00000000-0000-4000-8000-000000000000',
  },
  'POST /verification-requests/:requestId/reject': { reason: 'Alcance distinto' },
  'PATCH /mandates/:mandateId': { scopes: ['view'] },
  'POST /mandates/:mandateId/end': { reason: 'Fin del convenio' },
};

const PDF_PART =
  '--vinculo\r\nContent-Disposition: form-data; name="file"; filename="c.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\r\n--vinculo--\r\n';
/** Uploads take multipart bodies: a small valid PDF. */
const multipartRoutes = new Set(['POST /suppliers/:supplierId/certificates/:certificateId/document']);

function bodyFor(r: RouteEntry): { payload?: string | object; headers?: Record<string, string> } {
  if (multipartRoutes.has(key(r)))
    return { payload: PDF_PART, headers: { 'content-type': 'multipart/form-data; boundary=vinculo' } };
  const payload = validBodies[key(r)];
  return payload ? { payload } : {};
}

/** Routes that answer everyone (anonymous included) with public data. */
const publicRoutes = new Set(['GET /suppliers/:supplierId', 'GET /suppliers/:supplierId/certificates']);

const key = (r: RouteEntry) => `${r.method} ${r.url}`;
const idBearing = () => routeTable(h.app).filter((r) => r.params.length > 0);

describe('object-level authorization', () => {
  it('covers every id-bearing route', () => {
    const routes = idBearing();
    expect(routes.length).toBeGreaterThanOrEqual(10);
    for (const r of routes) {
      for (const p of r.params) expect(ids[p], `no fixture id for :${p} in ${key(r)}`).toBeDefined();
      if (r.hasBody) expect(validBodies[key(r)], `no valid body for ${key(r)}`).toBeDefined();
    }
  });

  it("answers 404 to an organisation calling with another organisation's ids, and 401 to anonymous callers", async () => {
    for (const r of idBearing()) {
      const url = (who: 'a' | 'b') => r.url.replace(/:([A-Za-z]+)/g, (_, p: string) => ids[p]![who]);
      const body = bodyFor(r);
      const isPublic = publicRoutes.has(key(r));
      const asB = await h.app.inject({
        method: r.method as 'GET',
        url: url('a'),
        ...body,
        headers: { ...body.headers, ...bearer(b.accessToken) },
      });
      expect(asB.statusCode, `${key(r)} as another organisation`).toBe(isPublic ? 200 : 404);
      if (!isPublic) expect(asB.headers['content-type']).toContain('application/problem+json');
      const anon = await h.app.inject({ method: r.method as 'GET', url: url('a'), ...body });
      expect(anon.statusCode, `${key(r)} anonymously`).toBe(isPublic ? 200 : 401);
      // Own organisation, but a sub-object (member, invitation, key) of the other organisation.
      if (r.params.length > 1 && !isPublic) {
        const mixed = r.url.replace(/:([A-Za-z]+)/g, (_, p: string) =>
          p === 'orgId' ? ids.orgId!.a : ids[p]!.b,
        );
        const res = await h.app.inject({
          method: r.method as 'GET',
          url: mixed,
          ...body,
          headers: { ...body.headers, ...bearer(a.accessToken) },
        });
        expect(res.statusCode, `${key(r)} with another organisation's sub-object`).toBe(404);
      }
    }
  });
});

const privileged = fc.record(
  {
    orgId: fc.uuid(),
    role: fc.constant('owner'),
    verified: fc.boolean(),
    tier: fc.integer(),
    __proto__: fc.object(),
    type: fc.constant('platform'),
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
const bodyArb = fc.oneof(
  fc.dictionary(fc.string({ maxLength: 20 }), nasty, { maxKeys: 6 }),
  privileged,
  nasty,
);
const paramArb = fc.oneof(
  fc.uuid(),
  fc.string({ maxLength: 80 }),
  fc.constantFrom('..%2F..%2Fetc', '%00', 'null', '-1', '1e309'),
);

describe('bad input', () => {
  it('never answers a 5xx to any route, and every 4xx is problem+json with a code', async () => {
    const routes = routeTable(h.app).filter(
      (r) => !['/health', '/ready', '/metrics', '/openapi.json'].includes(r.url),
    );
    expect(routes.length).toBeGreaterThanOrEqual(18);
    for (const r of routes) {
      await fc.assert(
        fc.asyncProperty(
          bodyArb,
          fc.array(paramArb, { minLength: 3, maxLength: 3 }),
          fc.boolean(),
          fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
          async (body, params, asJsonText, contentType) => {
            let i = 0;
            const url = r.url.replace(/:([A-Za-z]+)/g, (_, p: string) =>
              params[i++ % 3] === '' ? (ids[p]?.a ?? newId()) : encodeURIComponent(params[(i - 1) % 3]!),
            );
            const payload = asJsonText
              ? JSON.stringify(body).slice(0, Math.max(1, JSON.stringify(body).length - 3))
              : JSON.stringify(body);
            const res = await h.app.inject({
              method: r.method as 'POST',
              url: `${url}?limit=${encodeURIComponent(String(params[0]))}&cursor=${encodeURIComponent(String(params[1]))}`,
              headers: { ...bearer(a.accessToken), 'content-type': contentType },
              ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { payload }),
            });
            expect(res.statusCode, `${key(r)} → ${res.statusCode} ${res.body.slice(0, 300)}`).toBeLessThan(
              500,
            );
            if (res.statusCode >= 400) {
              expect(res.headers['content-type']).toContain('application/problem+json');
              const problem = res.json<{ code: string }>();
              expect(problem.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
              expect(res.body).not.toMatch(/stack|at async|node_modules|password_hash|token_hash/);
            }
          },
        ),
        { numRuns: 25 },
      );
    }
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
    // A forged cursor with an impossible date is a 400, never a database error.
    const forged = Buffer.from(
      JSON.stringify({ createdAt: '2024-13-45T99:99:99Z', id: '00000000-0000-4000-8000-000000000000' }),
    ).toString('base64url');
    const bad = await h.app.inject({
      method: 'GET',
      url: `/organizations/${a.orgId}/invitations?cursor=${forged}`,
      headers: bearer(a.accessToken),
    });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/auth/login', '/organizations/{orgId}/members']),
    );
  });
});
