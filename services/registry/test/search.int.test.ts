/**
 * Supplier search and public profiles against the real database. Suppliers are seeded through the API (sign-up,
 * organisation, profile, facility); certificates, mandates and verification requests are inserted directly.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@vinculo/service-kit/db';
import { bearer, signup, startRegistry, type Harness } from './harness.js';

let h: Harness;
type Account = Awaited<ReturnType<typeof signup>>;

interface Seed {
  name: string;
  descriptionEs: string;
  scian: string[];
  tags?: string[];
  size: 'micro' | 'small' | 'medium' | 'large';
  tiers?: Array<{ industry: string; tier: number }>;
  facility: { name: string; state: string; municipality: string; lat: number; lon: number; park?: string };
  certificate?: { standard: string; status: 'declared' | 'verified' | 'revoked'; from: string; to: string };
}

// Certificate dates are Mexico City calendar days, like the service reads them.
const isoDay = (offsetDays: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Mexico_City' }).format(
    new Date(Date.now() + offsetDays * 86_400_000),
  );

const SEEDS = {
  machining: {
    name: 'Maquinados del Bajío SA de CV',
    descriptionEs: 'Maquinado CNC de aluminio para la industria automotriz',
    scian: ['332710'],
    size: 'small',
    tiers: [{ industry: 'automotive', tier: 2 }],
    facility: {
      name: 'Planta Querétaro',
      state: '22',
      municipality: 'Querétaro',
      lat: 20.5888,
      lon: -100.3899,
      park: 'Parque Industrial Benito Juárez',
    },
    certificate: { standard: 'iso-9001-2015', status: 'verified', from: isoDay(-300), to: isoDay(400) },
  },
  injection: {
    name: 'Plásticos Inyectados de León SA de CV',
    descriptionEs: 'Moldes y piezas de plástico inyectado para autopartes',
    scian: ['326199'],
    tags: ['injection-moulding'],
    size: 'medium',
    tiers: [{ industry: 'automotive', tier: 1 }],
    facility: { name: 'Planta León', state: '11', municipality: 'León', lat: 21.1221, lon: -101.686 },
    certificate: { standard: 'iatf-16949-2016', status: 'declared', from: isoDay(-30), to: isoDay(700) },
  },
  stamping: {
    name: 'Troqueles del Norte SA de CV',
    descriptionEs: 'Estampado de lámina y troquelado de piezas metálicas',
    scian: ['332110'],
    tags: ['sheet-metal-stamping'],
    size: 'large',
    tiers: [{ industry: 'automotive', tier: 3 }],
    facility: {
      name: 'Planta Apodaca',
      state: '19',
      municipality: 'Monterrey',
      lat: 25.6866,
      lon: -100.3161,
    },
    // Expired: its last valid day was yesterday.
    certificate: { standard: 'iso-9001-2015', status: 'verified', from: isoDay(-1000), to: isoDay(-1) },
  },
  screws: {
    name: 'Tornillería Arteaga SA de CV',
    descriptionEs: 'Fabricación de tornillos y tuercas especiales',
    scian: ['332720'],
    size: 'micro',
    facility: {
      name: 'Taller El Marqués',
      state: '22',
      municipality: 'El Marqués',
      lat: 20.62,
      lon: -100.28,
    },
    certificate: { standard: 'iso-9001-2015', status: 'revoked', from: isoDay(-100), to: isoDay(300) },
  },
} satisfies Record<string, Seed>;
type Key = keyof typeof SEEDS;

const org: Record<Key, string> = {} as Record<Key, string>;
const certificateOf: Partial<Record<Key, string>> = {};
let owner: Account;
let otherSupplier: Account;
let buyer: Account;
let bureauWith: Account;
let bureauWithout: Account;
let auditorAssigned: Account;
let auditorUnassigned: Account;
let bareSupplier: Account;

// Employees and annual sales (MXN millions) the taxonomy's size rule turns into each size class.
const SIZE_INPUT = {
  micro: { employees: 5, annualSalesMxnMillions: 3 },
  small: { employees: 30, annualSalesMxnMillions: 40 },
  medium: { employees: 150, annualSalesMxnMillions: 200 },
  large: { employees: 800, annualSalesMxnMillions: 2000 },
} as const;

/**
 * Through the API: sign-up, organisation name, profile and facility (the profile routes keep search_text).
 * Certificates are inserted directly: expired and revoked ones cannot be made through the API today.
 */
