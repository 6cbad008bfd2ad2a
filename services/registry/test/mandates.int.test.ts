import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAnyEvent } from '@vinculo/contracts';
import type { Principal } from '@vinculo/service-kit/auth';
import { newId } from '@vinculo/service-kit/db';
import { canSeePrivateProfile, supplierAccess } from '../src/domain/access.js';
import { todayInMexico } from '../src/domain/mandates.js';
import { bearer, signup, startRegistry, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  // 42 member SMEs plus the cast below sign up from one address.
  h = await startRegistry({ SIGNUP_LIMIT_PER_IP: '1000', API_RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(async () => {
  await h.close();
});

type Account = Awaited<ReturnType<typeof signup>>;
interface MandateBody {
  id: string;
  supplier: { id: string; name: string };
  bureau: { id: string; name: string };
  scopes: string[];
  startsOn: string;
  endsOn: string | null;
  status: 'active' | 'ended';
  inForce: boolean;
  endedBy: string | null;
  endReason: string | null;
  version: number;
  commission: { basisPoints: number; terms: string | null };
  links: { supplierProfile: string | null };
}
interface Page {
  items: MandateBody[];
  nextCursor: string | null;
}

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function grant(by: Account, body: Record<string, unknown>) {
  return h.app.inject({ method: 'POST', url: '/mandates', headers: bearer(by.accessToken), payload: body });
}
async function granted(
  by: Account,
  bureau: Account,
  extra: Record<string, unknown> = {},
): Promise<MandateBody> {
  const res = await grant(by, {
    bureauOrgId: bureau.orgId,
    scopes: ['view', 'apply'],
    commission: { basisPoints: 250 },
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<MandateBody>();
}
function get(id: string, as?: Account) {
  return h.app.inject({
    method: 'GET',
    url: `/mandates/${id}`,
    ...(as ? { headers: bearer(as.accessToken) } : {}),
  });
}
function end(id: string, as?: Account, payload: Record<string, unknown> = {}) {
  return h.app.inject({
    method: 'POST',
    url: `/mandates/${id}/end`,
    payload,
    ...(as ? { headers: bearer(as.accessToken) } : {}),
  });
}
function patch(id: string, as: Account | undefined, payload: Record<string, unknown>) {
  return h.app.inject({
    method: 'PATCH',
    url: `/mandates/${id}`,
    payload,
    ...(as ? { headers: bearer(as.accessToken) } : {}),
  });
}
async function mandateEvents(id: string) {
  return h.database.db
    .selectFrom('outbox')
    .select(['type', 'payload'])
    .where('payload', '@>', JSON.stringify({ aggregate: { type: 'mandate', id } }) as never)
    .orderBy('seq')
    .execute();
}

/** Invites a person into `owner`'s organisation with `role` and answers their tokens for it. */
async function member(owner: Account, role: 'admin' | 'member' | 'viewer'): Promise<Account> {
  const email = `m-${newId()}@example.mx`;
  const inv = await h.app.inject({
    method: 'POST',
    url: `/organizations/${owner.orgId}/invitations`,
    headers: bearer(owner.accessToken),
    payload: { email, role },
  });
  expect(inv.statusCode, inv.body).toBe(201);
  const message = h.invitations.find((m) => m.email === email)!;
  const accepted = await h.app.inject({
    method: 'POST',
    url: '/invitations/accept',
    payload: { token: message.token, name: 'Miembro', password: 'una contraseña larga 123' },
  });
  expect(accepted.statusCode, accepted.body).toBe(200);
  const tokens = accepted.json<{ accessToken: string; refreshToken: string }>();
  return { ...owner, ...tokens, email, userId: '' };
}

const principalOf = (a: Account, orgType: Principal['orgType']): Principal => ({
  userId: a.userId,
  orgId: a.orgId,
  orgType,
  roles: ['owner'],
});

describe('granting a mandate', () => {
  it('creates it for a bureau and emits registry.mandate.granted (version 1) that satisfies the contract', async () => {
    const supplier = await signup(h.app, 'supplier');
    const bureau = await signup(h.app, 'bureau');
    const m = await granted(supplier, bureau, {
      scopes: ['message', 'view'],
      commission: { basisPoints: 250, terms: 'Pago a 30 días' },
    });
    expect(m).toMatchObject({
      supplier: { id: supplier.orgId },
      bureau: { id: bureau.orgId },
      // Stored in the catalogue's order.
      scopes: ['view', 'message'],
      startsOn: todayInMexico(),
      endsOn: null,
      status: 'active',
      inForce: true,
      commission: { basisPoints: 250, terms: 'Pago a 30 días' },
      version: 1,
      links: { supplierProfile: `/suppliers/${supplier.orgId}/profile` },
    });
    const events = await mandateEvents(m.id);
    expect(events.map((e) => e.type)).toEqual(['registry.mandate.granted']);
    const checked = validateAnyEvent(events[0]!.payload);
    expect(checked.ok, JSON.stringify(checked)).toBe(true);
    expect(events[0]!.payload).toMatchObject({
      orgId: supplier.orgId,
      aggregate: { type: 'mandate', id: m.id, version: 1 },
      data: {
        id: m.id,
        supplierId: supplier.orgId,
        bureauId: bureau.orgId,
        scopes: ['view', 'message'],
        commissionBasisPoints: 250,
        status: 'active',
      },
    });
  });

  it('answers 404 when the target is not a bureau', async () => {
    const supplier = await signup(h.app, 'supplier');
    for (const type of ['buyer', 'supplier', 'auditor'] as const) {
      const other = await signup(h.app, type);
      const res = await grant(supplier, {
        bureauOrgId: other.orgId,
        scopes: ['view'],
        commission: { basisPoints: 0 },
      });
      expect(res.statusCode, type).toBe(404);
      expect(res.json()).toMatchObject({ code: 'REGISTRY_MANDATE_BUREAU_NOT_FOUND' });
    }
    const ghost = await grant(supplier, {
      bureauOrgId: newId(),
      scopes: ['view'],
      commission: { basisPoints: 0 },
    });
    expect(ghost.statusCode).toBe(404);
  });

  it('is for suppliers only (403 to other organisation types) and for their owners and admins (403 to members)', async () => {
    const bureau = await signup(h.app, 'bureau');
    for (const type of ['buyer', 'bureau', 'auditor'] as const) {
      const caller = await signup(h.app, type);
      const res = await grant(caller, {
        bureauOrgId: bureau.orgId,
        scopes: ['view'],
        commission: { basisPoints: 0 },
      });
      expect(res.statusCode, type).toBe(403);
      expect(res.json()).toMatchObject({ code: 'REGISTRY_MANDATE_SUPPLIERS_ONLY' });
    }
    const supplier = await signup(h.app, 'supplier');
    const plain = await member(supplier, 'member');
    const res = await grant(plain, {
      bureauOrgId: bureau.orgId,
      scopes: ['view'],
      commission: { basisPoints: 0 },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'REGISTRY_MANDATE_FORBIDDEN_ROLE' });
    const admin = await member(supplier, 'admin');
    expect(
      (await grant(admin, { bureauOrgId: bureau.orgId, scopes: ['view'], commission: { basisPoints: 0 } }))
        .statusCode,
    ).toBe(201);
    expect(
      (await grant(supplier, { bureauOrgId: bureau.orgId, scopes: ['view'], commission: { basisPoints: 0 } }))
        .statusCode,
    ).toBe(409);
    expect(
      (
        await h.app.inject({
          method: 'POST',
          url: '/mandates',
          payload: { bureauOrgId: bureau.orgId, scopes: ['view'], commission: { basisPoints: 0 } },
        })
      ).statusCode,
    ).toBe(401);
  });

  it('refuses a second active mandate for the same bureau with 409, and allows a new one once it ended', async () => {
    const supplier = await signup(h.app, 'supplier');
    const bureau = await signup(h.app, 'bureau');
    const first = await granted(supplier, bureau);
    const again = await grant(supplier, {
      bureauOrgId: bureau.orgId,
      scopes: ['apply'],
      commission: { basisPoints: 100 },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'REGISTRY_MANDATE_ALREADY_ACTIVE' });
    expect((await end(first.id, supplier)).statusCode).toBe(200);
    const second = await granted(supplier, bureau, { scopes: ['apply'] });
    expect(second.id).not.toBe(first.id);
  });

  it('treats a mandate past its end date as ended: a new grant closes it (revoked event) and takes its place', async () => {
    const supplier = await signup(h.app, 'supplier');
    const bureau = await signup(h.app, 'bureau');
    const old = await granted(supplier, bureau);
    const today = todayInMexico();
    await h.database.db
      .updateTable('mandates')
      .set({ starts_on: addDays(today, -30), ends_on: addDays(today, -1) })
      .where('id', '=', old.id)
      .execute();
    expect((await get(old.id, supplier)).json()).toMatchObject({ status: 'ended', inForce: false });
    const fresh = await granted(supplier, bureau);
    expect((await get(old.id, supplier)).json()).toMatchObject({
      status: 'ended',
      endedBy: null,
      version: 2,
    });
    expect((await mandateEvents(old.id)).map((e) => e.type)).toEqual([
      'registry.mandate.granted',
      'registry.mandate.revoked',
    ]);
    expect(fresh.status).toBe('active');
  });

  it('validates scopes, commission and the period', async () => {
    const supplier = await signup(h.app, 'supplier');
    const bureau = await signup(h.app, 'bureau');
    const today = todayInMexico();
    const base = { bureauOrgId: bureau.orgId, scopes: ['view'], commission: { basisPoints: 250 } };
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ ...base, scopes: [] }, 'VALIDATION_FAILED'],
      [{ ...base, scopes: ['view', 'view'] }, 'VALIDATION_FAILED'],
      [{ ...base, scopes: ['admin'] }, 'VALIDATION_FAILED'],
      [{ ...base, scopes: ['view', 'apply', 'message', 'view'] }, 'VALIDATION_FAILED'],
      [{ ...base, scopes: 'view,apply' }, 'VALIDATION_FAILED'],
      [{ ...base, commission: { basisPoints: 10_001 } }, 'VALIDATION_FAILED'],
      [{ ...base, commission: { basisPoints: -1 } }, 'VALIDATION_FAILED'],
      [{ ...base, commission: { basisPoints: 2.5 } }, 'VALIDATION_FAILED'],
      [{ ...base, commission: {} }, 'VALIDATION_FAILED'],
      [{ bureauOrgId: bureau.orgId, scopes: ['view'] }, 'VALIDATION_FAILED'],
      [{ ...base, bureauOrgId: 'not-a-uuid' }, 'VALIDATION_FAILED'],
      [{ ...base, startsOn: '01/02/2030' }, 'VALIDATION_FAILED'],
      [{ ...base, startsOn: '2030-02-30' }, 'REGISTRY_MANDATE_INVALID_PERIOD'],
      [{ ...base, startsOn: '0000-01-01' }, 'REGISTRY_MANDATE_INVALID_PERIOD'],
      [
        { ...base, startsOn: addDays(today, 10), endsOn: addDays(today, 5) },
        'REGISTRY_MANDATE_INVALID_PERIOD',
      ],
      [
        { ...base, startsOn: addDays(today, -10), endsOn: addDays(today, -1) },
        'REGISTRY_MANDATE_INVALID_PERIOD',
      ],
    ];
    for (const [body, code] of bad) {
      const res = await grant(supplier, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json<{ code: string }>().code, JSON.stringify(body)).toBe(code);
    }
    const es = await h.app.inject({
      method: 'POST',
      url: '/mandates',
      headers: { ...bearer(supplier.accessToken), 'accept-language': 'es-MX' },
      payload: { ...base, endsOn: '2001-01-01' },
    });
    expect(es.json()).toMatchObject({
      code: 'REGISTRY_MANDATE_INVALID_PERIOD',
      title: expect.stringContaining('periodo'),
    });
    // The boundaries are fine: a one-day mandate today, all three scopes, 0 % and 100 %.
    const ok = await granted(supplier, bureau, {
      scopes: ['view', 'apply', 'message'],
      startsOn: today,
      endsOn: today,
      commission: { basisPoints: 10_000 },
    });
    expect(ok).toMatchObject({ inForce: true, endsOn: today, commission: { basisPoints: 10_000 } });
  });
});

describe('listing mandates', () => {
  it('lets a bureau page through 42 member SMEs, 10 at a time, in a stable order without duplicates', async () => {
    const bureau = await signup(h.app, 'bureau');
    const suppliers: Account[] = [];
    for (let i = 0; i < 42; i++) suppliers.push(await signup(h.app, 'supplier'));
    // Some grant `view`, some only `apply`: only the former come with a link to the private profile.
    await Promise.all(
      suppliers.map((s, i) => granted(s, bureau, { scopes: i % 3 === 0 ? ['apply'] : ['view', 'apply'] })),
    );

    const seen: MandateBody[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/mandates?limit=10${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await h.app.inject({ method: 'GET', url, headers: bearer(bureau.accessToken) });
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<Page>();
      expect(page.items.length).toBeLessThanOrEqual(10);
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(5);
    expect(seen).toHaveLength(42);
    expect(new Set(seen.map((m) => m.id)).size).toBe(42);
    expect(new Set(seen.map((m) => m.supplier.id))).toEqual(new Set(suppliers.map((s) => s.orgId)));
    const position = new Map(suppliers.map((s, i) => [s.orgId, i]));
    for (const m of seen) {
      expect(m.bureau.id).toBe(bureau.orgId);
      expect(m.supplier.name).toMatch(/^Empresa \d+ SA de CV$/);
      const i = position.get(m.supplier.id)!;
      expect(m.links.supplierProfile).toBe(i % 3 === 0 ? null : `/suppliers/${m.supplier.id}/profile`);
    }

    // The same walk again gives the same order.
    const all = (
      await h.app.inject({ method: 'GET', url: '/mandates?limit=100', headers: bearer(bureau.accessToken) })
    ).json<Page>();
    expect(all.items.map((m) => m.id)).toEqual(seen.map((m) => m.id));
    expect(all.nextCursor).toBeNull();

    // Ended ones move from ?status=active to ?status=ended.
    await end(seen[0]!.id, bureau);
    const active = (
      await h.app.inject({
        method: 'GET',
        url: '/mandates?limit=100&status=active',
        headers: bearer(bureau.accessToken),
      })
    ).json<Page>();
    const ended = (
      await h.app.inject({
        method: 'GET',
        url: '/mandates?limit=100&status=ended',
        headers: bearer(bureau.accessToken),
      })
    ).json<Page>();
    expect(active.items).toHaveLength(41);
    expect(ended.items.map((m) => m.id)).toEqual([seen[0]!.id]);
  }, 120_000);

  it('lets a supplier list the mandates it granted, and gives other organisation types an empty list', async () => {
    const supplier = await signup(h.app, 'supplier');
    const bureaus = [
      await signup(h.app, 'bureau'),
      await signup(h.app, 'bureau'),
      await signup(h.app, 'bureau'),
    ];
    const made = [];
    for (const b of bureaus) made.push(await granted(supplier, b));
    const viewer = await member(supplier, 'viewer');
    for (const who of [supplier, viewer]) {
      const res = await h.app.inject({ method: 'GET', url: '/mandates', headers: bearer(who.accessToken) });
      expect(res.statusCode).toBe(200);
      const page = res.json<Page>();
      expect(page.items.map((m) => m.id)).toEqual(made.map((m) => m.id).reverse());
      expect(page.items.map((m) => m.bureau.id)).toEqual(bureaus.map((b) => b.orgId).reverse());
    }
    for (const type of ['buyer', 'auditor'] as const) {
      const other = await signup(h.app, type);
      const res = await h.app.inject({ method: 'GET', url: '/mandates', headers: bearer(other.accessToken) });
      expect(res.json()).toEqual({ items: [], nextCursor: null });
    }
    expect((await h.app.inject({ method: 'GET', url: '/mandates' })).statusCode).toBe(401);
  });

  it('rejects forged cursors and unknown filters with 400', async () => {
    const supplier = await signup(h.app, 'supplier');
    const forged = [
      Buffer.from(
        JSON.stringify({ createdAt: "2024-01-01'; drop table mandates; --", id: newId() }),
      ).toString('base64url'),
      Buffer.from(JSON.stringify({ createdAt: '2024-01-01T00:00:00.000Z', id: 'x' })).toString('base64url'),
      // Matches the pattern but is no instant (PostgreSQL would refuse it: a 500 if it got there).
      Buffer.from(JSON.stringify({ createdAt: '2024-13-45T99:99:99Z', id: newId() })).toString('base64url'),
      Buffer.from(JSON.stringify({ createdAt: '2024-02-30T00:00:00Z', id: newId() })).toString('base64url'),
      'not a cursor',
    ];
    for (const c of forged) {
      const res = await h.app.inject({
        method: 'GET',
        url: `/mandates?cursor=${encodeURIComponent(c)}`,
        headers: bearer(supplier.accessToken),
      });
      expect(res.statusCode, c).toBe(400);
    }
    expect(
      (
        await h.app.inject({
          method: 'GET',
          url: '/mandates?status=paused',
          headers: bearer(supplier.accessToken),
        })
      ).statusCode,
    ).toBe(400);
  });
});

describe('ending and changing a mandate', () => {
  it('lets the supplier end it: status ended, ended_by, version 2, one revoked event; ending again is a no-op 200', async () => {
    const supplier = await signup(h.app, 'supplier');
    const bureau = await signup(h.app, 'bureau');
    const m = await granted(supplier, bureau);
    const res = await end(m.id, supplier, { reason: 'Cambiamos de bolsa' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'ended',
      inForce: false,
      endedBy: supplier.orgId,
      endReason: 'Cambiamos de bolsa',
      version: 2,
    });
    const again = await end(m.id, supplier);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'ended', version: 2, endReason: 'Cambiamos de bolsa' });
    const events = await mandateEvents(m.id);
    expect(events.map((e) => e.type)).toEqual(['registry.mandate.granted', 'registry.mandate.revoked']);
    const revoked = events[1]!.payload;
    expect(validateAnyEvent(revoked).ok).toBe(true);
    expect(revoked).toMatchObject({ aggregate: { version: 2 }, data: { status: 'ended' } });
  });

  it('lets the bureau’s owners and admins end it, not its members or viewers', async () => {
    const supplier = await signup(h.app, 'supplier');
    const bureau = await signup(h.app, 'bureau');
    const m = await granted(supplier, bureau);
    const broker = await member(bureau, 'member');
    const viewer = await member(bureau, 'viewer');
    // Members see it …
    expect((await get(m.id, broker)).statusCode).toBe(200);
    // … but may not end it.
    for (const who of [broker, viewer]) {
      const res = await end(m.id, who);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'REGISTRY_MANDATE_FORBIDDEN_ROLE' });
    }
    const admin = await member(bureau, 'admin');
    const res = await end(m.id, admin, {});
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ended', endedBy: bureau.orgId });
  });

  it('lets the supplier change scopes, end date and commission: version 2, granted re-emitted with the new snapshot', async () => {
    const supplier = await signup(h.app, 'supplier');
    const bureau = await signup(h.app, 'bureau');
    const m = await granted(supplier, bureau, { scopes: ['apply'] });
    const endsOn = addDays(todayInMexico(), 90);
    const res = await patch(m.id, supplier, {
      scopes: ['view', 'apply'],
      endsOn,
      commission: { basisPoints: 300 },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      scopes: ['view', 'apply'],
      endsOn,
      commission: { basisPoints: 300, terms: null },
      version: 2,
    });
    const events = await mandateEvents(m.id);
    expect(events.map((e) => e.type)).toEqual(['registry.mandate.granted', 'registry.mandate.granted']);
    expect(validateAnyEvent(events[1]!.payload).ok).toBe(true);
    expect(events[1]!.payload).toMatchObject({
      aggregate: { version: 2 },
      data: { scopes: ['view', 'apply'], endsOn, commissionBasisPoints: 300 },
    });

    // The bureau may not change it; an end date before today, an empty patch, and changing an ended one are refused.
    const byBureau = await patch(m.id, bureau, { commission: { basisPoints: 5000 } });
    expect(byBureau.statusCode).toBe(403);
    expect(byBureau.json()).toMatchObject({ code: 'REGISTRY_MANDATE_SUPPLIERS_ONLY' });
    expect((await patch(m.id, supplier, { endsOn: '2001-01-01' })).json()).toMatchObject({
      code: 'REGISTRY_MANDATE_INVALID_PERIOD',
    });
    expect((await patch(m.id, supplier, {})).statusCode).toBe(400);
    expect((await patch(m.id, supplier, { scopes: [] })).statusCode).toBe(400);
    await end(m.id, bureau);
    const late = await patch(m.id, supplier, { scopes: ['view'] });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'REGISTRY_MANDATE_ENDED' });
  });
});

