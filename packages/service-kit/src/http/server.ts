/**
 * The fastify factory every service uses: JSON logs with a correlation id, problem+json errors, /health,
 * /ready, /metrics, /openapi.json, security headers, body and time limits, JSON-only bodies, optional Redis rate
 * limits and Idempotency-Key support. It never listens: main.ts does, tests use `app.inject`.
 */
import type { IncomingMessage } from 'node:http';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Redis } from 'ioredis';
import type { DestinationStream, LevelWithSilent } from 'pino';
import { Registry, Histogram, collectDefaultMetrics } from 'prom-client';
import { v7 as uuidv7 } from 'uuid';
import { isDatabaseUnavailable } from '../db/index.js';
import {
  AppError,
  type FieldError,
  errorForStatus,
  httpErrors,
  isAppError,
  isDependencyUnavailable,
  negotiateLanguage,
  toProblem,
} from './errors.js';
import { registerIdempotency, type IdempotencyOptions } from './idempotency.js';
// The `request.principal` augmentation lives with the auth module that fills it.
import type {} from '../auth/fastify.js';
import {
  createRateLimiter,
  enforceRateLimit,
  type RateLimiter,
  type RateLimitOptions,
  type RateLimitRule,
} from './rate-limit.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** From a sane `x-correlation-id` / `x-request-id` header, else a fresh uuid v7; equals `request.id`. */
    correlationId: string;
  }
  interface FastifyInstance {
    /** /ready turns 503 and new requests (except /health) get 503; also called by the preClose hook. */
    markShuttingDown(): void;
    /** This app's Prometheus registry (not the global one), for the service's own metrics. */
    metricsRegistry: Registry;
    /** The Redis limiter when `rateLimit` was configured, for `rateLimitBy`. */
    rateLimiter: RateLimiter | undefined;
  }
  interface FastifyContextConfig {
    /** Honour the Idempotency-Key header on this route. */
    idempotent?: boolean;
    /** Replace the global per-IP limit for this route, or switch it off with false. */
    rateLimit?: RateLimitOptions | false;
  }
}

export type HttpServer = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export type ReadinessCheck = () => Promise<boolean>;

export interface HttpServerOptions {
  /** Service name: a default label on every metric and the `service` field of every log line. */
  service: string;
  logger?: {
    level?: LevelWithSilent;
    /** Where JSON lines go (default stdout); tests pass a stream to read them. */
    stream?: DestinationStream;
  };
  /** Largest accepted body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /**
   * Deadline for a route to answer (fastify's handlerTimeout: 503 REQUEST_TIMEOUT and `request.signal` aborted;
   * a route overrides it with its own `handlerTimeout`) and for a client to send its whole request.
   */
  requestTimeoutMs?: number;
  /**
   * Requests served per kept-alive connection before it is closed (default: no limit). Replicas behind a
   * balancer that spreads connections, not requests (node:cluster, a Kubernetes Service), share the load only
   * if connections come and go: a client's pool sends most requests on its first connection.
   */
  maxRequestsPerSocket?: number;
  /** fastify's trustProxy: true behind the gateway, so request.ip is the client's. */
  trustProxy?: boolean | string | string[];
  /** Dependency checks for /ready, run in parallel, each bounded by readinessTimeoutMs. */
  readiness?: Record<string, ReadinessCheck>;
  readinessTimeoutMs?: number;
  /** Global per-IP limit (skipped by /health, /ready, /metrics and routes with `config.rateLimit: false`). */
  rateLimit?: { redis: Redis; prefix: string; default: RateLimitRule; commandTimeoutMs?: number };
  idempotency?: IdempotencyOptions;
  openapi: { title: string; version: string; description?: string };
  /** Deepest nesting accepted in a JSON body (default 64): deeper bodies are a 400 before any code walks them. */
  maxJsonDepth?: number;
  /** Extra "dependency unavailable" test for errors answered 503 (the database, Redis and NATS are built in). */
  isUnavailable?: (err: unknown) => boolean;
}

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([k, v]) => k.includes('\u0000') || containsNul(v));
  }
  return false;
}

const CORRELATION_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const RETRY_AFTER_SECONDS = '5';

