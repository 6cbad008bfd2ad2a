/**
 * Who is calling. The auth module owns the type and the `request.principal` augmentation (../auth/fastify.ts)
 * and fills it; the http kit only reads `orgId` (the idempotency scope). Re-exported here so route code can
 * import everything HTTP from one place.
 */
export type { Principal } from '../auth/principal.js';
