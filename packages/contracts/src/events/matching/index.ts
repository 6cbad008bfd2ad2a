/** Matching's events: one typed map (type → schema) and the union of their envelopes. */
import { MatchingApplicationSubmitted } from './matching.application.submitted.js';
import { MatchingApplicationWithdrawn } from './matching.application.withdrawn.js';
import { MatchingCandidateFound } from './matching.candidate.found.js';
import { MatchingDealAwarded } from './matching.deal.awarded.js';
import { MatchingInvitationSent } from './matching.invitation.sent.js';
import { MatchingRequirementAwarded } from './matching.requirement.awarded.js';
import { MatchingRequirementCancelled } from './matching.requirement.cancelled.js';
import { MatchingRequirementClosed } from './matching.requirement.closed.js';
import { MatchingRequirementOpened } from './matching.requirement.opened.js';
import { MatchingShortlistChanged } from './matching.shortlist.changed.js';

export * from './common.js';
export {
  MatchingRequirementOpened,
  MatchingRequirementClosed,
  MatchingRequirementAwarded,
  MatchingRequirementCancelled,
  MatchingInvitationSent,
  MatchingApplicationSubmitted,
  MatchingApplicationWithdrawn,
  MatchingShortlistChanged,
  MatchingDealAwarded,
  MatchingCandidateFound,
};

export const MatchingEvents = {
  'matching.requirement.opened': MatchingRequirementOpened,
  'matching.requirement.closed': MatchingRequirementClosed,
  'matching.requirement.awarded': MatchingRequirementAwarded,
  'matching.requirement.cancelled': MatchingRequirementCancelled,
  'matching.invitation.sent': MatchingInvitationSent,
  'matching.application.submitted': MatchingApplicationSubmitted,
  'matching.application.withdrawn': MatchingApplicationWithdrawn,
  'matching.shortlist.changed': MatchingShortlistChanged,
  'matching.deal.awarded': MatchingDealAwarded,
  'matching.candidate.found': MatchingCandidateFound,
} as const;

export type MatchingEventType = keyof typeof MatchingEvents;
export type MatchingEvent =
  | MatchingRequirementOpened
  | MatchingRequirementClosed
  | MatchingRequirementAwarded
  | MatchingRequirementCancelled
  | MatchingInvitationSent
  | MatchingApplicationSubmitted
  | MatchingApplicationWithdrawn
  | MatchingShortlistChanged
  | MatchingDealAwarded
  | MatchingCandidateFound;
