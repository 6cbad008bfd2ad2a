/** Invitations, applications, the shortlist, awards and deals: their rules, events and the track record. */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { validateAnyEvent, type MandateSnapshot } from '@vinculo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commissionOf } from '../src/domain/deals.js';
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
beforeAll(async () => {
  h = await startMatching();
});
afterAll(async () => {
  await h?.close();
});

type Headers = Record<string, string>;
const post = (url: string, headers: Headers, payload?: object) =>
  h.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });
const get = (url: string, headers: Headers) => h.app.inject({ method: 'GET', url, headers });
const as = (orgId: string, orgType: 'buyer' | 'supplier' | 'bureau', roles?: string[]) =>
  bearer(tokenFor({ orgId, orgType, ...(roles ? { roles } : {}) }));

/** A supplier in the read model (profile + a valid IATF 16949 certificate), through registry events. */
async function supplier(name = 'Maquinados del Bajío'): Promise<{ id: string; headers: Headers }> {
  const s = supplierSnapshot({ name });
  await h.publish(
    registryEvent('registry.supplier.registered', { type: 'supplier', id: s.id, version: 1 }, s),
  );
  const c = certificationSnapshot(s.id);
  await h.publish(
    registryEvent('registry.certification.added', { type: 'certification', id: c.id, version: 1 }, c),
  );
  await eventually(() => Promise.resolve(h.index.nameOf(s.id) !== undefined));
  return { id: s.id, headers: as(s.id, 'supplier') };
}

async function mandate(supplierId: string, bureauId: string, over: Partial<MandateSnapshot> = {}) {
  const m = mandateSnapshot(supplierId, bureauId, over);
  await h.publish(registryEvent('registry.mandate.granted', { type: 'mandate', id: m.id, version: 1 }, m));
  await eventually(async () =>
    h.database.db.selectFrom('mandates').select('id').where('id', '=', m.id).executeTakeFirst(),
  );
  return m;
}

async function openRequirement(buyer: Headers, over: object = {}): Promise<string> {
  const res = await post('/requirements', buyer, { ...bracketsRfq, ...over });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json<{ id: string }>().id;
  expect((await post(`/requirements/${id}/open`, buyer)).statusCode).toBe(200);
  return id;
}

const quote = (amountMinor = 125_000_00) => ({
  price: { amountMinor, currency: 'MXN' },
  leadTimeDays: 21,
  notes: 'PPAP nivel 3 incluido',
  attachments: [
    { kind: 'document', id: randomUUID(), name: 'Cotización.pdf' },
    { kind: 'url', url: 'https://example.mx/plano-soporte.pdf' },
  ],
});

async function outboxFor(aggregateId: string) {
  const rows = await h.database.db.selectFrom('outbox').select(['type', 'payload']).orderBy('seq').execute();
  return rows
    .map(
      (r) =>
        r.payload as {
          type: string;
          aggregate: { id: string; version: number };
          data: Record<string, unknown>;
        },
    )
    .filter((p) => p.aggregate.id === aggregateId || p.data.requirementId === aggregateId);
}

