export { UnrecoverableError } from 'bullmq';
export type { Job } from 'bullmq';
export {
  defineQueues,
  type QueueCatalog,
  type QueueDefinition,
  type QueueName,
  type PayloadOf,
} from './catalog.js';
export {
  createJobs,
  JobPayloadError,
  type Jobs,
  type CreateJobsOptions,
  type AddOptions,
  type WorkerOptions,
  type JobHandler,
  type JobsLogger,
} from './jobs.js';
export {
  redisConnection,
  reconnectDelay,
  whenReady,
  JobsUnavailableError,
  type RedisRole,
  type RedisConnectionOptions,
} from './connection.js';
