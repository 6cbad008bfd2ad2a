import { describe, expect, it } from 'vitest';
import { ConfigError, commonEnv, env, parseConfig } from './index.js';

const spec = {
  PORT: env.int('port', 3000, 1, 65_535),
  NAME: env.string('a required name'),
  DEBUG: env.bool('debug', false),
  LEVEL: env.oneOf('level', ['info', 'warn'] as const, 'info'),
  URL: env.url('a url', 'http://x'),
};

describe('parseConfig', () => {
  it('converts strings, applies defaults and freezes the result', () => {
    const c = parseConfig(spec, { PORT: '8080', NAME: 'registry', DEBUG: 'true' });
    expect(c).toEqual({ PORT: 8080, NAME: 'registry', DEBUG: true, LEVEL: 'info', URL: 'http://x' });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('fails with the full list of bad variables, not the first one', () => {
    let error: unknown;
    try {
      parseConfig(spec, { PORT: '70000', DEBUG: 'maybe', LEVEL: 'loud', URL: 'not a url' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(5);
    for (const name of ['PORT', 'NAME', 'DEBUG', 'LEVEL', 'URL']) expect(problems.join('\n')).toContain(name);
    expect((error as Error).message).toContain('a required name');
  });

  it('gives every shared variable a working local default', () => {
    const c = parseConfig(commonEnv, {});
    expect(c.DATABASE_URL).toMatch(/^postgres:\/\//);
    expect(c.EVENT_NAMESPACE).toBe('');
    expect(() => parseConfig(commonEnv, { EVENT_NAMESPACE: 'Bad.Name' })).toThrow(ConfigError);
  });
});
