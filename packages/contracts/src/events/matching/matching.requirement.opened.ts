/** A requirement was opened to suppliers (snapshot, aggregate 'requirement'). */
import type { Static } from 'typebox';
import { EventSchema } from '../../envelope.js';
import { RequirementSnapshot } from './common.js';

export const MatchingRequirementOpened = EventSchema('matching.requirement.opened', RequirementSnapshot);
export type MatchingRequirementOpened = Static<typeof MatchingRequirementOpened>;
