/**
 * Who is calling: one person (or machine client) speaking for exactly one organisation. Built from a verified
 * access token (or, later, an API key); never from anything the caller can set unsigned.
 */
export const orgTypes = ['buyer', 'supplier', 'bureau', 'auditor', 'platform'] as const;

export type OrgType = (typeof orgTypes)[number];

export interface Principal {
  /** `sub` of the access token; absent for API-key callers. */
  userId?: string;
  /** `org`: the organisation this token speaks for. */
  orgId: string;
  orgType: OrgType;
  roles: string[];
  apiKeyId?: string;
  scopes?: string[];
  /** `jti` of the access token, for logs and audit trails. */
  tokenId?: string;
}

export function isOrgType(value: unknown): value is OrgType {
  return typeof value === 'string' && (orgTypes as readonly string[]).includes(value);
}
