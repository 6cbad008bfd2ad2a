/** Shapes shared by several registry events. */
import Type, { type Static } from 'typebox';

export const ORG_TYPES = ['buyer', 'supplier', 'bureau', 'auditor', 'platform'] as const;
export const OrgType = Type.Union([
  Type.Literal('buyer'),
  Type.Literal('supplier'),
  Type.Literal('bureau'),
  Type.Literal('auditor'),
  Type.Literal('platform'),
]);
export type OrgType = (typeof ORG_TYPES)[number];

export const MEMBER_ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export const MemberRole = Type.Union([
  Type.Literal('owner'),
  Type.Literal('admin'),
  Type.Literal('member'),
  Type.Literal('viewer'),
]);
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** The public snapshot of an organisation: everything another service may keep in its read model. */
export const OrgSnapshot = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String({ minLength: 1, maxLength: 300 }),
  type: OrgType,
  /** ISO 3166-1 alpha-2. */
  country: Type.String({ pattern: '^[A-Z]{2}$' }),
  /** RFC (Mexico) or the country's tax id. */
  taxId: Type.Optional(Type.String({ maxLength: 64 })),
  state: Type.Optional(Type.String({ maxLength: 100 })),
  municipality: Type.Optional(Type.String({ maxLength: 200 })),
  website: Type.Optional(Type.String({ maxLength: 500 })),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type OrgSnapshot = Static<typeof OrgSnapshot>;

export const Membership = Type.Object({
  orgId: Type.String({ format: 'uuid' }),
  userId: Type.String({ format: 'uuid' }),
  role: MemberRole,
});
export type Membership = Static<typeof Membership>;
