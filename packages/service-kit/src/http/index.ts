/** `@vinculo/service-kit/http`: the fastify factory and what routes share. */
export {
  createHttpServer,
  correlationIdFrom,
  routeTable,
  type RouteEntry,
  type HttpServer,
  type HttpServerOptions,
  type ReadinessCheck,
} from './server.js';
export {
  AppError,
  DependencyUnavailableError,
  defineErrors,
  errorForStatus,
  httpErrors,
  isAppError,
  isDependencyUnavailable,
  negotiateLanguage,
  toProblem,
  type ErrorFactories,
  type ErrorInit,
  type ErrorSpec,
  type FieldError,
  type Lang,
  type Localized,
  type Problem,
} from './errors.js';
export type { Principal } from './principal.js';
export {
  createRateLimiter,
  enforceRateLimit,
  rateLimitBy,
  type RateLimiter,
  type RateLimiterOptions,
  type RateLimitKeyFn,
  type RateLimitOptions,
  type RateLimitResult,
  type RateLimitRule,
} from './rate-limit.js';
export { canonicalJson, type IdempotencyOptions } from './idempotency.js';
export { registerCors } from './cors.js';
export {
  CursorQuery,
  DEFAULT_PAGE_SIZE,
  FieldErrorSchema,
  Paginated,
  ProblemSchema,
  Uuid,
  decodeCursor,
  encodeCursor,
  type CursorQueryType,
  type ProblemBody,
} from './schemas.js';
