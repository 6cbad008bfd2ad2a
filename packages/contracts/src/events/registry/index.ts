/** The registry's events: one typed map (type → schema) and the union of their envelopes. */
import { RegistryMemberAdded } from './registry.member.added.js';
import { RegistryMemberRemoved } from './registry.member.removed.js';
import { RegistryMemberRoleChanged } from './registry.member.role_changed.js';
import { RegistryOrgCreated } from './registry.org.created.js';
import { RegistryOrgUpdated } from './registry.org.updated.js';

import { RegistrySupplierRegistered } from './registry.supplier.registered.js';
import { RegistrySupplierUpdated } from './registry.supplier.updated.js';
import { RegistryCertificationAdded } from './registry.certification.added.js';
import { RegistryCertificationUpdated } from './registry.certification.updated.js';
import { RegistryCertificationVerified } from './registry.certification.verified.js';
import { RegistryCertificationRejected } from './registry.certification.rejected.js';
import { RegistryCertificationExpired } from './registry.certification.expired.js';
import { RegistryCertificationRevoked } from './registry.certification.revoked.js';
import { RegistryMandateGranted } from './registry.mandate.granted.js';
import { RegistryMandateRevoked } from './registry.mandate.revoked.js';

export * from './common.js';
export * from './supplier.js';
export {
  RegistrySupplierRegistered,
  RegistrySupplierUpdated,
  RegistryCertificationAdded,
  RegistryCertificationUpdated,
  RegistryCertificationVerified,
  RegistryCertificationRejected,
  RegistryCertificationExpired,
  RegistryCertificationRevoked,
  RegistryMandateGranted,
  RegistryMandateRevoked,
};
export {
  RegistryMemberAdded,
  RegistryMemberRemoved,
  RegistryMemberRoleChanged,
  RegistryOrgCreated,
  RegistryOrgUpdated,
};

export const RegistryEvents = {
  'registry.org.created': RegistryOrgCreated,
  'registry.org.updated': RegistryOrgUpdated,
  'registry.member.added': RegistryMemberAdded,
  'registry.member.removed': RegistryMemberRemoved,
  'registry.member.role_changed': RegistryMemberRoleChanged,
  'registry.supplier.registered': RegistrySupplierRegistered,
  'registry.supplier.updated': RegistrySupplierUpdated,
  'registry.certification.added': RegistryCertificationAdded,
  'registry.certification.updated': RegistryCertificationUpdated,
  'registry.certification.verified': RegistryCertificationVerified,
  'registry.certification.rejected': RegistryCertificationRejected,
  'registry.certification.expired': RegistryCertificationExpired,
  'registry.certification.revoked': RegistryCertificationRevoked,
  'registry.mandate.granted': RegistryMandateGranted,
  'registry.mandate.revoked': RegistryMandateRevoked,
} as const;

export type RegistryEventType = keyof typeof RegistryEvents;
export type RegistryEvent =
  | RegistryOrgCreated
  | RegistryOrgUpdated
  | RegistryMemberAdded
  | RegistryMemberRemoved
  | RegistryMemberRoleChanged
  | RegistrySupplierRegistered
  | RegistrySupplierUpdated
  | RegistryCertificationAdded
  | RegistryCertificationUpdated
  | RegistryCertificationVerified
  | RegistryCertificationRejected
  | RegistryCertificationExpired
  | RegistryCertificationRevoked
  | RegistryMandateGranted
  | RegistryMandateRevoked;
