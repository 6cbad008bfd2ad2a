/** Access tokens: ES256, short-lived, with the claims every service verifies locally. */
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { OrgType, Role } from '../db/schema.js';
import type { KeyStore } from './signing-keys.js';

export interface AccessClaims {
  subject: string;
  orgId: string;
  orgType: OrgType;
  roles: Role[] | string[];
  apiKeyId?: string;
  scopes?: string[];
}

export interface TokenIssuer {
  issueAccess(claims: AccessClaims): Promise<{ accessToken: string; expiresIn: number; tokenType: 'Bearer' }>;
}

export function createTokenIssuer(opts: {
  keys: KeyStore;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}): TokenIssuer {
  return {
    async issueAccess(c) {
      const key = await opts.keys.current();
      const payload: Record<string, unknown> = {
        typ: 'access',
        org: c.orgId,
        orgType: c.orgType,
        roles: c.roles,
      };
      if (c.apiKeyId) payload.apiKeyId = c.apiKeyId;
      if (c.scopes) payload.scopes = c.scopes;
      const accessToken = jwt.sign(payload, key.privateKey, {
        algorithm: 'ES256',
        keyid: key.kid,
        expiresIn: opts.ttlSeconds,
        issuer: opts.issuer,
        audience: opts.audience,
        subject: c.subject,
        jwtid: randomUUID(),
      });
      return { accessToken, expiresIn: opts.ttlSeconds, tokenType: 'Bearer' };
    },
  };
}
