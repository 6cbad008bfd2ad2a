/**
 * `/api/<name>/*` → `<upstream>/*` with @fastify/http-proxy. Bodies stream through untouched (no JSON parsing),
 * and so do the upstream's answers, problem+json included. The edge does enforce a size per kind of body before
 * anything reaches the upstream (see ./body-limit.ts): multipart/form-data up to the upload limit, anything else
 * up to the JSON limit, 413 PAYLOAD_TOO_LARGE past it. Only a failure to get an answer is the gateway's: 503
 * GATEWAY_UPSTREAM_UNAVAILABLE or 504 GATEWAY_UPSTREAM_TIMEOUT.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import proxy from '@fastify/http-proxy';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { httpErrors } from '@vinculo/service-kit/http';
import { errors } from '../errors.js';
import {
  bodyLimitParser,
  bodyTooLarge,
  bufferedLength,
  isBodyTooLarge,
  type BodyLimits,
} from './body-limit.js';
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
  /** Largest body per kind, in bytes: `upload` for multipart/form-data, `json` for anything else. */
  bodyLimits: BodyLimits;
}

// Errors that mean the upstream closed or reset its connection (it may have answered first).
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

export async function proxyRoutes(app: FastifyInstance, opts: ProxyRoutesOptions): Promise<void> {
  const { upstream, timeoutMs, bodyLimits } = opts;
  // The kit's JSON parser (and its body limit) stays outside this scope: every body is handed on as the raw
  // stream, after the edge's size check. @fastify/http-proxy would add its own pass-through parsers, but it
  // cannot replace the kit's custom application/json parser inherited from the root, so we register ours here
  // and switch its own off.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', bodyLimitParser(bodyLimits));

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
      if (PRIVATE_PATHS.has(rest.split('?')[0]?.replace(/\/+$/, '') ?? ''))
        return done(httpErrors.NOT_FOUND());
      done();
    },
    replyOptions: {
      // Never retry: a 503 from a service (with its Retry-After) goes back to the client as it is, and a POST
      // must not be sent twice.
      retryDelay: () => null,
      rewriteRequestHeaders: (request, headers) =>
        forwardHeaders(request as FastifyRequest, headers as IncomingHttpHeaders),
      // reply-from hands over { statusCode, headers, stream } (its types say a ServerResponse).
      onResponse: (request, reply, res) => {
        const { headers, stream } = res as unknown as { headers: IncomingHttpHeaders; stream: Readable };
        void (reply as FastifyReply).send(passThroughAfterReset(request as FastifyRequest, headers, stream));
      },
      // reply-from has already logged the cause at warn ('response errored'); the kit's error handler logs the code.
      onError: (reply, { error }) => {
        if (reply.sent || reply.raw.headersSent) return;
        // A chunked upload went past the upload limit on its way: the gateway cut it, so the answer is ours.
        const request = reply.request as FastifyRequest;
        if (isBodyTooLarge(request)) return void reply.send(bodyTooLarge(request, reply as FastifyReply));
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
  // A chunked body read whole at the edge (./body-limit.ts) goes on with its length.
  const length = bufferedLength(request);
  if (length !== undefined) {
    delete out['transfer-encoding'];
    out['content-length'] = String(length);
  }
  out['x-correlation-id'] = request.correlationId;
  out['x-forwarded-for'] = request.ip;
  out['x-forwarded-proto'] = request.protocol;
  if (request.host) out['x-forwarded-host'] = request.host;
  return out;
}

/**
 * The upstream's response body, as the client gets it. An upstream that answers before reading the whole request
 * (an early 413 or 400 with `connection: close`) may reset the connection while the gateway is still sending;
 * once its answer has started, a reset ends that answer where it got to instead of turning it into a 500 (or a
 * destroyed client connection). Any other error still propagates.
 */
function passThroughAfterReset(
  request: FastifyRequest,
  headers: IncomingHttpHeaders,
  upstreamBody: Readable,
): Readable {
  const out = new PassThrough();
  const declared = Number(headers['content-length'] ?? Number.NaN);
  let received = 0;
  upstreamBody.on('data', (chunk: Buffer) => {
    received += chunk.length;
  });
  upstreamBody.on('error', (err) => {
    // A body shorter than its Content-Length is not an answer: the client must see it cut, as the gateway did.
    if (isReset(err) && !(received < declared)) {
      request.log.warn({ err }, 'upstream reset the connection after answering; passing its answer through');
      out.end();
    } else {
      out.destroy(err);
    }
  });
  out.on('close', () => {
    if (!upstreamBody.destroyed) upstreamBody.destroy();
  });
  upstreamBody.pipe(out);
  return out;
}

function isReset(error: Error): boolean {
  return [error, error.cause].some((e) => {
    const code = e !== null && typeof e === 'object' ? (e as { code?: unknown }).code : undefined;
    return typeof code === 'string' && RESET_CODES.has(code);
  });
}

function isTimeout(error: Error): boolean {
  const codes = [error, error.cause].map((e) =>
    e !== null && typeof e === 'object' ? (e as { code?: unknown }).code : undefined,
  );
  return codes.some((c) => typeof c === 'string' && TIMEOUT_CODES.has(c));
}
