import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';

/**
 * Small durable-file primitives shared by the blob store and backups (HOUSE-STYLE 14,
 * RELIABILITY §3): every write ends with an fsync of the file, and every new or renamed
 * directory entry with an fsync of its directory, because `rename()` alone makes the name
 * atomic but not the data durable ("Rename doesn't sync").
 *
 * All calls go through the `fs` module object (never destructured) so that tests can spy on
 * them to inject ENOSPC/EIO and to check the order of fsyncs.
 */

const CHUNK = 1024 * 1024;

/**
 * fsync of a file or folder by path, on libuv's thread pool (several can run at once). Through
 * the callback API: `fs.promises` is a module of its own that `midc backup run` would load
 * for its few fsyncs alone (~1.5 ms of an unchanged incremental backup).
 */
export function fsyncPath(p: string): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.open(p, 'r', (openErr, fd) => {
      if (openErr) return reject(openErr);
      fs.fsync(fd, (syncErr) => {
        fs.close(fd, (closeErr) => {
          const err = syncErr ?? closeErr;
          if (err) reject(err);
          else resolve();
        });
      });
    });
  });
}

/** Makes a directory entry (a created, renamed or removed name in `dir`) durable. */
export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** fsyncs every directory under and including `root`, children before parents. */
export function fsyncTree(root: string): void {
  const dirs: string[] = [];
  const stack = [root];
  while (stack.length) {
    const dir = stack.pop() as string;
    dirs.push(dir);
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) stack.push(path.join(dir, e.name));
  }
  for (const dir of dirs.reverse()) fsyncDir(dir);
}

/**
 * `mkdir -p` that also fsyncs the parent of every directory it created, so that a blob or a
 * backup file written below survives a crash together with the folders that name it.
 */
export function mkdirDurable(dir: string): void {
  const first = fs.mkdirSync(dir, { recursive: true });
  if (first === undefined) return;
  // Every directory from `first` down to `dir` is new; its name lives in its parent.
  const created: string[] = [];
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    created.push(d);
    if (d === path.resolve(first) || d === path.dirname(d)) break;
  }
  for (const d of created) fsyncDir(path.dirname(d));
}

/** Writes all of `bytes` to `fd` (writeSync may write less than asked). */
export function writeAll(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
}

/** SHA-256 of a file, read in chunks. */
export function hashFileSync(file: string): string {
  const hash = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

export function sha256(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/**
 * Copies `src` to a new file `dest` (which must not exist: O_EXCL), hashing the bytes as they
 * pass, and fsyncs the copy. Returns the hash and size of what was written. On any error the
 * partial `dest` is removed before the error is rethrown.
 */
export function copyFileDurable(src: string, dest: string): { sha256: string; size: number } {
  const hash = crypto.createHash('sha256');
  let size = 0;
  let out: number | undefined;
  let created = false;
  const input = fs.openSync(src, 'r');
  try {
    out = fs.openSync(dest, 'wx');
    created = true;
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const n = fs.readSync(input, buf, 0, CHUNK, null);
      if (n === 0) break;
      const chunk = buf.subarray(0, n);
      hash.update(chunk);
      writeAll(out, chunk);
      size += n;
    }
    fs.fsyncSync(out);
    fs.closeSync(out);
    out = undefined;
    return { sha256: hash.digest('hex'), size };
  } catch (err) {
    // Remove only what we created: an EEXIST from O_EXCL means the file is someone else's.
    if (out !== undefined) closeQuietly(out);
    if (created) removeQuietly(dest);
    throw err;
  } finally {
    fs.closeSync(input);
  }
}

/** Writes a new file (O_EXCL) with `bytes` and fsyncs it; removes it again on failure. */
export function writeFileDurable(file: string, bytes: Uint8Array): void {
  let fd: number | undefined;
  let created = false;
  try {
    fd = fs.openSync(file, 'wx');
    created = true;
    writeAll(fd, bytes);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
  } catch (err) {
    if (fd !== undefined) closeQuietly(fd);
    // Remove only what we created: an EEXIST from O_EXCL means the file is someone else's.
    if (created) removeQuietly(file);
    throw err;
  }
}

export function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // Already failing; the original error is the one to report.
  }
}

export function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true, recursive: true });
  } catch {
    // Best effort: an orphan temp is removed by the next cleanup.
  }
}

const CAUSES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exhausted',
  EROFS: 'the volume is read-only',
  EACCES: 'permission denied (not writable)',
  EPERM: 'operation not permitted',
  EIO: 'an I/O error (the disk may be failing)',
  ENOENT: 'it is missing (is the volume mounted?)',
  ENOTDIR: 'it is not a folder',
  EMFILE: 'too many open files',
};

/** The errno code of a Node fs error, or of better-sqlite3's SQLITE_FULL/SQLITE_IOERR. */
export function errnoOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (code === 'SQLITE_FULL') return 'ENOSPC';
  if (code.startsWith('SQLITE_IOERR')) return 'EIO';
  if (code === 'SQLITE_READONLY') return 'EROFS';
  if (code === 'SQLITE_CANTOPEN') return 'EACCES';
  return code;
}

/**
 * Turns a filesystem error into the STORAGE_IO error the user sees: what was being done, on
 * which root, and why, in words. Errors that already are AppErrors pass through.
 */
export function storageError(err: unknown, what: string, root: string): AppError {
  if (err instanceof AppError) return err;
  const code = errnoOf(err);
  const cause = (code && CAUSES[code]) ?? (err as Error)?.message ?? String(err);
  return new AppError('STORAGE_IO', `${what} failed on ${root}: ${cause}.`, {
    root,
    cause: code ?? null,
    message: (err as Error)?.message ?? String(err),
  });
}