describe('who sees a mandate (authorization matrix)', () => {
  it('answers each caller as written in the table', async () => {
    const supplier = await signup(h.app, 'supplier');
    const bureau = await signup(h.app, 'bureau');
    const m = await granted(supplier, bureau);
    const otherSupplier = await signup(h.app, 'supplier');
    const otherBureau = await signup(h.app, 'bureau');
    const buyer = await signup(h.app, 'buyer');
    const auditor = await signup(h.app, 'auditor');
    const assignedAuditor = await signup(h.app, 'auditor');
    // The supplier asked assignedAuditor to verify a certificate: that sees documents, not mandates.
    await h.database.db.insertInto('supplier_profiles').values({ org_id: supplier.orgId }).execute();
    const certificateId = newId();
    await h.database.db
      .insertInto('certificates')
      .values({
        id: certificateId,
        org_id: supplier.orgId,
        standard_id: 'iso-9001-2015',
        certificate_number: 'C-1',
        issuing_body: 'IMNC',
        valid_from: '2024-01-01',
        valid_to: '2027-01-01',
      })
      .execute();
    await h.database.db
      .insertInto('verification_requests')
      .values({
        id: newId(),
        certificate_id: certificateId,
        supplier_org_id: supplier.orgId,
        auditor_org_id: assignedAuditor.orgId,
      })
      .execute();

    // [caller, GET /mandates/:id, PATCH (commission), POST …/end] — ending is checked last, by the owners.
    const matrix: Array<[string, Account | undefined, number, number, number]> = [
      ['another supplier', otherSupplier, 404, 404, 404],
      ['another bureau', otherBureau, 404, 404, 404],
      ['a buyer', buyer, 404, 404, 404],
      ['an unassigned auditor', auditor, 404, 404, 404],
      ['the auditor the supplier assigned a certificate to', assignedAuditor, 404, 404, 404],
      ['anonymous', undefined, 401, 401, 401],
      ['the mandated bureau', bureau, 200, 403, 200],
      ['the supplier (after the bureau ended it: idempotent)', supplier, 200, 409, 200],
    ];
    for (const [who, as, getStatus, patchStatus, endStatus] of matrix) {
      const g = await get(m.id, as);
      expect(g.statusCode, `GET as ${who}`).toBe(getStatus);
      const p = await patch(m.id, as, { commission: { basisPoints: 1 } });
      expect(p.statusCode, `PATCH as ${who}`).toBe(patchStatus);
      const e = await end(m.id, as);
      expect(e.statusCode, `end as ${who}`).toBe(endStatus);
      if (getStatus === 404) {
        expect(g.headers['content-type']).toContain('application/problem+json');
        expect(g.json()).toMatchObject({ code: 'REGISTRY_MANDATE_NOT_FOUND' });
      }
    }
    // Third parties' attempts changed nothing before the bureau ended it.
    const events = await mandateEvents(m.id);
    expect(events.map((e) => e.type)).toEqual(['registry.mandate.granted', 'registry.mandate.revoked']);
    expect(events[1]!.payload).toMatchObject({ actor: { orgId: bureau.orgId } });
    expect((await get(newId(), supplier)).statusCode).toBe(404);
  });
});

