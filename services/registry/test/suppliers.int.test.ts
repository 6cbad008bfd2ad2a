/**
 * Supplier profiles, facilities and track record through the real app: events in the outbox that satisfy the
 * contract, derived size class, catalogue validation, the authorization matrix for every route of this part,
 * and bad input that never gets a 5xx. Mandates and verification assignments are written straight to the
 * database here so this file does not depend on the mandate and certificate routes.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@vinculo/service-kit/db';
import { validateAnyEvent, type SupplierSnapshot } from '@vinculo/contracts';
import { bearer, signup, startRegistry, type Harness } from './harness.js';

type Account = Awaited<ReturnType<typeof signup>>;
interface Caller {
  token?: string;
}

let h: Harness;
let owner: Account;

const profileBody = {
  description: { es: 'Taller de maquinado CNC de precisión para la industria automotriz', en: null },
  scianCodes: ['332710'],
  processTags: ['cnc-machining', 'milling'],
  materials: ['aluminio 6061', 'acero inoxidable'],
  capacity: { unit: 'machine-hours-per-month', amountPerMonth: 4000, leadTimeDays: 15, largestPartMm: 800 },
  employees: 40,
  annualSalesMxnMillions: 50,
  tiers: [{ industry: 'automotive', tier: 2 }],
  functionalStage: 'CM',
  exportExperience: { exports: true, markets: ['US', 'ca'] },
  rfc: 'mta 150301 ab1',
  contact: { name: 'Ana Pérez', email: 'ventas@maquinados.mx', phone: '+52 442 123 4567' },
};

async function put(who: Caller, supplierId: string, payload: object) {
  return h.app.inject({
    method: 'PUT',
    url: `/suppliers/${supplierId}/profile`,
    headers: who.token ? bearer(who.token) : {},
    payload,
  });
}

async function outbox(orgId: string) {
  return h.database.db
    .selectFrom('outbox')
    .select(['type', 'payload'])
    .where('payload', '@>', JSON.stringify({ orgId }) as never)
    .where('type', 'like', 'registry.supplier.%')
    .orderBy('seq')
    .execute();
}

function lastSnapshot(rows: Awaited<ReturnType<typeof outbox>>) {
  const p = rows[rows.length - 1]!.payload as { data: SupplierSnapshot; aggregate: { version: number } };
  return p;
}

beforeAll(async () => {
  h = await startRegistry({ API_RATE_LIMIT_PER_MINUTE: '100000', SIGNUP_LIMIT_PER_IP: '100000' });
  owner = await signup(h.app, 'supplier');
});
afterAll(async () => {
  await h.close();
});

describe('supplier profile', () => {
  it('creates the profile, derives the size class and writes registry.supplier.registered', async () => {
    const res = await put({ token: owner.accessToken }, owner.orgId, { ...profileBody, sizeClass: 'large' });
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json<Record<string, unknown>>();
    expect(view).toMatchObject({
      id: owner.orgId,
      version: 1,
      sizeClass: 'small', // 40 × 0.1 + 50 × 0.9 = 49 ≤ 95 in industry: small, whatever the body said
      sizeRule: 'mx-dof-2009@2009-06-30',
      sizeScore: 49,
      employees: 40,
      annualSalesMxnMillions: 50,
      rfc: 'MTA150301AB1',
      contact: { name: 'Ana Pérez', email: 'ventas@maquinados.mx', phone: '+52 442 123 4567' },
      exportExperience: { exports: true, markets: ['US', 'CA'] },
      capacity: {
        unit: 'machine-hours-per-month',
        amountPerMonth: 4000,
        leadTimeDays: 15,
        largestPartMm: 800,
      },
    });
    const rows = await outbox(owner.orgId);
    expect(rows.map((r) => r.type)).toEqual(['registry.supplier.registered']);
    expect(validateAnyEvent(rows[0]!.payload).ok).toBe(true);
    const ev = lastSnapshot(rows);
    expect(ev.aggregate.version).toBe(1);
    expect(ev.data).toMatchObject({ id: owner.orgId, sizeClass: 'small', scianCodes: ['332710'] });
    // Private fields never travel in events.
    expect(JSON.stringify(ev.data)).not.toMatch(/MTA150301AB1|ventas@maquinados|employees|sizeScore/);
  });

  it('replaces the profile on a second PUT and writes registry.supplier.updated with version 2', async () => {
    const res = await put({ token: owner.accessToken }, owner.orgId, {
      ...profileBody,
      employees: 300,
      annualSalesMxnMillions: 400,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ version: 2, sizeClass: 'large' });
    const rows = await outbox(owner.orgId);
    expect(rows.map((r) => r.type)).toEqual(['registry.supplier.registered', 'registry.supplier.updated']);
    expect(validateAnyEvent(rows[1]!.payload).ok).toBe(true);
    expect(lastSnapshot(rows).aggregate.version).toBe(2);
    // back to the first shape for the tests below
    expect((await put({ token: owner.accessToken }, owner.orgId, profileBody)).json()).toMatchObject({
      version: 3,
      sizeClass: 'small',
    });
  });

  it('re-emits the snapshot with a new version when the organisation is renamed; search finds the new name', async () => {
    const s = await signup(h.app, 'supplier');
    expect((await put({ token: s.accessToken }, s.orgId, profileBody)).statusCode).toBe(200);
    const renamed = await h.app.inject({
      method: 'PATCH',
      url: `/organizations/${s.orgId}`,
      headers: bearer(s.accessToken),
      payload: { name: 'Maquinados Zacatecanos Renombrados' },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const rows = await outbox(s.orgId);
    expect(rows.map((r) => r.type)).toEqual(['registry.supplier.registered', 'registry.supplier.updated']);
    expect(validateAnyEvent(rows[1]!.payload).ok).toBe(true);
    expect(lastSnapshot(rows)).toMatchObject({
      aggregate: { version: 2 },
      data: { name: 'Maquinados Zacatecanos Renombrados' },
    });
    const found = await h.app.inject({ method: 'GET', url: '/suppliers?q=zacatecanos' });
    expect(found.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toContain(s.orgId);
    // An organisation without a profile has nothing to re-emit.
    const bare = await signup(h.app, 'supplier');
    await h.app.inject({
      method: 'PATCH',
      url: `/organizations/${bare.orgId}`,
      headers: bearer(bare.accessToken),
      payload: { name: 'Sin perfil' },
    });
    expect(await outbox(bare.orgId)).toEqual([]);
  });

  it('leaves the size class empty when employees or sales are missing', async () => {
    const s = await signup(h.app, 'supplier');
    const res = await put({ token: s.accessToken }, s.orgId, {
      scianCodes: ['332710'],
      processTags: [],
      employees: 12,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      sizeClass: null,
      sizeRule: null,
      sizeScore: null,
      capacity: null,
      rfc: null,
    });
  });

  it('names the bad SCIAN code in a 400', async () => {
    for (const code of ['999999', '3327', '221110']) {
      const res = await put({ token: owner.accessToken }, owner.orgId, {
        ...profileBody,
        scianCodes: ['332710', code],
      });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = res.json<{ code: string; detail: string }>();
      expect(problem.code).toBe('REGISTRY_SUPPLIER_SCIAN_INVALID');
      expect(problem.detail).toContain(code);
    }
  });

  it('rejects an invalid RFC, an unknown process tag, an unknown market, a repeated tier industry', async () => {
    const cases: Array<[object, string]> = [
      [{ rfc: 'MTA150230AB1' }, 'REGISTRY_SUPPLIER_RFC_INVALID'], // 30 February
      [{ rfc: 'NO-ES-UN-RFC' }, 'REGISTRY_SUPPLIER_RFC_INVALID'],
      [{ processTags: ['telepathy'] }, 'REGISTRY_SUPPLIER_PROCESS_TAG_UNKNOWN'],
      [{ exportExperience: { exports: true, markets: ['ZZ'] } }, 'REGISTRY_SUPPLIER_COUNTRY_UNKNOWN'],
      [
        {
          tiers: [
            { industry: 'automotive', tier: 1 },
            { industry: 'automotive', tier: 2 },
          ],
        },
        'REGISTRY_SUPPLIER_TIER_DUPLICATE',
      ],
      [{ scianMapped: ['331111'] }, 'REGISTRY_SUPPLIER_SCIAN_MAPPED_INVALID'],
      [{ functionalStage: 'XYZ' }, 'VALIDATION_FAILED'],
      [{ capacity: { unit: 'parsecs', amountPerMonth: 1 } }, 'VALIDATION_FAILED'],
    ];
    for (const [patch, code] of cases) {
      const res = await put({ token: owner.accessToken }, owner.orgId, { ...profileBody, ...patch });
      expect(res.statusCode, JSON.stringify(patch)).toBe(400);
      expect(res.json<{ code: string }>().code, JSON.stringify(patch)).toBe(code);
    }
  });

  it('answers problems in Spanish when asked', async () => {
    const res = await h.app.inject({
      method: 'PUT',
      url: `/suppliers/${owner.orgId}/profile`,
      headers: { ...bearer(owner.accessToken), 'accept-language': 'es-MX' },
      payload: { ...profileBody, rfc: 'MTA150230AB1' },
    });
    expect(res.json()).toMatchObject({
      code: 'REGISTRY_SUPPLIER_RFC_INVALID',
      title: 'El RFC no tiene un formato válido',
    });
  });

  it('only supplier organisations have profiles', async () => {
    const buyer = await signup(h.app, 'buyer');
    const res = await put({ token: buyer.accessToken }, buyer.orgId, profileBody);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'REGISTRY_SUPPLIER_NOT_FOUND' });
  });

  it('keeps a folded search text where an English query finds a Spanish profile', async () => {
    const row = await h.database.db
      .selectFrom('supplier_profiles')
      .select('search_text')
      .where('org_id', '=', owner.orgId)
      .executeTakeFirstOrThrow();
    expect(row.search_text).toContain('machining'); // the process catalogue's English name and synonyms
    expect(row.search_text).toContain('maquinado');
    expect(row.search_text).toContain('piezas para maquinaria'); // the SCIAN class title
    expect(row.search_text).toContain('aluminio 6061');
  });
});

describe('facilities and track record', () => {
  it('needs a profile first', async () => {
    const s = await signup(h.app, 'supplier');
    const res = await h.app.inject({
      method: 'POST',
      url: `/suppliers/${s.orgId}/facilities`,
      headers: bearer(s.accessToken),
      payload: { name: 'Planta' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'REGISTRY_SUPPLIER_PROFILE_NOT_FOUND' });
    const get = await h.app.inject({
      method: 'GET',
      url: `/suppliers/${s.orgId}/profile`,
      headers: bearer(s.accessToken),
    });
    expect(get.json()).toMatchObject({ code: 'REGISTRY_SUPPLIER_PROFILE_NOT_FOUND' });
  });

  it('adds, changes and removes facilities and track record, each a new snapshot version', async () => {
    const auth = bearer(owner.accessToken);
    const base = `/suppliers/${owner.orgId}`;
    const before = (await h.app.inject({ method: 'GET', url: `${base}/profile`, headers: auth })).json<{
      version: number;
    }>().version;

    const f = await h.app.inject({
      method: 'POST',
      url: `${base}/facilities`,
      headers: auth,
      payload: {
        name: 'Planta El Marqués',
        stateCode: 'Querétaro',
        municipality: 'El Marqués',
        lat: 20.62,
        lon: -100.28,
        industrialPark: 'Parque Industrial Bernardo Quintana',
      },
    });
    expect(f.statusCode, f.body).toBe(201);
    const facility = f.json<{ id: string; stateCode: string }>();
    expect(facility.stateCode).toBe('22');

    const patched = await h.app.inject({
      method: 'PATCH',
      url: `${base}/facilities/${facility.id}`,
      headers: auth,
      payload: { cluster: 'Aeroclúster de Querétaro' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ cluster: 'Aeroclúster de Querétaro', name: 'Planta El Marqués' });

    const badState = await h.app.inject({
      method: 'POST',
      url: `${base}/facilities`,
      headers: auth,
      payload: { name: 'X', stateCode: 'Atlantis' },
    });
    expect(badState.json()).toMatchObject({ code: 'REGISTRY_SUPPLIER_STATE_UNKNOWN' });
    const halfPoint = await h.app.inject({
      method: 'POST',
      url: `${base}/facilities`,
      headers: auth,
      payload: { name: 'X', lat: 20 },
    });
    expect(halfPoint.json()).toMatchObject({ code: 'REGISTRY_SUPPLIER_COORDINATES_INCOMPLETE' });

    const buyer = await signup(h.app, 'buyer');
    const t = await h.app.inject({
      method: 'POST',
      url: `${base}/track-record`,
      headers: auth,
      payload: {
        title: 'Soportes de aluminio para tablero',
        customerName: 'Ensambladora del Bajío',
        customerOrgId: buyer.orgId,
        date: '2023-05-31',
        value: { amountMinor: 125_000_000, currency: 'MXN' },
        scianCodes: ['332710'],
      },
    });
    expect(t.statusCode, t.body).toBe(201);
    const entry = t.json<{ id: string }>();
    expect(t.json()).toMatchObject({
      source: 'declared',
      value: { amountMinor: 125_000_000, currency: 'MXN' },
      customerOrgId: buyer.orgId,
    });

    for (const payload of [
      { title: 'x', date: '2023-02-30' },
      { title: 'x', date: '0000-01-01' },
    ]) {
      const bad = await h.app.inject({ method: 'POST', url: `${base}/track-record`, headers: auth, payload });
      expect(bad.json()).toMatchObject({ code: 'REGISTRY_SUPPLIER_TRACK_RECORD_DATE_INVALID' });
    }
    const badCustomer = await h.app.inject({
      method: 'POST',
      url: `${base}/track-record`,
      headers: auth,
      payload: { title: 'x', customerOrgId: newId() },
    });
    expect(badCustomer.json()).toMatchObject({ code: 'REGISTRY_SUPPLIER_CUSTOMER_UNKNOWN' });

    let rows = await outbox(owner.orgId);
    let ev = lastSnapshot(rows);
    expect(ev.aggregate.version).toBe(before + 3);
    expect(ev.data.facilities).toEqual([
      {
        id: facility.id,
        name: 'Planta El Marqués',
        stateCode: '22',
        municipality: 'El Marqués',
        lat: 20.62,
        lon: -100.28,
        industrialPark: 'Parque Industrial Bernardo Quintana',
        cluster: 'Aeroclúster de Querétaro',
      },
    ]);
    expect(ev.data.trackRecord).toHaveLength(1);
    expect(ev.data.trackRecord[0]).toMatchObject({ id: entry.id, date: '2023-05-31', source: 'declared' });
    for (const r of rows) expect(validateAnyEvent(r.payload).ok).toBe(true);
    const search = await h.database.db
      .selectFrom('supplier_profiles')
      .select('search_text')
      .where('org_id', '=', owner.orgId)
      .executeTakeFirstOrThrow();
    expect(search.search_text).toContain('soportes de aluminio');
    expect(search.search_text).toContain('queretaro');

    expect(
      (await h.app.inject({ method: 'DELETE', url: `${base}/track-record/${entry.id}`, headers: auth }))
        .statusCode,
    ).toBe(204);
    expect(
      (await h.app.inject({ method: 'DELETE', url: `${base}/facilities/${facility.id}`, headers: auth }))
        .statusCode,
    ).toBe(204);
    expect(
      (
        await h.app.inject({ method: 'DELETE', url: `${base}/facilities/${facility.id}`, headers: auth })
      ).json(),
    ).toMatchObject({
      code: 'REGISTRY_SUPPLIER_FACILITY_NOT_FOUND',
    });
    rows = await outbox(owner.orgId);
    ev = lastSnapshot(rows);
    expect(ev.aggregate.version).toBe(before + 5);
    expect(ev.data.facilities).toEqual([]);
    expect(ev.data.trackRecord).toEqual([]);
    expect(rows.filter((r) => r.type === 'registry.supplier.registered')).toHaveLength(1);
  });

  it('updates, never duplicates, a facility posted again with the same external reference', async () => {
    const auth = bearer(owner.accessToken);
    const payload = { name: 'Planta RETC', externalRef: 'RETC-22-0001', stateCode: '22' };
    const first = await h.app.inject({
      method: 'POST',
      url: `/suppliers/${owner.orgId}/facilities`,
      headers: auth,
      payload,
    });
    expect(first.statusCode).toBe(201);
    const again = await h.app.inject({
      method: 'POST',
      url: `/suppliers/${owner.orgId}/facilities`,
      headers: auth,
      payload: { ...payload, name: 'Planta RETC 2' },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json<{ id: string }>().id).toBe(first.json<{ id: string }>().id);
    const view = (
      await h.app.inject({ method: 'GET', url: `/suppliers/${owner.orgId}/profile`, headers: auth })
    ).json<SupplierSnapshot>();
    expect(view.facilities.filter((f) => f.name.startsWith('Planta RETC')).map((f) => f.name)).toEqual([
      'Planta RETC 2',
    ]);
    const other = await h.app.inject({
      method: 'POST',
      url: `/suppliers/${owner.orgId}/facilities`,
      headers: auth,
      payload: { name: 'Otra' },
    });
    const clash = await h.app.inject({
      method: 'PATCH',
      url: `/suppliers/${owner.orgId}/facilities/${other.json<{ id: string }>().id}`,
      headers: auth,
      payload: { externalRef: 'RETC-22-0001' },
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.json()).toMatchObject({ code: 'REGISTRY_SUPPLIER_FACILITY_REF_TAKEN' });
  });
});

describe('the facility set (PUT /suppliers/:id/facilities)', () => {
  interface FacilityOut {
    id: string;
    name: string;
    externalRef: string | null;
    stateCode: string | null;
    lat: number | null;
    address: string | null;
  }
  interface SetResult {
    facilities: FacilityOut[];
    created: number;
    updated: number;
    unchanged: number;
    deleted: number;
    version: number;
  }
  let s: Account;
  const putSet = (who: Account, facilities: unknown, supplierId = who.orgId) =>
    h.app.inject({
      method: 'PUT',
      url: `/suppliers/${supplierId}/facilities`,
      headers: bearer(who.accessToken),
      payload: { facilities },
    });
  const version = async (orgId: string) =>
    (
      await h.database.db
        .selectFrom('supplier_profiles')
        .select('version')
        .where('org_id', '=', orgId)
        .executeTakeFirstOrThrow()
    ).version;
  const facilityRows = (orgId: string) =>
    h.database.db
      .selectFrom('facilities')
      .selectAll()
      .where('org_id', '=', orgId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();

  beforeAll(async () => {
    s = await signup(h.app, 'supplier');
    expect((await put({ token: s.accessToken }, s.orgId, profileBody)).statusCode).toBe(200);
  });

  it('needs a profile first', async () => {
    const other = await signup(h.app, 'supplier');
    const res = await putSet(other, [{ name: 'Planta' }]);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'REGISTRY_SUPPLIER_PROFILE_NOT_FOUND' });
  });

  it('replaces the set in one transaction: upsert by externalRef or id, delete the rest, one version, one event', async () => {
    const auth = bearer(s.accessToken);
    const post = async (payload: object) =>
      (
        await h.app.inject({
          method: 'POST',
          url: `/suppliers/${s.orgId}/facilities`,
          headers: auth,
          payload,
        })
      ).json<FacilityOut>();
    const a = await post({
      name: 'Planta A',
      externalRef: 'NRA-A',
      stateCode: '22',
      address: 'Av. 5 de Febrero 100',
    });
    const b = await post({ name: 'Planta B', externalRef: 'NRA-B' });
    const c = await post({ name: 'Planta C' });
    const before = await version(s.orgId);
    const eventsBefore = (await outbox(s.orgId)).length;

    const res = await putSet(s, [
      {
        name: 'Planta A renovada',
        externalRef: 'NRA-A',
        stateCode: 'Querétaro',
        municipality: 'El Marqués',
        lat: 20.62,
        lon: -100.28,
      },
      { id: c.id, name: 'Planta C', externalRef: 'NRA-C' },
      { name: 'Planta D', externalRef: 'NRA-D', stateCode: 'Nuevo León' },
      { name: 'Bodega sin referencia' },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json<SetResult>();
    expect(r).toMatchObject({ created: 2, updated: 2, unchanged: 0, deleted: 1, version: before + 1 });
    expect(r.facilities.map((f) => [f.name, f.externalRef])).toEqual([
      ['Planta A renovada', 'NRA-A'],
      ['Planta C', 'NRA-C'],
      ['Planta D', 'NRA-D'],
      ['Bodega sin referencia', null],
    ]);
    expect(r.facilities[0]).toMatchObject({ id: a.id, stateCode: '22', lat: 20.62, address: null }); // left out: cleared
    expect(r.facilities[1]!.id).toBe(c.id);
    expect(r.facilities[2]).toMatchObject({ stateCode: '19' });
    expect((await facilityRows(s.orgId)).map((f) => f.id)).toEqual(r.facilities.map((f) => f.id));
    expect((await facilityRows(s.orgId)).some((f) => f.id === b.id)).toBe(false);

    // One version, one event, and the event is the contract's snapshot with the new set.
    expect(await version(s.orgId)).toBe(before + 1);
    const rows = await outbox(s.orgId);
    expect(rows).toHaveLength(eventsBefore + 1);
    const last = rows[rows.length - 1]!;
    expect(last.type).toBe('registry.supplier.updated');
    const valid = validateAnyEvent(last.payload);
    expect(valid.ok, JSON.stringify(valid)).toBe(true);
    const ev = lastSnapshot(rows);
    expect(ev.aggregate.version).toBe(before + 1);
    expect(ev.data.facilities.map((f) => f.id)).toEqual(r.facilities.map((f) => f.id));
    expect(ev.data.facilities[0]).toEqual({
      id: a.id,
      name: 'Planta A renovada',
      stateCode: '22',
      municipality: 'El Marqués',
      lat: 20.62,
      lon: -100.28,
      industrialPark: null,
      cluster: null,
    });
    const search = await h.database.db
      .selectFrom('supplier_profiles')
      .select('search_text')
      .where('org_id', '=', s.orgId)
      .executeTakeFirstOrThrow();
    expect(search.search_text).toContain('planta a renovada');
    expect(search.search_text).toContain('nuevo leon');
    expect(search.search_text).not.toContain('planta b');

    // The private view shows the same set.
    const view = (
      await h.app.inject({ method: 'GET', url: `/suppliers/${s.orgId}/profile`, headers: auth })
    ).json<SupplierSnapshot & { version: number }>();
    expect(view.facilities.map((f) => f.id)).toEqual(r.facilities.map((f) => f.id));
    expect(view.version).toBe(before + 1);
  });

  it('is idempotent for keyed facilities: the same set again changes nothing but the version', async () => {
    const set = [
      {
        name: 'Planta A renovada',
        externalRef: 'NRA-A',
        stateCode: '22',
        municipality: 'El Marqués',
        lat: 20.62,
        lon: -100.28,
      },
      { name: 'Planta D', externalRef: 'NRA-D', stateCode: '19' },
    ];
    const first = (await putSet(s, set)).json<SetResult>();
    const again = await putSet(s, set);
    expect(again.statusCode, again.body).toBe(200);
    const r = again.json<SetResult>();
    expect(r).toMatchObject({ created: 0, updated: 0, unchanged: 2, deleted: 0, version: first.version + 1 });
    expect(r.facilities.map((f) => f.id)).toEqual(first.facilities.map((f) => f.id));
  });

  it('moves external references between kept facilities (a swap) without tripping the unique key', async () => {
    const r0 = (
      await putSet(s, [
        { name: 'Uno', externalRef: 'R1' },
        { name: 'Dos', externalRef: 'R2' },
      ])
    ).json<SetResult>();
    const [uno, dos] = r0.facilities;
    const res = await putSet(s, [
      { id: uno!.id, name: 'Uno', externalRef: 'R2' },
      { id: dos!.id.toUpperCase(), name: 'Dos', externalRef: 'R1' },
      // R3 is held by nobody yet; an item by reference whose facility another item names by id is new
      { name: 'Tres', externalRef: 'R3' },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json<SetResult>();
    expect(r).toMatchObject({ created: 1, updated: 2, deleted: 0 });
    expect(r.facilities.map((f) => [f.id, f.externalRef])).toEqual([
      [uno!.id, 'R2'],
      [dos!.id, 'R1'],
      [r.facilities[2]!.id, 'R3'],
    ]);
    // Named by id with a new reference, while another item carries its old one: that item is a new facility.
    const moved = (
      await putSet(s, [
        { id: uno!.id, name: 'Uno', externalRef: 'R9' },
        { name: 'Uno bis', externalRef: 'R2' },
      ])
    ).json<SetResult>();
    expect(moved).toMatchObject({ created: 1, updated: 1, deleted: 2 });
    expect(moved.facilities.map((f) => [f.name, f.externalRef])).toEqual([
      ['Uno', 'R9'],
      ['Uno bis', 'R2'],
    ]);
    expect(moved.facilities[1]!.id).not.toBe(uno!.id);
  });

  it('an empty set deletes every facility', async () => {
    const res = await putSet(s, []);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<SetResult>()).toMatchObject({ facilities: [], created: 0, deleted: 2 });
    expect(await facilityRows(s.orgId)).toEqual([]);
    expect(lastSnapshot(await outbox(s.orgId)).data.facilities).toEqual([]);
  });

  it('refuses bad sets as a whole: nothing is written, no version, no event', async () => {
    await putSet(s, [{ name: 'Fija', externalRef: 'KEEP' }]);
    const mine = (await facilityRows(s.orgId))[0]!;
    const stranger = await signup(h.app, 'supplier');
    await put({ token: stranger.accessToken }, stranger.orgId, profileBody);
    const theirs = (await putSet(stranger, [{ name: 'Ajena', externalRef: 'KEEP' }])).json<SetResult>()
      .facilities[0]!;
    const before = await version(s.orgId);
    const eventsBefore = (await outbox(s.orgId)).length;
    const cases: Array<[unknown, number, string]> = [
      [
        [
          { name: 'X', externalRef: 'D' },
          { name: 'Y', externalRef: 'D' },
        ],
        400,
        'VALIDATION_FAILED',
      ],
      [
        [
          { id: mine.id, name: 'X' },
          { id: mine.id, name: 'Y' },
        ],
        400,
        'VALIDATION_FAILED',
      ],
      [[{ id: theirs.id, name: 'Robada' }], 404, 'REGISTRY_SUPPLIER_FACILITY_NOT_FOUND'],
      [[{ id: newId(), name: 'Nadie' }], 404, 'REGISTRY_SUPPLIER_FACILITY_NOT_FOUND'],
      [[{ name: 'Ok' }, { name: 'Media', lat: 20 }], 400, 'REGISTRY_SUPPLIER_COORDINATES_INCOMPLETE'],
      [
        [{ name: 'Ok' }, { name: 'Atlántida', stateCode: 'Atlantis' }],
        400,
        'REGISTRY_SUPPLIER_STATE_UNKNOWN',
      ],
      [[{ name: '   ' }], 400, 'VALIDATION_FAILED'],
      [{ name: 'not a list' }, 400, 'VALIDATION_FAILED'],
      [Array.from({ length: 501 }, (_, i) => ({ name: `P${i}` })), 400, 'VALIDATION_FAILED'],
    ];
    for (const [facilities, status, code] of cases) {
      const res = await putSet(s, facilities);
      expect(res.statusCode, `${JSON.stringify(facilities).slice(0, 120)}: ${res.body}`).toBe(status);
      expect(res.json<{ code: string }>().code).toBe(code);
    }
    expect(await version(s.orgId)).toBe(before);
    expect(await outbox(s.orgId)).toHaveLength(eventsBefore);
    expect((await facilityRows(s.orgId)).map((f) => [f.id, f.name])).toEqual([[mine.id, 'Fija']]);
    expect((await facilityRows(stranger.orgId)).map((f) => [f.id, f.name])).toEqual([[theirs.id, 'Ajena']]);
  });

  it('takes 500 facilities in one request', async () => {
    const set = Array.from({ length: 500 }, (_, i) => ({
      name: `Planta ${i}`,
      externalRef: `NRA-${i}`,
      stateCode: '14',
      lat: 20 + i / 1000,
      lon: -103,
    }));
    const res = await putSet(s, set);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.json<SetResult>()).toMatchObject({ created: 500, deleted: 1 });
    expect(res.json<SetResult>().facilities.map((f) => f.externalRef)).toEqual(set.map((f) => f.externalRef));
    const again = (
      await putSet(
        s,
        set.map((f, i) => (i === 7 ? { ...f, name: 'Cambiada' } : f)),
      )
    ).json<SetResult>();
    expect(again).toMatchObject({ created: 0, updated: 1, unchanged: 499, deleted: 0 });
  });
});

describe('authorization matrix', () => {
  const callers: Record<string, Caller> = {};
  let facilityId: string;
  let entryId: string;

  async function mandate(bureau: Account, scopes: string[]) {
    await h.database.db
      .insertInto('mandates')
      .values({
        id: newId(),
        supplier_org_id: owner.orgId,
        bureau_org_id: bureau.orgId,
        scopes: scopes as never,
        starts_on: '2020-01-01',
        commission_basis_points: 250,
      })
      .execute();
  }

  beforeAll(async () => {
    const auth = bearer(owner.accessToken);
    facilityId = (
      await h.app.inject({
        method: 'POST',
        url: `/suppliers/${owner.orgId}/facilities`,
        headers: auth,
        payload: { name: 'Matriz' },
      })
    ).json<{ id: string }>().id;
    entryId = (
      await h.app.inject({
        method: 'POST',
        url: `/suppliers/${owner.orgId}/track-record`,
        headers: auth,
        payload: { title: 'Pedido' },
      })
    ).json<{
      id: string;
    }>().id;

    callers.owner = { token: owner.accessToken };
    callers.otherSupplier = { token: (await signup(h.app, 'supplier')).accessToken };
    callers.buyer = { token: (await signup(h.app, 'buyer')).accessToken };
    const viewBureau = await signup(h.app, 'bureau');
    await mandate(viewBureau, ['view', 'apply']);
    callers.bureauWithView = { token: viewBureau.accessToken };
    const applyBureau = await signup(h.app, 'bureau');
    await mandate(applyBureau, ['apply', 'message']);
    callers.bureauWrongScope = { token: applyBureau.accessToken };
    callers.bureauWithoutMandate = { token: (await signup(h.app, 'bureau')).accessToken };
    const assigned = await signup(h.app, 'auditor');
    const certificateId = newId();
    await h.database.db
      .insertInto('certificates')
      .values({
        id: certificateId,
        org_id: owner.orgId,
        standard_id: 'iso-9001-2015',
        certificate_number: 'C-1',
        issuing_body: 'X',
        valid_from: '2024-01-01',
        valid_to: '2027-01-01',
      })
      .execute();
    await h.database.db
      .insertInto('verification_requests')
      .values({
        id: newId(),
        certificate_id: certificateId,
        supplier_org_id: owner.orgId,
        auditor_org_id: assigned.orgId,
      })
      .execute();
    callers.assignedAuditor = { token: assigned.accessToken };
    callers.unassignedAuditor = { token: (await signup(h.app, 'auditor')).accessToken };
    callers.anonymous = {};

    // A viewer of the supplier itself: sees the private profile, may not change it.
    const inv = await h.app.inject({
      method: 'POST',
      url: `/organizations/${owner.orgId}/invitations`,
      headers: auth,
      payload: { email: 'lector@example.mx', role: 'viewer' },
    });
    expect(inv.statusCode).toBe(201);
    const token = h.invitations.find((i) => i.email === 'lector@example.mx')!.token;
    const accepted = await h.app.inject({
      method: 'POST',
      url: '/invitations/accept',
      payload: { token, name: 'Lector', password: 'una contraseña larga 123' },
    });
    callers.ownViewer = { token: accepted.json<{ accessToken: string }>().accessToken };
  });

  // Expected status per caller: GET profile, then every write.
  const expected: Record<string, { read: number; write: number }> = {
    owner: { read: 200, write: 2 }, // 2xx
    ownViewer: { read: 200, write: 403 },
    otherSupplier: { read: 404, write: 404 },
    buyer: { read: 404, write: 404 },
    bureauWithView: { read: 200, write: 404 },
    bureauWrongScope: { read: 404, write: 404 },
    bureauWithoutMandate: { read: 404, write: 404 },
    assignedAuditor: { read: 200, write: 404 },
    unassignedAuditor: { read: 404, write: 404 },
    anonymous: { read: 401, write: 401 },
  };

  const writes = () => [
    { method: 'PUT', url: `/suppliers/${owner.orgId}/profile`, payload: profileBody },
    { method: 'POST', url: `/suppliers/${owner.orgId}/facilities`, payload: { name: 'Intrusa' } },
    {
      method: 'PATCH',
      url: `/suppliers/${owner.orgId}/facilities/${facilityId}`,
      payload: { name: 'Cambiada' },
    },
    { method: 'POST', url: `/suppliers/${owner.orgId}/track-record`, payload: { title: 'Intruso' } },
    { method: 'DELETE', url: `/suppliers/${owner.orgId}/track-record/${entryId}` },
    { method: 'DELETE', url: `/suppliers/${owner.orgId}/facilities/${facilityId}` },
    {
      method: 'PUT',
      url: `/suppliers/${owner.orgId}/facilities`,
      payload: { facilities: [{ name: 'Matriz', externalRef: 'M-1' }] },
    },
  ];

  it.each(Object.keys(expected).filter((k) => k !== 'owner'))(
    '%s gets the expected answer on every route',
    async (who) => {
      const caller = callers[who]!;
      const headers = caller.token ? bearer(caller.token) : {};
      const get = await h.app.inject({ method: 'GET', url: `/suppliers/${owner.orgId}/profile`, headers });
      expect(get.statusCode, `GET profile as ${who}`).toBe(expected[who]!.read);
      if (get.statusCode === 200)
        expect(get.json()).toMatchObject({
          id: owner.orgId,
          rfc: 'MTA150301AB1',
          contact: { email: 'ventas@maquinados.mx' },
        });
      else expect(get.body).not.toContain('ventas@maquinados');
      for (const w of writes()) {
        const res = await h.app.inject({
          method: w.method as 'POST',
          url: w.url,
          headers,
          ...(w.payload ? { payload: w.payload } : {}),
        });
        expect(res.statusCode, `${w.method} ${w.url} as ${who}`).toBe(expected[who]!.write);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
    },
  );

  it('the owner may do all of it (run last: it deletes the fixtures)', async () => {
    const headers = bearer(owner.accessToken);
    expect(
      (await h.app.inject({ method: 'GET', url: `/suppliers/${owner.orgId}/profile`, headers })).statusCode,
    ).toBe(200);
    for (const w of writes()) {
      const res = await h.app.inject({
        method: w.method as 'POST',
        url: w.url,
        headers,
        ...(w.payload ? { payload: w.payload } : {}),
      });
      expect(res.statusCode, `${w.method} ${w.url}: ${res.body}`).toBeGreaterThanOrEqual(200);
      expect(res.statusCode).toBeLessThan(300);
    }
  });

  it("answers 404 for another supplier's facility or entry through one's own id", async () => {
    const s = await signup(h.app, 'supplier');
    expect((await put({ token: s.accessToken }, s.orgId, profileBody)).statusCode).toBe(200);
    const auth = bearer(owner.accessToken);
    const theirs = (
      await h.app.inject({
        method: 'POST',
        url: `/suppliers/${s.orgId}/facilities`,
        headers: bearer(s.accessToken),
        payload: { name: 'Ajena' },
      })
    ).json<{
      id: string;
    }>().id;
    const res = await h.app.inject({
      method: 'PATCH',
      url: `/suppliers/${owner.orgId}/facilities/${theirs}`,
      headers: auth,
      payload: { name: 'Mía' },
    });
    expect(res.json()).toMatchObject({ code: 'REGISTRY_SUPPLIER_FACILITY_NOT_FOUND' });
    const del = await h.app.inject({
      method: 'DELETE',
      url: `/suppliers/${owner.orgId}/track-record/${newId()}`,
      headers: auth,
    });
    expect(del.json()).toMatchObject({ code: 'REGISTRY_SUPPLIER_TRACK_RECORD_NOT_FOUND' });
  });
});

describe('bad input', () => {
  const text = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constant('\u0000'),
    fc.constant('ÿ̸̢ 🇲🇽 \uD800'),
    fc.string({ unit: 'binary', maxLength: 30 }),
  );
  const nasty = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    text,
    fc.double(),
    fc.integer(),
    fc.constant(null),
    fc.array(text, { maxLength: 5 }),
  );
  const field = (valid: fc.Arbitrary<unknown>) => fc.oneof(valid, nasty);
  const profile = fc.record(
    {
      description: field(fc.record({ es: text, en: text }, { requiredKeys: [] })),
      scianCodes: field(
        fc.array(fc.oneof(fc.constantFrom('332710', '336390', '3327', '221110'), text), { maxLength: 4 }),
      ),
      scianMapped: field(fc.array(text, { maxLength: 2 })),
      processTags: field(
        fc.array(fc.oneof(fc.constantFrom('cnc-machining', 'welding'), text), { maxLength: 3 }),
      ),
      materials: field(fc.array(text, { maxLength: 3 })),
      capacity: field(
        fc.record(
          {
            unit: fc.constantFrom('kg-per-month', 'x'),
            amountPerMonth: fc.double(),
            leadTimeDays: fc.integer(),
            largestPartMm: fc.double(),
          },
          { requiredKeys: [] },
        ),
      ),
      employees: field(fc.integer()),
      annualSalesMxnMillions: field(fc.double()),
      tiers: field(
        fc.array(
          fc.record({
            industry: fc.constantFrom('automotive', 'medical', 'x'),
            tier: fc.integer({ min: -1, max: 6 }),
          }),
          { maxLength: 3 },
        ),
      ),
      functionalStage: field(fc.constantFrom('CM', 'OBM', 'cm', 'x')),
      exportExperience: field(
        fc.record(
          {
            exports: fc.boolean(),
            markets: fc.array(fc.oneof(fc.constantFrom('US', 'ZZ', 'mx'), text), { maxLength: 3 }),
          },
          { requiredKeys: [] },
        ),
      ),
      rfc: field(fc.oneof(fc.constantFrom('GODE561231GR8', 'ABC000230AB1'), text)),
      contact: field(fc.record({ name: text, email: text, phone: text }, { requiredKeys: [] })),
      sizeClass: fc.constantFrom('large', 'micro'),
      synthetic: field(fc.array(fc.constantFrom('rfc', 'x'), { maxLength: 2 })),
    },
    { requiredKeys: [] },
  );
  const facility = fc.record(
    {
      name: field(text),
      address: field(text),
      stateCode: field(fc.oneof(fc.constantFrom('22', '99', 'Jalisco', 'CDMX'), text)),
      municipality: field(text),
      lat: field(fc.double()),
      lon: field(fc.double()),
      industrialPark: field(text),
      cluster: field(text),
      externalRef: field(text),
    },
    { requiredKeys: [] },
  );
  const entry = fc.record(
    {
      title: field(text),
      description: field(text),
      customerName: field(text),
      customerOrgId: field(
        fc.oneof(fc.uuid(), fc.constant('urn:uuid:00000000-0000-4000-8000-000000000000'), text),
      ),
      date: field(fc.oneof(fc.constantFrom('2023-02-29', '0000-01-01', '9999-12-31', '2024-02-29'), text)),
      value: field(
        fc.record(
          {
            amountMinor: fc.oneof(fc.integer(), fc.double(), fc.bigInt().map(String)),
            currency: fc.constantFrom('MXN', 'mxn', 'X'),
          },
          { requiredKeys: [] },
        ),
      ),
      scianCodes: field(fc.array(text, { maxLength: 2 })),
      synthetic: field(fc.boolean()),
    },
    { requiredKeys: [] },
  );
  const id = fc.oneof(fc.uuid(), fc.string({ maxLength: 40 }), fc.constantFrom('..%2F', '%00', 'URN:UUID:1'));
  const facilitySet = (ids: fc.Arbitrary<unknown>) =>
    fc.oneof(
      nasty,
      fc.record(
        {
          facilities: field(
            fc.array(
              fc.oneof(
                facility,
                fc.tuple(facility, ids).map(([f, i]) => ({ ...f, id: i })),
                fc.record(
                  {
                    name: fc.constantFrom('Planta', 'Bodega'),
                    externalRef: fc.constantFrom('R1', 'R2', null),
                    stateCode: fc.constantFrom('22', 'Jalisco', null),
                  },
                  { requiredKeys: ['name'] },
                ),
              ),
              { maxLength: 5 },
            ),
          ),
          extra: fc.constant(1),
        },
        { requiredKeys: [] },
      ),
    );

  function check(res: { statusCode: number; headers: Record<string, unknown>; body: string }, label: string) {
    expect(res.statusCode, `${label} → ${res.statusCode} ${res.body.slice(0, 300)}`).toBeLessThan(500);
    if (res.statusCode >= 400) {
      expect(String(res.headers['content-type'])).toContain('application/problem+json');
      expect(JSON.parse(res.body)).toMatchObject({ code: expect.stringMatching(/^[A-Z][A-Z0-9_]+$/) });
      expect(res.body).not.toMatch(/stack|at async|node_modules/);
    }
  }

  it('never answers a 5xx to PUT profile', async () => {
    await fc.assert(
      fc.asyncProperty(profile, async (body) => {
        const res = await put({ token: owner.accessToken }, owner.orgId, body);
        check(res, JSON.stringify(body));
      }),
      { numRuns: 150 },
    );
  });

  it('never answers a 5xx to the facility and track-record routes', async () => {
    const auth = bearer(owner.accessToken);
    await put({ token: owner.accessToken }, owner.orgId, profileBody);
    const fid = (
      await h.app.inject({
        method: 'POST',
        url: `/suppliers/${owner.orgId}/facilities`,
        headers: auth,
        payload: { name: 'Base' },
      })
    ).json<{ id: string }>().id;
    await fc.assert(
      fc.asyncProperty(
        facility,
        entry,
        id,
        fc.boolean(),
        facilitySet(fc.oneof(id, fc.constant(fid))),
        async (f, e, someId, useRealIds, set) => {
          const sid = useRealIds ? owner.orgId : encodeURIComponent(someId);
          const fac = useRealIds ? fid : encodeURIComponent(someId);
          for (const r of [
            { method: 'POST', url: `/suppliers/${sid}/facilities`, payload: f },
            { method: 'PUT', url: `/suppliers/${sid}/facilities`, payload: set as object },
            { method: 'PATCH', url: `/suppliers/${sid}/facilities/${fac}`, payload: f },
            { method: 'POST', url: `/suppliers/${sid}/track-record`, payload: e },
            { method: 'DELETE', url: `/suppliers/${sid}/track-record/${encodeURIComponent(someId)}` },
            { method: 'GET', url: `/suppliers/${sid}/profile` },
          ]) {
            const res = await h.app.inject({
              method: r.method as 'POST',
              url: r.url,
              headers: auth,
              ...(r.payload ? { payload: r.payload } : {}),
            });
            check(res, `${r.method} ${r.url} ${JSON.stringify(r.payload)}`);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