/** Never logged in clear. pino's redact takes exact paths; '*' matches one level. */
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'authorization',
  'cookie',
  'password',
  'newPassword',
  'currentPassword',
  'refreshToken',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.refreshToken',
  '*.*.password',
];

export function correlationIdFrom(req: IncomingMessage): string {
  for (const name of ['x-correlation-id', 'x-request-id']) {
    const v = req.headers[name];
    if (typeof v === 'string' && CORRELATION_ID.test(v)) return v;
  }
  return uuidv7();
}

/** fastify's own client errors that have a code of ours. */
const FASTIFY_CODES: Record<string, (() => AppError) | undefined> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () => httpErrors.PAYLOAD_TOO_LARGE(),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => httpErrors.UNSUPPORTED_MEDIA_TYPE(),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => httpErrors.MALFORMED_JSON(),
  FST_ERR_CTP_INVALID_JSON_BODY: () => httpErrors.MALFORMED_JSON(),
  FST_ERR_HANDLER_TIMEOUT: () =>
    httpErrors.REQUEST_TIMEOUT({ headers: { 'retry-after': RETRY_AFTER_SECONDS } }),
};

const PROBE_PATHS = new Set(['/health', '/ready', '/metrics', '/openapi.json']);

export async function createHttpServer(opts: HttpServerOptions): Promise<HttpServer> {
  const requestTimeoutMs = opts.requestTimeoutMs ?? 10_000;
  const app = Fastify({
    logger: {
      level: opts.logger?.level ?? 'info',
      base: { service: opts.service },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      ...(opts.logger?.stream ? { stream: opts.logger.stream } : {}),
    },
    genReqId: correlationIdFrom,
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'correlationId' }),
    bodyLimit: opts.bodyLimit ?? 1_048_576,
    // The route deadline answers a problem+json; Node's own limits (time to receive a whole request, socket
    // inactivity) are the backstop for slow or stuck clients.
    handlerTimeout: requestTimeoutMs,
    requestTimeout: requestTimeoutMs,
    connectionTimeout: requestTimeoutMs + 5_000,
    maxRequestsPerSocket: opts.maxRequestsPerSocket ?? 0,
    trustProxy: opts.trustProxy ?? false,
    // We answer the 503 ourselves while closing, as problem+json, and keep /health up.
    return503OnClosing: false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // ---- security headers, content types ----------------------------------------------------------------------
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
    crossOriginResourcePolicy: { policy: 'same-site' },
  });
  // JSON only; a route that takes uploads registers its multipart parser itself. fastify's JSON parser (which
  // refuses __proto__ and constructor.prototype keys) plus a depth bound, checked without recursion.
  app.removeContentTypeParser(['text/plain', 'application/json']);
  const parseJson = app.getDefaultJsonParser('error', 'error');
  const maxDepth = opts.maxJsonDepth ?? 64;
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    void parseJson(request, typeof body === 'string' ? body : body.toString('utf8'), (err, value) => {
      if (err) return done(err);
      if (nestedDeeperThan(value, maxDepth)) return done(httpErrors.BODY_TOO_DEEP());
      // PostgreSQL text cannot hold U+0000: refuse it here, for every route, instead of failing at the INSERT.
      if (containsNul(value)) return done(httpErrors.NUL_CHARACTER());
      done(null, value);
    });
  });

  // ---- correlation id, principal, shutdown gate, handler deadline -------------------------------------------
  let shuttingDown = false;
  app.decorate('markShuttingDown', () => {
    shuttingDown = true;
  });
  app.addHook('preClose', (done) => {
    shuttingDown = true;
    done();
  });
  app.decorateRequest('correlationId', '');
  app.decorateRequest('principal', undefined);

  app.addHook('onRequest', async (request, reply) => {
    request.correlationId = request.id;
    void reply.header('x-correlation-id', request.id);
    const route = request.routeOptions.url;
    if (shuttingDown && route !== '/health' && route !== '/ready') {
      void reply.header('connection', 'close');
      throw httpErrors.SERVICE_UNAVAILABLE({ headers: { 'retry-after': RETRY_AFTER_SECONDS } });
    }
  });

  // ---- metrics ----------------------------------------------------------------------------------------------
  const registry = new Registry();
  registry.setDefaultLabels({ service: opts.service });
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by route pattern',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  app.decorate('metricsRegistry', registry);
  app.addHook('onResponse', async (request, reply) => {
    duration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? '<unmatched>',
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });

  // ---- errors -----------------------------------------------------------------------------------------------
  const sendProblem = (request: FastifyRequest, reply: FastifyReply, err: AppError): FastifyReply => {
    const lang = negotiateLanguage(request.headers['accept-language']);
    const problem = toProblem(err, lang, request.id, request.url.split('?')[0]);
    void reply
      .code(err.status)
      .headers(err.headers)
      .header('x-correlation-id', request.id)
      .header('content-language', lang)
      .header('vary', 'Accept-Language')
      .header('cache-control', 'no-store')
      .type('application/problem+json; charset=utf-8');
    // A pre-serialised string bypasses any response schema the route declared for this status.
    return reply.send(JSON.stringify(problem));
  };

  const classify = (err: unknown): { appError: AppError; unexpected: boolean } => {
    if (isAppError(err))
      return { appError: err, unexpected: err.status >= 500 && err.code === 'INTERNAL_ERROR' };
    const e = err as Partial<FastifyError> & { validation?: unknown };
    if (Array.isArray(e.validation)) {
      return { appError: httpErrors.VALIDATION_FAILED({ errors: fieldErrors(e) }), unexpected: false };
    }
    const known = typeof e.code === 'string' ? FASTIFY_CODES[e.code] : undefined;
    if (known) return { appError: known(), unexpected: false };
    // fastify's JSON parser (secure-json-parse) throws a SyntaxError marked 400, also for __proto__ keys.
    if (err instanceof SyntaxError && e.statusCode === 400) {
      return { appError: httpErrors.MALFORMED_JSON(), unexpected: false };
    }
    if (isDatabaseUnavailable(err) || isDependencyUnavailable(err) || opts.isUnavailable?.(err) === true) {
      const appError = httpErrors.SERVICE_UNAVAILABLE({ headers: { 'retry-after': RETRY_AFTER_SECONDS } });
      return { appError, unexpected: false };
    }
    const status = e.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return { appError: foreignClientError(err as Error, status), unexpected: false };
    }
    return { appError: httpErrors.INTERNAL_ERROR(), unexpected: true };
  };

  app.setErrorHandler((err, request, reply) => {
    const { appError, unexpected } = classify(err);
    if (unexpected || appError.status === 500) {
      request.log.error({ err }, 'request failed');
    } else if (appError.status >= 500) {
      request.log.warn({ err, code: appError.code }, 'dependency unavailable');
    } else {
      request.log.info({ code: appError.code, status: appError.status }, 'request rejected');
    }
    return sendProblem(request, reply, appError);
  });

  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, httpErrors.NOT_FOUND()));

  // ---- rate limits and idempotency --------------------------------------------------------------------------
  let limiter: RateLimiter | undefined;
  if (opts.rateLimit) {
    const rl = opts.rateLimit;
    const theLimiter = createRateLimiter({
      redis: rl.redis,
      prefix: rl.prefix,
      commandTimeoutMs: rl.commandTimeoutMs,
    });
    limiter = theLimiter;
    app.addHook('onRequest', async (request, reply) => {
      const route = request.routeOptions.url;
      const config = request.routeOptions.config.rateLimit;
      if (config === false || (route !== undefined && PROBE_PATHS.has(route))) return;
      const rule: RateLimitOptions = config ?? { ...rl.default, name: 'global' };
      await enforceRateLimit(theLimiter, request, reply, request.ip, {
        name: config ? `route:${route ?? ''}` : 'global',
        ...rule,
      });
    });
  }
  app.decorate('rateLimiter', limiter);
  if (opts.idempotency) registerIdempotency(app, opts.idempotency);

  // ---- OpenAPI ----------------------------------------------------------------------------------------------
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: opts.openapi.title,
        version: opts.openapi.version,
        description: opts.openapi.description,
      },
      // Routes declare `security: [{ bearer: [] }]`; the scheme must exist or document generation throws.
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
  });
  app.get('/openapi.json', { schema: { hide: true }, config: { rateLimit: false } }, () => app.swagger());

  // ---- probes and metrics -----------------------------------------------------------------------------------
  app.get('/health', { schema: { hide: true }, config: { rateLimit: false } }, () => ({ status: 'ok' }));

  const checks = Object.entries(opts.readiness ?? {});
  const readinessTimeoutMs = opts.readinessTimeoutMs ?? 1_000;
  app.get('/ready', { schema: { hide: true }, config: { rateLimit: false } }, async (request, reply) => {
    if (shuttingDown) {
      void reply.code(503).header('retry-after', RETRY_AFTER_SECONDS);
      return { status: 'shutting_down', checks: {} };
    }
    const results = await Promise.all(
      checks.map(async ([name, check]) => [name, await probe(check, readinessTimeoutMs)] as const),
    );
    const out: Record<string, 'up' | 'down'> = {};
    for (const [name, up] of results) out[name] = up ? 'up' : 'down';
    const ready = results.every(([, up]) => up);
    if (!ready) {
      request.log.warn({ checks: out }, 'not ready');
      void reply.code(503).header('retry-after', RETRY_AFTER_SECONDS);
    }
    return { status: ready ? 'ready' : 'not_ready', checks: out };
  });

  app.get('/metrics', { schema: { hide: true }, config: { rateLimit: false } }, async (_request, reply) => {
    void reply.type(registry.contentType);
    return registry.metrics();
  });

  // Recorded after the kit's own routes, so the table lists exactly what the service adds.
  const routes: RouteEntry[] = [];
  routeTables.set(app, routes);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) {
      if (method === 'HEAD') continue;
      routes.push({
        method,
        url: r.url,
        params: [...r.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!),
        hasBody: r.schema?.body !== undefined,
      });
    }
  });

  return app;
}

