/** Requirements: who may post them, their state machine, its events, and who may read them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bracketsRfq } from './fixtures.js';
import { startMatching, tokenFor, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startMatching();
});
afterAll(async () => {
  await h?.close();
});

const post = (url: string, headers: Record<string, string>, payload?: object) =>
  h.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });
const get = (url: string, headers: Record<string, string>) => h.app.inject({ method: 'GET', url, headers });

describe('posting a requirement', () => {
  it('creates a draft for a buyer organisation', async () => {
    const buyer = h.org('buyer');
    const res = await post('/requirements', buyer.headers, bracketsRfq);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<{ id: string; state: string; buyerId: string; version: number; maxTier: number }>();
    expect(body).toMatchObject({ state: 'draft', buyerId: buyer.orgId, version: 1, maxTier: 2 });
  });

  it('refuses suppliers, bureaus and viewers', async () => {
    for (const [type, roles] of [
      ['supplier', ['owner']],
      ['bureau', ['owner']],
      ['buyer', ['viewer']],
    ] as const) {
      const res = await post('/requirements', h.org(type, [...roles]).headers, bracketsRfq);
      expect(res.statusCode, `${type} ${roles.join()}`).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await post('/requirements', {}, bracketsRfq)).statusCode).toBe(401);
  });

  it('rejects a past deadline, an unknown certificate, process or unit, in Spanish on request', async () => {
    const buyer = h.org('buyer');
    const cases: [object, string][] = [
      [{ deadline: '2020-01-01' }, 'MATCHING_INVALID_DEADLINE'],
      [{ deadline: '2031-02-30' }, 'MATCHING_INVALID_DEADLINE'],
      [{ mustHaveCertificates: [{ standardId: 'iso-0000' }] }, 'MATCHING_UNKNOWN_CERTIFICATE'],
      [{ capabilities: { scianCodes: [], processTags: ['telepathy'] } }, 'MATCHING_UNKNOWN_PROCESS_TAG'],
      [{ volume: { unit: 'bananas', amountPerMonth: 3 } }, 'MATCHING_UNKNOWN_UNIT'],
      [{ visibility: 'everyone' }, 'VALIDATION_FAILED'],
    ];
    for (const [patch, code] of cases) {
      const res = await post(
        '/requirements',
        { ...buyer.headers, 'accept-language': 'es-MX' },
        { ...bracketsRfq, ...patch },
      );
      expect(res.statusCode, JSON.stringify(patch)).toBe(400);
      expect(res.json<{ code: string }>().code).toBe(code);
    }
    const es = await post(
      '/requirements',
      { ...buyer.headers, 'accept-language': 'es-MX' },
      { ...bracketsRfq, deadline: '2020-01-01' },
    );
    expect(es.json<{ title: string }>().title).toMatch(/fecha límite/);
  });
});

describe('state machine', () => {
  const create = async (headers: Record<string, string>, over: object = {}) => {
    const res = await post('/requirements', headers, { ...bracketsRfq, ...over });
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string }>().id;
  };

  it('draft → open → closed → cancelled, each emitting its event through the outbox; anything else is a 409', async () => {
    const buyer = h.org('buyer');
    const id = await create(buyer.headers);
    expect((await post(`/requirements/${id}/close`, buyer.headers)).statusCode).toBe(409);
    const opened = await post(`/requirements/${id}/open`, buyer.headers);
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json()).toMatchObject({ state: 'open', version: 2 });
    expect((await post(`/requirements/${id}/open`, buyer.headers)).statusCode).toBe(409);
    expect((await post(`/requirements/${id}/close`, buyer.headers)).json()).toMatchObject({
      state: 'closed',
      version: 3,
    });
    const cancelled = await post(`/requirements/${id}/cancel`, buyer.headers);
    expect(cancelled.json()).toMatchObject({ state: 'cancelled', version: 4 });
    for (const action of ['open', 'close', 'cancel']) {
      const res = await post(`/requirements/${id}/${action}`, buyer.headers);
      expect(res.statusCode, action).toBe(409);
      expect(res.json<{ code: string }>().code).toBe('MATCHING_INVALID_TRANSITION');
    }
    const outbox = await h.database.db
      .selectFrom('outbox')
      .select(['type', 'subject', 'payload'])
      .orderBy('seq')
      .execute();
    const mine = outbox.filter((o) => (o.payload as { aggregate: { id: string } }).aggregate.id === id);
    expect(mine.map((o) => o.type)).toEqual([
      'matching.requirement.opened',
      'matching.requirement.closed',
      'matching.requirement.cancelled',
    ]);
    expect(mine[0]!.subject).toBe(`${h.namespace}.matching.requirement.opened`);
    expect(mine.map((o) => (o.payload as { aggregate: { version: number } }).aggregate.version)).toEqual([
      2, 3, 4,
    ]);
  });

  it('cancels a draft, and refuses to open a requirement whose deadline has passed', async () => {
    const buyer = h.org('buyer');
    const draft = await create(buyer.headers);
    expect((await post(`/requirements/${draft}/cancel`, buyer.headers)).json()).toMatchObject({
      state: 'cancelled',
    });
    const late = await create(buyer.headers);
    await h.database.db
      .updateTable('requirements')
      .set({ deadline: '2020-01-01' })
      .where('id', '=', late)
      .execute();
    const res = await post(`/requirements/${late}/open`, buyer.headers);
    expect(res.statusCode).toBe(409);
    expect(res.json<{ code: string }>().code).toBe('MATCHING_DEADLINE_PASSED');
  });

  it("answers 404 to another buyer's transitions and reads, and lets a viewer read but not act", async () => {
    const owner = h.org('buyer');
    const other = h.org('buyer');
    const id = await create(owner.headers, { visibility: 'invited' });
    expect((await post(`/requirements/${id}/open`, other.headers)).statusCode).toBe(404);
    expect((await get(`/requirements/${id}`, other.headers)).statusCode).toBe(404);
    const viewer = { ...owner, headers: h.org('buyer', ['viewer']).headers };
    expect((await post(`/requirements/${id}/open`, viewer.headers)).statusCode).toBe(404); // another org's viewer
    const ownViewer = tokenFor({ orgId: owner.orgId, orgType: 'buyer', roles: ['viewer'] });
    expect(
      (await post(`/requirements/${id}/open`, { authorization: `Bearer ${ownViewer}` })).statusCode,
    ).toBe(403);
    expect((await get(`/requirements/${id}`, { authorization: `Bearer ${ownViewer}` })).statusCode).toBe(200);
  });
});

describe('reading', () => {
  it('shows a public requirement to everyone only while it is open', async () => {
    const owner = h.org('buyer');
    const supplier = h.org('supplier');
    const id = (await post('/requirements', owner.headers, bracketsRfq)).json<{ id: string }>().id;
    expect((await get(`/requirements/${id}`, supplier.headers)).statusCode).toBe(404);
    await post(`/requirements/${id}/open`, owner.headers);
    expect((await get(`/requirements/${id}`, supplier.headers)).statusCode).toBe(200);
    await post(`/requirements/${id}/close`, owner.headers);
    expect((await get(`/requirements/${id}`, supplier.headers)).statusCode).toBe(404);
  });

  it("lists the buyer's own requirements newest first in stable cursor pages, filtered by state", async () => {
    const buyer = h.org('buyer');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        (await post('/requirements', buyer.headers, { ...bracketsRfq, title: `RFQ ${i}` })).json<{
          id: string;
        }>().id,
      );
    await post('/requirements', h.org('buyer').headers, bracketsRfq); // someone else's
    await post(`/requirements/${ids[1]}/open`, buyer.headers);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/requirements?limit=2${cursor ? `&cursor=${cursor}` : ''}`, buyer.headers);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<{ items: { id: string }[]; nextCursor: string | null }>();
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const open = (await get('/requirements?state=open', buyer.headers)).json<{ items: { id: string }[] }>();
    expect(open.items.map((r) => r.id)).toEqual([ids[1]]);
  });
});
