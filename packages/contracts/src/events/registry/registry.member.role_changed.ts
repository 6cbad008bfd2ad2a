/** A member's role changed; `previousRole` is the role held before. */
import Type, { type Static } from 'typebox';
import { EventSchema } from '../../envelope.js';
import { MemberRole, Membership } from './common.js';

export const RegistryMemberRoleChanged = EventSchema(
  'registry.member.role_changed',
  Type.Object({ ...Membership.properties, previousRole: Type.Optional(MemberRole) }),
);
export type RegistryMemberRoleChanged = Static<typeof RegistryMemberRoleChanged>;
