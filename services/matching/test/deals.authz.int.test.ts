/**
 * Authorization matrix of the invitation, application and deal routes: the expected answer per (route,
 * caller). Each mutating cell runs against a world of its own (a fresh requirement, invitation, application,
 * deal as the route needs), so no cell depends on another's side effects.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable, type RouteEntry } from '../src/app.js';
import {
  bracketsRfq,
  certificationSnapshot,
  eventually,
  mandateSnapshot,
  registryEvent,
  supplierSnapshot,
} from './fixtures.js';
import { bearer, startMatching, tokenFor, type Harness } from './harness.js';

let h: Harness;
const cells = [
  'owner',
  'other-buyer',
  'invited-supplier',
  'uninvited-supplier',
  'bureau-apply',
  'bureau-view',
  'bureau-none',
  'anonymous',
] as const;
type Cell = (typeof cells)[number];
const org: Record<Exclude<Cell, 'anonymous'>, { id: string; headers: Record<string, string> }> = {} as never;

async function inReadModel(supplierId: string): Promise<void> {
  const s = supplierSnapshot({ id: supplierId });
  await h.publish(
    registryEvent('registry.supplier.registered', { type: 'supplier', id: s.id, version: 1 }, s),
  );
  const c = certificationSnapshot(s.id);
  await h.publish(
    registryEvent('registry.certification.added', { type: 'certification', id: c.id, version: 1 }, c),
  );
  await eventually(() => Promise.resolve(h.index.nameOf(s.id) !== undefined));
}

beforeAll(async () => {
  h = await startMatching();
  const make = (type: 'buyer' | 'supplier' | 'bureau') => {
    const id = randomUUID();
    return { id, headers: bearer(tokenFor({ orgId: id, orgType: type })) };
  };
  org.owner = make('buyer');
  org['other-buyer'] = make('buyer');
  org['invited-supplier'] = make('supplier');
  org['uninvited-supplier'] = make('supplier');
  org['bureau-apply'] = make('bureau');
  org['bureau-view'] = make('bureau');
  org['bureau-none'] = make('bureau');
  await inReadModel(org['invited-supplier'].id);
  await inReadModel(org['uninvited-supplier'].id);
  const grants = [
    mandateSnapshot(org['invited-supplier'].id, org['bureau-apply'].id, { scopes: ['view', 'apply'] }),
    mandateSnapshot(org['invited-supplier'].id, org['bureau-view'].id, { scopes: ['view'] }),
  ];
  for (const m of grants)
    await h.publish(registryEvent('registry.mandate.granted', { type: 'mandate', id: m.id, version: 1 }, m));
  await eventually(async () => {
    const rows = await h.database.db.selectFrom('mandates').select('id').execute();
    return rows.length === grants.length;
  });
});
afterAll(async () => {
  await h?.close();
});

interface World {
  requirementId: string;
  applicationId?: string;
  dealId?: string;
}

/**
 * An open, invited-only requirement of the owner with the invited supplier invited; optionally an application
 * by the apply-mandate bureau for that supplier (shortlisted when asked), optionally awarded.
 */
async function world(opts: { application?: 'submitted' | 'shortlisted' | 'awarded' } = {}): Promise<World> {
  const owner = org.owner.headers;
  const inject = async (url: string, headers: Record<string, string>, payload?: object) => {
    const res = await h.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });
    expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
    return res.json<{ id: string }>();
  };
  const { id: requirementId } = await inject('/requirements', owner, {
    ...bracketsRfq,
    visibility: 'invited',
  });
  await inject(`/requirements/${requirementId}/open`, owner);
  await inject(`/requirements/${requirementId}/invitations`, owner, {
    supplierId: org['invited-supplier'].id,
  });
  if (!opts.application) return { requirementId };
  const { id: applicationId } = await inject(
    `/requirements/${requirementId}/applications`,
    org['bureau-apply'].headers,
    { supplierId: org['invited-supplier'].id, quote: quote() },
  );
  if (opts.application === 'shortlisted') await inject(`/applications/${applicationId}/shortlist`, owner);
  if (opts.application !== 'awarded') return { requirementId, applicationId };
  const { id: dealId } = await inject(`/applications/${applicationId}/award`, owner, {});
  return { requirementId, applicationId, dealId };
}

const quote = () => ({ price: { amountMinor: 10_000_00, currency: 'MXN' }, leadTimeDays: 10 });

type Row = Record<Cell, number>;
const row = (owner: number, others: number, over: Partial<Row> = {}): Row => ({
  owner,
  'other-buyer': others,
  'invited-supplier': others,
  'uninvited-supplier': others,
  'bureau-apply': others,
  'bureau-view': others,
  'bureau-none': others,
  anonymous: 401,
  ...over,
});

interface Case {
  expected: Row;
  /** The world a cell acts in: 'shared' for reads (one world for every cell), else a fresh one per cell. */
  world: 'shared' | Parameters<typeof world>[0];
  body?: (cell: Cell) => object;
  /** For lists: how many items each cell sees in the shared world. */
  items?: Partial<Record<Cell, number>>;
  /** For lists other cells add to (deals): whether each cell's list holds the shared world's object. */
  holds?: { id: (w: World) => string | undefined; by: Partial<Record<Cell, boolean>> };
}