describe('a bureau acting for a member SME', () => {
  const hasProfileRoute = () => h.app.hasRoute({ method: 'GET', url: '/suppliers/:supplierId/profile' });

  it('sees the private profile with a `view` mandate in force, and not without one, with another scope, before its start, after its end', async () => {
    const supplier = await signup(h.app, 'supplier');
    const bureau = await signup(h.app, 'bureau');
    const asBureau = principalOf(bureau, 'bureau');
    const today = todayInMexico();
    const access = () => supplierAccess(h.database.db, asBureau, supplier.orgId);
    const canView = async () => {
      const ok = canSeePrivateProfile(await access());
      if (hasProfileRoute()) {
        const res = await h.app.inject({
          method: 'GET',
          url: `/suppliers/${supplier.orgId}/profile`,
          headers: bearer(bureau.accessToken),
        });
        // The route may answer 404 for a supplier without a profile yet; the access rule is the one under test.
        if (!ok) expect(res.statusCode).toBe(404);
      }
      return ok;
    };

    expect(await canView()).toBe(false);

    const applyOnly = await granted(supplier, bureau, { scopes: ['apply'] });
    expect((await access()).mandateScopes).toEqual(['apply']);
    expect(await canView()).toBe(false);
    await end(applyOnly.id, supplier);

    const view = await granted(supplier, bureau, { scopes: ['view'] });
    expect(await access()).toMatchObject({ mandateId: view.id, mandateScopes: ['view'] });
    expect(await canView()).toBe(true);
    // Another bureau gains nothing from it.
    const stranger = await signup(h.app, 'bureau');
    expect(
      canSeePrivateProfile(
        await supplierAccess(h.database.db, principalOf(stranger, 'bureau'), supplier.orgId),
      ),
    ).toBe(false);

    await end(view.id, bureau);
    expect(await canView()).toBe(false);

    const future = await granted(supplier, bureau, { scopes: ['view'], startsOn: addDays(today, 3) });
    expect(future).toMatchObject({ status: 'active', inForce: false, links: { supplierProfile: null } });
    expect(await canView()).toBe(false);
    await end(future.id, supplier);

    const past = await granted(supplier, bureau, { scopes: ['view'] });
    await h.database.db
      .updateTable('mandates')
      .set({ starts_on: addDays(today, -60), ends_on: addDays(today, -1) })
      .where('id', '=', past.id)
      .execute();
    expect(await canView()).toBe(false);
  });
});

