/**
 * Registry events as the registry publishes them: envelopes built with the kit's buildEvent, valid against the
 * contracts (checked here, so a fixture that drifts from the contracts fails loudly).
 */
import { randomUUID } from 'node:crypto';
import {
  validateAnyEvent,
  type CertificationSnapshot,
  type EventOf,
  type EventType,
  type MandateSnapshot,
  type OrgSnapshot,
  type SupplierSnapshot,
} from '@vinculo/contracts';
import { buildEvent } from '@vinculo/service-kit/events';

export function registryEvent<T extends EventType>(
  type: T,
  aggregate: { type: string; id: string; version: number },
  data: EventOf<T>['data'],
): EventOf<T> {
  const event = buildEvent({
    type,
    source: 'registry',
    aggregate,
    data,
    correlationId: 'test',
    orgId: aggregate.id,
  });
  const checked = validateAnyEvent(JSON.parse(JSON.stringify(event)));
  if (!checked.ok) throw new Error(`fixture ${type} is not valid: ${checked.errors.join('; ')}`);
  return event;
}

const now = () => new Date().toISOString();

export function orgSnapshot(over: Partial<OrgSnapshot> = {}): OrgSnapshot {
  return {
    id: randomUUID(),
    name: 'Empresa SA de CV',
    type: 'supplier',
    country: 'MX',
    createdAt: now(),
    updatedAt: now(),
    ...over,
  };
}

export function supplierSnapshot(over: Partial<SupplierSnapshot> = {}): SupplierSnapshot {
  return {
    id: randomUUID(),
    name: 'Maquinados del Bajío',
    country: 'MX',
    description: { es: 'Maquinado CNC de piezas de aluminio', en: 'CNC machining of aluminium parts' },
    scianCodes: ['332710'],
    scianMapped: [],
    processTags: ['cnc-machining'],
    materials: ['aluminio'],
    facilities: [
      {
        id: randomUUID(),
        name: 'Planta',
        stateCode: '22',
        municipality: 'Querétaro',
        lat: 20.59,
        lon: -100.39,
        industrialPark: null,
        cluster: null,
      },
    ],
    capacity: { unit: 'units-per-month', amountPerMonth: 10_000, leadTimeDays: 20, largestPartMm: null },
    sizeClass: 'small',
    sizeRule: 'mx-dof-2009',
    tiers: [{ industry: 'automotive', tier: 2 }],
    functionalStage: 'CM',
    exportExperience: { exports: false, markets: [] },
    trackRecord: [],
    synthetic: [],
    updatedAt: now(),
    ...over,
  };
}

export function certificationSnapshot(
  supplierId: string,
  over: Partial<CertificationSnapshot> = {},
): CertificationSnapshot {
  return {
    id: randomUUID(),
    supplierId,
    standardId: 'iatf-16949-2016',
    certificateNumber: 'IATF-0001',
    issuingBody: 'Organismo de certificación',
    scope: null,
    validFrom: '2024-01-01',
    validTo: '2099-12-31',
    status: 'verified',
    statusReason: null,
    hasDocument: true,
    verifiedBy: null,
    synthetic: false,
    updatedAt: now(),
    ...over,
  };
}

export function mandateSnapshot(
  supplierId: string,
  bureauId: string,
  over: Partial<MandateSnapshot> = {},
): MandateSnapshot {
  return {
    id: randomUUID(),
    supplierId,
    bureauId,
    scopes: ['view', 'apply'],
    startsOn: '2025-01-01',
    endsOn: null,
    commissionBasisPoints: 250,
    status: 'active',
    updatedAt: now(),
    ...over,
  };
}

/** Polls until `check` returns a value other than undefined/false (bounded). */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Journey 1's requirement: "CNC-machined aluminium brackets, IATF 16949, Tier 2, within 300 km of Querétaro, 5,000 units/month". */
const nextYear = `${new Date().getFullYear() + 1}-06-30`;
export const bracketsRfq = {
  title: 'Soportes de aluminio maquinados CNC / CNC-machined aluminium brackets',
  description: 'Soportes de aluminio 6061-T6 maquinados en CNC para ensamble de asientos',
  items: [{ description: 'Soporte de aluminio maquinado', codes: ['332710'], quantity: 5000, unit: 'pieza' }],
  capabilities: { scianCodes: ['332710'], processTags: ['cnc-machining'] },
  mustHaveCertificates: [{ standardId: 'iatf-16949-2016' }],
  niceToHaveCertificates: [],
  maxTier: 2,
  location: { lat: 20.5888, lon: -100.3899, radiusKm: 300 },
  volume: { unit: 'units-per-month', amountPerMonth: 5000 },
  deadline: nextYear,
  visibility: 'public',
};
