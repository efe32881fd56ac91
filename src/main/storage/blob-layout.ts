import path from 'node:path';

/**
 * Where a blob lives in a storage root: `blobs/ab/cd/<sha256>`. The name is the SHA-256 of
 * the content, so every read can be verified and a scrub needs no database.
 */
export const BLOBS_DIR = 'blobs';
export const SHA256_HEX = /^[0-9a-f]{64}$/;

export function blobPath(storageRoot: string, sha256: string): string {
  if (!SHA256_HEX.test(sha256)) throw new Error(`not a SHA-256 hex digest: ${sha256}`);
  return path.join(storageRoot, BLOBS_DIR, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}
