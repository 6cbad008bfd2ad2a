/**
 * ES256 signing keys, kept in PostgreSQL so every replica signs with the same key and serves the same JWKS.
 * A key signs for `rotationDays`, then is retired: it signs nothing more but stays in the JWKS until the last
 * access token it signed has expired (retired_at + access TTL + clock tolerance), then drops out.
 *
 * Risk written down: private keys are stored as PEM in the registry schema. Production should wrap them with
 * a KMS key (envelope encryption); the interface here does not change when it does.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { sql, type Kysely } from '@vinculo/service-kit/db';
import type { RegistryDb } from '../db/schema.js';

export interface ActiveKey {
  kid: string;
  privateKey: KeyObject;
}

export interface Jwk {
  kty: string;
  crv?: string;
  x?: string;
  y?: string;
  kid: string;
  alg: string;
  use: string;
}

export interface KeyStoreOptions {
  db: Kysely<RegistryDb>;
  rotationDays: number;
  accessTtlSeconds: number;
  /** How long an answer is cached in memory before PostgreSQL is asked again. */
  cacheMs?: number;
  now?: () => Date;
}

export interface KeyStore {
  current(): Promise<ActiveKey>;
  jwks(): Promise<{ keys: Jwk[] }>;
  publicKey(kid: string): Promise<KeyObject | undefined>;
  rotate(): Promise<string>;
}

const CLOCK_TOLERANCE_SECONDS = 60;

function newKey(): { kid: string; privatePem: string; jwk: Jwk } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = randomBytes(12).toString('base64url');
  const exported = publicKey.export({ format: 'jwk' });
  return {
    kid,
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    jwk: { kty: 'EC', crv: exported.crv, x: exported.x, y: exported.y, kid, alg: 'ES256', use: 'sig' },
  };
}

export function createKeyStore(opts: KeyStoreOptions): KeyStore {
  const { db } = opts;
  const now = opts.now ?? (() => new Date());
  const cacheMs = opts.cacheMs ?? 30_000;
  let active: { key: ActiveKey; at: number; createdAt: Date } | undefined;
  let published: { jwks: { keys: Jwk[] }; byKid: Map<string, KeyObject>; at: number } | undefined;
  // An unknown kid reloads at most this often, so a flood of made-up kids cannot hammer PostgreSQL.
  const unknownKidReloadMs = 5_000;

  const rotationMs = opts.rotationDays * 86_400_000;

  async function rotateIfDue(force: boolean): Promise<string> {
    return db.transaction().execute(async (trx) => {
      // One replica rotates; the others wait here and then find the fresh key.
      await sql`select pg_advisory_xact_lock(hashtext('registry.signing_keys'))`.execute(trx);
      const latest = await trx
        .selectFrom('signing_keys')
        .select(['kid', 'created_at'])
        .where('retired_at', 'is', null)
        .orderBy('created_at', 'desc')
        .executeTakeFirst();
      if (!force && latest && now().getTime() - latest.created_at.getTime() < rotationMs) return latest.kid;
      const key = newKey();
      await trx
        .updateTable('signing_keys')
        .set({ retired_at: now() })
        .where('retired_at', 'is', null)
        .execute();
      await trx
        .insertInto('signing_keys')
        .values({
          kid: key.kid,
          private_pem: key.privatePem,
          public_jwk: JSON.stringify(key.jwk),
          created_at: now(),
        })
        .execute();
      return key.kid;
    });
  }

  async function loadActive(): Promise<{ key: ActiveKey; createdAt: Date }> {
    const row = await db
      .selectFrom('signing_keys')
      .select(['kid', 'private_pem', 'created_at'])
      .where('retired_at', 'is', null)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (row && now().getTime() - row.created_at.getTime() < rotationMs) {
      return {
        key: { kid: row.kid, privateKey: createPrivateKey(row.private_pem) },
        createdAt: row.created_at,
      };
    }
    await rotateIfDue(false);
    published = undefined;
    return loadActive();
  }

  async function loadPublished() {
    const horizon = new Date(now().getTime() - (opts.accessTtlSeconds + CLOCK_TOLERANCE_SECONDS) * 1000);
    const rows = await db
      .selectFrom('signing_keys')
      .select(['kid', 'public_jwk'])
      .where((eb) => eb.or([eb('retired_at', 'is', null), eb('retired_at', '>', horizon)]))
      .orderBy('created_at', 'desc')
      .execute();
    const keys = rows.map((r) => r.public_jwk as unknown as Jwk);
    const byKid = new Map(keys.map((k) => [k.kid, createPublicKey({ key: { ...k }, format: 'jwk' })]));
    return { jwks: { keys }, byKid, at: Date.now() };
  }

  return {
    async current() {
      const fresh =
        active &&
        Date.now() - active.at < cacheMs &&
        now().getTime() - active.createdAt.getTime() < rotationMs;
      if (!fresh) {
        const loaded = await loadActive();
        active = { ...loaded, at: Date.now() };
      }
      return active!.key;
    },
    async jwks() {
      if (!published || Date.now() - published.at >= cacheMs) published = await loadPublished();
      return published.jwks;
    },
    async publicKey(kid) {
      const stale = !published || Date.now() - published.at >= cacheMs;
      const unknown =
        published !== undefined &&
        !published.byKid.has(kid) &&
        Date.now() - published.at >= unknownKidReloadMs;
      if (stale || unknown) published = await loadPublished();
      return published!.byKid.get(kid);
    },
    async rotate() {
      const kid = await rotateIfDue(true);
      active = undefined;
      published = undefined;
      return kid;
    },
  };
}