const expected: Record<string, Case> = {
  'POST /requirements/:requirementId/invitations': {
    expected: row(201, 404),
    world: {},
    body: () => ({ supplierId: org['uninvited-supplier'].id }),
  },
  'GET /requirements/:requirementId/invitations': {
    expected: row(200, 404),
    world: 'shared',
    items: { owner: 1 },
  },
  'POST /requirements/:requirementId/applications': {
    // Buyers are the wrong kind of organisation (403); the view-only mandate lacks the scope (403); the
    // uninvited supplier cannot see the requirement and the unmandated bureau has no such member (404).
    expected: row(403, 404, {
      'other-buyer': 403,
      'invited-supplier': 201,
      'bureau-apply': 201,
      'bureau-view': 403,
    }),
    world: {},
    body: (cell) =>
      cell.endsWith('supplier')
        ? { quote: quote() }
        : { supplierId: org['invited-supplier'].id, quote: quote() },
  },
  'GET /requirements/:requirementId/applications': {
    expected: row(200, 404),
    world: 'shared',
    items: { owner: 1 },
  },
  'GET /applications': {
    expected: row(200, 200),
    world: 'shared',
    // The caller's own applications: the applicant supplier's and the applying bureau's, nobody else's.
    items: {
      owner: 0,
      'other-buyer': 0,
      'invited-supplier': 1,
      'uninvited-supplier': 0,
      'bureau-apply': 1,
      'bureau-view': 0,
      'bureau-none': 0,
    },
  },
  'GET /applications/:applicationId': {
    expected: row(200, 404, { 'invited-supplier': 200, 'bureau-apply': 200 }),
    world: 'shared',
  },
  'POST /applications/:applicationId/withdraw': {
    expected: row(404, 404, { 'invited-supplier': 200, 'bureau-apply': 200 }),
    world: { application: 'submitted' },
  },
  'POST /applications/:applicationId/shortlist': {
    expected: row(200, 404),
    world: { application: 'submitted' },
  },
  'POST /applications/:applicationId/unshortlist': {
    expected: row(200, 404),
    world: { application: 'shortlisted' },
  },
  'POST /applications/:applicationId/award': {
    expected: row(201, 404),
    world: { application: 'submitted' },
    body: () => ({}),
  },
  'GET /deals': {
    expected: row(200, 200),
    world: 'shared',
    // Deals the caller is party to: buyer, supplier, brokering bureau.
    holds: {
      id: (w) => w.dealId,
      by: {
        owner: true,
        'other-buyer': false,
        'invited-supplier': true,
        'uninvited-supplier': false,
        'bureau-apply': true,
        'bureau-view': false,
        'bureau-none': false,
      },
    },
  },
  'GET /deals/:dealId': {
    expected: row(200, 404, { 'invited-supplier': 200, 'bureau-apply': 200 }),
    world: 'shared',
  },
};

const key = (r: RouteEntry) => `${r.method} ${r.url}`;
const mine = (r: RouteEntry) =>
  /^\/(applications|deals)\b/.test(r.url) ||
  /^\/requirements\/:requirementId\/(invitations|applications)$/.test(r.url);

describe('authorization matrix: invitations, applications, deals', () => {
  it('has an expected answer for every one of these routes', () => {
    const routes = routeTable(h.app).filter(mine);
    expect(routes.map(key).sort()).toEqual(Object.keys(expected).sort());
  });

  it('answers each caller as the table says, with problem+json for every refusal', async () => {
    const shared = await world({ application: 'awarded' });
    const byKey = new Map(
      routeTable(h.app)
        .filter(mine)
        .map((r) => [key(r), r]),
    );
    const failures: string[] = [];
    for (const [k, c] of Object.entries(expected)) {
      const r = byKey.get(k)!;
      for (const cell of cells) {
        const w = c.world === 'shared' ? shared : await world(c.world);
        const ids: Record<string, string | undefined> = {
          requirementId: w.requirementId,
          applicationId: w.applicationId,
          dealId: w.dealId,
        };
        const url = r.url.replace(/:([A-Za-z]+)/g, (_, p: string) => ids[p]!);
        const payload = c.body?.(cell);
        const res = await h.app.inject({
          method: r.method as 'GET',
          url:
            c.world === 'shared' && k === 'GET /applications'
              ? `${url}?requirementId=${w.requirementId}`
              : url,
          headers: cell === 'anonymous' ? {} : org[cell].headers,
          ...(payload ? { payload } : {}),
        });
        if (res.statusCode !== c.expected[cell])
          failures.push(
            `${k} as ${cell}: ${res.statusCode} (expected ${c.expected[cell]}) ${res.body.slice(0, 160)}`,
          );
        if (
          res.statusCode >= 400 &&
          !String(res.headers['content-type']).includes('application/problem+json')
        )
          failures.push(`${k} as ${cell}: ${res.statusCode} is not problem+json`);
        const seen = c.items?.[cell];
        if (seen !== undefined && res.statusCode === 200) {
          const n = res.json<{ items: unknown[] }>().items.length;
          if (n !== seen) failures.push(`${k} as ${cell}: sees ${n} items (expected ${seen})`);
        }
        const holds = c.holds?.by[cell];
        if (c.holds && holds !== undefined && res.statusCode === 200) {
          const listed = res.json<{ items: { id: string }[] }>().items.some((i) => i.id === c.holds!.id(w));
          if (listed !== holds)
            failures.push(`${k} as ${cell}: lists the object ${listed} (expected ${holds})`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
