import { describe, expect, it } from 'vitest';
import { asOpenApiDocument, mergeOpenApi, type OpenApiDocument } from './openapi.js';
import { upstream } from './upstreams.js';

const info = { title: 'Vínculo API', version: '1.0.0' };

const doc = (
  title: string,
  paths: OpenApiDocument['paths'],
  schemas?: Record<string, unknown>,
): OpenApiDocument => ({
  openapi: '3.1.0',
  info: { title, version: '1' },
  paths,
  ...(schemas ? { components: { schemas } } : {}),
});

describe('mergeOpenApi', () => {
  it('puts each service under its prefix and tags its operations', () => {
    const merged = mergeOpenApi(
      [
        {
          upstream: upstream('registry', 'http://r'),
          status: 'up',
          doc: doc('registry', {
            '/': { get: { responses: {} } },
            '/orgs': { post: { operationId: 'createOrg', tags: ['orgs'], responses: {} } },
          }),
        },
      ],
      info,
    );
    expect(Object.keys(merged.paths)).toEqual(['/api/registry', '/api/registry/orgs']);
    expect(merged.paths['/api/registry']?.get).toEqual({ responses: {}, tags: ['registry'] });
    expect(merged.paths['/api/registry/orgs']?.post).toMatchObject({
      operationId: 'registry.createOrg',
      tags: ['orgs'],
    });
    expect(merged.tags).toEqual([{ name: 'registry', description: 'registry' }]);
  });

  it('keeps one copy of an identical component and renames a conflicting one, with its refs', () => {
    const problem = { type: 'object', properties: { code: { type: 'string' } } };
    const ref = (name: string) => ({
      responses: {
        200: { content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } },
      },
    });
    const merged = mergeOpenApi(
      [
        {
          upstream: upstream('registry', 'http://r'),
          status: 'up',
          doc: doc('r', { '/a': { get: ref('Item') } }, { Problem: problem, Item: { type: 'string' } }),
        },
        {
          upstream: upstream('matching', 'http://m'),
          status: 'up',
          doc: doc('m', { '/b': { get: ref('Item') } }, { Problem: problem, Item: { type: 'integer' } }),
        },
      ],
      info,
    );
    expect(Object.keys(merged.components?.schemas ?? {}).sort()).toEqual([
      'Item',
      'Problem',
      'matching_Item',
    ]);
    expect(JSON.stringify(merged.paths['/api/registry/a'])).toContain('"#/components/schemas/Item"');
    expect(JSON.stringify(merged.paths['/api/matching/b'])).toContain('"#/components/schemas/matching_Item"');
  });

  it('reports each upstream, leaving out the ones with no document', () => {
    const merged = mergeOpenApi(
      [
        { upstream: upstream('registry', 'http://r'), status: 'stale', doc: doc('r', {}) },
        { upstream: upstream('audits', 'http://a'), status: 'down', doc: undefined },
      ],
      info,
    );
    expect(merged['x-vinculo-upstreams']).toEqual({ registry: 'stale', audits: 'down' });
    expect(merged.components).toBeUndefined();
  });
});

describe('asOpenApiDocument', () => {
  it('refuses what is not an OpenAPI document', () => {
    expect(asOpenApiDocument({ openapi: '3.1.0', paths: {} })).toBeDefined();
    expect(asOpenApiDocument({ paths: {} })).toBeUndefined();
    expect(asOpenApiDocument({ openapi: '3.1.0', paths: [] })).toBeUndefined();
    expect(asOpenApiDocument('nope')).toBeUndefined();
  });
});
