/**
 * Who may see an open requirement, and when a bureau may act for a supplier (ARCHITECTURE.md "Identity and
 * authorization"; the same rule serves applications and opportunities):
 * - an OPEN requirement is visible to supplier S when it is public; or invited-only and S is invited; or
 *   'bureaus' and S has an active mandate with some bureau (S is reachable through a bureau). An invitation
 *   makes it visible to S whatever its visibility. Anything not open is its buyer's alone.
 * - an OPEN requirement is visible to bureau B when it is public or 'bureaus', or when one of B's members (a
 *   mandate in force) is invited.
 * - a bureau acts for a member only under an active mandate (status active, today within its period, Mexico
 *   City calendar) and only within its scopes ('apply' to apply or withdraw).
 */
import type { MandateSnapshot } from '@vinculo/contracts';
import type { Executor } from '@vinculo/service-kit/db';
import type { DealsRepository } from '../db/deals.repository.js';
import type { MatchingDb, Requirement } from '../db/schema.js';

type Scope = MandateSnapshot['scopes'][number];

/** A mandate in force on `today` (YYYY-MM-DD): active and within [startsOn, endsOn]. */
export function isMandateActive(m: MandateSnapshot, today: string): boolean {
  return m.status === 'active' && m.startsOn <= today && (m.endsOn === null || m.endsOn >= today);
}

export function mandateAllows(m: MandateSnapshot, scope: Scope, today: string): boolean {
  return isMandateActive(m, today) && m.scopes.includes(scope);
}

export async function isVisibleToSupplier(
  repo: Pick<DealsRepository, 'isInvited' | 'mandatesOf'>,
  db: Executor<MatchingDb>,
  requirement: Requirement,
  supplierId: string,
  today: string,
): Promise<boolean> {
  if (requirement.state !== 'open') return false;
  if (requirement.visibility === 'public') return true;
  if (await repo.isInvited(db, requirement.id, supplierId)) return true;
  if (requirement.visibility === 'bureaus')
    return (await repo.mandatesOf(db, supplierId)).some((m) => isMandateActive(m, today));
  return false;
}

export async function isVisibleToBureau(
  repo: Pick<DealsRepository, 'invitedMembersOf'>,
  db: Executor<MatchingDb>,
  requirement: Requirement,
  bureauId: string,
  today: string,
): Promise<boolean> {
  if (requirement.state !== 'open') return false;
  if (requirement.visibility === 'public' || requirement.visibility === 'bureaus') return true;
  return (await repo.invitedMembersOf(db, requirement.id, bureauId)).some((m) => isMandateActive(m, today));
}
