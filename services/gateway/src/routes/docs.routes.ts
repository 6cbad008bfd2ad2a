/**
 * `GET /docs/openapi.json` (the aggregated document) and `GET /docs`, a small self-contained page (no scripts,
 * no CDN: the machines that run this may be offline) listing each service and linking the document.
 */
import { Type } from 'typebox';
import type { HttpServer } from '@vinculo/service-kit/http';
import type { OpenApiAggregator, OpenApiDocument } from '../openapi.js';
import type { Upstream } from '../upstreams.js';

const OpenApiResponse = Type.Object(
  {
    openapi: Type.String(),
    info: Type.Object({ title: Type.String(), version: Type.String() }, { additionalProperties: true }),
    paths: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: true },
);

// The kit's CSP is `default-src 'none'`; this page needs its inline stylesheet and nothing else.
const DOCS_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function docsRoutes(
  app: HttpServer,
  deps: { aggregator: OpenApiAggregator; upstreams: Upstream[] },
): void {
  app.get(
    '/docs/openapi.json',
    { schema: { hide: true, response: { 200: OpenApiResponse } } },
    async (_request, reply) => {
      void reply.header('cache-control', 'public, max-age=60');
      return deps.aggregator.document();
    },
  );

  app.get('/docs', { schema: { hide: true, response: { 200: Type.String() } } }, async (_request, reply) => {
    const doc = await deps.aggregator.document();
    void reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', DOCS_CSP)
      .header('cache-control', 'no-cache');
    return docsPage(doc, deps.upstreams);
  });
}

const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const STATUS_TEXT: Record<string, string> = {
  up: 'available',
  stale: 'unreachable (cached document)',
  down: 'unreachable',
};

export function docsPage(doc: OpenApiDocument, upstreams: Upstream[]): string {
  const statuses = (doc['x-vinculo-upstreams'] ?? {}) as Record<string, string | undefined>;
  const sections = upstreams.map((u) => {
    const status = statuses[u.name] ?? 'down';
    const operations: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      if (path !== u.prefix && !path.startsWith(`${u.prefix}/`)) continue;
      for (const [method, op] of Object.entries(item)) {
        if (typeof op !== 'object' || op === null || !('responses' in op)) continue;
        const summary = (op as { summary?: unknown }).summary;
        operations.push(
          `<li><code>${escapeHtml(method.toUpperCase())} ${escapeHtml(path)}</code>${
            typeof summary === 'string' ? ` — ${escapeHtml(summary)}` : ''
          }</li>`,
        );
      }
    }
    return `<section><h2>${escapeHtml(u.name)} <small class="${escapeHtml(status)}">${escapeHtml(
      STATUS_TEXT[status] ?? status,
    )}</small></h2><p><code>${escapeHtml(u.prefix)}/*</code></p>${
      operations.length > 0 ? `<ul>${operations.join('')}</ul>` : '<p>No operations published.</p>'
    }</section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Vínculo API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
code{background:#f3f3f3;padding:0 .2em}small{font-weight:normal;font-size:.7em;padding:.1em .4em;border-radius:.3em}
.up{background:#dfd}.stale{background:#ffd}.down{background:#fdd}ul{padding-left:1.2rem}</style></head>
<body><h1>Vínculo API</h1>
<p>The whole public API in one OpenAPI 3.1 document: <a href="/docs/openapi.json">/docs/openapi.json</a>
(load it in any OpenAPI viewer or client generator).</p>
${sections.join('\n')}
</body></html>
`;
}
