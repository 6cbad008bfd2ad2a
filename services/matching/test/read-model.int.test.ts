/** The read model follows the REGISTRY stream: each snapshot lands once, newest version wins, redelivery is skipped. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  certificationSnapshot,
  eventually,
  mandateSnapshot,
  orgSnapshot,
  registryEvent,
  supplierSnapshot,
} from './fixtures.js';
import { startEvents, type EventsHarness } from './harness.js';

let h: EventsHarness;
const changed: string[][] = [];

beforeAll(async () => {
  h = await startEvents({
    onSuppliersChanged: (ids) => {
      changed.push(ids);
      return Promise.resolve();
    },
  });
});
afterAll(async () => {
  await h?.close();
});

const db = () => h.database.db;

describe('read model', () => {
  it('applies organisation, supplier, certificate and mandate snapshots once each', async () => {
    const org = orgSnapshot();
    const bureau = orgSnapshot({ type: 'bureau', name: 'Bolsa de Subcontratación' });
    const supplier = supplierSnapshot({ id: org.id });
    const cert = certificationSnapshot(org.id);
    const mandate = mandateSnapshot(org.id, bureau.id);
    const events = [
      registryEvent('registry.org.created', { type: 'org', id: org.id, version: 1 }, org),
      registryEvent('registry.org.created', { type: 'org', id: bureau.id, version: 1 }, bureau),
      registryEvent('registry.supplier.registered', { type: 'supplier', id: org.id, version: 1 }, supplier),
      registryEvent('registry.certification.added', { type: 'certification', id: cert.id, version: 1 }, cert),
      registryEvent('registry.mandate.granted', { type: 'mandate', id: mandate.id, version: 1 }, mandate),
      registryEvent(
        'registry.member.added',
        { type: 'org', id: org.id, version: 2 },
        { orgId: org.id, userId: randomUUID(), role: 'member' },
      ),
    ];
    for (const e of events) await h.publish(e);

    const position = await eventually(() =>
      db()
        .selectFrom('read_model_position')
        .selectAll()
        .where('last_event_id', '=', events.at(-1)!.id)
        .executeTakeFirst(),
    );
    expect(position.events_applied).toBeGreaterThanOrEqual(events.length);
    // The first events on this file's REGISTRY stream: the position is the last one's stream sequence.
    expect(Number(position.stream_seq)).toBe(events.length);
    const orgs = await db()
      .selectFrom('organizations')
      .selectAll()
      .where('id', 'in', [org.id, bureau.id])
      .orderBy('name')
      .execute();
    expect(orgs.map((o) => [o.name, o.type, o.version])).toEqual([
      ['Bolsa de Subcontratación', 'bureau', 1],
      ['Empresa SA de CV', 'supplier', 1],
    ]);
    const s = await db()
      .selectFrom('suppliers')
      .selectAll()
      .where('id', '=', org.id)
      .executeTakeFirstOrThrow();
    expect(s.snapshot).toEqual(supplier);
    expect(s.version).toBe(1);
    const c = await db()
      .selectFrom('certificates')
      .selectAll()
      .where('id', '=', cert.id)
      .executeTakeFirstOrThrow();
    expect([c.supplier_id, c.snapshot.standardId, c.version]).toEqual([org.id, 'iatf-16949-2016', 1]);
    const m = await db()
      .selectFrom('mandates')
      .selectAll()
      .where('id', '=', mandate.id)
      .executeTakeFirstOrThrow();
    expect([m.supplier_id, m.bureau_id, m.snapshot.scopes]).toEqual([org.id, bureau.id, ['view', 'apply']]);
    const inbox = await db()
      .selectFrom('inbox')
      .select('event_id')
      .where(
        'event_id',
        'in',
        events.map((e) => e.id),
      )
      .execute();
    expect(inbox).toHaveLength(events.length);
    // The supplier and its certificate each asked for an index refresh, after commit.
    expect(changed.flat()).toEqual(expect.arrayContaining([org.id]));
  });

  it('ignores an older version that arrives after a newer one', async () => {
    const supplier = supplierSnapshot();
    const v3 = registryEvent(
      'registry.supplier.updated',
      { type: 'supplier', id: supplier.id, version: 3 },
      { ...supplier, name: 'Versión 3' },
    );
    const v2 = registryEvent(
      'registry.supplier.updated',
      { type: 'supplier', id: supplier.id, version: 2 },
      { ...supplier, name: 'Versión 2' },
    );
    await h.publish(v3);
    await h.publish(v2);
    await eventually(() =>
      db().selectFrom('inbox').select('event_id').where('event_id', '=', v2.id).executeTakeFirst(),
    );
    const row = await db()
      .selectFrom('suppliers')
      .selectAll()
      .where('id', '=', supplier.id)
      .executeTakeFirstOrThrow();
    expect([row.version, row.snapshot.name]).toEqual([3, 'Versión 3']);

    const cert = certificationSnapshot(supplier.id);
    const expired = registryEvent(
      'registry.certification.expired',
      { type: 'certification', id: cert.id, version: 2 },
      { ...cert, status: 'expired' },
    );
    const added = registryEvent(
      'registry.certification.added',
      { type: 'certification', id: cert.id, version: 1 },
      cert,
    );
    await h.publish(expired);
    await h.publish(added);
    await eventually(() =>
      db().selectFrom('inbox').select('event_id').where('event_id', '=', added.id).executeTakeFirst(),
    );
    const c = await db()
      .selectFrom('certificates')
      .selectAll()
      .where('id', '=', cert.id)
      .executeTakeFirstOrThrow();
    expect([c.version, c.snapshot.status]).toEqual([2, 'expired']);
  });

  it('skips a redelivered event (same event id, past the stream duplicate window)', async () => {
    const org = orgSnapshot({ name: 'Primera' });
    const created = registryEvent('registry.org.created', { type: 'org', id: org.id, version: 1 }, org);
    await h.publish(created);
    await eventually(() =>
      db().selectFrom('organizations').select('id').where('id', '=', org.id).executeTakeFirst(),
    );
    const before = h.consumer.stats();
    // A different Nats-Msg-Id gets past JetStream's dedupe, as a re-publish after the window would.
    await h.publish(created, `${created.id}-again`);
    await eventually(() => Promise.resolve(h.consumer.stats().duplicates > before.duplicates));
    expect(h.consumer.stats().applied).toBe(before.applied);
    const inbox = await db()
      .selectFrom('inbox')
      .select('event_id')
      .where('event_id', '=', created.id)
      .execute();
    expect(inbox).toHaveLength(1);
  });

  it('dead-letters an envelope that does not match its contract and keeps going', async () => {
    const org = orgSnapshot();
    const bad = {
      ...registryEvent('registry.org.created', { type: 'org', id: org.id, version: 1 }, org),
      data: { id: 'not-a-uuid' },
    };
    const good = registryEvent('registry.org.created', { type: 'org', id: org.id, version: 1 }, org);
    const before = h.consumer.stats();
    await h.publish(bad, `${bad.id}-bad`);
    await h.publish(good, `${good.id}-good`);
    await eventually(() =>
      db().selectFrom('organizations').select('id').where('id', '=', org.id).executeTakeFirst(),
    );
    expect(h.consumer.stats().deadLettered).toBe(before.deadLettered + 1);
  });
});
