/**
 * buildApp(deps): matching's HTTP application, without listening. main.ts wires real dependencies; tests call
 * buildApp and app.inject.
 */
import type { Redis } from 'ioredis';
import { authenticate, createTokenVerifier, type KeySource } from '@vinculo/service-kit/auth';
import type { Kysely } from '@vinculo/service-kit/db';
import { createHttpServer, type HttpServer, type ReadinessCheck } from '@vinculo/service-kit/http';
import type { DestinationStream, LevelWithSilent } from 'pino';
import type { MatchingConfig } from './config.js';
import { createRequirementRepository } from './db/requirements.repository.js';
import type { MatchingDb } from './db/schema.js';
import type { SupplierIndex } from './domain/supplier-index.js';
import {
  createMatchingEventWriter,
  createRequirementEventWriter,
  type MatchingEventWriter,
  type RequirementEventWriter,
} from './events/matching.events.js';
import { requirementRoutes } from './routes/requirements.routes.js';
import { createDealsRepository } from './db/deals.repository.js';
import { dealRoutes } from './routes/deals.routes.js';
import { createOpportunityRepository } from './db/opportunities.repository.js';
import { opportunityRoutes } from './routes/opportunities.routes.js';

export interface AppDeps {
  config: Pick<
    MatchingConfig,
    | 'JWT_ISSUER'
    | 'JWT_AUDIENCE'
    | 'API_RATE_LIMIT_PER_MINUTE'
    | 'EVENT_NAMESPACE'
    | 'REDIS_PREFIX'
    | 'TRUST_PROXY'
  >;
  db: Kysely<MatchingDb>;
  redis: Redis;
  /** The registry's public signing keys (a JWKS client in production, a static key set in tests). */
  keys: KeySource;
  index: SupplierIndex;
  readiness: Record<string, ReadinessCheck>;
  /** Called after a transaction that wrote outbox rows commits, to wake the relay. */
  onEventsWritten?: () => void;
  logger?: { level?: LevelWithSilent; stream?: DestinationStream };
  /** The clock (tests move it). */
  now?: () => Date;
}

/** Re-exported so tests read the route table from the app module they build. */
export { routeTable, type RouteEntry } from '@vinculo/service-kit/http';

export async function buildApp(deps: AppDeps): Promise<HttpServer> {
  const { config } = deps;
  const app = await createHttpServer({
    service: 'matching',
    ...(deps.logger ? { logger: deps.logger } : {}),
    // Replicas (dist/replicas.js, or a Kubernetes Service) are handed connections, not requests.
    maxRequestsPerSocket: 100,
    trustProxy:
      config.TRUST_PROXY === 'false' ? false : config.TRUST_PROXY === 'true' ? true : config.TRUST_PROXY,
    readiness: deps.readiness,
    rateLimit: {
      redis: deps.redis,
      prefix: `${config.REDIS_PREFIX}:matching:rl`,
      default: { max: config.API_RATE_LIMIT_PER_MINUTE, windowMs: 60_000 },
    },
    idempotency: { redis: deps.redis, prefix: `${config.REDIS_PREFIX}:matching:idem` },
    openapi: {
      title: 'Vínculo matching',
      version: '0.1.0',
      description: 'Requirements, ranked and explained matches',
    },
  });

  const verifier = createTokenVerifier({
    keys: deps.keys,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
  const writeEvent = createRequirementEventWriter(config.EVENT_NAMESPACE);
  requirementRoutes(app, {
    db: deps.db,
    requirements: createRequirementRepository(),
    deals: createDealsRepository(),
    writeEvent: deps.onEventsWritten ? notifying(writeEvent, deps.onEventsWritten) : writeEvent,
    index: deps.index,
    now: deps.now ?? (() => new Date()),
    authenticate: authenticate(verifier),
  });
  opportunityRoutes(app, {
    db: deps.db,
    opportunities: createOpportunityRepository(),
    index: deps.index,
    now: deps.now ?? (() => new Date()),
    authenticate: authenticate(verifier),
  });
  const writeMatchingEvent = createMatchingEventWriter(config.EVENT_NAMESPACE);
  dealRoutes(app, {
    db: deps.db,
    requirements: createRequirementRepository(),
    deals: createDealsRepository(),
    writeEvent: deps.onEventsWritten ? notifying(writeEvent, deps.onEventsWritten) : writeEvent,
    writeMatchingEvent: deps.onEventsWritten
      ? notifyingMatching(writeMatchingEvent, deps.onEventsWritten)
      : writeMatchingEvent,
    index: deps.index,
    now: deps.now ?? (() => new Date()),
    authenticate: authenticate(verifier),
  });
  return app;
}

/** Wakes the relay shortly after the event's transaction commits (the relay also polls, so a lost wake-up only delays). */
function notifying(write: RequirementEventWriter, notify: () => void): RequirementEventWriter {
  return async (...args) => {
    await write(...args);
    setTimeout(notify, 5);
  };
}

function notifyingMatching(write: MatchingEventWriter, notify: () => void): MatchingEventWriter {
  return async (trx, event, ctx) => {
    await write(trx, event, ctx);
    setTimeout(notify, 5);
  };
}
