/** An award created a deal (aggregate 'deal', version 1); audits and messaging follow it. */
import type { Static } from 'typebox';
import { EventSchema } from '../../envelope.js';
import { DealSnapshot } from './common.js';

export const MatchingDealAwarded = EventSchema('matching.deal.awarded', DealSnapshot);
export type MatchingDealAwarded = Static<typeof MatchingDealAwarded>;
