/**
 * buildApp(deps): the registry's HTTP application, without listening. main.ts wires real dependencies; tests
 * call buildApp and app.inject.
 */
import type { Redis } from 'ioredis';
import {
  createHttpServer,
  createRateLimiter,
  type HttpServer,
  type ReadinessCheck,
} from '@vinculo/service-kit/http';
import { authenticate, createTokenVerifier, optionalAuth } from '@vinculo/service-kit/auth';
import type { Kysely } from '@vinculo/service-kit/db';
import type { LevelWithSilent, DestinationStream } from 'pino';
import { createCredentialsRepository } from './db/credentials.repository.js';
import { createIdentityRepository } from './db/identity.repository.js';
import type { RegistryDb } from './db/schema.js';
import type { InvitationMessage } from './domain/organizations.js';
import { createKeyStore, type KeyStore } from './domain/signing-keys.js';
import { createTokenIssuer } from './domain/tokens.js';
import { createEventWriter, createRegistryOutbox, type EventWriter } from './events/registry.events.js';
import { certificateRoutes } from './routes/certificates.routes.js';
import type { CertificateScheduler } from './routes/deps.js';
import { mandateRoutes } from './routes/mandates.routes.js';
import { searchRoutes } from './routes/search.routes.js';
import { supplierRoutes } from './routes/suppliers.routes.js';
import { organizationChanged } from './domain/suppliers.js';
import type { DocumentStorage } from './storage/document-storage.js';
import { authRoutes } from './routes/auth.routes.js';
import { organizationRoutes } from './routes/organizations.routes.js';
import type { RegistryConfig } from './config.js';

export interface AppDeps {
  config: Pick<
    RegistryConfig,
    | 'JWT_ISSUER'
    | 'JWT_AUDIENCE'
    | 'ACCESS_TOKEN_TTL_SECONDS'
    | 'REFRESH_TOKEN_TTL_DAYS'
    | 'SIGNING_KEY_ROTATION_DAYS'
    | 'INVITATION_TTL_DAYS'
    | 'LOGIN_LIMIT_PER_ACCOUNT'
    | 'LOGIN_LIMIT_PER_IP'
    | 'LOGIN_LIMIT_WINDOW_SECONDS'
    | 'SIGNUP_LIMIT_PER_IP'
    | 'API_RATE_LIMIT_PER_MINUTE'
    | 'EVENT_NAMESPACE'
    | 'REDIS_PREFIX'
    | 'TRUST_PROXY'
  >;
  db: Kysely<RegistryDb>;
  redis: Redis;
  readiness: Record<string, ReadinessCheck>;
  /** Enqueues the invitation e-mail job. */
  deliverInvitation(message: InvitationMessage & { correlationId: string }): Promise<void>;
  /** Called after a transaction that wrote outbox rows commits, to wake the relay. */
  onEventsWritten?: () => void;
  logger?: { level?: LevelWithSilent; stream?: DestinationStream };
  keys?: KeyStore;
  storage: DocumentStorage;
  certificates: CertificateScheduler;
  uploadLimitBytes?: number;
}

/** Re-exported so tests read the route table from the app module they build. */
export { routeTable, type RouteEntry } from '@vinculo/service-kit/http';

export async function buildApp(deps: AppDeps): Promise<HttpServer> {
  const { config } = deps;
  const app = await createHttpServer({
    service: 'registry',
    ...(deps.logger ? { logger: deps.logger } : {}),
    trustProxy:
      config.TRUST_PROXY === 'false' ? false : config.TRUST_PROXY === 'true' ? true : config.TRUST_PROXY,
    readiness: deps.readiness,
    rateLimit: {
      redis: deps.redis,
      prefix: `${config.REDIS_PREFIX}:registry:rl`,
      default: { max: config.API_RATE_LIMIT_PER_MINUTE, windowMs: 60_000 },
    },
    idempotency: { redis: deps.redis, prefix: `${config.REDIS_PREFIX}:registry:idem` },
    openapi: {
      title: 'Vínculo registry',
      version: '0.1.0',
      description: 'Identity, organisations and supplier profiles',
    },
  });

  const keys =
    deps.keys ??
    createKeyStore({
      db: deps.db,
      rotationDays: config.SIGNING_KEY_ROTATION_DAYS,
      accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    });
  const verifier = createTokenVerifier({
    keys: { getKey: (kid) => keys.publicKey(kid) },
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
  const limiter =
    app.rateLimiter ?? createRateLimiter({ redis: deps.redis, prefix: `${config.REDIS_PREFIX}:registry:rl` });
  const outbox = createRegistryOutbox(config.EVENT_NAMESPACE);
  const common = {
    db: deps.db,
    identity: createIdentityRepository(),
    credentials: createCredentialsRepository(),
    tokens: createTokenIssuer({
      keys,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    }),
    outbox: deps.onEventsWritten ? notifying(outbox, deps.onEventsWritten) : outbox,
    refreshTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
    authenticate: authenticate(verifier),
  };

  authRoutes(app, {
    ...common,
    keys,
    limiter,
    limits: {
      loginPerAccount: config.LOGIN_LIMIT_PER_ACCOUNT,
      loginPerIp: config.LOGIN_LIMIT_PER_IP,
      loginWindowMs: config.LOGIN_LIMIT_WINDOW_SECONDS * 1000,
      signupPerIpPerHour: config.SIGNUP_LIMIT_PER_IP,
    },
  });
  const writeEvent = createEventWriter(config.EVENT_NAMESPACE);
  const supplierWriter = deps.onEventsWritten
    ? notifyingWriter(writeEvent, deps.onEventsWritten)
    : writeEvent;
  organizationRoutes(app, {
    ...common,
    invitationTtlDays: config.INVITATION_TTL_DAYS,
    deliverInvitation: (message) => deps.deliverInvitation({ ...message, correlationId: 'invitation' }),
    onOrganizationChanged: (trx, org, ctx) =>
      organizationChanged({ writeEvent: supplierWriter }, trx, org, ctx),
  });

  const supplierDeps = {
    db: deps.db,
    authenticate: common.authenticate,
    optionalAuth: optionalAuth(verifier),
    writeEvent: supplierWriter,
    storage: deps.storage,
    certificates: deps.certificates,
    uploadLimitBytes: deps.uploadLimitBytes ?? 10 * 1024 * 1024,
  };
  supplierRoutes(app, supplierDeps);
  certificateRoutes(app, supplierDeps);
  mandateRoutes(app, supplierDeps);
  searchRoutes(app, supplierDeps);
  return app;
}

function notifyingWriter(write: EventWriter, notify: () => void): EventWriter {
  return async (...args) => {
    await write(...args);
    setTimeout(notify, 5);
  };
}

/** Wakes the relay shortly after an event was written (the relay also polls, so a lost wake-up only delays). */
function notifying<T extends object>(outbox: T, notify: () => void): T {
  return Object.fromEntries(
    Object.entries(outbox).map(([k, fn]) => [
      k,
      async (...args: unknown[]) => {
        await (fn as (...a: unknown[]) => Promise<void>)(...args);
        setTimeout(notify, 5);
      },
    ]),
  ) as T;
}
