/**
 * argon2id through @node-rs/argon2, which ships its native binary inside the npm package (no download at
 * install). Parameters follow OWASP's minimum for argon2id: 19 MiB, 2 iterations, 1 lane.
 */
import { hash, verify } from '@node-rs/argon2';

// algorithm 2 is Argon2id (the package's Algorithm enum is a const enum, which isolated modules cannot read).
const PARAMS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMS);
}

// Verifying against this when the account does not exist keeps the answer time the same, so timing does not
// reveal which e-mail addresses have accounts.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) {
    dummyHash ??= hash('not-a-real-password', PARAMS);
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}
