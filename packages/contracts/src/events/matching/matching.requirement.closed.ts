/** A requirement stopped taking applications, by hand or at its deadline (snapshot, aggregate 'requirement'). */
import type { Static } from 'typebox';
import { EventSchema } from '../../envelope.js';
import { RequirementSnapshot } from './common.js';

export const MatchingRequirementClosed = EventSchema('matching.requirement.closed', RequirementSnapshot);
export type MatchingRequirementClosed = Static<typeof MatchingRequirementClosed>;
