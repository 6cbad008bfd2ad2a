/**
 * Authorization matrix of the supplier-side routes: the expected answer per (request, caller) cell. The subject
 * is supplier S; bureaus differ by the mandate S gave them (in force with 'view', in force without it, ended,
 * none). A supplier-side object of a supplier the caller does not represent is a 404; a wrong organisation type
 * is a 403 whatever the target.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bracketsRfq, eventually, mandateSnapshot, registryEvent, supplierSnapshot } from './fixtures.js';
import { bearer, startMatching, tokenFor, type Caller, type Harness } from './harness.js';

let h: Harness;
const s = supplierSnapshot({ name: 'Proveedor S' });
const orgs = {
  buyer: randomUUID(),
  otherSupplier: randomUUID(),
  bureauView: randomUUID(),
  bureauApplyOnly: randomUUID(),
  bureauEnded: randomUUID(),
  bureauNone: randomUUID(),
  auditor: randomUUID(),
  platform: randomUUID(),
};
const ids: Record<string, string> = {};

type Cell =
  | 'self'
  | 'self-viewer'
  | 'other-supplier'
  | 'buyer'
  | 'bureau-view'
  | 'bureau-wrong-scope'
  | 'bureau-ended-mandate'
  | 'bureau-no-mandate'
  | 'auditor'
  | 'platform'
  | 'anonymous';

const callers: Record<Exclude<Cell, 'anonymous'>, Caller> = {
  self: { orgId: s.id, orgType: 'supplier' },
  'self-viewer': { orgId: s.id, orgType: 'supplier', roles: ['viewer'] },
  'other-supplier': { orgId: orgs.otherSupplier, orgType: 'supplier' },
  buyer: { orgId: orgs.buyer, orgType: 'buyer' },
  'bureau-view': { orgId: orgs.bureauView, orgType: 'bureau' },
  'bureau-wrong-scope': { orgId: orgs.bureauApplyOnly, orgType: 'bureau' },
  'bureau-ended-mandate': { orgId: orgs.bureauEnded, orgType: 'bureau' },
  'bureau-no-mandate': { orgId: orgs.bureauNone, orgType: 'bureau' },
  auditor: { orgId: orgs.auditor, orgType: 'auditor' },
  platform: { orgId: orgs.platform, orgType: 'platform' },
};
const headersFor = (cell: Cell) => (cell === 'anonymous' ? {} : bearer(tokenFor(callers[cell])));

beforeAll(async () => {
  h = await startMatching();
  const buyer = bearer(tokenFor(callers.buyer));
  const mandates = [
    mandateSnapshot(s.id, orgs.bureauView, { scopes: ['view', 'apply'] }),
    mandateSnapshot(s.id, orgs.bureauApplyOnly, { scopes: ['apply', 'message'] }),
    mandateSnapshot(s.id, orgs.bureauEnded, { scopes: ['view'], status: 'ended', endsOn: '2025-06-30' }),
  ];
  const before = h.consumer.stats().applied;
  await h.publish(
    registryEvent('registry.supplier.registered', { type: 'supplier', id: s.id, version: 1 }, s),
  );
  for (const m of mandates)
    await h.publish(registryEvent('registry.mandate.granted', { type: 'mandate', id: m.id, version: 1 }, m));
  await eventually(() => Promise.resolve(h.consumer.stats().applied >= before + 1 + mandates.length));

  const post = async (name: string, visibility: string, open = true) => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/requirements',
      headers: buyer,
      payload: { ...bracketsRfq, mustHaveCertificates: [], visibility },
    });
    expect(res.statusCode, res.body).toBe(201);
    ids[name] = res.json<{ id: string }>().id;
    if (open)
      expect(
        (await h.app.inject({ method: 'POST', url: `/requirements/${ids[name]}/open`, headers: buyer }))
          .statusCode,
      ).toBe(200);
  };
  await post('public', 'public');
  await post('invitedS', 'invited');
  await post('invitedNobody', 'invited');
  await post('draft', 'public', false);
  await h.database.db
    .insertInto('invitations')
    .values({
      id: randomUUID(),
      requirement_id: ids.invitedS!,
      supplier_id: s.id,
      invited_by_org_id: orgs.buyer,
      message: null,
    })
    .execute();
});
afterAll(async () => {
  await h?.close();
});

const supplierSide = {
  self: 200,
  'self-viewer': 200,
  'other-supplier': 404,
  buyer: 403,
  'bureau-view': 200,
  'bureau-wrong-scope': 404,
  'bureau-ended-mandate': 404,
  'bureau-no-mandate': 404,
  auditor: 403,
  platform: 403,
  anonymous: 401,
} satisfies Record<Cell, number>;

const notBureau = {
  self: 403,
  'self-viewer': 403,
  'other-supplier': 403,
  buyer: 403,
  auditor: 403,
  platform: 403,
  anonymous: 401,
} as const;

/** Request → expected status per caller. `:name` stands for the fixture requirement of that name. */
const expected: Record<string, Record<Cell, number>> = {
  'GET /opportunities?supplierId=S': supplierSide,
  'GET /insights/upgrades?supplierId=S': supplierSide,
  // Without supplierId a supplier asks for itself; a bureau must name a member.
  'GET /opportunities': {
    ...supplierSide,
    'other-supplier': 200,
    'bureau-view': 400,
    'bureau-wrong-scope': 400,
    'bureau-ended-mandate': 400,
    'bureau-no-mandate': 400,
  },
  'GET /insights/upgrades': {
    ...supplierSide,
    'other-supplier': 200,
    'bureau-view': 400,
    'bureau-wrong-scope': 400,
    'bureau-ended-mandate': 400,
    'bureau-no-mandate': 400,
  },
  // Public: every bureau sees it (with the members it may view for).
  'GET /requirements/:public/members-fit': {
    ...notBureau,
    'bureau-view': 200,
    'bureau-wrong-scope': 200,
    'bureau-ended-mandate': 200,
    'bureau-no-mandate': 200,
  },
  // Invited-only: visible to a bureau only through an invited member it may view for.
  'GET /requirements/:invitedS/members-fit': {
    ...notBureau,
    'bureau-view': 200,
    'bureau-wrong-scope': 404,
    'bureau-ended-mandate': 404,
    'bureau-no-mandate': 404,
  },
  'GET /requirements/:invitedNobody/members-fit': {
    ...notBureau,
    'bureau-view': 404,
    'bureau-wrong-scope': 404,
    'bureau-ended-mandate': 404,
    'bureau-no-mandate': 404,
  },
  'GET /requirements/:draft/members-fit': {
    ...notBureau,
    'bureau-view': 404,
    'bureau-wrong-scope': 404,
    'bureau-ended-mandate': 404,
    'bureau-no-mandate': 404,
  },
};

