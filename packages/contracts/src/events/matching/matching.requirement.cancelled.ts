/** A requirement was cancelled: final (snapshot, aggregate 'requirement'). */
import type { Static } from 'typebox';
import { EventSchema } from '../../envelope.js';
import { RequirementSnapshot } from './common.js';

export const MatchingRequirementCancelled = EventSchema(
  'matching.requirement.cancelled',
  RequirementSnapshot,
);
export type MatchingRequirementCancelled = Static<typeof MatchingRequirementCancelled>;
