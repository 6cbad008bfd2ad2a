/** A requirement was awarded: final (snapshot, aggregate 'requirement'); the deal comes as matching.deal.awarded. */
import type { Static } from 'typebox';
import { EventSchema } from '../../envelope.js';
import { RequirementSnapshot } from './common.js';

export const MatchingRequirementAwarded = EventSchema('matching.requirement.awarded', RequirementSnapshot);
export type MatchingRequirementAwarded = Static<typeof MatchingRequirementAwarded>;
