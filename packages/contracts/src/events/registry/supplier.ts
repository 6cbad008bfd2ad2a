/**
 * The public snapshot of a supplier (a `supplier` organisation's profile), its certificates and its bureau
 * mandates. Snapshot events carry everything another service may keep in its read model, with the aggregate's
 * version, so consumers never call back. Private fields (contact details, RFC, raw employees and sales, documents)
 * are never in an event.
 */
import Type, { type Static } from 'typebox';

const Uuid = Type.String({ format: 'uuid' });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const IsoTime = Type.String({ format: 'date-time' });

export const SupplierFacility = Type.Object({
  id: Uuid,
  name: Type.String(),
  /** INEGI two-digit state code. */
  stateCode: Type.Union([Type.String({ pattern: '^[0-9]{2}$' }), Type.Null()]),
  municipality: Type.Union([Type.String(), Type.Null()]),
  lat: Type.Union([Type.Number({ minimum: -90, maximum: 90 }), Type.Null()]),
  lon: Type.Union([Type.Number({ minimum: -180, maximum: 180 }), Type.Null()]),
  industrialPark: Type.Union([Type.String(), Type.Null()]),
  cluster: Type.Union([Type.String(), Type.Null()]),
});
export type SupplierFacility = Static<typeof SupplierFacility>;

export const Money = Type.Object({
  /** Integer minor units (centavos). */
  amountMinor: Type.Integer(),
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
});

export const TrackRecordEntry = Type.Object({
  id: Uuid,
  title: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  customerName: Type.Union([Type.String(), Type.Null()]),
  customerOrgId: Type.Union([Uuid, Type.Null()]),
  date: Type.Union([IsoDate, Type.Null()]),
  value: Type.Union([Money, Type.Null()]),
  scianCodes: Type.Array(Type.String()),
  source: Type.Literal('declared'),
});
export type TrackRecordEntry = Static<typeof TrackRecordEntry>;

export const SupplierCapacity = Type.Object({
  /** From the taxonomy's capacity units (units/month, kg/month …). */
  unit: Type.String(),
  amountPerMonth: Type.Number({ minimum: 0 }),
  leadTimeDays: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  largestPartMm: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
});

export const SupplierSnapshot = Type.Object({
  id: Uuid,
  name: Type.String(),
  country: Type.String({ pattern: '^[A-Z]{2}$' }),
  description: Type.Object({
    es: Type.Union([Type.String(), Type.Null()]),
    en: Type.Union([Type.String(), Type.Null()]),
  }),
  scianCodes: Type.Array(Type.String({ pattern: '^[0-9]{6}$' })),
  /** Codes of an older SCIAN version mapped to the nearest 2023 class (demo data), subset of scianCodes. */
  scianMapped: Type.Array(Type.String()),
  processTags: Type.Array(Type.String()),
  materials: Type.Array(Type.String()),
  facilities: Type.Array(SupplierFacility),
  capacity: Type.Union([SupplierCapacity, Type.Null()]),
  sizeClass: Type.Union([
    Type.Literal('micro'),
    Type.Literal('small'),
    Type.Literal('medium'),
    Type.Literal('large'),
    Type.Null(),
  ]),
  /** The rule that derived sizeClass, e.g. 'mx-dof-2009'. */
  sizeRule: Type.Union([Type.String(), Type.Null()]),
  tiers: Type.Array(Type.Object({ industry: Type.String(), tier: Type.Integer({ minimum: 1, maximum: 4 }) })),
  functionalStage: Type.Union([Type.String(), Type.Null()]),
  exportExperience: Type.Object({ exports: Type.Boolean(), markets: Type.Array(Type.String()) }),
  trackRecord: Type.Array(TrackRecordEntry),
  /** Names of fields generated for demo data rather than declared by the supplier. */
  synthetic: Type.Array(Type.String()),
  updatedAt: IsoTime,
});
export type SupplierSnapshot = Static<typeof SupplierSnapshot>;

export const CERTIFICATE_STATUSES = ['declared', 'verified', 'rejected', 'expired', 'revoked'] as const;
export const CertificateStatus = Type.Union([
  Type.Literal('declared'),
  Type.Literal('verified'),
  Type.Literal('rejected'),
  Type.Literal('expired'),
  Type.Literal('revoked'),
]);

export const CertificationSnapshot = Type.Object({
  id: Uuid,
  supplierId: Uuid,
  /** Id in the taxonomy's certification catalogue, e.g. 'iso-9001-2015'. */
  standardId: Type.String(),
  certificateNumber: Type.String(),
  issuingBody: Type.String(),
  scope: Type.Union([Type.String(), Type.Null()]),
  validFrom: IsoDate,
  validTo: IsoDate,
  status: CertificateStatus,
  statusReason: Type.Union([Type.String(), Type.Null()]),
  hasDocument: Type.Boolean(),
  verifiedBy: Type.Union([Uuid, Type.Null()]),
  synthetic: Type.Boolean(),
  updatedAt: IsoTime,
});
export type CertificationSnapshot = Static<typeof CertificationSnapshot>;

export const MANDATE_SCOPES = ['view', 'apply', 'message'] as const;
export const MandateScope = Type.Union([
  Type.Literal('view'),
  Type.Literal('apply'),
  Type.Literal('message'),
]);

export const MandateSnapshot = Type.Object({
  id: Uuid,
  supplierId: Uuid,
  bureauId: Uuid,
  scopes: Type.Array(MandateScope),
  startsOn: IsoDate,
  endsOn: Type.Union([IsoDate, Type.Null()]),
  /** Commission on awarded value, in basis points (250 = 2.5 %). */
  commissionBasisPoints: Type.Integer({ minimum: 0, maximum: 10_000 }),
  status: Type.Union([Type.Literal('active'), Type.Literal('ended')]),
  updatedAt: IsoTime,
});
export type MandateSnapshot = Static<typeof MandateSnapshot>;