const urlOf = (key: string) =>
  key
    .replace(/^GET /, '')
    .replace('supplierId=S', `supplierId=${s.id}`)
    .replace(/:([A-Za-z]+)/g, (_, name: string) => ids[name]!);

describe('supplier-side authorization matrix', () => {
  it('answers each caller as the table says', async () => {
    const cells = Object.keys(supplierSide) as Cell[];
    for (const [key, row] of Object.entries(expected))
      for (const cell of cells) {
        const res = await h.app.inject({ method: 'GET', url: urlOf(key), headers: headersFor(cell) });
        expect(res.statusCode, `${key} as ${cell}: ${res.body.slice(0, 200)}`).toBe(row[cell]);
        if (res.statusCode >= 400) {
          expect(res.headers['content-type']).toContain('application/problem+json');
          expect(res.json<{ code: string }>().code).toMatch(/^[A-Z][A-Z0-9_]+$/);
        }
      }
  });

  it('answers for the subject asked: a supplier for itself, a bureau for its member', async () => {
    for (const [cell, url, subject] of [
      ['self', '/opportunities', s.id],
      ['other-supplier', '/opportunities', orgs.otherSupplier],
      ['bureau-view', `/opportunities?supplierId=${s.id}`, s.id],
      ['other-supplier', '/insights/upgrades', orgs.otherSupplier],
    ] as const) {
      const res = await h.app.inject({ method: 'GET', url, headers: headersFor(cell) });
      expect(res.json<{ supplierId: string }>().supplierId, `${cell} ${url}`).toBe(subject);
    }
    const seen = await h.app.inject({ method: 'GET', url: '/opportunities', headers: headersFor('self') });
    expect(
      seen
        .json<{ items: { requirement: { id: string } }[] }>()
        .items.map((i) => i.requirement.id)
        .sort(),
    ).toEqual([ids.public, ids.invitedS].sort());
  });

  it('counts as members only the suppliers whose mandate in force carries the view scope', async () => {
    const members = async (cell: Cell, name: string) => {
      const res = await h.app.inject({
        method: 'GET',
        url: `/requirements/${ids[name]}/members-fit`,
        headers: headersFor(cell),
      });
      const body = res.json<{ members: number; fit: { supplierId: string }[] }>();
      return { members: body.members, fit: body.fit.map((m) => m.supplierId) };
    };
    expect(await members('bureau-view', 'public')).toEqual({ members: 1, fit: [s.id] });
    expect(await members('bureau-view', 'invitedS')).toEqual({ members: 1, fit: [s.id] });
    for (const cell of ['bureau-wrong-scope', 'bureau-ended-mandate', 'bureau-no-mandate'] as const)
      expect(await members(cell, 'public'), cell).toEqual({ members: 0, fit: [] });
  });

  it('answers 404 for a requirement that does not exist, and 400 for a malformed id', async () => {
    const missing = await h.app.inject({
      method: 'GET',
      url: `/requirements/${randomUUID()}/members-fit`,
      headers: headersFor('bureau-view'),
    });
    expect(missing.statusCode).toBe(404);
    const bad = await h.app.inject({
      method: 'GET',
      url: '/requirements/not-a-uuid/members-fit',
      headers: headersFor('bureau-view'),
    });
    expect(bad.statusCode).toBe(400);
  });
});

