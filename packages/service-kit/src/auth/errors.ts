/**
 * One small typed error for every authentication failure. It carries `statusCode` and `headers` so fastify's
 * error handling (or a problem+json handler) renders a 401 with `WWW-Authenticate` without knowing about it.
 * `reason` is for logs only: clients get the code and a bland message, never why exactly we refused.
 */
export type AuthErrorCode = 'AUTH_TOKEN_MISSING' | 'AUTH_TOKEN_INVALID' | 'AUTH_TOKEN_EXPIRED';

const messages: Record<AuthErrorCode, string> = {
  AUTH_TOKEN_MISSING: 'An access token is required',
  AUTH_TOKEN_INVALID: 'The access token is not valid',
  AUTH_TOKEN_EXPIRED: 'The access token has expired',
};

export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly statusCode = 401;
  readonly headers: Record<string, string>;

  constructor(
    readonly code: AuthErrorCode,
    /** Internal detail for logs; not meant for the response body. */
    readonly reason?: string,
  ) {
    super(messages[code]);
    // RFC 6750 §3: no error attribute when the request carried no token at all.
    this.headers = {
      'www-authenticate':
        code === 'AUTH_TOKEN_MISSING'
          ? 'Bearer'
          : `Bearer error="invalid_token", error_description="${messages[code]}"`,
    };
  }
}

export function isAuthError(err: unknown): err is AuthError {
  return err instanceof AuthError;
}
