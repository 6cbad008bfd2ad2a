/** Matching's environment, parsed once at boot (see .env.example for working local values). */
import { commonEnv, env, parseConfig } from '@vinculo/service-kit/config';
import { Type } from 'typebox';

export const matchingEnv = {
  ...commonEnv,
  PORT: env.int('HTTP port of the matching service', 3002, 1, 65_535),
  JWKS_URL: env.url("the registry's public signing keys", 'http://127.0.0.1:3001/.well-known/jwks.json'),
  JWT_ISSUER: env.url(
    'iss the access tokens must carry (the registry)',
    'http://127.0.0.1:8080/api/registry',
  ),
  JWT_AUDIENCE: env.string('aud the access tokens must carry', 'vinculo'),
  API_RATE_LIMIT_PER_MINUTE: env.int('requests per minute per client address', 1200, 1),
  TRUST_PROXY: env.string(
    'fastify trustProxy: "loopback" behind the local gateway, a CIDR list, or "false"',
    'loopback',
  ),
  JOB_QUEUE_SUFFIX: {
    schema: Type.String({ pattern: '^[a-z0-9-]*$' }),
    default: '',
    description: 'suffix of queue names (tests make them unique)',
  },
  DEADLINE_SWEEP_EVERY_MS: env.int(
    'how often open requirements past their deadline are closed (also once at boot)',
    300_000,
    1_000,
  ),
  REMATCH_SWEEP_EVERY_MS: env.int(
    'how often supplier re-evaluations whose job never ran are picked up (also once at boot)',
    60_000,
    1_000,
  ),
  REGISTRY_ACK_WAIT_MS: env.int(
    'redelivery of a registry event held unacked this long (a crashed replica); above the handler timeout',
    30_000,
    1_000,
  ),
};

export type MatchingConfig = ReturnType<typeof loadConfig>;

export function loadConfig(source: NodeJS.ProcessEnv = process.env) {
  return parseConfig(matchingEnv, source);
}
