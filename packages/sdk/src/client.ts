import { errorFromResponse } from './errors.js';
import type {
  AcceptInvitationRequest,
  AccessToken,
  ApiKey,
  ApiKeyRequest,
  CreatedApiKey,
  Invitation,
  InvitationRequest,
  Jwks,
  Language,
  LoginRequest,
  LogoutRequest,
  Me,
  Member,
  Organization,
  OrganizationPatch,
  Page,
  PageQuery,
  Role,
  SignupRequest,
  SignupResponse,
  TokenPair,
  Tokens,
} from './types.js';

export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:8080';
export const REGISTRY_PREFIX = '/api/registry';

export interface ClientOptions {
  /** Gateway origin; defaults to $GATEWAY_URL, else http://127.0.0.1:8080. */
  baseUrl?: string;
  accessToken?: string;
  refreshToken?: string;
  /** Sent as Accept-Language: problem titles and details come back in this language. */
  language?: Language;
  fetch?: typeof fetch;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /** Called whenever the held tokens change (login, signup, refresh, switch, accept, API-key exchange, logout → {}). */
  onTokens?: (pair: Tokens) => void;
}

export interface RequestOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export interface CreateOptions extends RequestOptions {
  /** Sent as Idempotency-Key: retrying with the same key replays the first answer instead of creating twice. */
  idempotencyKey?: string;
}

export interface RegistryClient {
  signup(body: SignupRequest, opts?: CreateOptions): Promise<SignupResponse>;
  login(body: LoginRequest, opts?: RequestOptions): Promise<TokenPair>;
  /** Uses the held refresh token unless one is given. */
  refresh(refreshToken?: string, opts?: RequestOptions): Promise<TokenPair>;
  switchOrganization(organizationId: string, opts?: RequestOptions): Promise<TokenPair>;
  /** Revokes the held refresh token (unless another is given) and forgets the held tokens. */
  logout(body?: LogoutRequest, opts?: RequestOptions): Promise<void>;
  /** Trades an API key for a short-lived access token, which the client then holds. */
  exchangeApiKey(apiKey: string, opts?: RequestOptions): Promise<AccessToken>;
  me(opts?: RequestOptions): Promise<Me>;
  jwks(opts?: RequestOptions): Promise<Jwks>;
  getOrganization(orgId: string, opts?: RequestOptions): Promise<Organization>;
  updateOrganization(orgId: string, patch: OrganizationPatch, opts?: RequestOptions): Promise<Organization>;
  listMembers(orgId: string, query?: PageQuery, opts?: RequestOptions): Promise<Page<Member>>;
  changeRole(orgId: string, userId: string, role: Role, opts?: RequestOptions): Promise<void>;
  removeMember(orgId: string, userId: string, opts?: RequestOptions): Promise<void>;
  invite(orgId: string, body: InvitationRequest, opts?: CreateOptions): Promise<Invitation>;
  listInvitations(orgId: string, query?: PageQuery, opts?: RequestOptions): Promise<Page<Invitation>>;
  revokeInvitation(orgId: string, invitationId: string, opts?: RequestOptions): Promise<void>;
  acceptInvitation(body: AcceptInvitationRequest, opts?: RequestOptions): Promise<TokenPair>;
  createApiKey(orgId: string, body: ApiKeyRequest, opts?: CreateOptions): Promise<CreatedApiKey>;
  listApiKeys(orgId: string, query?: PageQuery, opts?: RequestOptions): Promise<Page<ApiKey>>;
  revokeApiKey(orgId: string, keyId: string, opts?: RequestOptions): Promise<void>;
}

