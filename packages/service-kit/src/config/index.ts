/**
 * Parse the environment once at boot. Every variable is declared with a TypeBox schema, a default that works
 * locally, and a one-line description; a bad environment fails with the full list of problems, not the first.
 */
import {
  Type,
  type Static,
  type TSchema,
  type TString,
  type TInteger,
  type TBoolean,
  type TUnion,
  type TLiteral,
} from 'typebox';
import { Value } from 'typebox/value';

export interface VarSpec<S extends TSchema = TSchema> {
  schema: S;
  /** Used when the variable is unset or empty. Omit to make the variable required. */
  default?: Static<S>;
  description: string;
}

export type EnvSpec = Record<string, VarSpec>;
export type ConfigOf<E extends EnvSpec> = {
  readonly [K in keyof E]: E[K] extends VarSpec<infer S> ? Static<S> : never;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Helpers for the common shapes; strings from the environment are converted before validation. */
export const env = {
  string: (description: string, def?: string): VarSpec<TString> => ({
    schema: Type.String({ minLength: 1 }),
    default: def,
    description,
  }),
  url: (description: string, def?: string): VarSpec<TString> => ({
    schema: Type.String({ pattern: '^[a-z][a-z0-9+.-]*://' }),
    default: def,
    description,
  }),
  int: (description: string, def?: number, min = 0, max = Number.MAX_SAFE_INTEGER): VarSpec<TInteger> => ({
    schema: Type.Integer({ minimum: min, maximum: max }),
    default: def,
    description,
  }),
  bool: (description: string, def?: boolean): VarSpec<TBoolean> => ({
    schema: Type.Boolean(),
    default: def,
    description,
  }),
  oneOf: <T extends string>(
    description: string,
    values: readonly T[],
    def?: T,
  ): VarSpec<TUnion<TLiteral<T>[]>> => {
    const schema = Type.Union<TLiteral<T>[]>(values.map((v) => Type.Literal(v)));
    // Static<> of a union of generic literals does not reduce to T for the compiler; it is T at run time.
    // eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- see the line above
    return { schema, default: def as Static<typeof schema> | undefined, description };
  },
};

export function parseConfig<E extends EnvSpec>(
  spec: E,
  source: NodeJS.ProcessEnv = process.env,
): ConfigOf<E> {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(spec)) {
    const raw = source[name];
    if (raw === undefined || raw === '') {
      if (v.default === undefined) problems.push(`${name} is required (${v.description})`);
      else out[name] = v.default;
      continue;
    }
    const converted = Value.Convert(v.schema, raw);
    if (!Value.Check(v.schema, converted)) {
      const first = Value.Errors(v.schema, converted)[0];
      problems.push(
        `${name}=${JSON.stringify(raw)} is invalid: ${first?.message ?? 'bad value'} (${v.description})`,
      );
      continue;
    }
    out[name] = converted;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(out) as ConfigOf<E>;
}

/** The variables every service shares, so names and defaults stay the same everywhere. */
export const commonEnv = {
  LOG_LEVEL: env.oneOf(
    'pino log level',
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    'info',
  ),
  HOST: env.string('address the HTTP server binds to', '127.0.0.1'),
  DATABASE_URL: env.url('PostgreSQL connection string', 'postgres://vinculo:vinculo@127.0.0.1:5432/vinculo'),
  NATS_URL: env.url('NATS server with JetStream', 'nats://127.0.0.1:4222'),
  REDIS_URL: env.url('Redis for rate limits, idempotency and BullMQ', 'redis://127.0.0.1:6379'),
  EVENT_NAMESPACE: {
    schema: Type.String({ pattern: '^[a-z0-9]*$' }),
    default: '',
    description: 'prefix of streams and subjects; empty in production',
  } satisfies VarSpec<TString>,
  REDIS_PREFIX: env.string('prefix of every Redis key this service writes', 'vinculo'),
  SHUTDOWN_TIMEOUT_MS: env.int('upper bound of a graceful shutdown', 10_000, 100),
} satisfies EnvSpec;
