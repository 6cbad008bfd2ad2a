/** The registry's environment, parsed once at boot (see .env.example for working local values). */
import { Type } from 'typebox';
import { commonEnv, env, parseConfig } from '@vinculo/service-kit/config';

export const registryEnv = {
  ...commonEnv,
  PORT: env.int('HTTP port of the registry', 3001, 1, 65_535),
  JWT_ISSUER: env.url('iss of the access tokens this service signs', 'http://127.0.0.1:8080/api/registry'),
  JWT_AUDIENCE: env.string('aud of the access tokens', 'vinculo'),
  ACCESS_TOKEN_TTL_SECONDS: env.int('lifetime of an access token', 900, 60, 3600),
  REFRESH_TOKEN_TTL_DAYS: env.int('lifetime of a refresh token (each use rotates it)', 30, 1, 365),
  SIGNING_KEY_ROTATION_DAYS: env.int(
    'days an ES256 signing key signs before a new one replaces it',
    30,
    1,
    365,
  ),
  INVITATION_TTL_DAYS: env.int('days an invitation stays valid', 7, 1, 90),
  LOGIN_LIMIT_PER_ACCOUNT: env.int('failed-or-not login attempts per account per window', 10, 1),
  LOGIN_LIMIT_PER_IP: env.int('login attempts per client address per window', 30, 1),
  LOGIN_LIMIT_WINDOW_SECONDS: env.int('window of the login rate limits', 900, 1),
  SIGNUP_LIMIT_PER_IP: env.int('sign-ups per client address per hour', 20, 1),
  API_RATE_LIMIT_PER_MINUTE: env.int('requests per minute per client address to other routes', 1200, 1),
  TRUST_PROXY: env.string(
    'fastify trustProxy: "loopback" behind the local gateway, a CIDR list, or "false"',
    'loopback',
  ),
  JOB_QUEUE_SUFFIX: {
    schema: Type.String({ pattern: '^[a-z0-9-]*$' }),
    default: '',
    description: 'suffix of queue names (tests make them unique)',
  },
  DATA_DIR: env.string('where local files live (documents)', '.data'),
};

export type RegistryConfig = ReturnType<typeof loadConfig>;

export function loadConfig(source: NodeJS.ProcessEnv = process.env) {
  return parseConfig(registryEnv, source);
}
