/**
 * Opaque secrets handed to clients (refresh tokens, invitation tokens, API keys). Only their SHA-256 is stored:
 * the secrets are 256-bit random, so a fast hash is enough (no password stretching needed) and lookups stay
 * indexable.
 */
import { createHash, randomBytes } from 'node:crypto';

export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** API keys show a short, non-secret prefix so an operator can tell keys apart in lists and logs. */
export function newApiKey(): { key: string; prefix: string } {
  const id = randomBytes(4).toString('hex');
  const key = `vk_${id}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix: `vk_${id}` };
}

export function normalizeEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase();
}
