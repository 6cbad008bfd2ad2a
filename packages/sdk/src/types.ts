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

// ---- supplier registry ----------------------------------------------------------------------------------------
// Mirrored from services/registry/src/routes/{suppliers,certificates,mandates,search}.routes.ts and the
// contracts' SupplierSnapshot.

export type TierIndustry =
  | 'automotive'
  | 'aerospace'
  | 'electronics'
  | 'medical'
  | 'energy'
  | 'food'
  | 'logistics'
  | 'information-technology'
  | 'other';

/** Fields demo data may mark as generated rather than declared. */
export type SyntheticField =
  | 'description'
  | 'scianCodes'
  | 'processTags'
  | 'materials'
  | 'capacity'
  | 'employees'
  | 'annualSalesMxnMillions'
  | 'tiers'
  | 'functionalStage'
  | 'exportExperience'
  | 'contact'
  | 'rfc';

export type CapacityUnitId =
  'units-per-month' | 'kg-per-month' | 'tonnes-per-month' | 'machine-hours-per-month' | 'm2-per-month';
export type FunctionalStageId = 'CM' | 'CDM' | 'OEM' | 'ODM' | 'OBM';
export type SizeClass = 'micro' | 'small' | 'medium' | 'large';

export interface Bilingual {
  es: string | null;
  en: string | null;
}

export interface Capacity {
  unit: CapacityUnitId;
  amountPerMonth: number;
  leadTimeDays?: number | null;
  largestPartMm?: number | null;
}

export interface Tier {
  industry: TierIndustry;
  /** 1–4 */
  tier: number;
}

/** PUT /suppliers/:id/profile: a full replace. The size class is derived from employees and sales, never sent. */
export interface SupplierProfileInput {
  description?: { es?: string | null; en?: string | null };
  /** SCIAN 2023 classes (6 digits). */
  scianCodes: string[];
  /** The subset of scianCodes mapped from an older SCIAN edition. */
  scianMapped?: string[];
  /** Ids from the taxonomy's process catalogue. */
  processTags: string[];
  materials?: string[];
  capacity?: Capacity | null;
  employees?: number | null;
  annualSalesMxnMillions?: number | null;
  tiers?: Tier[];
  functionalStage?: FunctionalStageId | null;
  exportExperience?: { exports: boolean; markets?: string[] };
  rfc?: string | null;
  contact?: { name?: string | null; email?: string | null; phone?: string | null };
  /** Names of the fields that were generated (demo data) rather than declared. */
  synthetic?: SyntheticField[];
}

/** A facility as the public snapshot shows it. */
export interface SupplierFacility {
  id: string;
  name: string;
  /** INEGI two-digit state code. */
  stateCode: string | null;
  municipality: string | null;
  lat: number | null;
  lon: number | null;
  industrialPark: string | null;
  cluster: string | null;
}

/** A facility as the supplier's own routes answer it. */
export interface Facility extends SupplierFacility {
  address: string | null;
  externalRef: string | null;
}

export interface FacilityInput {
  name: string;
  address?: string | null;
  /** INEGI two-digit code or a state name ("Querétaro", "CDMX"). */
  stateCode?: string | null;
  municipality?: string | null;
  lat?: number | null;
  lon?: number | null;
  industrialPark?: string | null;
  cluster?: string | null;
  /** Your own key: adding a facility with an externalRef that exists updates that facility instead. */
  externalRef?: string | null;
}

/** At least one field. */
export type FacilityPatch = Partial<FacilityInput>;

/** One facility of a full set (PUT /suppliers/:id/facilities). */
export interface FacilitySetItem extends FacilityInput {
  /** An existing facility of this supplier to rewrite; without it `externalRef` matches, else it is new. */
  id?: string | null;
}

/** PUT /suppliers/:id/facilities: the set as stored, and what the replace did (one version, one event). */
export interface FacilitySetResult {
  facilities: Facility[];
  created: number;
  /** Matched and changed. */
  updated: number;
  /** Matched and identical. */
  unchanged: number;
  deleted: number;
  /** The profile version after the replace. */
  version: number;
}

/** POST /suppliers/:id/facilities answers 201 (created) or 200 (updated through externalRef). */
export interface FacilityResult {
  created: boolean;
  facility: Facility;
}

export interface Money {
  /** Integer minor units (centavos). */
  amountMinor: number;
  currency: string;
}

export interface TrackRecordInput {
  title: string;
  description?: string | null;
  customerName?: string | null;
  customerOrgId?: string | null;
  /** YYYY-MM-DD */
  date?: string | null;
  value?: Money | null;
  scianCodes?: string[];
  synthetic?: boolean;
}

export interface TrackRecordEntry {
  id: string;
  title: string;
  description: string | null;
  customerName: string | null;
  customerOrgId: string | null;
  date: string | null;
  value: Money | null;
  scianCodes: string[];
  source: 'declared';
}

/** The public snapshot of a supplier (what events carry and anyone may see). */
export interface SupplierSnapshot {
  id: string;
  name: string;
  country: string;
  description: Bilingual;
  scianCodes: string[];
  scianMapped: string[];
  processTags: string[];
  materials: string[];
  facilities: SupplierFacility[];
  capacity: {
    unit: string;
    amountPerMonth: number;
    leadTimeDays: number | null;
    largestPartMm: number | null;
  } | null;
  sizeClass: SizeClass | null;
  sizeRule: string | null;
  tiers: Array<{ industry: string; tier: number }>;
  functionalStage: string | null;
  exportExperience: { exports: boolean; markets: string[] };
  trackRecord: TrackRecordEntry[];
  synthetic: string[];
  updatedAt: string;
}

