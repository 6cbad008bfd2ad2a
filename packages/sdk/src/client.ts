import { errorFromResponse } from './errors.js';
import type {
  AcceptInvitationRequest,
  AccessToken,
  Certificate,
  CertificatePatch,
  DocumentDownload,
  DocumentUpload,
  EndMandateRequest,
  Facility,
  FacilityInput,
  FacilityPatch,
  FacilityResult,
  FacilitySetItem,
  FacilitySetResult,
  GrantMandateRequest,
  Mandate,
  MandateListQuery,
  MandatePatch,
  NewCertificate,
  PrivateProfile,
  PublicSupplier,
  SupplierProfileInput,
  SupplierSearchFilters,
  SupplierSummary,
  TrackRecordEntry,
  TrackRecordInput,
  VerificationDecision,
  VerificationQueueItem,
  VerificationQueueQuery,
  VerificationRequest,
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

/** Supplier profiles (private view), facilities, track record, and the public search and profile. */
export interface SuppliersClient {
  /** GET /suppliers — public fields only; anonymous callers welcome. */
  search(filters?: SupplierSearchFilters, opts?: RequestOptions): Promise<Page<SupplierSummary>>;
  /** GET /suppliers/:id — one public profile. */
  get(supplierId: string, opts?: RequestOptions): Promise<PublicSupplier>;
  /** The private view: the supplier itself, its bureaus with a `view` mandate, assigned auditors. */
  getProfile(supplierId: string, opts?: RequestOptions): Promise<PrivateProfile>;
  /** A full, idempotent replace of the profile (creates it the first time). */
  putProfile(supplierId: string, body: SupplierProfileInput, opts?: RequestOptions): Promise<PrivateProfile>;
  /** Adds a facility, or updates the one with the same externalRef (`created` tells which). */
  addFacility(supplierId: string, body: FacilityInput, opts?: RequestOptions): Promise<FacilityResult>;
  /**
   * Replaces the whole facility set in one transaction (at most 500): an item with `id` or a known `externalRef`
   * rewrites that facility, other items are new, facilities not listed are deleted; fields left out are cleared.
   */
  replaceFacilities(
    supplierId: string,
    facilities: FacilitySetItem[],
    opts?: RequestOptions,
  ): Promise<FacilitySetResult>;
  updateFacility(
    supplierId: string,
    facilityId: string,
    patch: FacilityPatch,
    opts?: RequestOptions,
  ): Promise<Facility>;
  deleteFacility(supplierId: string, facilityId: string, opts?: RequestOptions): Promise<void>;
  /** The track record is listed in the profile (`trackRecord`). */
  addTrackRecord(
    supplierId: string,
    body: TrackRecordInput,
    opts?: RequestOptions,
  ): Promise<TrackRecordEntry>;
  deleteTrackRecord(supplierId: string, entryId: string, opts?: RequestOptions): Promise<void>;
}

/** Certificates, their document, and verification requests to auditor organisations. */
export interface CertificatesClient {
  list(supplierId: string, query?: PageQuery, opts?: RequestOptions): Promise<Page<Certificate>>;
  create(supplierId: string, body: NewCertificate, opts?: CreateOptions): Promise<Certificate>;
  update(
    supplierId: string,
    certificateId: string,
    patch: CertificatePatch,
    opts?: RequestOptions,
  ): Promise<Certificate>;
  revoke(
    supplierId: string,
    certificateId: string,
    reason: string,
    opts?: RequestOptions,
  ): Promise<Certificate>;
  /** multipart/form-data with one `file` part; PDF, PNG or JPEG (sniffed by the server). */
  uploadDocument(
    supplierId: string,
    certificateId: string,
    doc: DocumentUpload,
    opts?: RequestOptions,
  ): Promise<Certificate>;
  downloadDocument(
    supplierId: string,
    certificateId: string,
    opts?: RequestOptions,
  ): Promise<DocumentDownload>;
  requestVerification(
    supplierId: string,
    certificateId: string,
    auditorOrgId: string,
    opts?: CreateOptions,
  ): Promise<VerificationRequest>;
  /** An auditor's queue of verification requests assigned to its organisation. */
  listVerificationRequests(
    query?: VerificationQueueQuery,
    opts?: RequestOptions,
  ): Promise<Page<VerificationQueueItem>>;
  verify(requestId: string, opts?: RequestOptions): Promise<VerificationDecision>;
  reject(requestId: string, reason: string, opts?: RequestOptions): Promise<VerificationDecision>;
}

/** Bureau mandates: a supplier grants a subcontracting bureau the right to act for it. */
export interface MandatesClient {
  grant(body: GrantMandateRequest, opts?: CreateOptions): Promise<Mandate>;
  /** Both sides: a supplier sees the mandates it granted, a bureau its member SMEs. */
  list(query?: MandateListQuery, opts?: RequestOptions): Promise<Page<Mandate>>;
  get(mandateId: string, opts?: RequestOptions): Promise<Mandate>;
  update(mandateId: string, patch: MandatePatch, opts?: RequestOptions): Promise<Mandate>;
  end(mandateId: string, body?: EndMandateRequest, opts?: RequestOptions): Promise<Mandate>;
}

export interface VinculoClient {
  registry: RegistryClient;
  suppliers: SuppliersClient;
  certificates: CertificatesClient;
  mandates: MandatesClient;
  setTokens(pair: Tokens): void;
  tokens(): Tokens;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

type QueryValue = string | number | boolean | readonly (string | number)[] | undefined;
type Query = Record<string, QueryValue>;

interface Call {
  method: Method;
  path: string;
  auth: boolean;
  /** JSON body. */
  body?: unknown;
  /** multipart/form-data body (fetch sets the boundary). */
  form?: FormData;
  query?: Query | PageQuery | undefined;
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

  function url(path: string, query?: Query | PageQuery): string {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {}) as [string, QueryValue][]) {
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const x of v as readonly (string | number)[]) qs.append(k, String(x));
      else qs.set(k, String(v));
    }
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
    else if (call.form !== undefined) init.body = call.form;
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

  /** Sends the call; on an expired access token, refreshes once and sends it again. */
  async function sendAuthed(call: Call): Promise<Response> {
    const sentToken = held.accessToken;
    const res = await send(call);
    if (res.ok || !call.auth || res.status !== 401 || !held.refreshToken) return res;
    const err = await errorFromResponse(res);
    if (err.code !== 'AUTH_TOKEN_EXPIRED') throw err;
    // Another call may already have rotated the tokens while this one was in flight.
    if (held.accessToken === sentToken) {
      // A failed refresh (e.g. the refresh token was revoked) is what the caller sees.
      await refreshWith(held.refreshToken, call.opts?.signal ? { signal: call.opts.signal } : undefined);
    }
    return send(call);
  }

  async function request<T>(call: Call): Promise<T> {
    return parse<T>(await sendAuthed(call));
  }

  async function tokenCall<T extends Tokens>(call: Call): Promise<T> {
    const pair = await request<T>(call);
    store(pair);
    return pair;
  }

  const registry: RegistryClient = {
    signup: (body, opts) =>
      tokenCall<SignupResponse>({ method: 'POST', path: '/auth/signup', auth: false, body, opts }),
    login: (body, opts) =>
      tokenCall<TokenPair>({ method: 'POST', path: '/auth/login', auth: false, body, opts }),
    refresh: async (refreshToken, opts) => {
      const token = refreshToken ?? held.refreshToken;
      if (!token) throw new Error('refresh: no refresh token held or given');
      return refreshWith(token, opts);
    },
    switchOrganization: (organizationId, opts) =>
      tokenCall<TokenPair>({
        method: 'POST',
        path: '/auth/switch',
        auth: true,
        body: { organizationId },
        opts,
      }),
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
      const token = await request<AccessToken>({
        method: 'POST',
        path: '/auth/token',
        auth: false,
        body: { apiKey },
        opts,
      });
      store({ accessToken: token.accessToken });
      return token;
    },
    me: (opts) => request<Me>({ method: 'GET', path: '/me', auth: true, opts }),
    jwks: (opts) => request<Jwks>({ method: 'GET', path: '/.well-known/jwks.json', auth: false, opts }),
    getOrganization: (orgId, opts) =>
      request<Organization>({ method: 'GET', path: `/organizations/${seg(orgId)}`, auth: true, opts }),
    updateOrganization: (orgId, patch, opts) =>
      request<Organization>({
        method: 'PATCH',
        path: `/organizations/${seg(orgId)}`,
        auth: true,
        body: patch,
        opts,
      }),
    listMembers: (orgId, query, opts) =>
      request<Page<Member>>({
        method: 'GET',
        path: `/organizations/${seg(orgId)}/members`,
        auth: true,
        query,
        opts,
      }),
    changeRole: (orgId, userId, role, opts) =>
      request<void>({
        method: 'PATCH',
        path: `/organizations/${seg(orgId)}/members/${seg(userId)}`,
        auth: true,
        body: { role },
        opts,
      }),
    removeMember: (orgId, userId, opts) =>
      request<void>({
        method: 'DELETE',
        path: `/organizations/${seg(orgId)}/members/${seg(userId)}`,
        auth: true,
        opts,
      }),
    invite: (orgId, body, opts) =>
      request<Invitation>({
        method: 'POST',
        path: `/organizations/${seg(orgId)}/invitations`,
        auth: true,
        body,
        opts,
      }),
    listInvitations: (orgId, query, opts) =>
      request<Page<Invitation>>({
        method: 'GET',
        path: `/organizations/${seg(orgId)}/invitations`,
        auth: true,
        query,
        opts,
      }),
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
      request<CreatedApiKey>({
        method: 'POST',
        path: `/organizations/${seg(orgId)}/api-keys`,
        auth: true,
        body,
        opts,
      }),
    listApiKeys: (orgId, query, opts) =>
      request<Page<ApiKey>>({
        method: 'GET',
        path: `/organizations/${seg(orgId)}/api-keys`,
        auth: true,
        query,
        opts,
      }),
    revokeApiKey: (orgId, keyId, opts) =>
      request<void>({
        method: 'DELETE',
        path: `/organizations/${seg(orgId)}/api-keys/${seg(keyId)}`,
        auth: true,
        opts,
      }),
  };

  const sup = (id: string): string => `/suppliers/${seg(id)}`;
  const cert = (id: string, certId: string): string => `${sup(id)}/certificates/${seg(certId)}`;

  const suppliers: SuppliersClient = {
    search: (filters = {}, opts) => {
      const { near, process: proc, size, ...rest } = filters;
      const query: Query = { ...rest };
      if (near) query.near = `${near.lat},${near.lon}`;
      if (proc !== undefined) query.process = typeof proc === 'string' ? [proc] : proc;
      if (size !== undefined) query.size = typeof size === 'string' ? [size] : size;
      return request<Page<SupplierSummary>>({ method: 'GET', path: '/suppliers', auth: true, query, opts });
    },
    get: (supplierId, opts) =>
      request<PublicSupplier>({ method: 'GET', path: sup(supplierId), auth: true, opts }),
    getProfile: (supplierId, opts) =>
      request<PrivateProfile>({ method: 'GET', path: `${sup(supplierId)}/profile`, auth: true, opts }),
    putProfile: (supplierId, body, opts) =>
      request<PrivateProfile>({ method: 'PUT', path: `${sup(supplierId)}/profile`, auth: true, body, opts }),
    addFacility: async (supplierId, body, opts) => {
      const res = await sendAuthed({
        method: 'POST',
        path: `${sup(supplierId)}/facilities`,
        auth: true,
        body,
        opts,
      });
      const facility = await parse<Facility>(res);
      return { created: res.status === 201, facility };
    },
    replaceFacilities: (supplierId, facilities, opts) =>
      request<FacilitySetResult>({
        method: 'PUT',
        path: `${sup(supplierId)}/facilities`,
        auth: true,
        body: { facilities },
        opts,
      }),
    updateFacility: (supplierId, facilityId, patch, opts) =>
      request<Facility>({
        method: 'PATCH',
        path: `${sup(supplierId)}/facilities/${seg(facilityId)}`,
        auth: true,
        body: patch,
        opts,
      }),
    deleteFacility: (supplierId, facilityId, opts) =>
      request<void>({
        method: 'DELETE',
        path: `${sup(supplierId)}/facilities/${seg(facilityId)}`,
        auth: true,
        opts,
      }),
    addTrackRecord: (supplierId, body, opts) =>
      request<TrackRecordEntry>({
        method: 'POST',
        path: `${sup(supplierId)}/track-record`,
        auth: true,
        body,
        opts,
      }),
    deleteTrackRecord: (supplierId, entryId, opts) =>
      request<void>({
        method: 'DELETE',
        path: `${sup(supplierId)}/track-record/${seg(entryId)}`,
        auth: true,
        opts,
      }),
  };

  const certificates: CertificatesClient = {
    list: (supplierId, query, opts) =>
      request<Page<Certificate>>({
        method: 'GET',
        path: `${sup(supplierId)}/certificates`,
        auth: true,
        query,
        opts,
      }),
    create: (supplierId, body, opts) =>
      request<Certificate>({
        method: 'POST',
        path: `${sup(supplierId)}/certificates`,
        auth: true,
        body,
        opts,
      }),
    update: (supplierId, certificateId, patch, opts) =>
      request<Certificate>({
        method: 'PATCH',
        path: cert(supplierId, certificateId),
        auth: true,
        body: patch,
        opts,
      }),
    revoke: (supplierId, certificateId, reason, opts) =>
      request<Certificate>({
        method: 'POST',
        path: `${cert(supplierId, certificateId)}/revoke`,
        auth: true,
        body: { reason },
        opts,
      }),
    uploadDocument: (supplierId, certificateId, doc, opts) => {
      const form = new FormData();
      const blob =
        doc.data instanceof Blob
          ? doc.data
          : new Blob([doc.data instanceof ArrayBuffer ? doc.data : new Uint8Array(doc.data)], {
              type: doc.mediaType ?? 'application/pdf',
            });
      form.append('file', blob, doc.fileName);
      return request<Certificate>({
        method: 'POST',
        path: `${cert(supplierId, certificateId)}/document`,
        auth: true,
        form,
        opts,
      });
    },
    downloadDocument: async (supplierId, certificateId, opts) => {
      const res = await sendAuthed({
        method: 'GET',
        path: `${cert(supplierId, certificateId)}/document`,
        auth: true,
        opts,
      });
      if (!res.ok) throw await errorFromResponse(res);
      const disposition = res.headers.get('content-disposition') ?? '';
      const name = /filename="([^"]*)"/.exec(disposition)?.[1] ?? null;
      return {
        bytes: new Uint8Array(await res.arrayBuffer()),
        mediaType: res.headers.get('content-type')?.split(';')[0]?.trim() ?? 'application/octet-stream',
        fileName: name,
      };
    },
    requestVerification: (supplierId, certificateId, auditorOrgId, opts) =>
      request<VerificationRequest>({
        method: 'POST',
        path: `${cert(supplierId, certificateId)}/verification-requests`,
        auth: true,
        body: { auditorOrgId },
        opts,
      }),
    listVerificationRequests: (query, opts) =>
      request<Page<VerificationQueueItem>>({
        method: 'GET',
        path: '/verification-requests',
        auth: true,
        query: { ...query },
        opts,
      }),
    verify: (requestId, opts) =>
      request<VerificationDecision>({
        method: 'POST',
        path: `/verification-requests/${seg(requestId)}/verify`,
        auth: true,
        opts,
      }),
    reject: (requestId, reason, opts) =>
      request<VerificationDecision>({
        method: 'POST',
        path: `/verification-requests/${seg(requestId)}/reject`,
        auth: true,
        body: { reason },
        opts,
      }),
  };

  const mandates: MandatesClient = {
    grant: (body, opts) => request<Mandate>({ method: 'POST', path: '/mandates', auth: true, body, opts }),
    list: (query, opts) =>
      request<Page<Mandate>>({ method: 'GET', path: '/mandates', auth: true, query: { ...query }, opts }),
    get: (mandateId, opts) =>
      request<Mandate>({ method: 'GET', path: `/mandates/${seg(mandateId)}`, auth: true, opts }),
    update: (mandateId, patch, opts) =>
      request<Mandate>({
        method: 'PATCH',
        path: `/mandates/${seg(mandateId)}`,
        auth: true,
        body: patch,
        opts,
      }),
    end: (mandateId, body, opts) =>
      request<Mandate>({
        method: 'POST',
        path: `/mandates/${seg(mandateId)}/end`,
        auth: true,
        body: body ?? {},
        opts,
      }),
  };

  return {
    registry,
    suppliers,
    certificates,
    mandates,
    setTokens,
    tokens: () => ({ ...held }),
  };
}
