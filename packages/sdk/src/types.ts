/**
 * Request and response shapes of Vínculo's public registry API, mirrored by hand from
 * services/registry/src/routes/schemas.ts (the SDK must not import from services).
 */

export type Role = 'owner' | 'admin' | 'member' | 'viewer';
export type OrgType = 'buyer' | 'supplier' | 'bureau' | 'auditor' | 'platform';
export type SignupOrgType = Exclude<OrgType, 'platform'>;
export type Language = 'es' | 'en';
export type ApiKeyScope = 'registry:read' | 'registry:write' | 'matching:read' | 'matching:write';

/** The tokens a client holds. `refreshToken` is absent for API-key sessions. */
export interface Tokens {
  accessToken?: string;
  refreshToken?: string;
}

export interface TokenOrganization {
  id: string;
  name: string;
  type: OrgType;
  role: Role;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  organization: TokenOrganization;
}

export interface User {
  id: string;
  email: string;
  name: string;
}

export interface SignupRequest {
  email: string;
  password: string;
  name: string;
  organization: { name: string; type: SignupOrgType; country?: string };
}

export interface SignupResponse extends TokenPair {
  user: User;
}

export interface LoginRequest {
  email: string;
  password: string;
  organizationId?: string;
}

export interface RefreshRequest {
  refreshToken: string;
}

export interface SwitchRequest {
  organizationId: string;
}

export interface LogoutRequest {
  refreshToken?: string;
}

export interface ApiKeyTokenRequest {
  apiKey: string;
}

export interface AccessToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface Membership {
  organizationId: string;
  name: string;
  type: OrgType;
  role: Role;
}

export interface Me {
  user: User | null;
  organization: { id: string; name: string; type: OrgType; role?: Role } | null;
  memberships: Membership[];
  apiKeyId: string | null;
  scopes: string[];
}

export interface Jwk {
  kty: string;
  crv?: string;
  x?: string;
  y?: string;
  kid: string;
  alg: string;
  use: string;
}

export interface Jwks {
  keys: Jwk[];
}

export interface Organization {
  id: string;
  name: string;
  type: OrgType;
  country: string;
  taxId: string | null;
  state: string | null;
  municipality: string | null;
  website: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** At least one field. */
export interface OrganizationPatch {
  name?: string;
  country?: string;
  taxId?: string | null;
  state?: string | null;
  municipality?: string | null;
  website?: string | null;
}

export interface Member {
  userId: string;
  name: string;
  email: string;
  role: Role;
  createdAt: string;
}

export interface RoleRequest {
  role: Role;
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  status: string;
  createdAt: string;
  expiresAt: string;
}

export interface InvitationRequest {
  email: string;
  role: Role;
  locale?: Language;
}

export interface AcceptInvitationRequest {
  token: string;
  name?: string;
  password?: string;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface ApiKeyRequest {
  name: string;
  scopes: ApiKeyScope[];
}

/** Returned once, at creation: `key` is the secret and is never shown again. */
export interface CreatedApiKey extends ApiKey {
  key: string;
}

export interface FieldError {
  in?: string;
  path: string;
  message: string;
}

/** RFC 9457 problem+json, as every Vínculo service answers errors. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  instance?: string;
  correlationId: string;
  errors?: FieldError[];
}

export interface PageQuery {
  limit?: number;
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
