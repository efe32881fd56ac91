import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Asynchronous, parallel file work for backups (issue 8, bench "backup"). The synchronous
 * read-hash-write-fsync of one file after another left the disk idle while a file was hashed
 * and the CPU idle while it was fsynced; here several files are in flight at once, so reads,
 * writes and fsyncs overlap in libuv's thread pool while the JavaScript thread hashes.
 *
 * The guarantees are the ones of `copyFileDurable`: the copy is created with O_EXCL, the
 * SHA-256 is of the bytes actually read from the source and written to the copy (one read
 * pass), the copy is fsynced before the promise resolves, and a failed copy is removed.
 */

/** Chunk of one read; blobs are mostly ≤ 2 MiB, so most files take one or two reads. */
const CHUNK = 1024 * 1024;

/** Files copied at once; more does not help on two cores and keeps memory at ~CHUNK × this. */
export const COPY_CONCURRENCY = 8;
/** Directory fsyncs and hard links in flight at once (each is one cheap syscall). */
export const META_CONCURRENCY = 16;

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
  return Buffer.allocUnsafeSlow(Math.max(size, CHUNK));
};
const giveBuffer = (buf: Buffer): void => {
  if (spare.length < COPY_CONCURRENCY) spare.push(buf);
};

/**
 * Copies `src` to the new file `dest` (O_EXCL), hashing the bytes read, and fsyncs the copy.
 * A file up to WHOLE_FILE is read with one read into a reused buffer, hashed (SHA-256 over
 * exactly the bytes read) and written from the same buffer; larger files stream through a
 * chunked hash. Reads, writes and the fsync run in libuv's thread pool, so with several
 * files in flight the disk is busy while the JavaScript thread hashes.
 */
export async function copyFileHashed(src: string, dest: string): Promise<{ sha256: string; size: number }> {
  const input = await fs.promises.open(src, 'r');
  let out: fs.promises.FileHandle | undefined;
  let buf: Buffer | undefined;
  try {
    out = await fs.promises.open(dest, 'wx');
    const { size: expected } = await input.stat();
    let result: { sha256: string; size: number } | null = null;
    if (expected <= WHOLE_FILE) {
      buf = takeBuffer(expected + 1);
      const whole = await readWhole(input, buf, expected);
      if (whole) {
        const sha256 = crypto.createHash('sha256').update(whole).digest('hex');
        await writeAllAsync(out, whole);
        result = { sha256, size: whole.length };
      }
    }
    // Large, or it grew while read: stream it from the start.
    result ??= await streamHashed(input, out);
    await out.sync();
    await out.close();
    out = undefined;
    return result;
  } catch (err) {
    if (out !== undefined) {
      await out.close().catch(() => undefined);
      await fs.promises.rm(dest, { force: true }).catch(() => undefined);
    }
    throw err;
  } finally {
    if (buf) giveBuffer(buf);
    await input.close();
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

async function streamHashed(input: fs.promises.FileHandle, out: fs.promises.FileHandle): Promise<{ sha256: string; size: number }> {
  const hash = crypto.createHash('sha256');
  const buf = Buffer.allocUnsafe(CHUNK);
  let size = 0;
  for (;;) {
    const { bytesRead } = await input.read(buf, 0, CHUNK, size);
    if (bytesRead === 0) break;
    const chunk = buf.subarray(0, bytesRead);
    hash.update(chunk);
    await writeAllAsync(out, chunk, size);
    size += bytesRead;
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * Writes all of `bytes` at `position` (a write may take less than asked). Through `fs.write`
 * looked up at call time, like durable-fs, so that tests can inject ENOSPC/EIO.
 */
async function writeAllAsync(fh: fs.promises.FileHandle, bytes: Buffer, position = 0): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    offset += await new Promise<number>((resolve, reject) => {
      fs.write(fh.fd, bytes, offset, bytes.length - offset, position + offset, (err, written) => (err ? reject(err) : resolve(written)));
    });
  }
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

/** fsync of a directory (makes the names created in it durable). */
export async function fsyncDirAsync(dir: string): Promise<void> {
  const fh = await fs.promises.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Every directory under and including `root`: children listed before their parents, so that
 * fsyncing them in batches (deepest level first) never publishes a parent before its children.
 */
export function directoriesByDepth(root: string): string[][] {
  const levels: string[][] = [];
  let current = [root];
  while (current.length) {
    levels.push(current);
    const below: string[] = [];
    for (const dir of current) {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) below.push(path.join(dir, e.name));
    }
    current = below;
  }
  return levels.reverse();
}

/** fsyncs every directory of the tree under `root`, a level at a time (deepest first), in parallel within a level. */
export async function fsyncTreeParallel(root: string, signal?: AbortSignal): Promise<void> {
  for (const level of directoriesByDepth(root)) await forEachParallel(level, META_CONCURRENCY, fsyncDirAsync, signal);
}