async function seedSupplier(key: Key, s: Seed) {
  const acct = await signup(h.app, 'supplier');
  const auth = bearer(acct.accessToken);
  const call = async (method: 'PATCH' | 'PUT' | 'POST', url: string, payload: object) => {
    const res = await h.app.inject({ method, url, headers: auth, payload });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return res.json<Record<string, unknown>>();
  };
  await call('PATCH', `/organizations/${acct.orgId}`, { name: s.name });
  const profile = await call('PUT', `/suppliers/${acct.orgId}/profile`, {
    description: { es: s.descriptionEs },
    scianCodes: s.scian,
    processTags: s.tags ?? [],
    tiers: s.tiers ?? [],
    rfc: 'MBA010101AB1',
    contact: { name: 'Ana Pérez', email: `ventas-${key}@example.mx`, phone: '+52 442 555 0101' },
    ...SIZE_INPUT[s.size],
  });
  expect(profile.sizeClass).toBe(s.size);
  const f = s.facility;
  await call('POST', `/suppliers/${acct.orgId}/facilities`, {
    name: f.name,
    stateCode: f.state,
    municipality: f.municipality,
    lat: f.lat,
    lon: f.lon,
    ...(f.park ? { industrialPark: f.park } : {}),
  });
  if (s.certificate) {
    const id = newId();
    await h.database.db
      .insertInto('certificates')
      .values({
        id,
        org_id: acct.orgId,
        standard_id: s.certificate.standard,
        certificate_number: `MX-${key}`,
        issuing_body: 'Organismo de Certificación',
        valid_from: s.certificate.from,
        valid_to: s.certificate.to,
        status: s.certificate.status,
      })
      .execute();
    certificateOf[key] = id;
  }
  org[key] = acct.orgId;
  return acct;
}

beforeAll(async () => {
  h = await startRegistry({ API_RATE_LIMIT_PER_MINUTE: '100000', SIGNUP_LIMIT_PER_IP: '100000' });
  owner = await seedSupplier('machining', SEEDS.machining);
  otherSupplier = await seedSupplier('injection', SEEDS.injection);
  await seedSupplier('stamping', SEEDS.stamping);
  await seedSupplier('screws', SEEDS.screws);
  // A supplier organisation without a profile, and a buyer: never listed.
  bareSupplier = await signup(h.app, 'supplier');
  buyer = await signup(h.app, 'buyer');
  bureauWith = await signup(h.app, 'bureau');
  bureauWithout = await signup(h.app, 'bureau');
  auditorAssigned = await signup(h.app, 'auditor');
  auditorUnassigned = await signup(h.app, 'auditor');
  const db = h.database.db;
  await db
    .insertInto('mandates')
    .values({
      id: newId(),
      supplier_org_id: org.machining,
      bureau_org_id: bureauWith.orgId,
      scopes: ['view'],
      starts_on: isoDay(-10),
      commission_basis_points: 250,
    })
    .execute();
  await db
    .insertInto('verification_requests')
    .values({
      id: newId(),
      certificate_id: certificateOf.machining!,
      supplier_org_id: org.machining,
      auditor_org_id: auditorAssigned.orgId,
    })
    .execute();
}, 60_000);

afterAll(async () => {
  await h?.close();
});

interface Item {
  id: string;
  name: string;
  certificates: string[];
  facilities: Array<Record<string, unknown>>;
  relevance?: number;
  [k: string]: unknown;
}
interface Page {
  items: Item[];
  nextCursor: string | null;
}

async function get(url: string, token?: string) {
  return h.app.inject({ method: 'GET', url, headers: token ? bearer(token) : {} });
}

async function search(qs: string, token?: string): Promise<Page> {
  const res = await get(`/suppliers${qs ? `?${qs}` : ''}`, token);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Page>();
}

const idsOf = (p: Page) => p.items.map((i) => i.id);
const keysOf = (p: Page) =>
  idsOf(p)
    .map((id) => (Object.keys(org) as Key[]).find((k) => org[k] === id))
    .sort();

