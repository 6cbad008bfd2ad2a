/**
 * Shapes shared by matching's events: the public state of a requirement, an invitation, an application (a
 * supplier's quote) and a deal. Snapshot events carry the whole state with the aggregate's version, so a
 * consumer keeps the newest and never calls back.
 */
import Type, { type Static } from 'typebox';
import { Money } from '../registry/supplier.js';

const Uuid = Type.String({ format: 'uuid' });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const IsoTime = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Tier = Type.Integer({ minimum: 1, maximum: 4 });

export const REQUIREMENT_STATES = ['draft', 'open', 'closed', 'awarded', 'cancelled'] as const;
export const RequirementState = Type.Union([
  Type.Literal('draft'),
  Type.Literal('open'),
  Type.Literal('closed'),
  Type.Literal('awarded'),
  Type.Literal('cancelled'),
]);

export const RequiredCertificate = Type.Object({
  standardId: Type.String(),
  verifiedOnly: Type.Optional(Type.Boolean()),
});

/** The whole public state of a requirement (aggregate 'requirement'; version = the requirement's version). */
export const RequirementSnapshot = Type.Object({
  id: Uuid,
  buyerId: Uuid,
  state: RequirementState,
  title: Type.String(),
  description: Type.String(),
  items: Type.Array(
    Type.Object({
      description: Type.String(),
      codes: Type.Array(Type.String()),
      quantity: Type.Number(),
      unit: Type.String(),
    }),
  ),
  capabilities: Type.Object({
    scianCodes: Type.Array(Type.String()),
    processTags: Type.Array(Type.String()),
  }),
  mustHaveCertificates: Type.Array(RequiredCertificate),
  niceToHaveCertificates: Type.Array(RequiredCertificate),
  maxTier: Nullable(Tier),
  sizePreference: Nullable(Type.Union([Type.Literal('sme-only'), Type.Literal('prefer-sme')])),
  location: Nullable(Type.Object({ lat: Type.Number(), lon: Type.Number(), radiusKm: Type.Number() })),
  volume: Nullable(Type.Object({ unit: Type.String(), amountPerMonth: Type.Number() })),
  deadline: IsoDate,
  visibility: Type.Union([Type.Literal('public'), Type.Literal('invited'), Type.Literal('bureaus')]),
  openedAt: Nullable(IsoTime),
  closedAt: Nullable(IsoTime),
  cancelledAt: Nullable(IsoTime),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type RequirementSnapshot = Static<typeof RequirementSnapshot>;

/** A buyer invited a supplier to one of its requirements (aggregate 'invitation', version 1: never changes). */
export const InvitationSnapshot = Type.Object({
  id: Uuid,
  requirementId: Uuid,
  buyerId: Uuid,
  supplierId: Uuid,
  invitedByOrgId: Uuid,
  message: Nullable(Type.String()),
  createdAt: IsoTime,
});
export type InvitationSnapshot = Static<typeof InvitationSnapshot>;

/** A document the supplier already holds in the registry, or a link: attachments travel by reference only. */
export const QuoteAttachment = Type.Union([
  Type.Object({
    kind: Type.Literal('document'),
    /** A registry document: its id or its SHA-256. */
    id: Type.String({
      pattern: '^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{64})$',
    }),
    name: Type.Optional(Type.String()),
  }),
  Type.Object({
    kind: Type.Literal('url'),
    url: Type.String({ pattern: '^https://' }),
    name: Type.Optional(Type.String()),
  }),
]);
export type QuoteAttachment = Static<typeof QuoteAttachment>;

export const Quote = Type.Object({
  price: Money,
  leadTimeDays: Type.Integer({ minimum: 0 }),
  notes: Nullable(Type.String()),
  attachments: Type.Array(QuoteAttachment),
});
export type Quote = Static<typeof Quote>;

export const APPLICATION_STATES = ['submitted', 'withdrawn', 'shortlisted', 'awarded', 'rejected'] as const;
export const ApplicationState = Type.Union([
  Type.Literal('submitted'),
  Type.Literal('withdrawn'),
  Type.Literal('shortlisted'),
  Type.Literal('awarded'),
  Type.Literal('rejected'),
]);

/** A supplier's application (its quote) to a requirement (aggregate 'application', its version). */
export const ApplicationSnapshot = Type.Object({
  id: Uuid,
  requirementId: Uuid,
  buyerId: Uuid,
  supplierId: Uuid,
  /** The bureau that applied for the supplier under an `apply` mandate; null when the supplier applied itself. */
  bureauId: Nullable(Uuid),
  state: ApplicationState,
  quote: Quote,
  submittedAt: IsoTime,
  withdrawnAt: Nullable(IsoTime),
  updatedAt: IsoTime,
});
export type ApplicationSnapshot = Static<typeof ApplicationSnapshot>;

/** The buyer added an application to, or removed it from, a requirement's shortlist. */
export const ShortlistChange = Type.Object({
  requirementId: Uuid,
  buyerId: Uuid,
  applicationId: Uuid,
  supplierId: Uuid,
  change: Type.Union([Type.Literal('added'), Type.Literal('removed')]),
  /** Suppliers on the shortlist after the change. */
  shortlist: Type.Array(Uuid),
});
export type ShortlistChange = Static<typeof ShortlistChange>;

/** An award (aggregate 'deal', version 1): who, for how much, and the bureau's commission when brokered. */
export const DealSnapshot = Type.Object({
  id: Uuid,
  requirementId: Uuid,
  applicationId: Uuid,
  buyerId: Uuid,
  supplierId: Uuid,
  bureauId: Nullable(Uuid),
  /** From the mandate's terms when a bureau applied: basisPoints × value, rounded half up to the minor unit. */
  commission: Nullable(
    Type.Object({ basisPoints: Type.Integer({ minimum: 0, maximum: 10_000 }), amount: Money }),
  ),
  value: Money,
  /** Tier of this relationship (1 is closest to the OEM); null when the buyer did not set one. */
  tier: Nullable(Tier),
  startsOn: IsoDate,
  title: Type.String(),
  scianCodes: Type.Array(Type.String()),
  awardedAt: IsoTime,
});
export type DealSnapshot = Static<typeof DealSnapshot>;

/** A supplier newly qualifies for an open requirement (aggregate 'requirement', the requirement's version). */
export const CandidateFound = Type.Object({
  requirementId: Uuid,
  buyerId: Uuid,
  supplierId: Uuid,
  score: Type.Number({ minimum: 0, maximum: 1 }),
  /** The registry event type that made the supplier qualify, e.g. 'registry.certification.verified'. */
  trigger: Type.String({ minLength: 1 }),
});
export type CandidateFound = Static<typeof CandidateFound>;
