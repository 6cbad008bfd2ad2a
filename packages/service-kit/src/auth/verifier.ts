/**
 * Local verification of the registry's access tokens (ARCHITECTURE.md "Identity and authorization").
 * The header is read only to pick a key by `kid`; everything that decides validity is pinned here:
 * the algorithm (ES256 only — `none` and HS* can never be selected, which closes alg confusion), issuer,
 * audience, clock tolerance, and the claims an access token must carry. `jku`, `x5u`, `jwk` and `x5c` headers
 * are never looked at, so a token cannot point us at its own key.
 */
import jwt from 'jsonwebtoken';
import { AuthError } from './errors.js';
import { safeKid, type KeySource } from './keys.js';
import { isOrgType, type Principal } from './principal.js';

export interface TokenVerifierOptions {
  keys: KeySource;
  issuer: string;
  audience: string;
  /** Pinned: the only value accepted is ES256. Present so a config that says otherwise fails at boot. */
  algorithms?: readonly ['ES256'];
  clockToleranceSec?: number;
  maxTokenLength?: number;
  /**
   * Tokens verified in the last `cacheTtlMs` (default 60 s; 0 turns the cache off) are recognised by their exact
   * bytes without checking the signature again, while their key is still in the key set and before their
   * `exp`: a client sends the same token on every request, and an ECDSA verification is most of a request's
   * authentication cost. At most `cacheSize` tokens (default 10,000) are kept.
   */
  cacheTtlMs?: number;
  cacheSize?: number;
}

export interface TokenVerifier {
  /** Resolves with the caller, or rejects with an {@link AuthError}. */
  verify(token: string | undefined): Promise<Principal>;
}

const compactJws = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function invalid(reason: string): AuthError {
  return new AuthError('AUTH_TOKEN_INVALID', reason);
}

function decodeHeader(token: string): Record<string, unknown> {
  const [encoded] = token.split('.', 1);
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(encoded ?? '', 'base64url').toString('utf8'));
  } catch {
    throw invalid('header is not JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw invalid('header is not an object');
  return header as Record<string, unknown>;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

export function createTokenVerifier(opts: TokenVerifierOptions): TokenVerifier {
  const algorithms = opts.algorithms ?? ['ES256'];
  // Checked at runtime too: a config object cast from env must not widen the allow-list.
  if (algorithms.length !== 1 || algorithms[0] !== 'ES256')
    throw new Error('token algorithms are pinned to ES256');
  if (!opts.issuer || !opts.audience) throw new Error('issuer and audience are required');
  const clockTolerance = opts.clockToleranceSec ?? 5;
  const maxTokenLength = opts.maxTokenLength ?? 4096;
  const cacheTtlMs = opts.cacheTtlMs ?? 60_000;
  const cacheSize = opts.cacheSize ?? 10_000;
  // Insertion order is age: the oldest entry is evicted first.
  const verified = new Map<string, VerifiedToken>();

  return {
    async verify(token) {
      if (token === undefined || token === '') throw new AuthError('AUTH_TOKEN_MISSING');
      if (token.length > maxTokenLength) throw invalid('token too long');

      const hit = verified.get(token);
      if (hit) {
        const t = Date.now();
        // The key must still be in the set (a removed key revokes its tokens here too) and the token unexpired;
        // anything else goes through the full verification, which gives the precise error.
        if (t < hit.until && (await opts.keys.getKey(hit.kid)) === hit.key)
          return copyPrincipal(hit.principal);
        verified.delete(token);
      }

      if (!compactJws.test(token)) throw invalid('not a signed compact JWS');

      const header = decodeHeader(token);
      if (header.alg !== 'ES256') throw invalid(`algorithm ${String(header.alg)} not allowed`);
      // RFC 7515 §4.1.11: extensions we do not understand must make the token invalid.
      if (header.crit !== undefined) throw invalid('crit header not supported');
      const { kid } = header;
      if (typeof kid !== 'string' || !safeKid.test(kid)) throw invalid('missing or unsafe kid');

      const key = await opts.keys.getKey(kid);
      if (key === undefined) throw invalid(`unknown kid ${kid}`);

      let claims: jwt.JwtPayload;
      try {
        const decoded = jwt.verify(token, key, {
          algorithms: ['ES256'],
          issuer: opts.issuer,
          audience: opts.audience,
          clockTolerance,
        });
        if (typeof decoded === 'string') throw invalid('payload is not a JSON object');
        claims = decoded;
      } catch (err) {
        if (err instanceof AuthError) throw err;
        if (err instanceof jwt.TokenExpiredError) throw new AuthError('AUTH_TOKEN_EXPIRED', err.message);
        throw invalid(err instanceof Error ? err.message : 'verification failed');
      }

      // An access token is short-lived by construction: one without `exp` would live forever.
      if (typeof claims.exp !== 'number') throw invalid('missing exp');
      // Refresh tokens are opaque today, but any other signed token type (invitations, email links) must not
      // pass as an access token.
      if (claims.typ !== 'access') throw invalid('not an access token');
      const { sub, jti, org, orgType, roles, scopes } = claims as Record<string, unknown>;
      if (!nonEmptyString(sub)) throw invalid('missing sub');
      if (!nonEmptyString(jti)) throw invalid('missing jti');
      if (!nonEmptyString(org)) throw invalid('missing org');
      if (!isOrgType(orgType)) throw invalid('missing or unknown orgType');
      if (!isStringArray(roles)) throw invalid('roles must be an array of strings');
      if (scopes !== undefined && !isStringArray(scopes)) throw invalid('scopes must be an array of strings');

      // Machine clients (API keys exchanged for a token) carry apiKeyId and no person: sub names the key.
      const apiKeyId = (claims as Record<string, unknown>).apiKeyId;
      if (apiKeyId !== undefined && !nonEmptyString(apiKeyId)) throw invalid('apiKeyId must be a string');
      const principal: Principal =
        apiKeyId === undefined
          ? { userId: sub, orgId: org, orgType, roles: [...roles], tokenId: jti }
          : { apiKeyId, orgId: org, orgType, roles: [...roles], tokenId: jti };
      if (scopes !== undefined) principal.scopes = [...scopes];
      if (cacheTtlMs > 0) {
        verified.set(token, {
          principal: copyPrincipal(principal),
          kid,
          key,
          until: Math.min(claims.exp * 1000, Date.now() + cacheTtlMs),
        });
        if (verified.size > cacheSize) verified.delete(verified.keys().next().value as string);
      }
      return principal;
    },
  };
}

interface VerifiedToken {
  principal: Principal;
  kid: string;
  key: unknown;
  /** Epoch ms until which the token is recognised without verification. */
  until: number;
}

function copyPrincipal(p: Principal): Principal {
  const out: Principal = { ...p, roles: [...p.roles] };
  if (p.scopes) out.scopes = [...p.scopes];
  return out;
}
