/**
 * Where verification keys come from: a remote JWKS (other services read the registry's
 * `/.well-known/jwks.json`) or an in-process map (the registry verifies its own tokens without HTTP).
 */
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';

export interface KeySource {
  /** The public key for a `kid`, or undefined when no such key is known. Never throws for an unknown kid. */
  getKey(kid: string): Promise<KeyObject | undefined>;
}

/** A `kid` we are willing to look up: short and free of path or URL syntax. */
export const safeKid = /^[A-Za-z0-9_-]{1,64}$/;

export function staticKeySource(keys: ReadonlyMap<string, KeyObject> | Record<string, KeyObject>): KeySource {
  const map = keys instanceof Map ? new Map(keys) : new Map(Object.entries(keys));
  return { getKey: (kid) => Promise.resolve(map.get(kid)) };
}

export interface JwksClientOptions {
  jwksUrl: string;
  /** How long a fetched key set is fresh; a stale set is refetched on use and still served if that fails. */
  cacheTtlMs?: number;
  fetchTimeoutMs?: number;
  /**
   * Least time between two fetches. A stream of tokens with made-up kids would otherwise turn every request
   * into a request to the registry (kid spraying).
   */
  minRefetchIntervalMs?: number;
  /** Called when a fetch fails or a key in the set is skipped; wire it to the service logger. */
  onWarning?: (msg: string, detail?: unknown) => void;
}

export interface JwksClient extends KeySource {
  /** Fetches the key set now (bypassing the rate limit) and replaces the cache; rejects if the fetch fails. */
  refresh(): Promise<void>;
}

interface Jwk {
  kid?: unknown;
  kty?: unknown;
  crv?: unknown;
  use?: unknown;
  alg?: unknown;
  x?: unknown;
  y?: unknown;
}

/** Only ES256 signing keys: an RSA or symmetric entry in the set must never become a verification key. */
export function parseJwks(
  body: unknown,
  onSkip?: (msg: string, detail?: unknown) => void,
): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  const list = (body as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list)) throw new Error('JWKS has no keys array');
  for (const entry of list as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const jwk = entry as Jwk;
    const { kid } = jwk;
    if (typeof kid !== 'string' || !safeKid.test(kid)) {
      onSkip?.('skipping JWK without a safe kid', { kid });
      continue;
    }
    if (
      jwk.kty !== 'EC' ||
      jwk.crv !== 'P-256' ||
      (jwk.use !== undefined && jwk.use !== 'sig') ||
      (jwk.alg !== undefined && jwk.alg !== 'ES256') ||
      typeof jwk.x !== 'string' ||
      typeof jwk.y !== 'string'
    ) {
      onSkip?.('skipping JWK that is not an ES256 signing key', { kid });
      continue;
    }
    try {
      // Copy only the public members: a private `d` published by mistake is not carried along.
      const publicJwk: JsonWebKey = { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
      keys.set(kid, createPublicKey({ key: publicJwk, format: 'jwk' }));
    } catch (err) {
      onSkip?.('skipping JWK that does not parse', { kid, err });
    }
  }
  return keys;
}

export function createJwksClient(opts: JwksClientOptions): JwksClient {
  const cacheTtlMs = opts.cacheTtlMs ?? 10 * 60_000;
  const fetchTimeoutMs = opts.fetchTimeoutMs ?? 2_000;
  const minRefetchIntervalMs = opts.minRefetchIntervalMs ?? 30_000;
  const warn = opts.onWarning ?? (() => undefined);

  let keys = new Map<string, KeyObject>();
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let lastAttemptAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;

  async function fetchKeys(): Promise<void> {
    lastAttemptAt = Date.now();
    const res = await fetch(opts.jwksUrl, {
      signal: AbortSignal.timeout(fetchTimeoutMs),
      headers: { accept: 'application/json' },
      redirect: 'error',
    });
    if (!res.ok) throw new Error(`JWKS fetch answered ${res.status}`);
    keys = parseJwks(await res.json(), warn);
    fetchedAt = Date.now();
  }

  /** One fetch at a time: concurrent callers share it. */
  function refresh(): Promise<void> {
    inFlight ??= fetchKeys().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  /** Refetches unless we tried too recently; a failure keeps the cached set (serve stale over fail closed). */
  async function maybeRefresh(): Promise<void> {
    // With nothing cached yet (the registry was down when we booted) every token fails, so retry sooner.
    const interval =
      fetchedAt === Number.NEGATIVE_INFINITY ? Math.min(minRefetchIntervalMs, 1_000) : minRefetchIntervalMs;
    if (inFlight === undefined && Date.now() - lastAttemptAt < interval) return;
    try {
      await refresh();
    } catch (err) {
      warn('JWKS fetch failed; serving cached keys', { err, cached: keys.size });
    }
  }

  return {
    refresh,
    async getKey(kid) {
      if (!safeKid.test(kid)) return undefined;
      if (Date.now() - fetchedAt > cacheTtlMs) await maybeRefresh();
      const key = keys.get(kid);
      if (key !== undefined) return key;
      // Unknown kid: maybe the registry rotated keys since our last fetch.
      await maybeRefresh();
      return keys.get(kid);
    },
  };
}
