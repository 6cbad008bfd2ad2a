/** A user joined an organisation with a role (aggregate 'membership', id '<orgId>:<userId>'). */
import type { Static } from 'typebox';
import { EventSchema } from '../../envelope.js';
import { Membership } from './common.js';

export const RegistryMemberAdded = EventSchema('registry.member.added', Membership);
export type RegistryMemberAdded = Static<typeof RegistryMemberAdded>;
