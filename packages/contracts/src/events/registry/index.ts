/** The registry's events: one typed map (type → schema) and the union of their envelopes. */
import { RegistryMemberAdded } from './registry.member.added.js';
import { RegistryMemberRemoved } from './registry.member.removed.js';
import { RegistryMemberRoleChanged } from './registry.member.role_changed.js';
import { RegistryOrgCreated } from './registry.org.created.js';
import { RegistryOrgUpdated } from './registry.org.updated.js';

export * from './common.js';
export { RegistryMemberAdded, RegistryMemberRemoved, RegistryMemberRoleChanged, RegistryOrgCreated, RegistryOrgUpdated };

export const RegistryEvents = {
  'registry.org.created': RegistryOrgCreated,
  'registry.org.updated': RegistryOrgUpdated,
  'registry.member.added': RegistryMemberAdded,
  'registry.member.removed': RegistryMemberRemoved,
  'registry.member.role_changed': RegistryMemberRoleChanged,
} as const;

export type RegistryEventType = keyof typeof RegistryEvents;
export type RegistryEvent =
  | RegistryOrgCreated
  | RegistryOrgUpdated
  | RegistryMemberAdded
  | RegistryMemberRemoved
  | RegistryMemberRoleChanged;
