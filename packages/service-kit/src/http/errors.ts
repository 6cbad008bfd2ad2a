/**
 * Typed application errors with stable codes, and their RFC 9457 problem+json rendering in English or Spanish.
 * A service declares its errors once (`defineErrors('REGISTRY', {...})`) and throws the factories' results; the
 * error handler in ./server.ts is the only place that turns anything into an HTTP answer.
 */

export type Lang = 'en' | 'es';

/** A text in both languages the API speaks. */
export interface Localized {
  en: string;
  es: string;
}

export interface ErrorSpec extends Localized {
  status: number;
}

/** One input problem, as listed in a 400 VALIDATION_FAILED answer. */
export interface FieldError {
  /** Where the value came from: body, querystring, params, headers. */
  in?: string;
  /** JSON pointer to the value ('' for the whole part). */
  path: string;
  message: string;
}

export interface ErrorInit {
  /** Shown to the client; a plain string is used for both languages. Never put internals here. */
  detail?: string | Localized;
  errors?: FieldError[];
  /** Extra response headers, e.g. Retry-After. */
  headers?: Record<string, string>;
  cause?: unknown;
}

export class AppError<Code extends string = string> extends Error {
  override readonly name = 'AppError';
  readonly code: Code;
  readonly status: number;
  readonly title: Localized;
  readonly detail: Localized | undefined;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;

