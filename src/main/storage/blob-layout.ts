import path from 'node:path';

/**
 * Where a blob lives in a storage root: `blobs/ab/<sha256>` (layout 2). The name is the
 * SHA-256 of the content, so every read can be verified and a scrub needs no database.
 *
 * The 256 shard folders `blobs/00` … `blobs/ff` are made once, when the workspace is opened
 * (blob-layout-upgrade.ts), so storing an object never creates a folder: creating folders was
 * a large share of an import's kernel time (issue 3 benchmark). A shard holds 1/256 of the
 * objects (about 4,000 files per million), which ext4 and xfs index by name.
 *
 * Layout 1 had a second level, `blobs/ab/cd/<sha256>`; workspaces (and restores of backups)
 * written with it are moved to layout 2 when they are opened.
 */
export const BLOBS_DIR = 'blobs';
export const SHA256_HEX = /^[0-9a-f]{64}$/;
/** Prefix of a blob being written (O_EXCL temp file in its shard, renamed when complete). */
export const BLOB_TEMP_PREFIX = '.tmp-';

/** The shard folder names, `00` … `ff`. */
export const SHARDS: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Where layout 1 kept a blob (`blobs/ab/cd/<sha256>`), for read-only checks of a store not yet moved. */
export function layout1BlobPath(storageRoot: string, sha256: string): string {
  return path.join(storageRoot, BLOBS_DIR, checked(sha256).slice(0, 2), sha256.slice(2, 4), sha256);
}

export function blobPath(storageRoot: string, sha256: string): string {
  return path.join(storageRoot, BLOBS_DIR, checked(sha256).slice(0, 2), sha256);
}

function checked(sha256: string): string {
  if (!SHA256_HEX.test(sha256)) throw new Error(`not a SHA-256 hex digest: ${sha256}`);
  return sha256;
}
