/**
 * `/api/<name>/*` → `<upstream>/*` with @fastify/http-proxy. Bodies stream through untouched (no JSON parsing,
 * no gateway body limit: uploads are the upstream's to judge), and so do the upstream's answers, problem+json
 * included. Only a failure to get an answer is the gateway's: 503 GATEWAY_UPSTREAM_UNAVAILABLE or 504
 * GATEWAY_UPSTREAM_TIMEOUT.
 */
import type { IncomingHttpHeaders } from 'node:http';
import proxy from '@fastify/http-proxy';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { httpErrors } from '@vinculo/service-kit/http';
import { errors } from '../errors.js';
import type { Upstream } from '../upstreams.js';

// OPTIONS is answered by CORS at the gateway; services behind it do not do CORS.
const METHODS = ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT'];

// Upstream paths that are for operators, not the public (scraped on the service's own port).
const PRIVATE_PATHS = new Set(['metrics']);

// reply-from's timeout errors (undici headers timeout, http request timeout).
const TIMEOUT_CODES = new Set([
  'FST_REPLY_FROM_GATEWAY_TIMEOUT',
  'FST_REPLY_FROM_TIMEOUT',
  'FST_REPLY_FROM_HTTP_REQUEST_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
]);

export interface ProxyRoutesOptions {
  upstream: Upstream;
  /** Wait for the upstream's response head (and between body chunks) before a 504. */
  timeoutMs: number;
}

export async function proxyRoutes(app: FastifyInstance, opts: ProxyRoutesOptions): Promise<void> {
  const { upstream, timeoutMs } = opts;
  // The kit's JSON parser (and its body limit) stays outside this scope: every body is handed on as the raw
  // stream. @fastify/http-proxy would add its own pass-through parsers, but it cannot replace the kit's custom
  // application/json parser inherited from the root, so we register them here and switch its own off.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  await app.register(proxy, {
    upstream: upstream.url,
    prefix: upstream.prefix,
    rewritePrefix: '',
    httpMethods: METHODS,
    proxyPayloads: false,
    // The kit already logs each request and response with its correlation id.
    disableRequestLogging: true,
    undici: { headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connectTimeout: Math.min(timeoutMs, 5_000) },
    preHandler: (request, _reply, done) => {
      const rest = (request.params as Record<string, string | undefined>)['*'] ?? '';
      if (PRIVATE_PATHS.has(rest.split('?')[0]?.replace(/\/+$/, '') ?? '')) return done(httpErrors.NOT_FOUND());
      done();
    },
    replyOptions: {
      // Never retry: a 503 from a service (with its Retry-After) goes back to the client as it is, and a POST
      // must not be sent twice.
      retryDelay: () => null,
      rewriteRequestHeaders: (request, headers) => forwardHeaders(request as FastifyRequest, headers as IncomingHttpHeaders),
      // reply-from has already logged the cause at warn ('response errored'); the kit's error handler logs the code.
      onError: (reply, { error }) => {
        const timedOut = isTimeout(error);
        // The body may be unread (or half-read): this connection cannot carry another request.
        if (!reply.request.raw.complete) void reply.header('connection', 'close');
        const detail = {
          en: `${upstream.name} ${timedOut ? 'did not answer in time' : 'cannot be reached'}`,
          es: `${upstream.name} ${timedOut ? 'no respondió a tiempo' : 'no está accesible'}`,
        };
        void reply.send(
          timedOut
            ? errors.UPSTREAM_TIMEOUT({ detail, cause: error })
            : errors.UPSTREAM_UNAVAILABLE({ detail, headers: { 'retry-after': '5' }, cause: error }),
        );
      },
    },
  });
}

/**
 * The gateway is the edge (trustProxy false): whatever forwarding headers a client sent are replaced, so a
 * service that trusts the gateway sees the real client address and the correlation id the gateway logs.
 */
function forwardHeaders(request: FastifyRequest, headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = { ...headers };
  delete out['x-request-id'];
  delete out.forwarded;
  out['x-correlation-id'] = request.correlationId;
  out['x-forwarded-for'] = request.ip;
  out['x-forwarded-proto'] = request.protocol;
  if (request.host) out['x-forwarded-host'] = request.host;
  return out;
}

function isTimeout(error: Error): boolean {
  const codes = [error, error.cause].map((e) =>
    e !== null && typeof e === 'object' ? (e as { code?: unknown }).code : undefined,
  );
  return codes.some((c) => typeof c === 'string' && TIMEOUT_CODES.has(c));
}
