/**
 * The gateway app: the kit's server (logs, problem+json, security headers, probes, metrics) with the public
 * edge on top: per-IP rate limits in Redis, CORS, `/api/<service>/*` proxied to each upstream, and the
 * aggregated OpenAPI document at /docs. It owns no data and never listens (main.ts does).
 */
import {
  createHttpServer,
  registerCors,
  type HttpServer,
  type HttpServerOptions,
} from '@vinculo/service-kit/http';
import { corsOrigins, type GatewayConfig } from './config.js';
import { createOpenApiAggregator } from './openapi.js';
import { docsRoutes } from './routes/docs.routes.js';
import { proxyRoutes } from './routes/proxy.routes.js';
import type { Upstream } from './upstreams.js';

/** The ioredis client type, taken from the kit so the gateway needs no direct ioredis dependency. */
type Redis = NonNullable<HttpServerOptions['rateLimit']>['redis'];

export interface AppDeps {
  config: GatewayConfig;
  redis: Redis;
  upstreams: Upstream[];
  logger?: HttpServerOptions['logger'];
}

const READY_TIMEOUT_MS = 1_000;

export async function buildApp(deps: AppDeps): Promise<HttpServer> {
  const { config, redis, upstreams } = deps;
  const readiness: Record<string, () => Promise<boolean>> = {
    redis: async () => (await redis.ping()) === 'PONG',
  };
  for (const u of upstreams) readiness[u.name] = () => upstreamReady(u);

  const app = await createHttpServer({
    service: 'gateway',
    logger: deps.logger ?? { level: config.LOG_LEVEL },
    // The edge: the socket's address is the client. Forwarding headers from clients are not believed.
    trustProxy: false,
    // Leaves the upstream its own deadline first (UPSTREAM_TIMEOUT_MS → 504), then ours.
    requestTimeoutMs: config.UPSTREAM_TIMEOUT_MS + 5_000,
    readiness,
    readinessTimeoutMs: READY_TIMEOUT_MS,
    rateLimit: {
      redis,
      prefix: `${config.REDIS_PREFIX}:gateway`,
      default: { max: config.GATEWAY_RATE_LIMIT_PER_MINUTE, windowMs: 60_000 },
    },
    // No idempotency here: the upstreams keep Idempotency-Key, scoped to the caller's organisation.
    openapi: { title: 'Vínculo gateway', version: '1.0.0' },
  });

  await registerCors(app, corsOrigins(config));

  for (const upstream of upstreams) {
    await app.register(proxyRoutes, {
      upstream,
      timeoutMs: config.UPSTREAM_TIMEOUT_MS,
      bodyLimits: { json: config.GATEWAY_JSON_BODY_LIMIT, upload: config.GATEWAY_UPLOAD_BODY_LIMIT },
    });
  }

  const aggregator = createOpenApiAggregator({
    upstreams,
    info: {
      title: 'Vínculo API',
      version: '1.0.0',
      description: 'Every public service behind the gateway; each service’s paths sit under /api/<service>.',
    },
    log: app.log,
  });
  docsRoutes(app, { aggregator, upstreams });

  return app;
}

/** An upstream is ready when its own /ready answers 200 within the bound. */
async function upstreamReady(upstream: Upstream): Promise<boolean> {
  const res = await fetch(`${upstream.url}/ready`, { signal: AbortSignal.timeout(READY_TIMEOUT_MS) });
  await res.body?.cancel();
  return res.status === 200;
}