describe('free text', () => {
  it('finds a supplier described only in Spanish ("maquinado CNC de aluminio") from the English "machining"', async () => {
    const page = await search('q=machining');
    expect(keysOf(page)).toContain('machining');
    expect(keysOf(page)).not.toContain('stamping');
    expect(page.items[0]?.id).toBe(org.machining);
    expect(typeof page.items[0]?.relevance).toBe('number');
  });

  it('finds the injection-moulding supplier from "inyección de plástico", first', async () => {
    const page = await search(`q=${encodeURIComponent('inyección de plástico')}`);
    expect(page.items[0]?.id).toBe(org.injection);
  });

  it('finds it from the English "injection molding" too', async () => {
    const page = await search(`q=${encodeURIComponent('injection molding')}`);
    expect(page.items[0]?.id).toBe(org.injection);
  });

  it('tolerates a missing accent and a typo', async () => {
    expect(keysOf(await search(`q=${encodeURIComponent('troquelado lamina')}`))).toContain('stamping');
    expect(keysOf(await search('q=tornilleria'))).toContain('screws');
  });

  it('answers an empty page for text nothing matches', async () => {
    expect((await search('q=zzzzqqq')).items).toEqual([]);
  });
});

describe('filters', () => {
  it('filters by SCIAN prefix (3327 is machining and screws) and by full code', async () => {
    expect(keysOf(await search('scian=3327'))).toEqual(['machining', 'screws']);
    expect(keysOf(await search('scian=332110'))).toEqual(['stamping']);
    expect(keysOf(await search('scian=33'))).toEqual(['machining', 'screws', 'stamping']);
    expect(keysOf(await search('scian=9999'))).toEqual([]);
  });

  it('filters by process tags (repeatable or a comma list: every tag)', async () => {
    expect(keysOf(await search('process=injection-moulding'))).toEqual(['injection']);
    expect(keysOf(await search('process=injection-moulding,sheet-metal-stamping'))).toEqual([]);
    expect(keysOf(await search('process=sheet-metal-stamping&process=sheet-metal-stamping'))).toEqual([
      'stamping',
    ]);
  });

  it('keeps only valid certificates: expired and revoked are out, IATF 16949 counts for ISO 9001 as the catalogue says', async () => {
    const page = await search('certificate=iso-9001-2015');
    // The catalogue says IATF 16949 includes ISO 9001 (satisfies('iatf-16949-2016', 'iso-9001-2015')).
    expect(keysOf(page)).toEqual(['injection', 'machining']);
    expect(keysOf(await search('certificate=iatf-16949-2016'))).toEqual(['injection']);
    const machining = page.items.find((i) => i.id === org.machining);
    expect(machining?.certificates).toEqual(['iso-9001-2015']);
  });

  it('filters by state given by name or INEGI code', async () => {
    expect(keysOf(await search(`state=${encodeURIComponent('Querétaro')}`))).toEqual(['machining', 'screws']);
    expect(keysOf(await search('state=22'))).toEqual(['machining', 'screws']);
    expect(keysOf(await search('state=Nuevo%20Le%C3%B3n'))).toEqual(['stamping']);
  });

  it('filters by distance: 300 km around Querétaro reaches León, not Monterrey', async () => {
    const near = await search('near=20.5888,-100.3899&radiusKm=300');
    expect(keysOf(near)).toEqual(['injection', 'machining', 'screws']);
    expect(keysOf(await search('near=20.5888,-100.3899&radiusKm=50'))).toEqual(['machining', 'screws']);
    expect(keysOf(await search('near=25.6866,-100.3161&radiusKm=10'))).toEqual(['stamping']);
  });

  it('filters by size class (repeatable or comma list) and by declared tier', async () => {
    expect(keysOf(await search('size=micro&size=small'))).toEqual(['machining', 'screws']);
    expect(keysOf(await search('size=medium,large'))).toEqual(['injection', 'stamping']);
    expect(keysOf(await search('tier=1'))).toEqual(['injection']);
    expect(keysOf(await search('tier=2&industry=automotive'))).toEqual(['injection', 'machining']);
    expect(keysOf(await search('tier=4&industry=aerospace'))).toEqual([]);
  });

  it('combines filters with free text', async () => {
    expect(keysOf(await search('q=machining&state=22&certificate=iso-9001-2015'))).toEqual(['machining']);
    expect(keysOf(await search('q=machining&state=19'))).toEqual([]);
  });
});

