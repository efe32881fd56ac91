import fs from 'node:fs';
import { hashFileHere, type FileHash } from './hasher';

/**
 * Asynchronous, parallel file work for backups (issue 8, bench "backup"). Several files are in
 * flight at once, so the kernel's copies (libuv's thread pool) overlap with the read-back and
 * hashing (hash workers, hasher.ts) on the other core.
 *
 * How a blob is copied, measured on the reference machine (ext4, 2 cores, 1 GiB of 256 KiB –
 * 1.75 MiB files): `write(2)` of user memory into new files costs ~3.1 s of system time per
 * GiB here, while the kernel's own copy (`copy_file_range`, which `fs.copyFile` uses, as
 * `cp` does) costs ~0.55 s. So the copy is made by the kernel, then the COPY is read back and
 * hashed: the SHA-256 checked and recorded is of exactly the bytes in the backup file (from
 * the page cache that will be written to disk), a stronger guarantee than hashing the source.
 * A copy whose bytes do not hash to the expected name is removed.
 */

/** Files copied at once; more does not help on two cores. */
export const COPY_CONCURRENCY = 8;

/**
 * Runs `fn` over `items` with at most `limit` calls in flight; rejects with the first error
 * after the calls already started have settled (so nothing is left writing behind the caller).
 */
export async function forEachParallel<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  let failed: { error: unknown } | null = null;
  const lane = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        signal?.throwIfAborted();
        await fn(items[i] as T, i);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  if (failed) throw (failed as { error: unknown }).error;
}

export interface CopyOptions {
  /** The hash the copy must have; a copy that hashes to something else is removed (`written: false`). */
  readonly expectSha256?: string;
  /** Reads a file back and hashes it (default: on the calling thread; backup.ts passes its hash workers). */
  readonly hashFile?: (file: string) => Promise<FileHash>;
}

export interface CopyResult {
  /** SHA-256 of the bytes of the copy. */
  readonly sha256: string;
  readonly size: number;
  /** False when the copy did not hash to `expectSha256`: `dest` was removed. */
  readonly written: boolean;
}

/**
 * Copies `src` to the new file `dest` (O_EXCL, by the kernel: `fs.copyFile`), then reads the
 * copy back and hashes it (`hashFile`). No fsync: the caller makes the files durable (one
 * syncfs of the filesystem). A failed or mismatching copy is removed.
 */
export async function copyFileHashed(src: string, dest: string, options: CopyOptions = {}): Promise<CopyResult> {
  await fs.promises.copyFile(src, dest, fs.constants.COPYFILE_EXCL);
  try {
    const { sha256, size } = await (options.hashFile ?? hashFileHere)(dest);
    if (options.expectSha256 !== undefined && sha256 !== options.expectSha256) {
      await fs.promises.rm(dest, { force: true });
      return { sha256, size, written: false };
    }
    return { sha256, size, written: true };
  } catch (err) {
    await fs.promises.rm(dest, { force: true }).catch(() => undefined);
    throw err;
  }
}