describe('bad input to the mandate routes', () => {
  it('never answers a 5xx, and every 4xx is problem+json with a code', async () => {
    const supplier = await signup(h.app, 'supplier');
    const bureau = await signup(h.app, 'bureau');
    const m = await granted(supplier, bureau);
    const nasty = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.constantFrom(
        '\u0000',
        '2024-02-30',
        '9999-12-31',
        '0000-00-00',
        'view',
        ['view', 'view'],
        -1,
        10_001,
        1e300,
        '1e309',
        null,
      ),
    );
    const field = fc.constantFrom(
      'bureauOrgId',
      'scopes',
      'startsOn',
      'endsOn',
      'commission',
      'basisPoints',
      'terms',
      'reason',
      'status',
      '__proto__',
    );
    const body = fc.oneof(
      fc.dictionary(field, nasty, { maxKeys: 5 }),
      fc.record(
        {
          bureauOrgId: fc.oneof(fc.constant(bureau.orgId), fc.uuid(), fc.string()),
          scopes: fc.array(fc.oneof(fc.constantFrom('view', 'apply', 'message'), fc.string()), {
            maxLength: 5,
          }),
          startsOn: fc.oneof(
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
            fc.string(),
          ),
          endsOn: fc.oneof(
            fc.constant(null),
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
            fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
          ),
          commission: fc.record(
            {
              basisPoints: fc.oneof(fc.integer(), fc.double()),
              terms: fc.oneof(fc.string(), fc.constant(null)),
            },
            { requiredKeys: [] },
          ),
        },
        { requiredKeys: [] },
      ),
      nasty,
    );
    const id = fc.oneof(
      fc.constant(m.id),
      fc.uuid(),
      fc.string({ maxLength: 60 }),
      fc.constantFrom('..%2F', '%00', 'null'),
    );
    const query = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom('limit=0', 'limit=101', 'limit=-1', 'cursor=', 'status=ACTIVE', 'cursor=e30'),
    );
    const routes: Array<[string, (id: string) => string]> = [
      ['POST', () => '/mandates'],
      ['GET', () => '/mandates'],
      ['GET', (i) => `/mandates/${i}`],
      ['PATCH', (i) => `/mandates/${i}`],
      ['POST', (i) => `/mandates/${i}/end`],
    ];
    for (const [method, path] of routes) {
      await fc.assert(
        fc.asyncProperty(
          body,
          id,
          query,
          fc.constantFrom(supplier, bureau),
          fc.constantFrom('application/json', 'text/plain'),
          async (b, i, q, who, contentType) => {
            const res = await h.app.inject({
              method: method as 'POST',
              url: `${path(encodeURIComponent(i))}?${encodeURIComponent(q).replace(/%3D/g, '=')}`,
              headers: { ...bearer(who.accessToken), 'content-type': contentType },
              ...(method === 'GET' ? {} : { payload: JSON.stringify(b) }),
            });
            expect(
              res.statusCode,
              `${method} ${path(i)} → ${res.statusCode} ${res.body.slice(0, 300)}`,
            ).toBeLessThan(500);
            if (res.statusCode >= 400) {
              expect(res.headers['content-type']).toContain('application/problem+json');
              expect(res.json<{ code: string }>().code).toMatch(/^[A-Z][A-Z0-9_]+$/);
            }
          },
        ),
        { numRuns: 60 },
      );
    }
  }, 120_000);
});

