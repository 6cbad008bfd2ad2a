import type { SizeClass, SupplierTier } from '@vinculo/taxonomy';

/** Certificate statuses that can still satisfy a requirement; expired, revoked and rejected never do. */
export type EngineCertificateStatus = 'declared' | 'verified' | 'rejected' | 'expired' | 'revoked';

export interface EngineCertificate {
  readonly standardId: string;
  readonly status: EngineCertificateStatus;
  /** ISO dates (YYYY-MM-DD); compared as strings. */
  readonly validFrom: string;
  readonly validTo: string;
}

export interface EngineFacility {
  readonly lat: number | null;
  readonly lon: number | null;
  readonly stateCode: string | null;
}

export interface EngineTrackRecord {
  readonly title: string;
  readonly description: string | null;
  readonly customerName: string | null;
  readonly customerId?: string | null;
  /** ISO date or date-time. */
  readonly date: string | null;
  /** Contract value in any currency's major units; only its magnitude is used. */
  readonly value?: number | null;
  readonly scianCodes: readonly string[];
  /** Other classification codes (UNSPSC, CUCoP, budget lines …) of the contract's items; compared by prefix. */
  readonly codes?: readonly string[];
}

/** What matching's read model holds about one supplier. */
export interface EngineSupplier {
  readonly id: string;
  readonly name: string;
  readonly descriptions: readonly string[];
  /** SCIAN 2023 classes (6 digits). */
  readonly scianCodes: readonly string[];
  readonly processTags: readonly string[];
  readonly materials: readonly string[];
  readonly facilities: readonly EngineFacility[];
  readonly capacity: { readonly unit: string; readonly amountPerMonth: number } | null;
  readonly sizeClass: SizeClass | null;
  readonly tiers: readonly { readonly industry: string; readonly tier: number }[];
  readonly certificates: readonly EngineCertificate[];
  readonly trackRecord: readonly EngineTrackRecord[];
  /** Audit score in 0..1; absent until audits exist, which scores neutral. */
  readonly qualification?: number | null;
}

export interface RequirementItem {
  readonly description: string;
  readonly codes: readonly string[];
}

export interface RequiredCertificate {
  readonly standardId: string;
  readonly verifiedOnly?: boolean;
}

export type SizePreference = 'sme-only' | 'prefer-sme';

export interface EngineRequirement {
  readonly title: string;
  readonly description: string;
  readonly items: readonly RequirementItem[];
  readonly capabilities: { readonly scianCodes: readonly string[]; readonly processTags: readonly string[] };
  readonly mustHaveCertificates: readonly RequiredCertificate[];
  readonly niceToHaveCertificates: readonly RequiredCertificate[];
  readonly maxTier?: SupplierTier | null;
  readonly sizePreference?: SizePreference | null;
  readonly location?: { readonly lat: number; readonly lon: number; readonly radiusKm: number } | null;
  readonly volume?: { readonly unit: string; readonly amountPerMonth: number } | null;
  /** ISO date; certificates expiring before it are flagged. */
  readonly deadline?: string | null;
  readonly buyerId?: string | null;
  readonly buyerName?: string | null;
  /** ISO date on which certificates must be valid, and from which recency is measured. */
  readonly evaluationDate: string;
}

export const CRITERIA = [
  'capability',
  'text',
  'codes',
  'certificates',
  'tier',
  'distance',
  'capacity',
  'trackRecord',
  'buyerHistory',
  'recency',
  'qualification',
  'preference',
] as const;
export type Criterion = (typeof CRITERIA)[number];
export type Weights = Readonly<Record<Criterion, number>>;

export interface ExplanationEntry {
  readonly criterion: Criterion;
  readonly weight: number;
  /** Normalised to 0..1. */
  readonly value: number;
  /** weight × value, divided by the sum of weights: the candidate's score is the sum of contributions. */
  readonly contribution: number;
  readonly note: string;
}

export interface Candidate {
  readonly supplierId: string;
  readonly score: number;
  readonly explanation: readonly ExplanationEntry[];
}

export type HardConstraint = 'certificate' | 'radius' | 'tier' | 'size' | 'capability';

export interface Gap {
  readonly constraint: HardConstraint;
  readonly gap: string;
  readonly fix: string;
}

export interface NearMiss {
  readonly supplierId: string;
  readonly score: number;
  readonly failed: readonly Gap[];
}

export interface MatchResult {
  readonly candidates: readonly Candidate[];
  readonly nearMisses: readonly NearMiss[];
  /** Number of suppliers meeting every hard constraint (before pagination). */
  readonly total: number;
}

export interface MatchOptions {
  readonly weights?: Partial<Weights>;
  readonly limit?: number;
  readonly offset?: number;
  /** How many near misses to return (best first); default 10. */
  readonly nearMissLimit?: number;
}