describe('invitations', () => {
  it('makes an invited-only requirement visible to the invited supplier, once, and announces it', async () => {
    const buyer = h.org('buyer');
    const s = await supplier();
    const id = await openRequirement(buyer.headers, { visibility: 'invited' });

    const before = await post(`/requirements/${id}/applications`, s.headers, { quote: quote() });
    expect(before.statusCode, before.body).toBe(404);
    expect((await get(`/requirements/${id}`, s.headers)).statusCode).toBe(404);

    const invited = await post(`/requirements/${id}/invitations`, buyer.headers, {
      supplierId: s.id,
      message: 'Nos interesa su cotización',
    });
    expect(invited.statusCode, invited.body).toBe(201);
    expect(invited.json()).toMatchObject({ requirementId: id, supplierId: s.id, buyerId: buyer.orgId });
    const again = await post(`/requirements/${id}/invitations`, buyer.headers, { supplierId: s.id });
    expect(again.json<{ code: string }>().code).toBe('MATCHING_ALREADY_INVITED');
    const unknown = await post(`/requirements/${id}/invitations`, buyer.headers, {
      supplierId: randomUUID(),
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<{ code: string }>().code).toBe('MATCHING_UNKNOWN_SUPPLIER');

    const list = await get(`/requirements/${id}/invitations`, buyer.headers);
    expect(list.json<{ items: { supplierId: string }[] }>().items.map((i) => i.supplierId)).toEqual([s.id]);
    // The invitation lets the supplier read the requirement it is asked to quote; nobody else gains sight of it.
    expect((await get(`/requirements/${id}`, s.headers)).statusCode).toBe(200);
    expect((await get(`/requirements/${id}`, (await supplier()).headers)).statusCode).toBe(404);

    const applied = await post(`/requirements/${id}/applications`, s.headers, { quote: quote() });
    expect(applied.statusCode, applied.body).toBe(201);
    expect(applied.json()).toMatchObject({
      state: 'submitted',
      supplierId: s.id,
      bureauId: null,
      quote: { price: { amountMinor: 125_000_00, currency: 'MXN' }, leadTimeDays: 21 },
    });

    const events = await outboxFor(id);
    expect(events.map((e) => e.type)).toEqual([
      'matching.requirement.opened',
      'matching.invitation.sent',
      'matching.application.submitted',
    ]);
  });

  it('needs an open requirement of the caller; a viewer may not invite', async () => {
    const buyer = h.org('buyer');
    const s = await supplier();
    const draft = await post('/requirements', buyer.headers, bracketsRfq);
    const draftId = draft.json<{ id: string }>().id;
    const res = await post(`/requirements/${draftId}/invitations`, buyer.headers, { supplierId: s.id });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ code: string }>().code).toBe('MATCHING_REQUIREMENT_NOT_OPEN');
    const id = await openRequirement(buyer.headers);
    expect(
      (
        await post(`/requirements/${id}/invitations`, as(buyer.orgId, 'buyer', ['viewer']), {
          supplierId: s.id,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await post(`/requirements/${id}/invitations`, h.org('buyer').headers, { supplierId: s.id }))
        .statusCode,
    ).toBe(404);
  });
});

describe('applications', () => {
  it('keeps one live application per supplier; withdrawing announces it and frees the supplier to apply again', async () => {
    const buyer = h.org('buyer');
    const s = await supplier();
    const id = await openRequirement(buyer.headers);
    const first = await post(`/requirements/${id}/applications`, s.headers, { quote: quote() });
    expect(first.statusCode, first.body).toBe(201);
    const appId = first.json<{ id: string }>().id;
    const dup = await post(`/requirements/${id}/applications`, s.headers, { quote: quote(1) });
    expect(dup.json<{ code: string }>().code).toBe('MATCHING_ALREADY_APPLIED');

    // The buyer sees it but may not withdraw it; nobody else sees it at all.
    expect((await get(`/applications/${appId}`, buyer.headers)).statusCode).toBe(200);
    expect((await post(`/applications/${appId}/withdraw`, buyer.headers)).statusCode).toBe(404);
    expect((await get(`/applications/${appId}`, h.org('supplier').headers)).statusCode).toBe(404);

    const withdrawn = await post(`/applications/${appId}/withdraw`, s.headers);
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json()).toMatchObject({ state: 'withdrawn', version: 2 });
    expect(withdrawn.json<{ withdrawnAt: string | null }>().withdrawnAt).not.toBeNull();
    const twice = await post(`/applications/${appId}/withdraw`, s.headers);
    expect(twice.json<{ code: string }>().code).toBe('MATCHING_INVALID_APPLICATION_TRANSITION');

    const again = await post(`/requirements/${id}/applications`, s.headers, { quote: quote(99_000_00) });
    expect(again.statusCode, again.body).toBe(201);
    const mine = await get(`/applications?requirementId=${id}`, s.headers);
    expect(mine.json<{ items: { state: string }[] }>().items.map((a) => a.state)).toEqual([
      'submitted',
      'withdrawn',
    ]);
    const types = (await outboxFor(id)).map((e) => e.type);
    expect(types.filter((t) => t.startsWith('matching.application'))).toEqual([
      'matching.application.submitted',
      'matching.application.withdrawn',
      'matching.application.submitted',
    ]);
  });

  it('honours Idempotency-Key: the same key and body answer the first application again', async () => {
    const buyer = h.org('buyer');
    const s = await supplier();
    const id = await openRequirement(buyer.headers);
    const headers = { ...s.headers, 'idempotency-key': `apply-${randomUUID()}` };
    const body = { quote: quote() };
    const a = await post(`/requirements/${id}/applications`, headers, body);
    const b = await post(`/requirements/${id}/applications`, headers, body);
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.json<{ id: string }>().id).toBe(a.json<{ id: string }>().id);
    const other = await post(`/requirements/${id}/applications`, headers, { quote: quote(1) });
    expect(other.json<{ code: string }>().code).toBe('IDEMPOTENCY_KEY_REUSED');
    const rows = await h.database.db
      .selectFrom('applications')
      .select('id')
      .where('requirement_id', '=', id)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('lets a bureau apply only for a member under an active mandate with the apply scope', async () => {
    const buyer = h.org('buyer');
    const s = await supplier();
    const id = await openRequirement(buyer.headers);
    const applyBureau = h.org('bureau');
    const viewBureau = h.org('bureau');
    const endedBureau = h.org('bureau');
    await mandate(s.id, applyBureau.orgId, { scopes: ['view', 'apply'], commissionBasisPoints: 300 });
    await mandate(s.id, viewBureau.orgId, { scopes: ['view'] });
    await mandate(s.id, endedBureau.orgId, { endsOn: '2025-06-30' });

    const noSupplier = await post(`/requirements/${id}/applications`, applyBureau.headers, {
      quote: quote(),
    });
    expect(noSupplier.json<{ code: string }>().code).toBe('MATCHING_SUPPLIER_ID_REQUIRED');
    const viewOnly = await post(`/requirements/${id}/applications`, viewBureau.headers, {
      supplierId: s.id,
      quote: quote(),
    });
    expect(viewOnly.statusCode).toBe(403);
    expect(viewOnly.json<{ code: string }>().code).toBe('MATCHING_MANDATE_SCOPE_MISSING');
    const ended = await post(`/requirements/${id}/applications`, endedBureau.headers, {
      supplierId: s.id,
      quote: quote(),
    });
    expect(ended.statusCode).toBe(404);
    const stranger = await post(`/requirements/${id}/applications`, h.org('bureau').headers, {
      supplierId: s.id,
      quote: quote(),
    });
    expect(stranger.statusCode).toBe(404);
    const buyerTries = await post(`/requirements/${id}/applications`, buyer.headers, { quote: quote() });
    expect(buyerTries.json<{ code: string }>().code).toBe('MATCHING_APPLICANTS_ONLY');
    const viewerTries = await post(`/requirements/${id}/applications`, as(s.id, 'supplier', ['viewer']), {
      quote: quote(),
    });
    expect(viewerTries.statusCode).toBe(403);

    const ok = await post(`/requirements/${id}/applications`, applyBureau.headers, {
      supplierId: s.id,
      quote: quote(),
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ supplierId: s.id, bureauId: applyBureau.orgId });
    const appId = ok.json<{ id: string }>().id;
    // The applicant supplier and the applying bureau see it; the view-only bureau does not.
    expect((await get(`/applications/${appId}`, s.headers)).statusCode).toBe(200);
    expect((await get(`/applications/${appId}`, applyBureau.headers)).statusCode).toBe(200);
    expect((await get(`/applications/${appId}`, viewBureau.headers)).statusCode).toBe(404);
    expect(
      (await get('/applications', applyBureau.headers))
        .json<{ items: { id: string }[] }>()
        .items.map((a) => a.id),
    ).toEqual([appId]);
    expect((await get('/applications', viewBureau.headers)).json<{ items: unknown[] }>().items).toEqual([]);
  });

  it("applies the 'bureaus' visibility: only suppliers reachable through a bureau mandate see it", async () => {
    const buyer = h.org('buyer');
    const member = await supplier();
    const loner = await supplier();
    const bureau = h.org('bureau');
    await mandate(member.id, bureau.orgId, { scopes: ['view'] });
    const id = await openRequirement(buyer.headers, { visibility: 'bureaus' });
    expect((await get(`/requirements/${id}`, member.headers)).statusCode).toBe(200);
    expect((await get(`/requirements/${id}`, bureau.headers)).statusCode).toBe(200);
    expect((await get(`/requirements/${id}`, loner.headers)).statusCode).toBe(404);
    expect((await get(`/requirements/${id}`, h.org('buyer').headers)).statusCode).toBe(404);
    expect(
      (await post(`/requirements/${id}/applications`, loner.headers, { quote: quote() })).statusCode,
    ).toBe(404);
    const res = await post(`/requirements/${id}/applications`, member.headers, { quote: quote() });
    expect(res.statusCode, res.body).toBe(201);
    // Closed requirements take no applications.
    expect((await post(`/requirements/${id}/close`, buyer.headers)).statusCode).toBe(200);
    expect(
      (await post(`/requirements/${id}/applications`, loner.headers, { quote: quote() })).statusCode,
    ).toBe(404);
  });
});

describe('shortlist, award and deal', () => {
  it('awards a brokered application: deal with the mandate commission, requirement awarded, others rejected, events together', async () => {
    const buyer = h.org('buyer');
    const brokered = await supplier('Troqueles Querétaro');
    const direct = await supplier('Fundiciones del Norte');
    const bureau = h.org('bureau');
    await mandate(brokered.id, bureau.orgId, { scopes: ['view', 'apply'], commissionBasisPoints: 250 });
    const id = await openRequirement(buyer.headers);
    const viaBureau = await post(`/requirements/${id}/applications`, bureau.headers, {
      supplierId: brokered.id,
      quote: quote(1_000_001_00),
    });
    expect(viaBureau.statusCode, viaBureau.body).toBe(201);
    const winner = viaBureau.json<{ id: string }>().id;
    const other = (await post(`/requirements/${id}/applications`, direct.headers, { quote: quote() })).json<{
      id: string;
    }>().id;

    const listed = await get(`/requirements/${id}/applications`, buyer.headers);
    expect(listed.json<{ items: unknown[] }>().items).toHaveLength(2);
    expect((await get(`/requirements/${id}/applications`, direct.headers)).statusCode).toBe(404);

    const shortlisted = await post(`/applications/${winner}/shortlist`, buyer.headers);
    expect(shortlisted.statusCode, shortlisted.body).toBe(200);
    expect(shortlisted.json()).toMatchObject({ state: 'shortlisted' });
    expect((await post(`/applications/${winner}/shortlist`, buyer.headers)).statusCode).toBe(409);
    expect((await post(`/applications/${winner}/shortlist`, bureau.headers)).statusCode).toBe(404);
    expect((await post(`/applications/${other}/shortlist`, buyer.headers)).statusCode).toBe(200);
    expect((await post(`/applications/${other}/unshortlist`, buyer.headers)).json()).toMatchObject({
      state: 'submitted',
    });
    // The buyer's viewers read but do not award.
    expect(
      (await post(`/applications/${winner}/award`, as(buyer.orgId, 'buyer', ['viewer']), {})).statusCode,
    ).toBe(403);

    const awarded = await post(`/applications/${winner}/award`, buyer.headers, {
      value: { amountMinor: 1_000_001_01, currency: 'MXN' },
      startsOn: '2031-01-15',
    });
    expect(awarded.statusCode, awarded.body).toBe(201);
    const deal = awarded.json<{ id: string }>();
    expect(deal).toMatchObject({
      requirementId: id,
      applicationId: winner,
      buyerId: buyer.orgId,
      supplierId: brokered.id,
      bureauId: bureau.orgId,
      value: { amountMinor: 1_000_001_01, currency: 'MXN' },
      // 2.5 % of 1,000,001.01 MXN = 25,000.02525 → 25,000.03 (half up on the centavo).
      commission: { basisPoints: 250, amount: { amountMinor: 2_500_003, currency: 'MXN' } },
      tier: 2,
      startsOn: '2031-01-15',
      scianCodes: ['332710'],
    });

    expect((await get(`/requirements/${id}`, buyer.headers)).json()).toMatchObject({ state: 'awarded' });
    expect((await get(`/applications/${other}`, direct.headers)).json()).toMatchObject({ state: 'rejected' });
    expect((await get(`/applications/${winner}`, brokered.headers)).json()).toMatchObject({
      state: 'awarded',
    });
    const second = await post(`/applications/${other}/award`, buyer.headers, {});
    expect(second.statusCode).toBe(409);
    expect(
      (await post(`/applications/${winner}/unshortlist`, buyer.headers)).json<{ code: string }>().code,
    ).toBe('MATCHING_REQUIREMENT_NOT_OPEN');
    expect((await post(`/requirements/${id}/close`, buyer.headers)).statusCode).toBe(409);

    // Every party sees the deal (the bureau its commission); nobody else does.
    for (const party of [buyer.headers, brokered.headers, bureau.headers]) {
      expect((await get(`/deals/${deal.id}`, party)).statusCode).toBe(200);
      expect((await get('/deals', party)).json<{ items: { id: string }[] }>().items.map((d) => d.id)).toEqual(
        [deal.id],
      );
    }
    expect((await get(`/deals/${deal.id}`, direct.headers)).statusCode).toBe(404);
    expect((await get('/deals', direct.headers)).json<{ items: unknown[] }>().items).toEqual([]);

    const events = await outboxFor(id);
    expect(events.map((e) => e.type)).toEqual([
      'matching.requirement.opened',
      'matching.application.submitted',
      'matching.application.submitted',
      'matching.shortlist.changed',
      'matching.shortlist.changed',
      'matching.shortlist.changed',
      'matching.requirement.awarded',
      'matching.deal.awarded',
    ]);
    const shortlistData = events.filter((e) => e.type === 'matching.shortlist.changed').map((e) => e.data);
    expect(shortlistData.map((d) => [d.change, (d.shortlist as string[]).length])).toEqual([
      ['added', 1],
      ['added', 2],
      ['removed', 1],
    ]);
    const awardedReq = events.find((e) => e.type === 'matching.requirement.awarded')!;
    expect(awardedReq.aggregate.version).toBe(3);
    expect(awardedReq.data.state).toBe('awarded');
  });

  it('awards a closed requirement at the quoted price, without commission when the supplier applied itself', async () => {
    const buyer = h.org('buyer');
    const s = await supplier();
    const id = await openRequirement(buyer.headers);
    const app = (
      await post(`/requirements/${id}/applications`, s.headers, { quote: quote(50_000_00) })
    ).json<{
      id: string;
    }>();
    // Closing stops new applications; the buyer still compares and awards the ones it has.
    expect((await post(`/requirements/${id}/close`, buyer.headers)).statusCode).toBe(200);
    const res = await post(`/applications/${app.id}/award`, buyer.headers, {});
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      value: { amountMinor: 50_000_00, currency: 'MXN' },
      bureauId: null,
      commission: null,
      tier: 2,
    });
    const row = await h.database.db
      .selectFrom('requirements')
      .select(['state', 'version'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ state: 'awarded', version: 4 });
  });

  it("joins the deal to the supplier's track record: the buyer's next match credits it", async () => {
    const buyer = h.org('buyer');
    await h.publish(
      registryEvent(
        'registry.org.created',
        { type: 'org', id: buyer.orgId, version: 1 },
        {
          id: buyer.orgId,
          name: 'Asientos Globales de México',
          type: 'buyer',
          country: 'MX',
          createdAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
        },
      ),
    );
    const s = await supplier();
    const note = async (requirementId: string, criterion: string) => {
      const res = await get(`/requirements/${requirementId}/matches?limit=100`, buyer.headers);
      expect(res.statusCode, res.body).toBe(200);
      const c = res
        .json<{ candidates: { supplierId: string; explanation: { criterion: string; note: string }[] }[] }>()
        .candidates.find((x) => x.supplierId === s.id);
      return c?.explanation.find((e) => e.criterion === criterion)?.note;
    };
    const first = await openRequirement(buyer.headers);
    expect(await note(first, 'buyerHistory')).toBe('0 past contracts with this buyer');
    const app = (await post(`/requirements/${first}/applications`, s.headers, { quote: quote() })).json<{
      id: string;
    }>();
    expect((await post(`/applications/${app.id}/award`, buyer.headers, {})).statusCode).toBe(201);

    const next = await openRequirement(buyer.headers);
    expect(await note(next, 'buyerHistory')).toBe('1 past contract with this buyer');
    expect(await note(next, 'trackRecord')).toBe('1 past contract');
    // A rebuild from the read model (a restart) keeps it.
    await h.index.build();
    expect(await note(next, 'trackRecord')).toBe('1 past contract');
  });
});

