/** The buyer shortlisted an application or took it off the shortlist (aggregate 'application', its version). */
import type { Static } from 'typebox';
import { EventSchema } from '../../envelope.js';
import { ShortlistChange } from './common.js';

export const MatchingShortlistChanged = EventSchema('matching.shortlist.changed', ShortlistChange);
export type MatchingShortlistChanged = Static<typeof MatchingShortlistChanged>;
