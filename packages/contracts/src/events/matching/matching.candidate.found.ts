/** A supplier newly qualifies for an open requirement (aggregate 'requirement', its version): the buyer is told. */
import type { Static } from 'typebox';
import { EventSchema } from '../../envelope.js';
import { CandidateFound } from './common.js';

export const MatchingCandidateFound = EventSchema('matching.candidate.found', CandidateFound);
export type MatchingCandidateFound = Static<typeof MatchingCandidateFound>;
