/** Composition root: config → Redis → app → listen → shutdown on SIGTERM/SIGINT. */
import { redisConnection } from '@vinculo/service-kit/jobs';
import { onSignals } from '@vinculo/service-kit/shutdown';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { upstreamsFromConfig } from './upstreams.js';

const config = loadConfig();
const redis = redisConnection(config.REDIS_URL, 'producer', { connectionName: 'gateway' });
const upstreams = upstreamsFromConfig(config);
const app = await buildApp({ config, redis, upstreams });

onSignals(
  () => [
    { name: 'http', run: () => app.close() },
    { name: 'redis', run: () => redis.quit() },
  ],
  app.log,
  config.SHUTDOWN_TIMEOUT_MS,
);

await app.listen({ host: config.HOST, port: config.PORT });
app.log.info({ upstreams: upstreams.map((u) => `${u.prefix} → ${u.url}`) }, 'gateway ready');