describe('bad input on the supplier-side routes', () => {
  const cursor = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc
      .record({
        deadline: fc.oneof(fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/), fc.string({ maxLength: 12 })),
        id: fc.oneof(fc.uuid(), fc.string({ maxLength: 40 })),
      })
      .map((p) => Buffer.from(JSON.stringify(p)).toString('base64url')),
  );
  const value = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom('-1', '0', '51', '1e309', 'NaN', 'qualifying', 'near-miss', '\u0000'),
    fc.uuid(),
  );
  const query = fc.record(
    {
      supplierId: fc.oneof(fc.constant(s.id), fc.uuid(), fc.string({ maxLength: 40 })),
      limit: value,
      cursor,
      status: value,
      extra: value,
    },
    { requiredKeys: [] },
  );

  it('never answers a 5xx to a supplier or a bureau, and every 4xx is problem+json with a code', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Cell>('self', 'bureau-view', 'bureau-no-mandate'),
        fc.constantFrom('/opportunities', '/insights/upgrades'),
        query,
        async (cell, path, q) => {
          const qs = Object.entries(q)
            .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
            .join('&');
          const res = await h.app.inject({ method: 'GET', url: `${path}?${qs}`, headers: headersFor(cell) });
          expect(res.statusCode, `${path}?${qs} as ${cell}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
          if (res.statusCode >= 400) {
            expect(res.headers['content-type']).toContain('application/problem+json');
            expect(res.json<{ code: string }>().code).toMatch(/^[A-Z][A-Z0-9_]+$/);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('never answers a 5xx to members-fit, whatever the id', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.uuid(), fc.string({ maxLength: 60 }), fc.constantFrom(...Object.values(ids))),
        async (id) => {
          const res = await h.app.inject({
            method: 'GET',
            url: `/requirements/${encodeURIComponent(id)}/members-fit`,
            headers: headersFor('bureau-view'),
          });
          expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
        },
      ),
      { numRuns: 60 },
    );
  });
});
