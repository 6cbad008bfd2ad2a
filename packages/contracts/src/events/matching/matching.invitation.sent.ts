/** A buyer invited a supplier to a requirement (aggregate 'invitation', version 1). */
import type { Static } from 'typebox';
import { EventSchema } from '../../envelope.js';
import { InvitationSnapshot } from './common.js';

export const MatchingInvitationSent = EventSchema('matching.invitation.sent', InvitationSnapshot);
export type MatchingInvitationSent = Static<typeof MatchingInvitationSent>;