export interface RouteEntry {
  method: string;
  url: string;
  /** Names of the path parameters, e.g. ['orgId', 'userId']. */
  params: string[];
  hasBody: boolean;
}

const routeTables = new WeakMap<object, RouteEntry[]>();

/**
 * Every route the service registered after createHttpServer: tests generate their authorization matrix and
 * bad-input properties from it, so a new route is covered the day it is added.
 */
export function routeTable(app: object): RouteEntry[] {
  return routeTables.get(app) ?? [];
}

function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [v, depth] = item;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

async function probe(check: ReadinessCheck, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      check().then((ok) => ok === true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

const SAFE_FOREIGN_HEADERS = ['www-authenticate', 'retry-after'];

/**
 * A 4xx thrown by a library or another kit module (fastify's FST_ERR_*, the auth module's AuthError): keep a
 * SCREAMING_SNAKE code and the few headers that matter; show the message only where we know it is bland.
 */
function foreignClientError(err: Error, status: number): AppError {
  const e = err as Error & { code?: unknown; headers?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const showMessage = (code?.startsWith('FST_') ?? false) || err.name === 'AuthError';
  const headers: Record<string, string> = {};
  if (e.headers && typeof e.headers === 'object') {
    for (const name of SAFE_FOREIGN_HEADERS) {
      const v = (e.headers as Record<string, unknown>)[name];
      if (typeof v === 'string') headers[name] = v;
    }
  }
  const generic = errorForStatus(status, { headers, ...(showMessage ? { detail: err.message } : {}) });
  if (code === undefined || code.startsWith('FST_') || !/^[A-Z][A-Z0-9_]{2,80}$/.test(code)) return generic;
  return new AppError(
    code,
    { status, en: generic.title.en, es: generic.title.es },
    {
      headers,
      ...(showMessage ? { detail: err.message } : {}),
    },
  );
}

function fieldErrors(e: { validation?: unknown; validationContext?: string }): FieldError[] {
  const list = Array.isArray(e.validation) ? (e.validation as unknown[]) : [];
  return list.slice(0, 50).map((raw) => {
    const v = raw as { instancePath?: string; message?: string; params?: Record<string, unknown> };
    let path = v.instancePath ?? '';
    const missing = v.params?.missingProperty;
    if (typeof missing === 'string') path = `${path}/${missing}`;
    const out: FieldError = { path, message: v.message ?? 'is invalid' };
    if (e.validationContext) out.in = e.validationContext;
    return out;
  });
}
