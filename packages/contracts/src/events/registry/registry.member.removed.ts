/** A user left or was removed from an organisation; `role` is the role held until then. */
import type { Static } from 'typebox';
import { EventSchema } from '../../envelope.js';
import { Membership } from './common.js';

export const RegistryMemberRemoved = EventSchema('registry.member.removed', Membership);
export type RegistryMemberRemoved = Static<typeof RegistryMemberRemoved>;
