/** The in-memory index: built from the read model at boot, then refreshed after each applied registry event. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineRequirement } from '@vinculo/matching-engine';
import { createSupplierIndex, type SupplierIndex } from '../src/domain/supplier-index.js';
import { certificationSnapshot, eventually, registryEvent, supplierSnapshot } from './fixtures.js';
import { startEvents, type EventsHarness } from './harness.js';

let h: EventsHarness;
let index: SupplierIndex;

const seeded = supplierSnapshot({ name: 'Sembrado antes del arranque' });

beforeAll(async () => {
  const late: { index?: SupplierIndex } = {};
  h = await startEvents({ onSuppliersChanged: (ids) => late.index?.refresh(ids) ?? Promise.resolve() });
  // A row already in the read model before boot (as after a restart).
  await h.database.db
    .insertInto('suppliers')
    .values({ id: seeded.id, snapshot: JSON.stringify(seeded), version: 1 })
    .execute();
  index = createSupplierIndex(h.database.db);
  late.index = index;
});
afterAll(async () => {
  await h?.close();
});

const requirement: EngineRequirement = {
  title: 'Soportes de aluminio maquinados CNC',
  description: 'Soportes de aluminio',
  items: [],
  capabilities: { scianCodes: [], processTags: ['cnc-machining'] },
  mustHaveCertificates: [{ standardId: 'iatf-16949-2016' }],
  niceToHaveCertificates: [],
  evaluationDate: '2026-01-15',
};

describe('supplier index', () => {
  it('is built from the read model at boot', async () => {
    const built = await index.build();
    expect(built.suppliers).toBe(1);
    expect(index.nameOf(seeded.id)).toBe('Sembrado antes del arranque');
  });

  it('follows registry events: a new supplier and its certificate become matchable once committed', async () => {
    const supplier = supplierSnapshot({ name: 'Llega por eventos' });
    const cert = certificationSnapshot(supplier.id);
    // Certificate first: the supplier is not indexed until its profile arrives.
    await h.publish(
      registryEvent('registry.certification.added', { type: 'certification', id: cert.id, version: 1 }, cert),
    );
    await h.publish(
      registryEvent(
        'registry.supplier.registered',
        { type: 'supplier', id: supplier.id, version: 1 },
        supplier,
      ),
    );
    await eventually(() => Promise.resolve(index.nameOf(supplier.id)));
    const result = index.match(requirement, { limit: 10 });
    expect(result.candidates.map((c) => c.supplierId)).toContain(supplier.id);
    // The seeded supplier has no IATF certificate: at best a near miss.
    expect(result.candidates.map((c) => c.supplierId)).not.toContain(seeded.id);

    await h.publish(
      registryEvent(
        'registry.supplier.updated',
        { type: 'supplier', id: supplier.id, version: 2 },
        { ...supplier, name: 'Renombrado' },
      ),
    );
    await eventually(() => Promise.resolve(index.nameOf(supplier.id) === 'Renombrado'));
    expect(index.size).toBe(2);
  });

  it('keeps a ranked result for a cache key only while no supplier changes', async () => {
    const first = index.match(requirement, { limit: 10 }, 'req-1');
    expect(index.match(requirement, { limit: 10 }, 'req-1')).toBe(first);
    expect(index.match(requirement, { limit: 10 })).not.toBe(first);

    const newcomer = supplierSnapshot({ name: 'Recién certificado' });
    const cert = certificationSnapshot(newcomer.id);
    await h.publish(
      registryEvent('registry.certification.added', { type: 'certification', id: cert.id, version: 1 }, cert),
    );
    await h.publish(
      registryEvent(
        'registry.supplier.registered',
        { type: 'supplier', id: newcomer.id, version: 1 },
        newcomer,
      ),
    );
    await eventually(() => Promise.resolve(index.nameOf(newcomer.id)));
    const after = index.match(requirement, { limit: 10 }, 'req-1');
    expect(after).not.toBe(first);
    expect(after.candidates.map((c) => c.supplierId)).toContain(newcomer.id);
    expect(first.candidates.map((c) => c.supplierId)).not.toContain(newcomer.id);

    await index.build();
    expect(index.match(requirement, { limit: 10 }, 'req-1')).not.toBe(after);
  });
});
