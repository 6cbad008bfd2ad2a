/**
 * Posts and opens the demo requirements for each demo buyer, once. A requirement is recognised by its buyer and
 * title; what a re-run does with one already there is decided by `decide` (pure, tested).
 */
import type { VinculoClient } from '@vinculo/sdk';
import type { BuyerSlug } from './buyers.js';
import { matchingClient, type MatchingClient, type Requirement } from './matching.js';
import { hash32 } from './prng.js';
import {
  DEMO_REQUIREMENTS,
  requirementBody,
  todayInMexicoCity,
  type DemoRequirement,
} from './requirements.js';

export type Decision =
  | { kind: 'create'; reissue: boolean }
  | { kind: 'open'; id: string }
  | { kind: 'keep'; id: string; state: Requirement['state'] };

/**
 * Rules, over the buyer's requirements with the same title:
 * - none: create and open it;
 * - one open: keep it; one in draft with a deadline still ahead (a run stopped between create and open): open it;
 * - every one closed, or a draft, with its deadline passed (the deadline job closed it): post it again with a
 *   fresh deadline, so a demo seeded weeks ago gets open requirements back;
 * - otherwise (awarded, cancelled, or closed by the buyer before its deadline): someone acted on it during a
 *   demo; leave it as it is.
 */
export function decide(
  existing: ReadonlyArray<Pick<Requirement, 'id' | 'title' | 'state' | 'deadline'>>,
  title: string,
  today: string,
): Decision {
  const same = existing.filter((r) => r.title === title.trim());
  if (same.length === 0) return { kind: 'create', reissue: false };
  const open = same.find((r) => r.state === 'open');
  if (open) return { kind: 'keep', id: open.id, state: 'open' };
  const draft = same.find((r) => r.state === 'draft' && r.deadline >= today);
  if (draft) return { kind: 'open', id: draft.id };
  const lapsed = (r: (typeof same)[number]) =>
    (r.state === 'closed' || r.state === 'draft') && r.deadline < today;
  if (same.every(lapsed)) return { kind: 'create', reissue: true };
  const kept = same.find((r) => !lapsed(r))!;
  return { kind: 'keep', id: kept.id, state: kept.state };
}

export interface RequirementCounts {
  created: number;
  reissued: number;
  opened: number;
  alreadyOpen: number;
  leftAsIs: number;
}

export interface PostedRequirement {
  demo: DemoRequirement;
  id: string;
  state: Requirement['state'];
}

export async function seedRequirements(
  buyers: ReadonlyArray<{ slug: BuyerSlug; orgId: string; client: VinculoClient }>,
  gateway: string,
  now: Date = new Date(),
): Promise<{ counts: RequirementCounts; posted: PostedRequirement[]; clients: Map<string, MatchingClient> }> {
  const today = todayInMexicoCity(now);
  const counts: RequirementCounts = { created: 0, reissued: 0, opened: 0, alreadyOpen: 0, leftAsIs: 0 };
  const posted: PostedRequirement[] = [];
  const clients = new Map<string, MatchingClient>();
  for (const buyer of buyers) {
    const api = matchingClient(buyer.client, { baseUrl: gateway, language: 'en' });
    clients.set(buyer.slug, api);
    const existing = await api.allRequirements();
    for (const demo of DEMO_REQUIREMENTS.filter((r) => r.buyer === buyer.slug)) {
      const d = decide(existing, demo.title, today);
      if (d.kind === 'keep') {
        if (d.state === 'open') counts.alreadyOpen++;
        else counts.leftAsIs++;
        posted.push({ demo, id: d.id, state: d.state });
        continue;
      }
      let id: string;
      if (d.kind === 'open') id = d.id;
      else {
        const body = requirementBody(demo, today);
        // The key covers a retry after a lost answer; the deadline in it lets a reissue create anew.
        const created = await api.createRequirement(body, {
          idempotencyKey: `seed-demo:requirement:${buyer.orgId}:${hash32(demo.title).toString(36)}:${body.deadline}`,
        });
        id = created.id;
        counts[d.reissue ? 'reissued' : 'created']++;
        if (created.state === 'open') {
          posted.push({ demo, id, state: 'open' });
          continue;
        }
      }
      const opened = await api.openRequirement(id);
      if (d.kind === 'open') counts.opened++;
      posted.push({ demo, id, state: opened.state });
    }
  }
  return { counts, posted, clients };
}

/** Candidates and near misses per open demo requirement, as the buyer sees them now. */
export async function matchSummary(
  posted: readonly PostedRequirement[],
  clients: ReadonlyMap<string, MatchingClient>,
): Promise<Array<{ demo: DemoRequirement; total: number; nearMisses: number }>> {
  const out: Array<{ demo: DemoRequirement; total: number; nearMisses: number }> = [];
  for (const p of posted) {
    if (p.state !== 'open') continue;
    const m = await clients.get(p.demo.buyer)!.matches(p.id, { limit: 1, nearMisses: 10 });
    out.push({ demo: p.demo, total: m.total, nearMisses: m.nearMisses.length });
  }
  return out;
}
