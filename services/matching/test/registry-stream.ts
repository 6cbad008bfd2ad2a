/**
 * A realistic stream of registry events for replay and durability tests: organisations, supplier profiles and
 * their edits, certificates added, verified and revoked, bureau mandates granted and revoked, member events
 * (recorded and ignored), and stale snapshots (an older version published after a newer one).
 */
import { randomUUID } from 'node:crypto';
import type { AnyEvent } from '@vinculo/contracts';
import {
  certificationSnapshot,
  mandateSnapshot,
  orgSnapshot,
  registryEvent,
  supplierSnapshot,
} from './fixtures.js';

const STANDARDS = ['iatf-16949-2016', 'iso-9001-2015', 'as9100-d', 'iso-14001-2015'];

export function registryStream(suppliers: number): AnyEvent[] {
  const events: AnyEvent[] = [];
  const bureau = orgSnapshot({ type: 'bureau', name: 'Bolsa de Subcontratación del Bajío' });
  events.push(registryEvent('registry.org.created', { type: 'org', id: bureau.id, version: 1 }, bureau));
  for (let i = 0; i < suppliers; i++) {
    const org = orgSnapshot({ name: `Proveedor ${i} SA de CV` });
    events.push(registryEvent('registry.org.created', { type: 'org', id: org.id, version: 1 }, org));
    const profile = supplierSnapshot({ id: org.id, name: org.name });
    const sid = { type: 'supplier', id: org.id };
    const v1 = registryEvent('registry.supplier.registered', { ...sid, version: 1 }, profile);
    events.push(v1);
    const edited = {
      ...profile,
      processTags: i % 2 === 0 ? ['cnc-machining'] : ['cnc-machining', 'stamping'],
      description: { es: `Maquinado y estampado, planta ${i}`, en: `Machining and stamping, plant ${i}` },
    };
    events.push(registryEvent('registry.supplier.updated', { ...sid, version: 2 }, edited));
    const standard = STANDARDS[i % STANDARDS.length] ?? 'iso-9001-2015';
    const cert = certificationSnapshot(org.id, { standardId: standard, status: 'declared' });
    const cid = { type: 'certification', id: cert.id };
    events.push(registryEvent('registry.certification.added', { ...cid, version: 1 }, cert));
    events.push(
      registryEvent(
        'registry.certification.verified',
        { ...cid, version: 2 },
        { ...cert, status: 'verified' },
      ),
    );
    if (i % 4 === 1)
      events.push(
        registryEvent(
          'registry.certification.revoked',
          { ...cid, version: 3 },
          { ...cert, status: 'revoked', statusReason: 'suspendido' },
        ),
      );
    if (i % 2 === 1) {
      const mandate = mandateSnapshot(org.id, bureau.id);
      const mid = { type: 'mandate', id: mandate.id };
      events.push(registryEvent('registry.mandate.granted', { ...mid, version: 1 }, mandate));
      if (i % 5 === 1)
        events.push(
          registryEvent('registry.mandate.revoked', { ...mid, version: 2 }, { ...mandate, status: 'ended' }),
        );
    }
    if (i % 6 === 0)
      events.push(
        registryEvent(
          'registry.member.added',
          { type: 'org', id: org.id, version: 2 },
          { orgId: org.id, userId: randomUUID(), role: 'member' },
        ),
      );
    if (i % 3 === 0) {
      // The stale version 1 again, as a separate event (a late publish): applied to nothing by version.
      events.push(registryEvent('registry.supplier.registered', { ...sid, version: 1 }, profile));
    }
  }
  return events;
}