export interface VinculoClient {
  registry: RegistryClient;
  setTokens(pair: Tokens): void;
  tokens(): Tokens;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

interface Call {
  method: Method;
  path: string;
  auth: boolean;
  body?: unknown;
  query?: PageQuery | undefined;
  opts?: CreateOptions | undefined;
}

const seg = (s: string): string => encodeURIComponent(s);

function defaultBaseUrl(): string {
  const env = typeof process !== 'undefined' ? process.env.GATEWAY_URL : undefined;
  return env && env.trim() ? env.trim() : DEFAULT_GATEWAY_URL;
}

export function createClient(options: ClientOptions = {}): VinculoClient {
  const base = (options.baseUrl ?? defaultBaseUrl()).replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  let held: Tokens = {};
  if (options.accessToken !== undefined) held.accessToken = options.accessToken;
  if (options.refreshToken !== undefined) held.refreshToken = options.refreshToken;
  // One refresh at a time: concurrent calls that all see an expired token share it.
  let refreshing: Promise<TokenPair> | undefined;

  function setTokens(pair: Tokens): void {
    const next: Tokens = {};
    if (pair.accessToken !== undefined) next.accessToken = pair.accessToken;
    if (pair.refreshToken !== undefined) next.refreshToken = pair.refreshToken;
    held = next;
  }

  function store(pair: Tokens): void {
    setTokens(pair);
    options.onTokens?.({ ...held });
  }

  function url(path: string, query?: PageQuery): string {
    const qs = new URLSearchParams();
    if (query?.limit !== undefined) qs.set('limit', String(query.limit));
    if (query?.cursor !== undefined) qs.set('cursor', query.cursor);
    const q = qs.toString();
    return `${base}${REGISTRY_PREFIX}${path}${q ? `?${q}` : ''}`;
  }

  async function send(call: Call): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.language) headers['accept-language'] = options.language;
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (call.auth && held.accessToken) headers.authorization = `Bearer ${held.accessToken}`;
    if (call.opts?.idempotencyKey !== undefined) headers['idempotency-key'] = call.opts.idempotencyKey;
    Object.assign(headers, call.opts?.headers);
    const init: RequestInit = { method: call.method, headers };
    if (call.body !== undefined) init.body = JSON.stringify(call.body);
    if (call.opts?.signal) init.signal = call.opts.signal;
    return doFetch(url(call.path, call.query), init);
  }

  async function parse<T>(res: Response): Promise<T> {
    if (!res.ok) throw await errorFromResponse(res);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  function refreshWith(refreshToken: string, opts?: RequestOptions): Promise<TokenPair> {
    refreshing ??= (async () => {
      try {
        const pair = await parse<TokenPair>(
          await send({ method: 'POST', path: '/auth/refresh', auth: false, body: { refreshToken }, opts }),
        );
        store(pair);
        return pair;
      } finally {
        refreshing = undefined;
      }
    })();
    return refreshing;
  }

  async function request<T>(call: Call): Promise<T> {
    const sentToken = held.accessToken;
    const res = await send(call);
    if (res.ok || !call.auth || res.status !== 401 || !held.refreshToken) return parse<T>(res);
    const err = await errorFromResponse(res);
    if (err.code !== 'AUTH_TOKEN_EXPIRED') throw err;
    // Another call may already have rotated the tokens while this one was in flight.
    if (held.accessToken === sentToken) {
      // A failed refresh (e.g. the refresh token was revoked) is what the caller sees.
      await refreshWith(held.refreshToken, call.opts?.signal ? { signal: call.opts.signal } : undefined);
    }
    return parse<T>(await send(call));
  }

  async function tokenCall<T extends Tokens>(call: Call): Promise<T> {
    const pair = await request<T>(call);
    store(pair);
    return pair;
  }

  const registry: RegistryClient = {
    signup: (body, opts) => tokenCall<SignupResponse>({ method: 'POST', path: '/auth/signup', auth: false, body, opts }),
    login: (body, opts) => tokenCall<TokenPair>({ method: 'POST', path: '/auth/login', auth: false, body, opts }),
    refresh: async (refreshToken, opts) => {
      const token = refreshToken ?? held.refreshToken;
      if (!token) throw new Error('refresh: no refresh token held or given');
      return refreshWith(token, opts);
    },
    switchOrganization: (organizationId, opts) =>
      tokenCall<TokenPair>({ method: 'POST', path: '/auth/switch', auth: true, body: { organizationId }, opts }),
    logout: async (body, opts) => {
      const refreshToken = body?.refreshToken ?? held.refreshToken;
      await request<void>({
        method: 'POST',
        path: '/auth/logout',
        auth: true,
        body: refreshToken ? { refreshToken } : {},
        opts,
      });
      store({});
    },
    exchangeApiKey: async (apiKey, opts) => {
      const token = await request<AccessToken>({ method: 'POST', path: '/auth/token', auth: false, body: { apiKey }, opts });
      store({ accessToken: token.accessToken });
      return token;
    },
    me: (opts) => request<Me>({ method: 'GET', path: '/me', auth: true, opts }),
    jwks: (opts) => request<Jwks>({ method: 'GET', path: '/.well-known/jwks.json', auth: false, opts }),
    getOrganization: (orgId, opts) =>
      request<Organization>({ method: 'GET', path: `/organizations/${seg(orgId)}`, auth: true, opts }),
    updateOrganization: (orgId, patch, opts) =>
      request<Organization>({ method: 'PATCH', path: `/organizations/${seg(orgId)}`, auth: true, body: patch, opts }),
    listMembers: (orgId, query, opts) =>
      request<Page<Member>>({ method: 'GET', path: `/organizations/${seg(orgId)}/members`, auth: true, query, opts }),
    changeRole: (orgId, userId, role, opts) =>
      request<void>({
        method: 'PATCH',
        path: `/organizations/${seg(orgId)}/members/${seg(userId)}`,
        auth: true,
        body: { role },
        opts,
      }),
    removeMember: (orgId, userId, opts) =>
      request<void>({ method: 'DELETE', path: `/organizations/${seg(orgId)}/members/${seg(userId)}`, auth: true, opts }),
    invite: (orgId, body, opts) =>
      request<Invitation>({ method: 'POST', path: `/organizations/${seg(orgId)}/invitations`, auth: true, body, opts }),
    listInvitations: (orgId, query, opts) =>
      request<Page<Invitation>>({ method: 'GET', path: `/organizations/${seg(orgId)}/invitations`, auth: true, query, opts }),
    revokeInvitation: (orgId, invitationId, opts) =>
      request<void>({
        method: 'DELETE',
        path: `/organizations/${seg(orgId)}/invitations/${seg(invitationId)}`,
        auth: true,
        opts,
      }),
    acceptInvitation: (body, opts) =>
      tokenCall<TokenPair>({ method: 'POST', path: '/invitations/accept', auth: false, body, opts }),
    createApiKey: (orgId, body, opts) =>
      request<CreatedApiKey>({ method: 'POST', path: `/organizations/${seg(orgId)}/api-keys`, auth: true, body, opts }),
    listApiKeys: (orgId, query, opts) =>
      request<Page<ApiKey>>({ method: 'GET', path: `/organizations/${seg(orgId)}/api-keys`, auth: true, query, opts }),
    revokeApiKey: (orgId, keyId, opts) =>
      request<void>({ method: 'DELETE', path: `/organizations/${seg(orgId)}/api-keys/${seg(keyId)}`, auth: true, opts }),
  };

  return {
    registry,
    setTokens,
    tokens: () => ({ ...held }),
  };
}
