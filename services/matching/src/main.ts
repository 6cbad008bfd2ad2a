/**
 * Composition root: config → connections → migrations and streams → index (built, then following the streams),
 * read model consumer, relay → jobs (freshness, deadlines) → app → shutdown. The only file that knows every
 * concrete dependency.
 */
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createJwksClient } from '@vinculo/service-kit/auth';
import { createDatabase, migrateToLatest } from '@vinculo/service-kit/db';
import {
  connectNats,
  createOutboxRelay,
  defineConsumer,
  defineStreams,
  jetstream,
  jetstreamManager,
  provisionConsumer,
  provisionStreams,
} from '@vinculo/service-kit/events';
import { createJobs, redisConnection } from '@vinculo/service-kit/jobs';
import { onSignals } from '@vinculo/service-kit/shutdown';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { createRequirementRepository } from './db/requirements.repository.js';
import type { MatchingDb } from './db/schema.js';
import { createSupplierIndex } from './domain/supplier-index.js';
import { startIndexFollower, withSerialRefreshes } from './events/index-follower.js';
import { createRequirementEventWriter } from './events/matching.events.js';
import { createRegistryConsumer, REGISTRY_CONSUMER } from './events/registry.consumer.js';
import {
  matchingQueues,
  queueRematches,
  scheduleSweeps,
  startMatchingWorkers,
  type MatchingWorkerDeps,
} from './jobs/matching.queue.js';

const config = loadConfig();
const log = pino({ level: config.LOG_LEVEL, base: { service: 'matching' } });
const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

const database = createDatabase<MatchingDb>({
  url: config.DATABASE_URL,
  schema: 'matching',
  applicationName: 'matching',
  onError: (err) => log.warn({ err }, 'idle PostgreSQL client error'),
});
const applied = await migrateToLatest(database, migrationsDir);
log.info({ applied }, 'migrations applied');

const nc = await connectNats({ url: config.NATS_URL, name: 'matching', log });
const jsm = await jetstreamManager(nc);
// Matching publishes to MATCHING and reads REGISTRY: both (and their DLQs) must exist whatever starts first.
await provisionStreams(jsm, defineStreams(config.EVENT_NAMESPACE, ['registry', 'matching']));
await provisionConsumer(
  jsm,
  defineConsumer(config.EVENT_NAMESPACE, 'registry', REGISTRY_CONSUMER, {
    ackWaitMs: config.REGISTRY_ACK_WAIT_MS,
  }),
);
const js = jetstream(nc);
const relay = createOutboxRelay({ db: database.db, js, log });

// The index is built from committed read-model rows, then follows REGISTRY and MATCHING from the positions
// read just before the build (events/index-follower.ts): the durable consumer below is shared by the replicas,
// so the events this replica does not apply reach its index only through the follower.
const index = withSerialRefreshes(createSupplierIndex(database.db));
const follower = await startIndexFollower({
  namespace: config.EVENT_NAMESPACE,
  js,
  jsm,
  db: database.db,
  index,
  log,
});
log.info({ ...follower.built, from: follower.stats().registry.startSeq }, 'matching index built');

const jobs = createJobs({
  catalog: matchingQueues,
  redisUrl: config.REDIS_URL,
  prefix: `${config.REDIS_PREFIX}:matching`,
  queueName: (base) => (config.JOB_QUEUE_SUFFIX ? `${base}-${config.JOB_QUEUE_SUFFIX}` : base),
  log,
});
const workerDeps: MatchingWorkerDeps = {
  db: database.db,
  index,
  namespace: config.EVENT_NAMESPACE,
  requirements: createRequirementRepository(),
  writeEvent: createRequirementEventWriter(config.EVENT_NAMESPACE),
  now: () => new Date(),
  onEventsWritten: () => relay.notify(),
  deadlineSweepEveryMs: config.DEADLINE_SWEEP_EVERY_MS,
  rematchSweepEveryMs: config.REMATCH_SWEEP_EVERY_MS,
};

const consumer = createRegistryConsumer({
  namespace: config.EVENT_NAMESPACE,
  js,
  db: database.db,
  log,
  onSuppliersChanged: (ids) => index.refresh(ids),
  onRematchRequested: queueRematches(jobs),
  // A handler must give up well before the server redelivers its message to another replica.
  handlerTimeoutMs: Math.min(10_000, Math.floor(config.REGISTRY_ACK_WAIT_MS / 2)),
});

const keys = createJwksClient({
  jwksUrl: config.JWKS_URL,
  onWarning: (message, details) => log.warn({ details }, message),
});
const redis = redisConnection(config.REDIS_URL, 'producer');

let isReconnecting = false;
void (async () => {
  for await (const s of nc.status()) {
    if (s.type === 'disconnect' || s.type === 'reconnecting') isReconnecting = true;
    if (s.type === 'reconnect') isReconnecting = false;
  }
})();

const app = await buildApp({
  config,
  db: database.db,
  redis,
  keys,
  index,
  logger: { level: config.LOG_LEVEL },
  readiness: {
    postgres: () => database.ping(),
    nats: () => Promise.resolve(!nc.isClosed() && nc.info !== undefined && !isReconnecting),
    redis: async () => (await redis.ping().catch(() => '')) === 'PONG',
  },
  onEventsWritten: () => relay.notify(),
});

consumer.start();
relay.start();
startMatchingWorkers(jobs, workerDeps);
await app.listen({ host: config.HOST, port: config.PORT });
// Needs Redis; without it the service still serves and consumes, and the next boot schedules the sweeps.
void scheduleSweeps(jobs, workerDeps).catch((err: unknown) =>
  log.warn({ err }, 'sweep scheduling failed; the repeatable sweeps may be missing until the next boot'),
);

onSignals(
  () => [
    { name: 'http', run: () => app.close() },
    { name: 'consumers', run: () => consumer.stop() },
    { name: 'index follower', run: () => follower.stop() },
    { name: 'workers', run: () => jobs.close() },
    { name: 'relay', run: () => relay.stop() },
    { name: 'redis', run: () => redis.quit() },
    { name: 'postgres', run: () => database.close() },
    { name: 'nats', run: () => nc.drain() },
  ],
  log,
  config.SHUTDOWN_TIMEOUT_MS,
);