describe('pagination', () => {
  async function walk(qs: string): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page: Page = await search(`${qs}${qs ? '&' : ''}limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...idsOf(page));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    return seen;
  }

  it('walks every supplier by name with limit 2, without duplicates', async () => {
    const all = await search('limit=100');
    expect(all.items.map((i) => i.name)).toEqual(
      [...all.items.map((i) => i.name)].sort((a, b) => a.localeCompare(b)),
    );
    expect(all.items).toHaveLength(4);
    const walked = await walk('');
    expect(walked).toEqual(idsOf(all));
    expect(new Set(walked).size).toBe(4);
  });

  it('walks results by relevance with limit 2, without duplicates', async () => {
    const q = `q=${encodeURIComponent('maquinado plástico lámina tornillos')}`;
    const all = await search(`${q}&limit=100`);
    expect(all.items.length).toBeGreaterThanOrEqual(3);
    const walked = await walk(q);
    expect(walked).toEqual(idsOf(all));
    expect(new Set(walked).size).toBe(walked.length);
  });
});

describe('public view', () => {
  const PRIVATE = ['contact', 'rfc', 'employees', 'annualSalesMxnMillions', 'sizeScore', 'documents'];

  it('never shows contact details, RFC, employees or sales in search results, even to the supplier itself', async () => {
    for (const token of [undefined, owner.accessToken]) {
      const res = await get('/suppliers?limit=100', token);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('ventas-');
      expect(res.body).not.toContain('MBA010101AB1');
      for (const item of res.json<Page>().items) for (const k of PRIVATE) expect(item).not.toHaveProperty(k);
    }
  });

  it('shows facilities with state, municipality, coordinates and industrial park', async () => {
    const page = await search('state=22&size=small');
    expect(page.items[0]?.facilities[0]).toMatchObject({
      name: 'Planta Querétaro',
      stateCode: '22',
      municipality: 'Querétaro',
      lat: 20.5888,
      lon: -100.3899,
      industrialPark: 'Parque Industrial Benito Juárez',
    });
  });

  it('answers one public profile to anyone, anonymous included', async () => {
    const res = await get(`/suppliers/${org.machining}`);
    expect(res.statusCode).toBe(200);
    const body = res.json<Record<string, unknown>>();
    expect(body).toMatchObject({
      id: org.machining,
      name: SEEDS.machining.name,
      scianCodes: ['332710'],
      sizeClass: 'small',
      certificates: ['iso-9001-2015'],
    });
    for (const k of PRIVATE) expect(body).not.toHaveProperty(k);
    expect(res.body).not.toContain('ventas-');
  });

  it('answers 404 with a code for an organisation that is not a supplier with a profile', async () => {
    for (const id of [buyer.orgId, bareSupplier.orgId, newId()]) {
      const res = await get(`/suppliers/${id}`);
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json<{ code: string }>().code).toBe('REGISTRY_SEARCH_SUPPLIER_NOT_FOUND');
    }
  });

  it('answers 401 to a bad token, even on public routes', async () => {
    expect((await get('/suppliers', 'not-a-token')).statusCode).toBe(401);
    expect((await get(`/suppliers/${org.machining}`, 'not-a-token')).statusCode).toBe(401);
  });
});

describe('authorization matrix (public routes: the same public answer for everyone)', () => {
  const callers: Array<[string, () => string | undefined, number]> = [
    ['the supplier itself', () => owner.accessToken, 200],
    ['another supplier', () => otherSupplier.accessToken, 200],
    ['a buyer', () => buyer.accessToken, 200],
    ['a bureau with a view mandate', () => bureauWith.accessToken, 200],
    ['a bureau without a mandate', () => bureauWithout.accessToken, 200],
    ['an assigned auditor', () => auditorAssigned.accessToken, 200],
    ['an unassigned auditor', () => auditorUnassigned.accessToken, 200],
    ['anonymous', () => undefined, 200],
  ];

  it.each(callers)('%s: GET /suppliers and GET /suppliers/:id answer %#', async (_who, token) => {
    const list = await get('/suppliers?limit=100', token());
    expect(list.statusCode).toBe(200);
    expect(list.json<Page>().items).toHaveLength(4);
    const one = await get(`/suppliers/${org.machining}`, token());
    expect(one.statusCode).toBe(200);
    expect(one.json()).not.toHaveProperty('contact');
  });
});

describe('OpenAPI', () => {
  it('documents both routes, search filters included', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ paths: Record<string, { get?: { parameters?: Array<{ name: string }> } }> }>();
    expect(doc.paths['/suppliers']?.get?.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['scian', 'near', 'radiusKm', 'q', 'cursor']),
    );
    expect(doc.paths['/suppliers/{supplierId}']?.get).toBeDefined();
  });
});

describe('bad input', () => {
  const forged = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

  it.each([
    ['radiusKm without near', 'radiusKm=10'],
    ['near without radiusKm', 'near=20.5,-100.4'],
    ['near out of range', 'near=95,-100&radiusKm=10'],
    ['near not a pair', 'near=abc&radiusKm=10'],
    ['a radius too large', 'near=20.5,-100.4&radiusKm=50000'],
    ['scian not digits', 'scian=abc'],
    ['scian too long', 'scian=3327101'],
    ['limit 0', 'limit=0'],
    ['limit 101', 'limit=101'],
    ['an unknown process tag', 'process=alchemy'],
    ['an unknown certificate standard', 'certificate=iso-0000'],
    ['an unknown state', 'state=Atlantis'],
    ['an unknown size', 'size=huge'],
    ['tier 5', 'tier=5'],
    ['an unknown industry', 'tier=2&industry=spaceships'],
    ['a blank query', 'q=%20%20'],
    ['a cursor that is not base64url JSON', 'cursor=!!!'],
    ['a forged cursor with a bad id', `cursor=${forged({ k: 'n', n: 'A', id: 'x' })}`],
    ['a forged cursor with extra fields', `cursor=${forged({ k: 'n', n: 'A', id: newId(), x: 1 })}`],
    [
      'a forged relevance cursor with SQL',
      `q=maquinado&cursor=${forged({ k: 'r', r: '1; drop table x', id: newId() })}`,
    ],
    [
      'a name cursor used with free text',
      `q=maquinado&cursor=${forged({ k: 'n', n: 'A', id: '0190a0a0-0000-7000-8000-000000000000' })}`,
    ],
    [
      'a relevance cursor used without free text',
      `cursor=${forged({ k: 'r', r: '0.5', id: '0190a0a0-0000-7000-8000-000000000000' })}`,
    ],
  ])('answers 400 problem+json to %s', async (_what, qs) => {
    const res = await get(`/suppliers?${qs}`);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json<{ code: string }>().code).toMatch(/^(REGISTRY_SEARCH_|VALIDATION_FAILED|INVALID_CURSOR)/);
  });

  it('answers problem titles in Spanish when asked', async () => {
    const res = await h.app.inject({
      method: 'GET',
      url: '/suppliers?process=alquimia',
      headers: { 'accept-language': 'es' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ title: string }>().title).toBe('Un filtro de búsqueda no es válido');
  });

  it('never answers a 5xx to arbitrary query strings', async () => {
    const keys = [
      'scian',
      'process',
      'certificate',
      'state',
      'near',
      'radiusKm',
      'size',
      'tier',
      'industry',
      'q',
      'limit',
      'cursor',
      'x',
    ];
    const value = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.integer().map(String),
      fc.double({ noNaN: false }).map(String),
      fc.constantFrom(
        '20.5,-100.4',
        '-0,-0',
        '90,180',
        '1e3,5',
        'machining',
        "'; select 1 --",
        '%',
        '\\',
        'a:*|b',
        '!',
        '<->',
        '()',
        '',
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...keys), value), { maxLength: 5 }),
        async (pairs) => {
          const qs = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
          const res = await get(`/suppliers?${qs}`);
          expect(res.statusCode, `${qs} → ${res.body}`).toBeLessThan(500);
          if (res.statusCode >= 400) {
            expect(res.headers['content-type']).toContain('application/problem+json');
            expect(typeof res.json<{ code: string }>().code).toBe('string');
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('never answers a 5xx to arbitrary supplier ids', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ minLength: 1, maxLength: 60 }), fc.uuid()), async (id) => {
        const res = await get(`/suppliers/${encodeURIComponent(id)}`);
        expect(res.statusCode).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
  });
});
