/**
 * A small typed client for the matching routes the seeder needs (the sdk has none yet). It borrows the
 * organisation's session from its sdk client: the same access token, and on AUTH_TOKEN_EXPIRED the sdk's own
 * refresh (which also reaches the seeder's session cache through onTokens), then one retry.
 */
import { VinculoApiError, type VinculoClient } from '@vinculo/sdk';
import type { RequirementInput } from './requirements.js';

export const MATCHING_PREFIX = '/api/matching';

export type RequirementState = 'draft' | 'open' | 'closed' | 'awarded' | 'cancelled';

/** A requirement as the matching service returns it (RequirementSnapshot plus version). */
export interface Requirement extends Omit<RequirementInput, 'niceToHaveCertificates' | 'description'> {
  id: string;
  buyerId: string;
  state: RequirementState;
  description: string;
  niceToHaveCertificates: NonNullable<RequirementInput['niceToHaveCertificates']>;
  openedAt: string | null;
  closedAt: string | null;
  cancelledAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Matches {
  requirementId: string;
  evaluatedOn: string;
  total: number;
  candidates: Array<{ supplierId: string; name: string | null; score: number }>;
  nearMisses: Array<{
    supplierId: string;
    name: string | null;
    score: number;
    gaps: Array<{ constraint: string; gap: string; fix: string }>;
  }>;
}

export interface MatchingClient {
  createRequirement(body: RequirementInput, opts?: { idempotencyKey?: string }): Promise<Requirement>;
  openRequirement(id: string): Promise<Requirement>;
  listRequirements(query?: {
    limit?: number;
    cursor?: string;
    state?: RequirementState;
  }): Promise<Page<Requirement>>;
  /** Every requirement of the caller's organisation, following the cursor. */
  allRequirements(): Promise<Requirement[]>;
  matches(id: string, query?: { limit?: number; nearMisses?: number }): Promise<Matches>;
}

async function apiError(res: Response): Promise<VinculoApiError> {
  const text = await res.text().catch(() => '');
  let body: unknown = text;
  try {
    body = text ? (JSON.parse(text) as unknown) : text;
  } catch {
    // not JSON: keep the text
  }
  const p = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return new VinculoApiError({
    status: res.status,
    code: str(p.code) ?? `HTTP_${res.status}`,
    title: str(p.title) ?? (res.statusText || `HTTP ${res.status}`),
    detail: str(p.detail),
    correlationId: str(p.correlationId) ?? res.headers.get('x-correlation-id') ?? undefined,
    body,
  });
}

export function matchingClient(
  client: VinculoClient,
  options: { baseUrl: string; language?: 'es' | 'en'; fetch?: typeof fetch },
): MatchingClient {
  const base = `${options.baseUrl.replace(/\/+$/, '')}${MATCHING_PREFIX}`;
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);

  async function send(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const h: Record<string, string> = { accept: 'application/json', ...headers };
    if (options.language) h['accept-language'] = options.language;
    const token = client.tokens().accessToken;
    if (token) h.authorization = `Bearer ${token}`;
    if (body !== undefined) h['content-type'] = 'application/json';
    return doFetch(`${base}${path}`, {
      method,
      headers: h,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  }

  async function request<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<T> {
    const sent = client.tokens().accessToken;
    let res = await send(method, path, body, headers);
    if (res.status === 401) {
      const err = await apiError(res);
      if (err.code !== 'AUTH_TOKEN_EXPIRED' || !client.tokens().refreshToken) throw err;
      // Another call may have refreshed meanwhile; refresh only when the token sent is still the one held.
      if (client.tokens().accessToken === sent) await client.registry.refresh();
      res = await send(method, path, body, headers);
    }
    if (!res.ok) throw await apiError(res);
    return (await res.json()) as T;
  }

  const qs = (q: Record<string, string | number | undefined>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v !== undefined) p.set(k, String(v));
    const s = p.toString();
    return s ? `?${s}` : '';
  };
  const seg = encodeURIComponent;

  const api: MatchingClient = {
    createRequirement: (body, opts) =>
      request<Requirement>(
        'POST',
        '/requirements',
        body,
        opts?.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : {},
      ),
    openRequirement: (id) => request<Requirement>('POST', `/requirements/${seg(id)}/open`),
    listRequirements: (query = {}) => request<Page<Requirement>>('GET', `/requirements${qs(query)}`),
    async allRequirements() {
      const out: Requirement[] = [];
      let cursor: string | undefined;
      do {
        const page = await api.listRequirements({ limit: 100, ...(cursor ? { cursor } : {}) });
        out.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return out;
    },
    matches: (id, query = {}) => request<Matches>('GET', `/requirements/${seg(id)}/matches${qs(query)}`),
  };
  return api;
}