describe('OpenAPI', () => {
  it('documents the mandate routes', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/mandates', '/mandates/{mandateId}', '/mandates/{mandateId}/end']),
    );
  });
});

describe('repeated and concurrent grants', () => {
  it('answers a repeated Idempotency-Key with the first response, and lets only one of five racing grants through', async () => {
    const supplier = await signup(h.app, 'supplier');
    const bureau = await signup(h.app, 'bureau');
    const payload = { bureauOrgId: bureau.orgId, scopes: ['view'], commission: { basisPoints: 150 } };
    const send = () =>
      h.app.inject({
        method: 'POST',
        url: '/mandates',
        headers: { ...bearer(supplier.accessToken), 'idempotency-key': 'grant-1' },
        payload,
      });
    const first = await send();
    const replay = await send();
    expect(first.statusCode).toBe(201);
    expect(replay.statusCode).toBe(201);
    expect(replay.json<MandateBody>().id).toBe(first.json<MandateBody>().id);

    const other = await signup(h.app, 'bureau');
    const race = await Promise.all(
      Array.from({ length: 5 }, () =>
        grant(supplier, { bureauOrgId: other.orgId, scopes: ['apply'], commission: { basisPoints: 0 } }),
      ),
    );
    expect(race.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409]);
    const listed = (
      await h.app.inject({
        method: 'GET',
        url: '/mandates?status=active',
        headers: bearer(supplier.accessToken),
      })
    ).json<Page>();
    expect(listed.items).toHaveLength(2);
  });
});
