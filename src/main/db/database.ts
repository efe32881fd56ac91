import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { filesystemTypeOf, isNetworkFs } from './filesystem';
import { migrate } from './migrate';
import { openSqlite, SqliteError } from './sqlite';
import { migrations as allMigrations } from './migrations';
import type { Migration, ReadableDB, WritableDB } from './types';

/** SQLite 3.51.3 fixed the WAL-reset corruption bug (RELIABILITY 0.3). */
export const MIN_SQLITE_VERSION = '3.51.3';
export const BUSY_TIMEOUT_MS = 5000;

export interface OpenOptions {
  readonly migrations?: readonly Migration[];
  /** For tests of the mount check; defaults to /proc/self/mountinfo. */
  readonly mountInfo?: string | null;
}

/**
 * Opens (creating if needed) the workspace database with the settings RELIABILITY §2.2 asks
 * for: WAL, synchronous=FULL (better-sqlite3 defaults WAL to NORMAL, which may lose the last
 * commits on power loss), foreign keys, a busy timeout; refuses network filesystems and old
 * SQLite; applies migrations.
 */
export function openDatabase(file: string, options: OpenOptions = {}): WritableDB {
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  const fsType = filesystemTypeOf(dir, options.mountInfo);
  if (fsType !== null && isNetworkFs(fsType)) {
    throw new AppError(
      'STORAGE_IO',
      `The database folder ${dir} is on a network filesystem (${fsType}). SQLite's write-ahead log is not safe there; choose a local (RAID-backed) volume.`,
      { dir, fsType },
    );
  }
  let db: ReturnType<typeof openSqlite>;
  try {
    db = openSqlite(file, { timeout: BUSY_TIMEOUT_MS });
  } catch (err) {
    throw new AppError('STORAGE_IO', `Cannot open the database ${file}: ${(err as Error).message}`, { file });
  }
  try {
    const version = (db.prepare('select sqlite_version() as v').get() as { v: string }).v;
    if (compareVersions(version, MIN_SQLITE_VERSION) < 0) {
      throw new AppError('INTERNAL', `SQLite ${version} is older than ${MIN_SQLITE_VERSION}, which fixed a WAL corruption bug.`);
    }
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new AppError('STORAGE_IO', `Cannot switch ${file} to WAL mode (got ${String(mode)}).`);
    db.pragma('synchronous = FULL');
    // Statement journals (the undo of one multi-row statement inside a transaction, e.g. an
    // import group's tag rows) stay in memory instead of spilling to files in /var/tmp: that
    // spill was ~40,000 page writes per 2,000 imported files (issue 3 benchmark). Temporary
    // sort b-trees are in memory too; MIDC's queries sort at most a few hundred thousand rows.
    db.pragma('temp_store = MEMORY');
    db.pragma('foreign_keys = ON');
    const writable = db as WritableDB;
    migrate(writable, options.migrations ?? allMigrations);
    return writable;
  } catch (err) {
    db.close();
    if (err instanceof SqliteError && /SQLITE_(CORRUPT|NOTADB)/.test(err.code)) {
      throw new AppError('DB_CORRUPT', `The database ${file} is damaged: ${err.message}. Restore it from a backup.`, { file });
    }
    throw err;
  }
}

/** A second, read-only connection (for long reads off the writer). */
export function openReadOnly(file: string): ReadableDB {
  const db = openSqlite(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  return db as ReadableDB;
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Runs `fn` in a BEGIN IMMEDIATE transaction. `fn` must be synchronous (better-sqlite3). */
export function writeTransaction<T>(db: WritableDB, fn: () => T): T {
  return db.transaction(fn).immediate();
}
