/**
 * One OpenAPI 3.1 document for the whole public API: each upstream's `/openapi.json` with its paths under the
 * upstream's prefix, its operations tagged with the service name, and its components merged. Documents are
 * cached (60 s); a service that is down is left out (its last good document is used while one is cached) and
 * reported under `x-vinculo-upstreams`.
 */
import { canonicalJson } from '@vinculo/service-kit/http';
import type { Upstream } from './upstreams.js';

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
  tags?: Array<{ name: string; description?: string }>;
  [extension: `x-${string}`]: unknown;
}

export type UpstreamDocStatus = 'up' | 'stale' | 'down';

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Accepts what looks like an OpenAPI document (an object with an object of paths); anything else is a failure. */
export function asOpenApiDocument(value: unknown): OpenApiDocument | undefined {
  if (!isRecord(value) || !isRecord(value.paths) || typeof value.openapi !== 'string') return undefined;
  if (value.components !== undefined && !isRecord(value.components)) return undefined;
  return value as unknown as OpenApiDocument;
}

/**
 * Merges upstream documents (pure). A component whose name another service already took with a different
 * definition is renamed `<service>_<name>` and the service's `$ref`s to it follow.
 */
export function mergeOpenApi(
  parts: Array<{ upstream: Upstream; doc: OpenApiDocument | undefined; status: UpstreamDocStatus }>,
  info: OpenApiDocument['info'],
): OpenApiDocument {
  const merged: OpenApiDocument = { openapi: '3.1.0', info, paths: {}, components: {}, tags: [] };
  const components = merged.components ?? {};
  const statuses: Record<string, UpstreamDocStatus> = {};
  for (const { upstream, doc: original, status } of parts) {
    statuses[upstream.name] = status;
    if (!original) continue;
    let doc = original;
    const renames = new Map<string, string>();
    for (const [section, entries] of Object.entries(doc.components ?? {})) {
      if (!isRecord(entries)) continue;
      const target = (components[section] ??= {});
      for (const [name, value] of Object.entries(entries)) {
        const existing = target[name];
        if (existing !== undefined && canonicalJson(existing) !== canonicalJson(value)) {
          renames.set(`#/components/${section}/${name}`, `#/components/${section}/${upstream.name}_${name}`);
        }
      }
    }
    if (renames.size > 0) doc = rewriteRefs(doc, renames) as OpenApiDocument;
    for (const [section, entries] of Object.entries(doc.components ?? {})) {
      if (!isRecord(entries)) continue;
      const target = (components[section] ??= {});
      for (const [name, value] of Object.entries(entries)) {
        const renamed = renames.has(`#/components/${section}/${name}`) ? `${upstream.name}_${name}` : name;
        target[renamed] = value;
      }
    }
    for (const [path, item] of Object.entries(doc.paths)) {
      if (!isRecord(item)) continue;
      merged.paths[upstream.prefix + (path === '/' ? '' : path)] = tagOperations(item, upstream.name);
    }
    merged.tags?.push({ name: upstream.name, ...(doc.info.title ? { description: doc.info.title } : {}) });
  }
  if (Object.keys(components).length === 0) delete merged.components;
  merged['x-vinculo-upstreams'] = statuses;
  return merged;
}

function tagOperations(item: Record<string, unknown>, service: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, op] of Object.entries(item)) {
    if (!HTTP_METHODS.has(key) || !isRecord(op)) {
      out[key] = op;
      continue;
    }
    const tags = Array.isArray(op.tags) && op.tags.length > 0 ? op.tags : [service];
    // operationId must be unique across the merged document.
    const operationId =
      typeof op.operationId === 'string' ? { operationId: `${service}.${op.operationId}` } : {};
    out[key] = { ...op, tags, ...operationId };
  }
  return out;
}

function rewriteRefs(value: unknown, renames: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, renames));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = key === '$ref' && typeof v === 'string' ? (renames.get(v) ?? v) : rewriteRefs(v, renames);
  }
  return out;
}

export interface OpenApiAggregator {
  document(): Promise<OpenApiDocument>;
}

export interface OpenApiAggregatorOptions {
  upstreams: Upstream[];
  info: OpenApiDocument['info'];
  /** How long a fetched document is reused (default 60 s). */
  ttlMs?: number;
  /** Bound on fetching one upstream's document (default 2 s). */
  fetchTimeoutMs?: number;
  log?: { warn(obj: object, msg?: string): void };
}

export function createOpenApiAggregator(opts: OpenApiAggregatorOptions): OpenApiAggregator {
  const ttlMs = opts.ttlMs ?? 60_000;
  const fetchTimeoutMs = opts.fetchTimeoutMs ?? 2_000;
  const cache = new Map<string, { doc: OpenApiDocument; at: number }>();
  // One fetch per upstream at a time, however many clients ask.
  const inflight = new Map<string, Promise<OpenApiDocument | undefined>>();

  const fetchDoc = async (upstream: Upstream): Promise<OpenApiDocument | undefined> => {
    try {
      const res = await fetch(`${upstream.url}/openapi.json`, {
        signal: AbortSignal.timeout(fetchTimeoutMs),
        headers: { accept: 'application/json' },
      });
      if (res.status !== 200) {
        await res.body?.cancel();
        throw new Error(`status ${res.status}`);
      }
      const doc = asOpenApiDocument(await res.json());
      if (!doc) throw new Error('not an OpenAPI document');
      cache.set(upstream.name, { doc, at: Date.now() });
      return doc;
    } catch (err) {
      opts.log?.warn({ err, upstream: upstream.name }, 'cannot fetch the upstream OpenAPI document');
      return undefined;
    }
  };

  const docFor = async (
    upstream: Upstream,
  ): Promise<{ doc: OpenApiDocument | undefined; status: UpstreamDocStatus }> => {
    const cached = cache.get(upstream.name);
    if (cached && Date.now() - cached.at < ttlMs) return { doc: cached.doc, status: 'up' };
    let pending = inflight.get(upstream.name);
    if (!pending) {
      pending = fetchDoc(upstream).finally(() => inflight.delete(upstream.name));
      inflight.set(upstream.name, pending);
    }
    const doc = await pending;
    if (doc) return { doc, status: 'up' };
    return cached ? { doc: cached.doc, status: 'stale' } : { doc: undefined, status: 'down' };
  };

  return {
    async document() {
      const parts = await Promise.all(
        opts.upstreams.map(async (upstream) => ({ upstream, ...(await docFor(upstream)) })),
      );
      return mergeOpenApi(parts, opts.info);
    },
  };
}
