/** An application was withdrawn by its supplier or applying bureau (snapshot, aggregate 'application'). */
import type { Static } from 'typebox';
import { EventSchema } from '../../envelope.js';
import { ApplicationSnapshot } from './common.js';

export const MatchingApplicationWithdrawn = EventSchema(
  'matching.application.withdrawn',
  ApplicationSnapshot,
);
export type MatchingApplicationWithdrawn = Static<typeof MatchingApplicationWithdrawn>;
