import { describe, expect, it } from 'vitest';
import { ConfigError } from '@vinculo/service-kit/config';
import { corsOrigins, loadConfig } from './config.js';
import { upstreamsFromConfig } from './upstreams.js';

describe('gateway config', () => {
  it('works locally with no variables set, routing only the registry', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(8080);
    expect(config.GATEWAY_RATE_LIMIT_PER_MINUTE).toBe(6000);
    expect(config.GATEWAY_JSON_BODY_LIMIT).toBe(1_048_576);
    expect(config.GATEWAY_UPLOAD_BODY_LIMIT).toBe(12 * 1_048_576);
    expect(corsOrigins(config)).toEqual(['http://127.0.0.1:8080', 'http://localhost:8080']);
    expect(upstreamsFromConfig(config)).toEqual([
      { name: 'registry', prefix: '/api/registry', url: 'http://127.0.0.1:3001' },
    ]);
  });

  it('routes a later service once its URL is set', () => {
    const config = loadConfig({
      MATCHING_URL: 'http://127.0.0.1:3002/',
      CORS_ORIGINS: ' https://a.example , ,https://b.example',
    });
    expect(upstreamsFromConfig(config).map((u) => [u.prefix, u.url])).toEqual([
      ['/api/registry', 'http://127.0.0.1:3001'],
      ['/api/matching', 'http://127.0.0.1:3002'],
    ]);
    expect(corsOrigins(config)).toEqual(['https://a.example', 'https://b.example']);
  });

  it('lists every bad variable at once', () => {
    try {
      loadConfig({ PORT: '0', REGISTRY_URL: 'nope', GATEWAY_RATE_LIMIT_PER_MINUTE: 'x' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.map((p) => p.split('=')[0])).toEqual([
        'PORT',
        'REGISTRY_URL',
        'GATEWAY_RATE_LIMIT_PER_MINUTE',
      ]);
    }
  });
});
