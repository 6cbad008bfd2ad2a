import type { FieldError, Problem } from './types.js';

/** Any non-2xx answer. `code` is the stable problem code (e.g. AUTH_TOKEN_EXPIRED), or HTTP_<status> if none. */
export class VinculoApiError extends Error {
  override readonly name = 'VinculoApiError';
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly correlationId: string | undefined;
  readonly errors: FieldError[] | undefined;
  /** The parsed body (a Problem when the server followed the contract), or the raw text. */
  readonly body: unknown;

  constructor(init: {
    status: number;
    code: string;
    title: string;
    detail?: string | undefined;
    correlationId?: string | undefined;
    errors?: FieldError[] | undefined;
    body?: unknown;
  }) {
    super(`${init.code}: ${init.detail ?? init.title} (HTTP ${init.status})`);
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.correlationId = init.correlationId;
    this.errors = init.errors;
    this.body = init.body;
  }
}

export function isVinculoApiError(err: unknown): err is VinculoApiError {
  return err instanceof VinculoApiError || (err instanceof Error && err.name === 'VinculoApiError');
}

function isProblemLike(v: unknown): v is Partial<Problem> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Builds the error for a non-2xx response; never throws itself. */
export async function errorFromResponse(res: Response): Promise<VinculoApiError> {
  let text = '';
  try {
    text = await res.text();
  } catch {
    // body unreadable: keep going with the status alone
  }
  let body: unknown = text;
  if (text) {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      // not JSON: body stays the raw text
    }
  }
  const headerCorrelation = res.headers.get('x-correlation-id') ?? undefined;
  if (isProblemLike(body)) {
    return new VinculoApiError({
      status: res.status,
      code: str(body.code) ?? `HTTP_${res.status}`,
      title: str(body.title) ?? (res.statusText || `HTTP ${res.status}`),
      detail: str(body.detail),
      correlationId: str(body.correlationId) ?? headerCorrelation,
      errors: Array.isArray(body.errors) ? body.errors : undefined,
      body,
    });
  }
  return new VinculoApiError({
    status: res.status,
    code: `HTTP_${res.status}`,
    title: res.statusText || `HTTP ${res.status}`,
    correlationId: headerCorrelation,
    body,
  });
}
