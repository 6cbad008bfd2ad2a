/**
 * Two replicas of matching on one database and one event namespace. Replica A runs the durable consumer
 * `matching-registry` (it applies every registry event) and the outbox relay; replica B runs no consumer, so its
 * index learns about registry changes and awarded deals only through its index follower.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamName, subject } from '@vinculo/contracts';
import { staticKeySource } from '@vinculo/service-kit/auth';
import { sql } from '@vinculo/service-kit/db';
import {
  connectNats,
  createOutboxRelay,
  jetstream,
  jetstreamManager,
  silentLogger,
  type OutboxRelay,
} from '@vinculo/service-kit/events';
import type { HttpServer } from '@vinculo/service-kit/http';
import { sharedUrls } from '@vinculo/testing';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createSupplierIndex, type SupplierIndex } from '../src/domain/supplier-index.js';
import {
  startIndexFollower,
  withSerialRefreshes,
  type IndexFollower,
  type IndexFollowerOptions,
} from '../src/events/index-follower.js';
import { REGISTRY_CONSUMER } from '../src/events/registry.consumer.js';
import {
  bracketsRfq,
  certificationSnapshot,
  eventually,
  registryEvent,
  supplierSnapshot,
} from './fixtures.js';
import { bearer, startMatching, tokenFor, type Harness } from './harness.js';

type Nats = Awaited<ReturnType<typeof connectNats>>;
type Headers = Record<string, string>;

let h: Harness; // replica A
let relay: OutboxRelay;
let followerA: IndexFollower;
// Replica B: its own NATS connection, index, follower, Redis client and app (with its own token key).
let ncB: Nats;
let redisB: Redis;
let indexB: SupplierIndex;
let followerB: IndexFollower | undefined;
let appB: HttpServer | undefined;
const followers: IndexFollower[] = [];

const keyB = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const buyer = { orgId: randomUUID() };
const asBuyerOnA = () => bearer(tokenFor({ orgId: buyer.orgId, orgType: 'buyer' }));
const asBuyerOnB = () => bearer(tokenFor({ orgId: buyer.orgId, orgType: 'buyer' }, { key: keyB.privateKey }));
const asSupplierOnA = (id: string) => bearer(tokenFor({ orgId: id, orgType: 'supplier' }));

async function follow(
  index: SupplierIndex,
  over: Partial<IndexFollowerOptions> = {},
  nc: Nats = ncB,
): Promise<IndexFollower> {
  const follower = await startIndexFollower({
    namespace: h.namespace,
    js: jetstream(nc),
    jsm: await jetstreamManager(nc),
    db: h.database.db,
    index,
    log: silentLogger,
    expiresMs: 2_000,
    ...over,
  });
  followers.push(follower);
  return follower;
}

/** The REGISTRY stream's last sequence once the durable consumer has applied and acked all of it. */
async function registryApplied(): Promise<number> {
  const jsm = await jetstreamManager(h.nc);
  const stream = streamName(h.namespace, 'registry');
  return eventually(async () => {
    const last = (await jsm.streams.info(stream)).state.last_seq;
    const acked = (await jsm.consumers.info(stream, REGISTRY_CONSUMER)).ack_floor.stream_seq;
    const row = await h.database.db
      .selectFrom('read_model_position')
      .select('stream_seq')
      .where('consumer', '=', REGISTRY_CONSUMER)
      .executeTakeFirst();
    return acked === last && row?.stream_seq === last ? last : undefined;
  });
}

