/** Documents on the local disk under `<dir>/documents/<aa>/<sha256>`, written atomically (temp file + rename). */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DocumentStorage } from './document-storage.js';

export function createLocalDiskStorage(dir: string): DocumentStorage {
  const root = path.resolve(dir, 'documents');
  const fileOf = (sha256: string) => {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('storage keys are SHA-256 hex digests');
    return path.join(root, sha256.slice(0, 2), sha256);
  };
  return {
    async put(sha256, bytes) {
      const file = fileOf(sha256);
      try {
        await fs.access(file);
        return sha256;
      } catch {
        // absent: write it below
      }
      await fs.mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      await fs.writeFile(tmp, bytes, { flag: 'wx' });
      await fs.rename(tmp, file);
      return sha256;
    },
    async get(storageKey) {
      try {
        return await fs.readFile(fileOf(storageKey));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
  };
}
