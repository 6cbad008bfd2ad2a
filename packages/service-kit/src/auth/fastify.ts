/**
 * fastify hooks that turn `Authorization: Bearer <token>` into `request.principal`. Failures are thrown as
 * {@link AuthError} (statusCode 401, stable `code`, `WWW-Authenticate` in `headers`) so the service's
 * problem+json error handler renders them like any other error.
 *
 * Use as `onRequest` (cheapest: before the body is parsed) or `preHandler`. Services should
 * `app.decorateRequest('principal', undefined)` once so fastify keeps one request shape.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthError } from './errors.js';
import type { Principal } from './principal.js';
import type { TokenVerifier } from './verifier.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticate`/`optionalAuth`; undefined for anonymous callers of optional routes. */
    principal?: Principal;
  }
}

export type AuthHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** undefined: no Authorization header at all. */
function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer +([^\s]+) *$/i.exec(header);
  // A header that is present but not a bearer token is a bad credential, not an anonymous call.
  if (!match?.[1]) throw new AuthError('AUTH_TOKEN_INVALID', 'Authorization is not a Bearer token');
  return match[1];
}

export function authenticate(verifier: TokenVerifier): AuthHook {
  return async (request) => {
    const token = bearerToken(request);
    if (token === undefined) throw new AuthError('AUTH_TOKEN_MISSING');
    request.principal = await verifier.verify(token);
  };
}

/** Anonymous callers pass with no principal; a caller who sends a token must send a good one. */
export function optionalAuth(verifier: TokenVerifier): AuthHook {
  return async (request) => {
    const token = bearerToken(request);
    if (token === undefined) return;
    request.principal = await verifier.verify(token);
  };
}