async function openRequirement(): Promise<string> {
  const created = await h.app.inject({
    method: 'POST',
    url: '/requirements',
    headers: asBuyerOnA(),
    payload: bracketsRfq,
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json<{ id: string }>().id;
  const opened = await h.app.inject({
    method: 'POST',
    url: `/requirements/${id}/open`,
    headers: asBuyerOnA(),
  });
  expect(opened.statusCode, opened.body).toBe(200);
  return id;
}

interface Ranked {
  candidates: { supplierId: string; explanation: { criterion: string; note: string }[] }[];
  nearMisses: { supplierId: string }[];
}

async function matchesOn(app: HttpServer, headers: Headers, requirementId: string): Promise<Ranked> {
  const res = await app.inject({
    method: 'GET',
    url: `/requirements/${requirementId}/matches?limit=100`,
    headers,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Ranked>();
}

const matchesOnB = (requirementId: string) => matchesOn(appB!, asBuyerOnB(), requirementId);
const candidateIds = (r: Ranked) => r.candidates.map((c) => c.supplierId);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Registers a supplier, with a verified IATF 16949 certificate unless told otherwise. */
async function register(name: string, certified = true) {
  const s = supplierSnapshot({ name });
  await h.publish(
    registryEvent('registry.supplier.registered', { type: 'supplier', id: s.id, version: 1 }, s),
  );
  const cert = certificationSnapshot(s.id);
  if (certified)
    await h.publish(
      registryEvent('registry.certification.added', { type: 'certification', id: cert.id, version: 1 }, cert),
    );
  return { supplier: s, cert };
}

const early = { id: '' };

beforeAll(async () => {
  h = await startMatching();
  relay = createOutboxRelay({ db: h.database.db, js: jetstream(h.nc), log: silentLogger, pollMs: 50 });
  relay.start();
  // Replica A follows too (as main.ts wires it): with one replica the index is simply refreshed twice.
  followerA = await follow(h.index, {}, h.nc);
  ncB = await connectNats({ url: sharedUrls.nats(), name: 'matching-test-b', log: silentLogger });
  redisB = new Redis(sharedUrls.redis(), { maxRetriesPerRequest: 1 });
  // Applied before replica B boots.
  early.id = (await register('Aplicado antes del arranque de B')).supplier.id;
  await eventually(() => Promise.resolve(h.index.nameOf(early.id)));
});

afterAll(async () => {
  for (const f of followers) await f.stop();
  await appB?.close();
  await redisB?.quit();
  await ncB?.drain();
  await relay?.stop();
  await h?.close();
});

describe('index follower: every replica follows the streams', () => {
  it('starts a follower after events were applied at the stored position, without replaying the stream', async () => {
    const last = await registryApplied();
    expect(last).toBeGreaterThan(1);
    indexB = withSerialRefreshes(createSupplierIndex(h.database.db));
    followerB = await follow(indexB);
    expect(followerB.built.suppliers).toBe(1);
    expect(indexB.nameOf(early.id)).toBe('Aplicado antes del arranque de B');
    expect(followerB.stats().registry.startSeq).toBe(last + 1);
    await sleep(300);
    expect(followerB.stats().registry).toMatchObject({ read: 0, loops: 1 });

    appB = await buildApp({
      config: loadConfig({
        EVENT_NAMESPACE: h.namespace,
        REDIS_PREFIX: `test:${h.namespace}`,
        LOG_LEVEL: 'silent',
        API_RATE_LIMIT_PER_MINUTE: '100000',
      }),
      db: h.database.db,
      redis: redisB,
      keys: staticKeySource({ 'test-key': keyB.publicKey }),
      index: indexB,
      logger: { level: 'silent' },
      readiness: { postgres: () => h.database.ping() },
    });
    await appB.ready();
  });

  it('ranks on replica B a supplier whose certificate replica A applied, and drops it when revoked', async () => {
    const requirementId = await openRequirement();
    const { supplier, cert } = await register('Certificado en la réplica A', false);
    await eventually(() => Promise.resolve(indexB.nameOf(supplier.id)));
    // Uncertified: at best a near miss for an IATF 16949 must-have.
    expect(candidateIds(await matchesOnB(requirementId))).not.toContain(supplier.id);
    expect(candidateIds(await matchesOnB(requirementId))).toContain(early.id);

    await h.publish(
      registryEvent('registry.certification.added', { type: 'certification', id: cert.id, version: 1 }, cert),
    );
    await eventually(async () => candidateIds(await matchesOnB(requirementId)).includes(supplier.id));

    await h.publish(
      registryEvent(
        'registry.certification.revoked',
        { type: 'certification', id: cert.id, version: 2 },
        { ...cert, status: 'revoked', statusReason: 'suspendido por el organismo' },
      ),
    );
    await eventually(async () => !candidateIds(await matchesOnB(requirementId)).includes(supplier.id));
    // Replica A (the one that applied the events) agrees.
    expect(candidateIds(await matchesOn(h.app, asBuyerOnA(), requirementId))).not.toContain(supplier.id);
  });

  it('waits for the commit: an event seen before its delivery is applied refreshes once the read model has it', async () => {
    await h.consumer.stop();
    const { supplier } = await register('Visto antes de aplicarse');
    await eventually(() => Promise.resolve(followerB!.stats().waiting === 2));
    await sleep(300);
    // Nothing was committed: the index must not have loaded (and forgotten) the supplier.
    expect(followerB!.stats().waiting).toBe(2);
    expect(indexB.nameOf(supplier.id)).toBeUndefined();

    h.consumer.start();
    await eventually(() => Promise.resolve(indexB.nameOf(supplier.id)));
    await eventually(() => Promise.resolve(followerB!.stats().waiting === 0));
  });

  it('is not held up by a message that can never be applied', async () => {
    h.nc.publish(subject(h.namespace, 'registry.supplier.updated'), 'not json');
    await jetstream(h.nc).publish(subject(h.namespace, 'registry.supplier.updated'), '{"nope":true}');
    const { supplier } = await register('Después de un mensaje inválido');
    await eventually(() => Promise.resolve(indexB.nameOf(supplier.id)));
    expect(followerB!.stats().registry.invalid).toBeGreaterThanOrEqual(1);
    expect(followerB!.stats().waiting).toBe(0);
  });

  it('drops an event that never commits once the applied position has passed it', async () => {
    const indexC = createSupplierIndex(h.database.db);
    const followerC = await follow(indexC, { passedGraceMs: 300 });
    await h.consumer.stop();
    const lost = supplierSnapshot({ name: 'Nunca aplicado (aún)' });
    await h.publish(
      registryEvent('registry.supplier.registered', { type: 'supplier', id: lost.id, version: 1 }, lost),
    );
    await eventually(() => Promise.resolve(followerC.stats().waiting === 1));
    // Another replica applied a later event while this one was dead-lettered: the position moves past it.
    const seq = followerC.stats().registry.lastSeq;
    await sql`update read_model_position set stream_seq = ${seq} where consumer = ${REGISTRY_CONSUMER}`.execute(
      h.database.db,
    );
    await eventually(() => Promise.resolve(followerC.stats().waiting === 0));
    expect(followerC.stats().droppedUncommitted).toBe(1);
    expect(indexC.nameOf(lost.id)).toBeUndefined();

    // Applied after all (it was only delayed): replica B, still waiting with the default grace, picks it up.
    h.consumer.start();
    await eventually(() => Promise.resolve(indexB.nameOf(lost.id)));
  });

  it('keeps following when its ordered consumer is deleted under it', async () => {
    const jsm = await jetstreamManager(h.nc);
    const stream = streamName(h.namespace, 'registry');
    const loops = followerB!.stats().registry.loops;
    for await (const ci of jsm.consumers.list(stream)) {
      if (ci.name !== REGISTRY_CONSUMER) await jsm.consumers.delete(stream, ci.name);
    }
    const { supplier } = await register('Tras perder el consumidor');
    await eventually(() => Promise.resolve(indexB.nameOf(supplier.id)));
    expect(followerB!.stats().registry.loops).toBeGreaterThan(loops);
  });

  it("joins a deal awarded through replica A to the supplier's track record in replica B", async () => {
    const first = await openRequirement();
    const applied = await h.app.inject({
      method: 'POST',
      url: `/requirements/${first}/applications`,
      headers: asSupplierOnA(early.id),
      payload: { quote: { price: { amountMinor: 125_000_00, currency: 'MXN' }, leadTimeDays: 21 } },
    });
    expect(applied.statusCode, applied.body).toBe(201);
    const next = await openRequirement();
    const note = async (criterion: string) =>
      (await matchesOnB(next)).candidates
        .find((c) => c.supplierId === early.id)
        ?.explanation.find((e) => e.criterion === criterion)?.note;
    expect(await note('buyerHistory')).toBe('0 past contracts with this buyer');

    const awarded = await h.app.inject({
      method: 'POST',
      url: `/applications/${applied.json<{ id: string }>().id}/award`,
      headers: asBuyerOnA(),
      payload: {},
    });
    expect(awarded.statusCode, awarded.body).toBe(201);
    await eventually(async () => (await note('buyerHistory')) === '1 past contract with this buyer');
    expect(await note('trackRecord')).toBe('1 past contract');
    expect(followerB!.stats().deals.read).toBe(1);
    // Replica A learnt it twice (its award, then its own follower): the same record.
    await eventually(() => Promise.resolve(followerA.stats().deals.read === 1));
    expect(
      (await matchesOn(h.app, asBuyerOnA(), next)).candidates
        .find((c) => c.supplierId === early.id)
        ?.explanation.find((e) => e.criterion === 'trackRecord')?.note,
    ).toBe('1 past contract');
  });
});
