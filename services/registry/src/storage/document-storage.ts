/**
 * Where certificate documents live. Content-addressed: the key is the SHA-256 of the bytes, so the same file
 * uploaded twice is stored once. The local-disk driver is the only one today; an object store fits the same
 * interface.
 */
export interface DocumentStorage {
  /** Stores the bytes under their hash if absent; resolves to the storage key. */
  put(sha256: string, bytes: Buffer): Promise<string>;
  get(storageKey: string): Promise<Buffer | undefined>;
}
