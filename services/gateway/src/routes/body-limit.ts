/**
 * Body size limits at the edge, decided before a byte reaches an upstream. A service that refuses an oversized
 * body answers 413 and closes its connection while the gateway is still sending, and the gateway's client then
 * sees a reset about half the time; deciding here makes the answer deterministic.
 *
 * - multipart/form-data: up to `upload` bytes; anything else (JSON first of all): up to `json` bytes.
 * - With a Content-Length, the header decides at once and nothing is read.
 * - Chunked, not multipart: read into memory up to the limit (it is small), then handed on with a Content-Length;
 *   past the limit nothing has been sent upstream and the answer is 413.
 * - Chunked multipart: streamed through a byte counter; past the limit the upstream request is cut and the answer
 *   is 413 (unless the upstream had already answered, then its answer stands).
 *
 * A 413 is sent only once the rest of the client's body has been read and thrown away (up to `upload` bytes
 * more): fastify closes the connection after any body-parser error, and a client still sending when it does gets
 * EPIPE instead of the answer (it did, on every try, on some machines). A body declared or sent past that
 * allowance is answered at once with `connection: close`, and such a client may see its write fail.
 */
import { Readable, Transform } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { httpErrors, type AppError } from '@vinculo/service-kit/http';

export interface BodyLimits {
  /** Largest non-multipart body (JSON and anything else), bytes. */
  json: number;
  /** Largest multipart/form-data body, bytes. */
  upload: number;
}

interface Overflow {
  limit: number;
  multipart: boolean;
}

/** Chunked multipart bodies cut at the limit on their way upstream. */
const overflowed = new WeakMap<FastifyRequest, Overflow>();
/** Chunked non-multipart bodies read whole: their length, for the upstream request's Content-Length. */
const buffered = new WeakMap<FastifyRequest, number>();

type Done = (err: Error | null, body?: unknown) => void;

export function isMultipart(contentType: string | undefined): boolean {
  return /^\s*multipart\/form-data\s*(;|$)/i.test(contentType ?? '');
}

/** The content type parser for proxied routes: a size check, then the body as a stream for reply-from. */
export function bodyLimitParser(limits: BodyLimits) {
  return (request: FastifyRequest, payload: Readable, done: Done): void => {
    const multipart = isMultipart(request.headers['content-type']);
    const limit = multipart ? limits.upload : limits.json;
    const declared = request.headers['content-length'];
    if (declared !== undefined) {
      const length = Number(declared);
      if (length > limit) {
        // Past the allowance, closing is cheaper than reading it; within it, the declared length is read.
        if (length - limit > limits.upload) return done(tooLarge({ limit, multipart }, true));
        return discardRest(payload, length, () => done(tooLarge({ limit, multipart }, false)));
      }
      return done(null, payload);
    }
    if (multipart) return done(null, countUpTo(request, payload, limit, limits.upload));
    readUpTo(request, payload, limit, limits.upload, done);
  };
}

/** True when the body was cut on its way upstream because it went past its limit. */
export function isBodyTooLarge(request: FastifyRequest): boolean {
  return overflowed.has(request);
}

/** The 413 for a body cut on its way upstream (see isBodyTooLarge). */
export function bodyTooLarge(request: FastifyRequest, reply: FastifyReply): AppError {
  const overflow = overflowed.get(request) ?? { limit: 0, multipart: true };
  // The connection carries no further request unless the rest of the body was drained in full.
  if (!request.raw.complete) void reply.header('connection', 'close');
  return tooLarge(overflow, false);
}

/** The length to announce upstream for a body read whole at the edge, if it was. */
export function bufferedLength(request: FastifyRequest): number | undefined {
  return buffered.get(request);
}

function tooLarge({ limit, multipart }: Overflow, close: boolean): AppError {
  const what = multipart
    ? { en: 'A multipart/form-data body', es: 'Un cuerpo multipart/form-data' }
    : { en: 'A body that is not multipart/form-data', es: 'Un cuerpo que no es multipart/form-data' };
  return httpErrors.PAYLOAD_TOO_LARGE({
    detail: {
      en: `${what.en} may be at most ${limit} bytes`,
      es: `${what.es} puede tener como máximo ${limit} bytes`,
    },
    ...(close ? { headers: { connection: 'close' } } : {}),
  });
}

function readUpTo(
  request: FastifyRequest,
  payload: Readable,
  limit: number,
  drainMax: number,
  done: Done,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const cleanup = (): void => {
    payload.off('data', onData);
    payload.off('end', onEnd);
    payload.off('error', onError);
  };
  const onData = (chunk: Buffer): void => {
    size += chunk.length;
    if (size <= limit) {
      chunks.push(chunk);
      return;
    }
    cleanup();
    chunks.length = 0;
    discardRest(payload, drainMax, () => done(tooLarge({ limit, multipart: false }, false)));
  };
  const onEnd = (): void => {
    cleanup();
    buffered.set(request, size);
    done(null, Readable.from([Buffer.concat(chunks, size)], { objectMode: false }));
  };
  const onError = (err: Error): void => {
    cleanup();
    done(err);
  };
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onError);
}

function countUpTo(request: FastifyRequest, payload: Readable, limit: number, drainMax: number): Readable {
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size <= limit) return callback(null, chunk);
      overflowed.set(request, { limit, multipart: true });
      payload.unpipe(counter);
      discardRest(payload, drainMax);
      callback(tooLarge({ limit, multipart: true }, false));
    },
  });
  payload.on('error', (err) => counter.destroy(err));
  payload.pipe(counter);
  return counter;
}

/**
 * Reads and drops what the client still sends, up to `max` bytes; past that the connection is closed. `then`
 * (once) when the body has ended, failed or been cut.
 */
function discardRest(payload: Readable, max: number, then: () => void = () => {}): void {
  let drained = 0;
  let called = false;
  const finish = (): void => {
    if (called) return;
    called = true;
    payload.off('data', onData);
    payload.off('end', finish);
    payload.off('error', finish);
    payload.off('close', finish);
    then();
  };
  const onData = (chunk: Buffer): void => {
    drained += chunk.length;
    if (drained > max) {
      payload.destroy();
      finish();
    }
  };
  payload.on('data', onData);
  payload.on('end', finish);
  payload.on('error', finish);
  payload.on('close', finish);
  payload.resume();
}
