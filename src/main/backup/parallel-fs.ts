import crypto from 'node:crypto';
import fs from 'node:fs';
import { sha256Here } from './hasher';

/**
 * Asynchronous, parallel file work for backups (issue 8, bench "backup"). Several files are in
 * flight at once, so the kernel's copies and reads (libuv's thread pool) overlap with hashing
 * (hash workers, hasher.ts) on the other core.
 *
 * How a blob is copied, measured on the reference machine (ext4, 2 cores, 1 GiB of 256 KiB –
 * 1.75 MiB files): `write(2)` of user memory into new files costs ~3.1 s of system time per
 * GiB here, while the kernel's own copy (`copy_file_range`, which `fs.copyFile` uses, as
 * `cp` does) costs ~0.55 s. So the copy is made by the kernel, then the COPY is read back and
 * hashed: the SHA-256 checked and recorded is of exactly the bytes in the backup file (from
 * the page cache that will be written to disk), a stronger guarantee than hashing the source.
 * A copy whose bytes do not hash to the expected name is removed.
 */

/** Chunk of one read; blobs are mostly ≤ 2 MiB, so most files take one or two reads. */
const CHUNK = 1024 * 1024;

/** Files copied at once; more does not help on two cores and keeps memory at ~CHUNK × this. */
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

/** Files up to this size are read whole into a reused buffer; larger ones are streamed. */
const WHOLE_FILE = 16 * 1024 * 1024;

/**
 * Read buffers, reused from file to file: a fresh multi-megabyte allocation per file costs a
 * page fault per 4 KiB (kernel time that `cp` does not spend). At most COPY_CONCURRENCY are
 * in use at once; each grows to the largest file it held (≤ WHOLE_FILE).
 */
const spare: Buffer[] = [];
const takeBuffer = (size: number): Buffer => {
  const i = spare.findIndex((b) => b.length >= size);
  const found = i >= 0 ? spare.splice(i, 1)[0] : undefined;
  if (found) return found;
  spare.pop();
  // Shared memory, so that a hash worker can read it in place (hasher.ts).
  return Buffer.from(new SharedArrayBuffer(Math.max(size, CHUNK)));
};
const giveBuffer = (buf: Buffer): void => {
  if (spare.length < COPY_CONCURRENCY) spare.push(buf);
};

export interface CopyOptions {
  /** The hash the copy must have; a copy that hashes to something else is removed (`written: false`). */
  readonly expectSha256?: string;
  /** Hashes a whole-file buffer (default: on the calling thread; backup.ts passes its hash workers). */
  readonly digest?: (bytes: Buffer) => Promise<string>;
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
 * copy back and hashes it: a file up to WHOLE_FILE with one read into a reused shared buffer
 * hashed by `digest`, a larger one streamed through a chunked hash. No fsync: the caller makes
 * the files durable (one syncfs of the filesystem). A failed or mismatching copy is removed.
 */
export async function copyFileHashed(src: string, dest: string, options: CopyOptions = {}): Promise<CopyResult> {
  await fs.promises.copyFile(src, dest, fs.constants.COPYFILE_EXCL);
  let buf: Buffer | undefined;
  try {
    const copy = await fs.promises.open(dest, 'r');
    let result: CopyResult;
    try {
      const { size } = await copy.stat();
      let sha256: string;
      if (size <= WHOLE_FILE) {
        buf = takeBuffer(size + 1);
        const whole = await readWhole(copy, buf, size);
        if (!whole) throw Object.assign(new Error(`${dest} grew while it was read back`), { code: 'EIO' });
        sha256 = await (options.digest ?? sha256Here)(whole);
      } else {
        sha256 = await hashHandle(copy);
      }
      result = { sha256, size, written: true };
    } finally {
      await copy.close();
    }
    if (options.expectSha256 !== undefined && result.sha256 !== options.expectSha256) {
      await fs.promises.rm(dest, { force: true });
      return { ...result, written: false };
    }
    return result;
  } catch (err) {
    await fs.promises.rm(dest, { force: true }).catch(() => undefined);
    throw err;
  } finally {
    if (buf) giveBuffer(buf);
  }
}

/** The whole file read into `buf` when it is at most `size` bytes long; null when it is longer. */
async function readWhole(fh: fs.promises.FileHandle, buf: Buffer, size: number): Promise<Buffer | null> {
  // One byte more than expected is asked for: getting it means the file grew since the stat.
  let offset = 0;
  while (offset <= size) {
    const { bytesRead } = await fh.read(buf, offset, size + 1 - offset, offset);
    if (bytesRead === 0) return buf.subarray(0, offset);
    offset += bytesRead;
  }
  return null;
}

/** SHA-256 of an open file, read from the start in chunks. */
async function hashHandle(fh: fs.promises.FileHandle): Promise<string> {
  const hash = crypto.createHash('sha256');
  const buf = Buffer.allocUnsafe(CHUNK);
  let position = 0;
  for (;;) {
    const { bytesRead } = await fh.read(buf, 0, CHUNK, position);
    if (bytesRead === 0) break;
    hash.update(buf.subarray(0, bytesRead));
    position += bytesRead;
  }
  return hash.digest('hex');
}

/** SHA-256 of a file, read asynchronously. */
export async function hashFile(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
    }
  } finally {
    await fh.close();
  }
  return hash.digest('hex');
}
