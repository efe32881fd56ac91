import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import { BLOBS_DIR, BLOB_TEMP_PREFIX, SHA256_HEX, blobPath } from './blob-layout';
import { closeQuietly, fsyncDir, hashFileSync, mkdirDurable, removeQuietly, sha256, storageError, writeAll } from './durable-fs';

/** Prefix of the temp files of writes in progress; never a valid blob name. */
export const TEMP_PREFIX = BLOB_TEMP_PREFIX;
const TEMP_TAG = `${process.pid.toString(36)}-${threadId.toString(36)}-${crypto.randomBytes(4).toString('hex')}`;
let tempCounter = 0;

/** A stored object whose content no longer matches its name (or a write that came out wrong). */
export class BlobIntegrityError extends AppError {
  constructor(
    readonly sha256: string,
    readonly actual: string,
    file: string,
  ) {
    // DB_CORRUPT: the stored data is damaged and the remedy is a restore, as for the database.
    super('DB_CORRUPT', `The stored object ${sha256} is damaged (its content hashes to ${actual}). Restore it from a backup.`, {
      sha256,
      actual,
      file,
    });
  }
}

export interface PutResult {
  readonly sha256: string;
  readonly size: number;
  /** The object was already stored (nothing new was written, or only a damaged copy repaired). */
  readonly existed: boolean;
}

export interface PutOptions {
  /** The caller's idea of the hash; a mismatch is refused before anything is stored. */
  readonly expectedSha256?: string;
}

export interface BlobEntry {
  readonly sha256: string;
  /** Path relative to the storage root, with `/` separators: `blobs/ab/<sha256>`. */
  readonly relPath: string;
  readonly size: number;
}

/**
 * The content-addressed store of one storage root (RELIABILITY §3, target 23). Objects live
 * at `blobs/ab/<sha256>` (blob-layout.ts); a write goes to an O_EXCL temp file in the object's own folder,
 * is fsynced, re-read and verified, renamed to its final name, and the folder fsynced. A
 * final name therefore only ever holds complete, verified content; a crash leaves at most a
 * `.tmp-*` file, removed by `cleanupTemps()` at startup.
 *
 * Synchronous on purpose: each step's order matters and is easy to read; long imports run
 * off the UI path (HOUSE-STYLE 13).
 */
export class BlobStore {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  path(sha256: string): string {
    return blobPath(this.root, sha256);
  }

  has(sha256: string): boolean {
    return SHA256_HEX.test(sha256) && fs.existsSync(this.path(sha256));
  }

  /** Stores bytes, or the content of the file at `source` when it is a string. */
  put(source: Uint8Array | string, options: PutOptions = {}): PutResult {
    this.assertRoot('Storing an object');
    let digest: string;
    let size: number;
    try {
      if (typeof source === 'string') {
        digest = hashFileSync(source);
        size = fs.statSync(source).size;
      } else {
        digest = sha256(source);
        size = source.length;
      }
    } catch (err) {
      throw storageError(err, `Reading ${typeof source === 'string' ? source : 'the object'}`, this.root);
    }
    if (options.expectedSha256 !== undefined && options.expectedSha256 !== digest) {
      throw new AppError('VALIDATION', `The content hashes to ${digest}, not the expected ${options.expectedSha256}.`, {
        expected: options.expectedSha256,
        actual: digest,
      });
    }

    const final = this.path(digest);
    // An existing object is kept when intact; a damaged one is replaced by the new copy.
    const existing = this.intactOrDamaged(final, digest);
    if (existing === 'intact') return { sha256: digest, size, existed: true };

    const dir = path.dirname(final);
    const temp = path.join(dir, `${TEMP_PREFIX}${crypto.randomBytes(8).toString('hex')}`);
    let fd: number | undefined;
    try {
      mkdirDurable(dir);
      fd = fs.openSync(temp, 'wx');
      let written = digest;
      if (typeof source === 'string') written = copyInto(fd, source);
      else writeAll(fd, source);
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fd = undefined;
      if (written !== digest) {
        // The source changed while it was being read: store nothing rather than a guess.
        throw new AppError('CONFLICT', `${String(source)} changed while it was being stored; try again.`, { file: source });
      }
      const check = hashFileSync(temp);
      if (check !== digest) throw new BlobIntegrityError(digest, check, temp);
      if (existing === 'absent' && fs.existsSync(final)) {
        // Another writer stored the same content meanwhile: same name, same bytes. Keep it.
        fs.unlinkSync(temp);
        fsyncDir(dir);
        return { sha256: digest, size, existed: true };
      }
      // Ordering: the temp's data is fsynced above, before the rename publishes its name,
      // and the folder is fsynced after it so the name itself survives a crash.
      fs.renameSync(temp, final);
      fsyncDir(dir);
      return { sha256: digest, size, existed: existing === 'damaged' };
    } catch (err) {
      if (fd !== undefined) closeQuietly(fd);
      removeQuietly(temp);
      throw storageError(err, `Storing object ${digest}`, this.root);
    }
  }

