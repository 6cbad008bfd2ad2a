/**
 * The gateway's environment, parsed once at boot (see @vinculo/service-kit/config). Upstream URLs live in
 * ./upstreams.ts: each service is one optional variable there.
 */
import { commonEnv, env, parseConfig, type ConfigOf } from '@vinculo/service-kit/config';

export const gatewayEnv = {
  ...commonEnv,
  // The public origin: the one port browsers, the SDK and the seeder talk to.
  PORT: env.int('port the gateway listens on', 8080, 1, 65_535),
  // The registry is always there (it signs the tokens every other service verifies).
  REGISTRY_URL: env.url('base URL of the registry service', 'http://127.0.0.1:3001'),
  // Later services are routed only when their variable is set.
  MATCHING_URL: { ...env.url('base URL of the matching service (unset: not routed)'), default: '' },
  AUDITS_URL: { ...env.url('base URL of the audits service (unset: not routed)'), default: '' },
  MESSAGING_URL: { ...env.url('base URL of the messaging service (unset: not routed)'), default: '' },
  // An explicit list only: a wildcard with credentials is the classic CORS mistake.
  CORS_ORIGINS: env.string(
    'comma-separated browser origins allowed to call the API',
    'http://127.0.0.1:8080,http://localhost:8080',
  ),
  // Per client IP, across all routes, shared by replicas through Redis. The seeder and the benchmarks raise it.
  GATEWAY_RATE_LIMIT_PER_MINUTE: env.int('requests per minute per client IP at the gateway', 6_000, 1),
  // Longer than the services' own 10 s handler deadline, so a slow upstream answers its own 503 first.
  UPSTREAM_TIMEOUT_MS: env.int('wait for an upstream response head before a 504', 15_000, 100),
  // Checked at the edge before proxying (413 PAYLOAD_TOO_LARGE), so a service never has to refuse a body it is
  // still receiving. The JSON default is the services' own body limit; uploads carry a 10 MiB file plus parts.
  GATEWAY_JSON_BODY_LIMIT: env.int('largest body that is not multipart/form-data, in bytes', 1_048_576, 1),
  GATEWAY_UPLOAD_BODY_LIMIT: env.int('largest multipart/form-data body, in bytes', 12 * 1_048_576, 1),
};

export type GatewayConfig = ConfigOf<typeof gatewayEnv>;

export function loadConfig(source: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return parseConfig(gatewayEnv, source);
}

/** CORS_ORIGINS as a list (blank entries dropped). */
export function corsOrigins(config: Pick<GatewayConfig, 'CORS_ORIGINS'>): string[] {
  return config.CORS_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter((o) => o.length > 0);
}