  constructor(code: Code, spec: ErrorSpec, init: ErrorInit = {}) {
    super(`${code}: ${spec.en}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = code;
    this.status = spec.status;
    this.title = { en: spec.en, es: spec.es };
    this.detail = typeof init.detail === 'string' ? { en: init.detail, es: init.detail } : init.detail;
    this.errors = init.errors;
    this.headers = init.headers ?? {};
  }
}

/** Also recognises an AppError from another copy of this module (instanceof alone breaks across copies). */
export function isAppError(err: unknown): err is AppError {
  return (
    err instanceof AppError ||
    (err instanceof Error &&
      err.name === 'AppError' &&
      typeof (err as { code?: unknown }).code === 'string' &&
      typeof (err as { status?: unknown }).status === 'number')
  );
}

type Joined<P extends string, K extends string> = P extends '' ? K : `${P}_${K}`;

export type ErrorFactories<P extends string, S extends Record<string, ErrorSpec>> = {
  readonly [K in keyof S & string]: (init?: ErrorInit) => AppError<Joined<P, K>>;
};

/**
 * Declares a service's errors once: `const errors = defineErrors('REGISTRY', { USER_NOT_FOUND: { status: 404,
 * en: 'User not found', es: 'Usuario no encontrado' } })`, then `throw errors.USER_NOT_FOUND({ detail })`, whose
 * code is `REGISTRY_USER_NOT_FOUND`. An empty prefix is reserved for the kit's own codes.
 */
export function defineErrors<const P extends string, const S extends Record<string, ErrorSpec>>(
  prefix: P,
  specs: S,
): ErrorFactories<P, S> {
  if (!/^([A-Z][A-Z0-9]*)?$/.test(prefix)) throw new Error(`bad error prefix ${prefix}`);
  const out: Record<string, (init?: ErrorInit) => AppError> = {};
  for (const [key, spec] of Object.entries(specs)) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(key)) throw new Error(`bad error key ${key}`);
    if (!Number.isInteger(spec.status) || spec.status < 400 || spec.status > 599) {
      throw new Error(`error ${key} needs a 4xx or 5xx status`);
    }
    const code = prefix === '' ? key : `${prefix}_${key}`;
    out[key] = (init) => new AppError(code, spec, init);
  }
  return Object.freeze(out) as ErrorFactories<P, S>;
}

/** The kit's own codes: what fastify and the shared plugins can answer by themselves. */
export const httpErrors = defineErrors('', {
  VALIDATION_FAILED: { status: 400, en: 'The request is not valid', es: 'La solicitud no es válida' },
  MALFORMED_JSON: { status: 400, en: 'The body is not valid JSON', es: 'El cuerpo no es JSON válido' },
  NUL_CHARACTER: {
    status: 400,
    en: 'Text must not contain the NUL character (U+0000)',
    es: 'El texto no debe contener el carácter NUL (U+0000)',
  },
  BODY_TOO_DEEP: {
    status: 400,
    en: 'The body is nested too deeply',
    es: 'El cuerpo tiene demasiados niveles de anidación',
  },
  BAD_REQUEST: { status: 400, en: 'Bad request', es: 'Solicitud incorrecta' },
  INVALID_CURSOR: { status: 400, en: 'The cursor is not valid', es: 'El cursor no es válido' },
  IDEMPOTENCY_KEY_INVALID: {
    status: 400,
    en: 'The Idempotency-Key header must be 1 to 255 visible characters',
    es: 'El encabezado Idempotency-Key debe tener de 1 a 255 caracteres visibles',
  },
  UNAUTHORIZED: { status: 401, en: 'Authentication required', es: 'Se requiere autenticación' },
  FORBIDDEN: { status: 403, en: 'Forbidden', es: 'Prohibido' },
  NOT_FOUND: { status: 404, en: 'Not found', es: 'No encontrado' },
  METHOD_NOT_ALLOWED: { status: 405, en: 'Method not allowed', es: 'Método no permitido' },
  NOT_ACCEPTABLE: { status: 406, en: 'Not acceptable', es: 'No aceptable' },
  REQUEST_TIMEOUT: {
    status: 503,
    en: 'The request took too long',
    es: 'La solicitud tardó demasiado',
  },
  CONFLICT: { status: 409, en: 'Conflict', es: 'Conflicto' },
  IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    en: 'This Idempotency-Key was already used with a different request',
    es: 'Esta Idempotency-Key ya se usó con una solicitud diferente',
  },
  IDEMPOTENCY_IN_PROGRESS: {
    status: 409,
    en: 'A request with this Idempotency-Key is still being processed',
    es: 'Una solicitud con esta Idempotency-Key todavía se está procesando',
  },
  PAYLOAD_TOO_LARGE: { status: 413, en: 'The body is too large', es: 'El cuerpo es demasiado grande' },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    en: 'Unsupported content type',
    es: 'Tipo de contenido no admitido',
  },
  RATE_LIMITED: { status: 429, en: 'Too many requests', es: 'Demasiadas solicitudes' },
  INTERNAL_ERROR: { status: 500, en: 'Internal error', es: 'Error interno' },
  SERVICE_UNAVAILABLE: {
    status: 503,
    en: 'The service is temporarily unavailable',
    es: 'El servicio no está disponible temporalmente',
  },
});

/** Generic code and titles for a bare 4xx/5xx status that carries no code of ours. */
export function errorForStatus(status: number, init?: ErrorInit): AppError {
  switch (status) {
    case 401:
      return httpErrors.UNAUTHORIZED(init);
    case 403:
      return httpErrors.FORBIDDEN(init);
    case 404:
      return httpErrors.NOT_FOUND(init);
    case 405:
      return httpErrors.METHOD_NOT_ALLOWED(init);
    case 406:
      return httpErrors.NOT_ACCEPTABLE(init);
    case 408:
      return new AppError(
        'REQUEST_TIMEOUT',
        { status: 408, en: 'Request timeout', es: 'Tiempo de espera agotado' },
        init,
      );
    case 409:
      return httpErrors.CONFLICT(init);
    case 413:
      return httpErrors.PAYLOAD_TOO_LARGE(init);
    case 415:
      return httpErrors.UNSUPPORTED_MEDIA_TYPE(init);
    case 429:
      return httpErrors.RATE_LIMITED(init);
    case 503:
      return httpErrors.SERVICE_UNAVAILABLE(init);
    default:
      if (status >= 400 && status < 500) {
        return new AppError('BAD_REQUEST', { status, en: 'Bad request', es: 'Solicitud incorrecta' }, init);
      }
      return httpErrors.INTERNAL_ERROR(init);
  }
}

/**
 * Picks es or en from an Accept-Language header (RFC 9110 §12.5.4): highest q first, ties in header order,
 * q=0 excluded, 'es-MX' counts as es, '*' as the default (en).
 */
export function negotiateLanguage(header: string | string[] | undefined): Lang {
  const raw = Array.isArray(header) ? header.join(',') : header;
  if (!raw) return 'en';
  const ranges: Array<{ tag: string; q: number; i: number }> = [];
  for (const [i, part] of raw.slice(0, 1024).split(',').entries()) {
    const [tagPart, ...params] = part.trim().split(';');
    const tag = (tagPart ?? '').trim().toLowerCase();
    if (!tag) continue;
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p);
      if (m?.[1] !== undefined) q = Number.parseFloat(m[1]);
    }
    if (!Number.isFinite(q) || q <= 0) continue;
    ranges.push({ tag, q: Math.min(q, 1), i });
  }
  ranges.sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranges) {
    const primary = tag.split('-')[0];
    if (primary === 'es' || primary === 'en') return primary;
    if (tag === '*') return 'en';
  }
  return 'en';
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  instance?: string;
  correlationId: string;
  errors?: FieldError[];
}

export function toProblem(err: AppError, lang: Lang, correlationId: string, instance?: string): Problem {
  const problem: Problem = {
    type: `urn:vinculo:problem:${err.code}`,
    title: err.title[lang],
    status: err.status,
    code: err.code,
    correlationId,
  };
  if (err.detail) problem.detail = err.detail[lang];
  if (instance !== undefined) problem.instance = instance;
  if (err.errors && err.errors.length > 0) problem.errors = err.errors;
  return problem;
}

const UNAVAILABLE_NAMES = new Set([
  // ioredis
  'MaxRetriesPerRequestError',
  // @nats-io/nats-core v3
  'ClosedConnectionError',
  'DrainingConnectionError',
  'NoRespondersError',
  // thrown by this kit when a dependency call exceeds its bound
  'DependencyUnavailableError',
]);

/** Thrown by the kit (rate limiter, idempotency store) when Redis does not answer in time. */
export class DependencyUnavailableError extends Error {
  override readonly name = 'DependencyUnavailableError';
  constructor(
    readonly dependency: string,
    cause?: unknown,
  ) {
    super(`${dependency} is unavailable`, cause === undefined ? undefined : { cause });
  }
}

/**
 * True for errors that mean "Redis or NATS cannot be reached right now" (answered 503 with Retry-After). The
 * database has its own test, isDatabaseUnavailable from ../db.
 */
export function isDependencyUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (UNAVAILABLE_NAMES.has(err.name)) return true;
  const code = (err as { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH'].includes(code)
  ) {
    return true;
  }
  return /Connection is closed|Stream isn't writeable|Reached the max retries per request|CONNECTION_CLOSED|connection (draining|closed)|no responders/i.test(
    err.message,
  );
}