  /**
   * Group-commit write (the importer's fast path): like `put`, but the new object is renamed
   * into place WITHOUT fsync. The caller must make the whole group durable with
   * `syncStoreGroup()` before it registers any of these objects in the database. Until then a
   * power cut may leave a torn file under a final name; that is why an existing object is
   * only trusted when its bytes hash to its name (a damaged one is rewritten), here and in `put`.
   * `digest` is the SHA-256 the caller already computed over `bytes`.
   */
  putDeferred(bytes: Uint8Array, digest: string): PutResult & { readonly file: string } {
    const final = this.path(digest);
    const existing = this.intactOrDamaged(final, digest);
    if (existing === 'intact') return { sha256: digest, size: bytes.length, existed: true, file: final };
    const dir = path.dirname(final);
    // Unique without a random draw per file: process, thread and a counter (O_EXCL still guards).
    const temp = path.join(dir, `${TEMP_PREFIX}${TEMP_TAG}-${(tempCounter++).toString(36)}`);
    let fd: number | undefined;
    try {
      fd = openNewIn(this.root, dir, temp);
      writeAll(fd, bytes);
      fs.closeSync(fd);
      fd = undefined;
      // No fsync before the rename: the group's sync makes data and names durable together,
      // and nothing refers to this name until then.
      fs.renameSync(temp, final);
      return { sha256: digest, size: bytes.length, existed: existing === 'damaged', file: final };
    } catch (err) {
      if (fd !== undefined) closeQuietly(fd);
      removeQuietly(temp);
      throw storageError(err, `Storing object ${digest}`, this.root);
    }
  }

  /** Reads an object; with `verify`, re-hashes it and throws BlobIntegrityError on a mismatch. */
  get(sha256: string, options: { verify?: boolean } = {}): Buffer {
    const file = this.path(sha256);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && fs.existsSync(this.root)) {
        throw new AppError('NOT_FOUND', `The object ${sha256} is not in the storage root ${this.root}.`, { sha256 });
      }
      throw storageError(err, `Reading object ${sha256}`, this.root);
    }
    if (options.verify) {
      const actual = crypto.createHash('sha256').update(bytes).digest('hex');
      if (actual !== sha256) throw new BlobIntegrityError(sha256, actual, file);
    }
    return bytes;
  }

  /**
   * Removes `.tmp-*` files left by writes that were interrupted (a crash or a kill). Called at
   * startup; `minAgeMs` spares temps another process (a CLI import beside the app) may still
   * be writing — an active write touches its temp continuously.
   */
  cleanupTemps(options: { minAgeMs?: number; now?: number } = {}): { removed: string[] } {
    const minAge = options.minAgeMs ?? 15 * 60_000;
    const now = options.now ?? Date.now();
    const removed: string[] = [];
    const base = path.join(this.root, BLOBS_DIR);
    if (!fs.existsSync(base)) return { removed };
    const stack = [base];
    while (stack.length) {
      const dir = stack.pop() as string;
      let dirty = false;
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) stack.push(full);
        else if (entry.name.startsWith(TEMP_PREFIX)) {
          try {
            // mtimeMs has sub-millisecond precision and Date.now() does not: a file written in
            // this very millisecond can look a fraction of a millisecond into the future.
            if (Math.max(0, now - fs.statSync(full).mtimeMs) < minAge) continue;
            fs.unlinkSync(full);
            removed.push(full);
            dirty = true;
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw storageError(err, 'Removing temp files', this.root);
          }
        }
      }
      if (dirty) fsyncDir(dir);
    }
    return { removed };
  }

  /** Every stored object (name-shaped files only; temps and strays are skipped), unsorted. */
  *entries(): Generator<BlobEntry> {
    yield* walkBlobs(this.root);
  }

  private assertRoot(what: string): void {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(this.root);
    } catch (err) {
      throw storageError(err, what, this.root);
    }
    if (!stat.isDirectory()) {
      throw new AppError('STORAGE_IO', `${what} failed on ${this.root}: it is not a folder.`, { root: this.root, cause: 'ENOTDIR' });
    }
  }

  private intactOrDamaged(final: string, digest: string): 'absent' | 'intact' | 'damaged' {
    // The common case, a new object, without the cost of an ENOENT exception per file.
    if (fs.statSync(final, { throwIfNoEntry: false }) === undefined) return 'absent';
    try {
      return hashFileSync(final) === digest ? 'intact' : 'damaged';
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
      throw storageError(err, `Reading object ${digest}`, this.root);
    }
  }
}

/**
 * Opens the new file `file` (O_EXCL) in the shard folder `dir`. The shard folders exist from
 * the workspace's opening on (blob-layout-upgrade.ts); one removed since is made again, but
 * only that folder: a storage root that vanished (an unmounted volume) is not recreated.
 */
function openNewIn(root: string, dir: string, file: string): number {
  try {
    return fs.openSync(file, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || !fs.existsSync(root)) throw err;
  }
  fs.mkdirSync(dir, { recursive: true });
  return fs.openSync(file, 'wx');
}

/** Copies the file at `source` into `fd`, returning the SHA-256 of the bytes copied. */
function copyInto(fd: number, source: string): string {
  const hash = crypto.createHash('sha256');
  const input = fs.openSync(source, 'r');
  try {
    const buf = Buffer.allocUnsafe(1024 * 1024);
    for (;;) {
      const n = fs.readSync(input, buf, 0, buf.length, null);
      if (n === 0) break;
      const chunk = buf.subarray(0, n);
      hash.update(chunk);
      writeAll(fd, chunk);
    }
  } finally {
    fs.closeSync(input);
  }
  return hash.digest('hex');
}

/** Walks `<storageRoot>/blobs/` (any depth: layout 1 or 2); yields only files named like a blob. */
export function* walkBlobs(storageRoot: string): Generator<BlobEntry> {
  const base = path.join(storageRoot, BLOBS_DIR);
  if (!fs.existsSync(base)) return;
  const stack = [base];
  while (stack.length) {
    const dir = stack.pop() as string;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) stack.push(full);
      else if (entry.isFile() && SHA256_HEX.test(entry.name)) {
        yield {
          sha256: entry.name,
          relPath: path.relative(storageRoot, full).split(path.sep).join('/'),
          size: fs.statSync(full).size,
        };
      }
    }
  }
}
