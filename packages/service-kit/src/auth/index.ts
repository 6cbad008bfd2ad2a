export type { Principal, OrgType } from './principal.js';
export { orgTypes, isOrgType } from './principal.js';
export { AuthError, isAuthError, type AuthErrorCode } from './errors.js';
export {
  createJwksClient,
  staticKeySource,
  parseJwks,
  safeKid,
  type KeySource,
  type JwksClient,
  type JwksClientOptions,
} from './keys.js';
export { createTokenVerifier, type TokenVerifier, type TokenVerifierOptions } from './verifier.js';
export { authenticate, optionalAuth, type AuthHook } from './fastify.js';