/** GET /suppliers/:id: the public profile plus the standard ids of its certificates valid today. */
export interface PublicSupplier extends SupplierSnapshot {
  version?: number;
  certificates: string[];
}

/** GET/PUT /suppliers/:id/profile: for the supplier, its bureaus with a `view` mandate and assigned auditors. */
export interface PrivateProfile extends SupplierSnapshot {
  version: number;
  rfc: string | null;
  contact: { name: string | null; email: string | null; phone: string | null };
  employees: number | null;
  annualSalesMxnMillions: number | null;
  sizeScore: number | null;
}

/** GET /suppliers filters; every one optional, all combined with AND. */
export interface SupplierSearchFilters {
  /** SCIAN 2023 code or prefix, 2–6 digits. */
  scian?: string;
  /** Process tag ids (any of them). */
  process?: string | string[];
  /** Certification standard id; valid certificates only. */
  certificate?: string;
  /** INEGI state code or name. */
  state?: string;
  /** Search around this point (decimal degrees); with radiusKm. */
  near?: { lat: number; lon: number };
  radiusKm?: number;
  size?: SizeClass | SizeClass[];
  /** Declares tier ≤ this for some industry (or for `industry`). */
  tier?: number;
  industry?: string;
  /** Free text, Spanish or English. */
  q?: string;
  limit?: number;
  cursor?: string;
}

export interface SupplierSummary {
  id: string;
  name: string;
  country: string;
  description: Bilingual;
  scianCodes: string[];
  processTags: string[];
  materials: string[];
  facilities: SupplierFacility[];
  sizeClass: SizeClass | null;
  tiers: Array<{ industry: string; tier: number }>;
  functionalStage: string | null;
  /** Standard ids of certificates valid today. */
  certificates: string[];
  synthetic: string[];
  relevance?: number;
}

export type CertificateStatus = 'declared' | 'verified' | 'rejected' | 'expired' | 'revoked';

export interface Certificate {
  id: string;
  supplierId: string;
  standardId: string;
  standardName: { es: string; en: string } | null;
  certificateNumber: string;
  issuingBody: string;
  scope: string | null;
  validFrom: string;
  validTo: string;
  status: CertificateStatus;
  statusReason: string | null;
  hasDocument: boolean;
  /** Only for the supplier, bureaus with a `view` mandate and the auditors assigned to this certificate. */
  documentUrl?: string;
  verifiedBy: string | null;
  synthetic: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** POST /suppliers/:id/certificates. (The route has no `synthetic` field.) */
export interface NewCertificate {
  /** Id in the certification catalogue, e.g. iso-9001-2015. */
  standardId: string;
  certificateNumber: string;
  issuingBody: string;
  scope?: string | null;
  /** YYYY-MM-DD, America/Mexico_City calendar. */
  validFrom: string;
  validTo: string;
}

/** At least one field. */
export interface CertificatePatch {
  certificateNumber?: string;
  issuingBody?: string;
  scope?: string | null;
  validFrom?: string;
  validTo?: string;
}

/** A certificate document to upload: a PDF, PNG or JPEG (the server reads the type from the bytes). */
export interface DocumentUpload {
  data: Uint8Array | ArrayBuffer | Blob;
  fileName: string;
  /** Sent as the part's content type; defaults to application/pdf. The server ignores it and sniffs. */
  mediaType?: string;
}

export interface DocumentDownload {
  bytes: Uint8Array;
  mediaType: string;
  /** From content-disposition, when present. */
  fileName: string | null;
}

export type VerificationRequestStatus = 'requested' | 'verified' | 'rejected' | 'cancelled';

export interface VerificationRequest {
  id: string;
  certificateId: string;
  supplierId: string;
  auditorOrgId: string;
  status: VerificationRequestStatus;
  reason: string | null;
  createdAt: string;
  decidedAt: string | null;
}

/** An auditor's queue item. */
export interface VerificationQueueItem extends VerificationRequest {
  supplierName: string;
  certificate: {
    standardId: string;
    certificateNumber: string;
    issuingBody: string;
    validFrom: string;
    validTo: string;
    status: CertificateStatus;
    documentUrl: string;
  };
}

export interface VerificationQueueQuery extends PageQuery {
  status?: VerificationRequestStatus;
}

export interface VerificationDecision {
  request: VerificationRequest;
  certificate: {
    id: string;
    status: CertificateStatus;
    statusReason: string | null;
    verifiedBy: string | null;
  };
}

export type MandateScope = 'view' | 'apply' | 'message';
export type MandateStatus = 'active' | 'ended';

export interface GrantMandateRequest {
  bureauOrgId: string;
  scopes: MandateScope[];
  /** YYYY-MM-DD; defaults to today (America/Mexico_City). */
  startsOn?: string;
  endsOn?: string | null;
  /** basisPoints: rate on awarded value, 250 = 2.5 %. */
  commission: { basisPoints: number; terms?: string | null };
}

/** At least one field. */
export interface MandatePatch {
  scopes?: MandateScope[];
  endsOn?: string | null;
  commission?: { basisPoints?: number; terms?: string | null };
}

export interface EndMandateRequest {
  reason?: string;
}

export interface MandateListQuery extends PageQuery {
  status?: MandateStatus;
}

export interface Mandate {
  id: string;
  supplier: { id: string; name: string };
  bureau: { id: string; name: string };
  scopes: MandateScope[];
  startsOn: string;
  endsOn: string | null;
  commission: { basisPoints: number; terms: string | null };
  status: MandateStatus;
  /** Active and started: the bureau may act within the scopes today. */
  inForce: boolean;
  endedBy: string | null;
  endedAt: string | null;
  endReason: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  links: { supplierProfile: string | null };
}