describe('bad input from the parties themselves', () => {
  it('never answers a 5xx to valid-shaped quotes and awards at their limits; amounts stay exact', async () => {
    const buyer = h.org('buyer');
    const s = await supplier();
    const bureau = h.org('bureau');
    await mandate(s.id, bureau.orgId, { scopes: ['view', 'apply'], commissionBasisPoints: 10_000 });
    const money = fc.record({
      amountMinor: fc.oneof(fc.constantFrom(0, 1, 1e15), fc.integer({ min: 0, max: 2 ** 31 })),
      currency: fc.constantFrom('MXN', 'USD', 'EUR', 'XXX'),
    });
    const attachment = fc.oneof(
      fc.record({
        kind: fc.constant('document'),
        id: fc.uuid(),
        name: fc.string({ minLength: 1, maxLength: 200 }),
      }),
      fc.record({ kind: fc.constant('url'), url: fc.webUrl().map((u) => u.replace(/^https?:/, 'https:')) }),
    );
    const body = fc.record({
      quote: fc.record({
        price: money,
        leadTimeDays: fc.integer({ min: 0, max: 3_650 }),
        notes: fc.option(fc.string({ maxLength: 500 })),
        attachments: fc.array(attachment, { maxLength: 3 }),
      }),
    });
    let awarded = 0;
    await fc.assert(
      fc.asyncProperty(body, money, fc.boolean(), async (b, value, viaBureau) => {
        const id = await openRequirement(buyer.headers);
        const applied = await post(
          `/requirements/${id}/applications`,
          viaBureau ? bureau.headers : s.headers,
          viaBureau ? { ...b, supplierId: s.id } : b,
        );
        if (applied.statusCode !== 201) {
          expect(applied.statusCode, applied.body).toBeLessThan(500);
          return;
        }
        const res = await post(`/applications/${applied.json<{ id: string }>().id}/award`, buyer.headers, {
          value,
        });
        expect(res.statusCode, res.body).toBe(201);
        const deal = res.json<{
          value: { amountMinor: number };
          commission: { amount: { amountMinor: number } } | null;
        }>();
        expect(deal.value.amountMinor).toBe(value.amountMinor);
        // 100 % commission (10 000 basis points) is the value itself, to the centavo.
        expect(deal.commission?.amount.amountMinor ?? null).toBe(viaBureau ? value.amountMinor : null);
        awarded += 1;
      }),
      { numRuns: 25 },
    );
    // Valid-shaped bodies are valid: most runs reach the award (a property that never awards proves little).
    expect(awarded).toBeGreaterThan(15);
  });

  it('computes commissions exactly, half up on the minor unit', () => {
    expect(commissionOf(1_000_001_01, 250)).toBe(2_500_003);
    expect(commissionOf(199, 250)).toBe(5); // 4.975 → 5
    expect(commissionOf(1e15, 9_999)).toBe(999_900_000_000_000);
    expect(commissionOf(0, 10_000)).toBe(0);
  });
});

describe('events', () => {
  it('writes only events that validate against the contracts', async () => {
    const rows = await h.database.db.selectFrom('outbox').select(['type', 'payload']).execute();
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) {
      const checked = validateAnyEvent(r.payload);
      expect(checked.ok, `${r.type}: ${checked.ok ? '' : checked.errors.join('; ')}`).toBe(true);
    }
  });
});
