/**
 * Composition root: config → connections → migrations and streams → app, relay and workers → shutdown.
 * The only file that knows every concrete dependency.
 */
import { fileURLToPath } from 'node:url';
import pino from 'pino';

import { createDatabase, migrateToLatest } from '@vinculo/service-kit/db';
import {
  connectNats,
  createOutboxRelay,
  defineStreams,
  jetstream,
  jetstreamManager,
  provisionStreams,
} from '@vinculo/service-kit/events';
import { createJobs, redisConnection } from '@vinculo/service-kit/jobs';
import { onSignals } from '@vinculo/service-kit/shutdown';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import type { RegistryDb } from './db/schema.js';
import { createLogMailer, invitationMail } from './jobs/invitation.mailer.js';
import {
  certificateQueues,
  createCertificateScheduler,
  createLogCertificateNotifier,
  resyncCertificateExpiry,
  startCertificateExpiryWorker,
} from './jobs/certificate-expiry.js';
import { createEventWriter } from './events/registry.events.js';
import { registryQueues } from './jobs/queues.js';
import { createLocalDiskStorage } from './storage/local-disk.storage.js';

const config = loadConfig();
const log = pino({ level: config.LOG_LEVEL, base: { service: 'registry' } });
const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

const database = createDatabase<RegistryDb>({
  url: config.DATABASE_URL,
  schema: 'registry',
  applicationName: 'registry',
  onError: (err) => log.warn({ err }, 'idle PostgreSQL client error'),
});
const applied = await migrateToLatest(database, migrationsDir);
log.info({ applied }, 'migrations applied');

const nc = await connectNats({ url: config.NATS_URL, name: 'registry', log });
await provisionStreams(await jetstreamManager(nc), defineStreams(config.EVENT_NAMESPACE, ['registry']));
const relay = createOutboxRelay({ db: database.db, js: jetstream(nc), log });

const redis = redisConnection(config.REDIS_URL, 'producer');
const jobs = createJobs({
  catalog: registryQueues,
  redisUrl: config.REDIS_URL,
  prefix: `${config.REDIS_PREFIX}:registry`,
  queueName: (base) => (config.JOB_QUEUE_SUFFIX ? `${base}-${config.JOB_QUEUE_SUFFIX}` : base),
  log,
});
const certificateJobs = createJobs({
  catalog: certificateQueues,
  redisUrl: config.REDIS_URL,
  prefix: `${config.REDIS_PREFIX}:registry`,
  queueName: (base) => (config.JOB_QUEUE_SUFFIX ? `${base}-${config.JOB_QUEUE_SUFFIX}` : base),
  log,
});
const certificateScheduler = createCertificateScheduler(certificateJobs);
startCertificateExpiryWorker(certificateJobs, {
  db: database.db,
  writeEvent: createEventWriter(config.EVENT_NAMESPACE),
  notifier: createLogCertificateNotifier(log),
  onEventsWritten: () => relay.notify(),
  log,
});
const mailer = createLogMailer(log);
const acceptUrl = `${new URL(config.JWT_ISSUER).origin}/invitations/accept`;
jobs.worker('invitation-email', async (p) => {
  await mailer.send(invitationMail({ ...p, acceptUrl }));
});

const app = await buildApp({
  config,
  db: database.db,
  redis,
  logger: { level: config.LOG_LEVEL },
  readiness: {
    postgres: () => database.ping(),
    nats: () => Promise.resolve(!nc.isClosed() && nc.info !== undefined && !isReconnecting),
    redis: async () => (await redis.ping().catch(() => '')) === 'PONG',
  },
  deliverInvitation: async (message) => {
    await jobs.add('invitation-email', message, { jobId: `invitation-${message.invitationId}` });
  },
  onEventsWritten: () => relay.notify(),
  storage: createLocalDiskStorage(config.DATA_DIR),
  certificates: certificateScheduler,
});

let isReconnecting = false;
void (async () => {
  for await (const s of nc.status()) {
    if (s.type === 'disconnect' || s.type === 'reconnecting') isReconnecting = true;
    if (s.type === 'reconnect') isReconnecting = false;
  }
})();

relay.start();
await app.listen({ host: config.HOST, port: config.PORT });
// Certificates saved while Redis was down have no jobs yet: schedule whatever is missing (jobs are idempotent).
void resyncCertificateExpiry(database.db, certificateScheduler).catch((err: unknown) =>
  log.warn({ err }, 'certificate expiry re-sync failed'),
);

onSignals(
  () => [
    { name: 'http', run: () => app.close() },
    { name: 'workers', run: () => jobs.close() },
    { name: 'certificate workers', run: () => certificateJobs.close() },
    { name: 'relay', run: () => relay.stop() },
    { name: 'redis', run: () => redis.quit() },
    { name: 'postgres', run: () => database.close() },
    { name: 'nats', run: () => nc.drain() },
  ],
  log,
  config.SHUTDOWN_TIMEOUT_MS,
);
