/** A supplier, or a bureau for it, applied with a quote (snapshot, aggregate 'application'). */
import type { Static } from 'typebox';
import { EventSchema } from '../../envelope.js';
import { ApplicationSnapshot } from './common.js';

export const MatchingApplicationSubmitted = EventSchema(
  'matching.application.submitted',
  ApplicationSnapshot,
);
export type MatchingApplicationSubmitted = Static<typeof MatchingApplicationSubmitted>;
