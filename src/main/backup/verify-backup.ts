import fs from 'node:fs';
import path from 'node:path';
import { openSqlite } from '../db/sqlite';
import { verifyAuditChain } from '../audit/audit-log';
import type { ReadableDB } from '../db/types';
import { fsyncDir, hashFileSync } from '../storage/durable-fs';
import { acquireLock, readManifest, tableCounts } from './backup';
import { DB_FILE, MANIFEST_FILE, POOL_DIR, fileLocation, poolPath, type BackupManifest } from './manifest';

/** Where `quarantine` moves damaged pool blobs, in the backup root. */
export const DAMAGED_DIR = 'damaged';

export interface BackupProblem {
  /** Relative to the backup folder; null for the backup as a whole. */
  readonly path: string | null;
  readonly problem: string;
}

export interface BackupVerifyReport {
  readonly ok: boolean;
  readonly problems: BackupProblem[];
  /** Files re-hashed and their bytes. */
  readonly files: number;
  readonly bytes: number;
  readonly id: string | null;
  /** `sample`: only some blobs were re-hashed (the rest checked for presence and size). */
  readonly mode?: 'full' | 'sample';
  /** Blob files re-hashed (all of them in `full` mode). */
  readonly hashedBlobs?: number;
  /** With `quarantine`: the damaged pool blobs moved aside, relative to the backup root. */
  readonly quarantined?: string[];
  /** With `quarantine`: why damaged pool blobs stayed where they are (a backup running...). */
  readonly quarantineNote?: string;
}

export interface VerifyBackupOptions {
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Re-hash only `size` blobs, starting at blob number `offset` (wrapping around), as
   * `restic check --read-data-subset` does; a caller that advances `offset` by `size` each
   * time covers every blob over successive runs. The database, the manifest and the presence
   * and size of every file are always checked in full.
   */
  readonly sample?: { readonly size: number; readonly offset: number };
  /**
   * Move the pool blobs found damaged (content not that of their name) aside to
   * `<root>/damaged/`, under the backup root's lock, so that the next backup copies them again
   * from the workspace (a blob a published manifest references but the pool lacks is a
   * repair): the backups that reference them verify again afterwards. A backup trusts a pool
   * blob the newest manifest references by its name and never re-reads it (pool-index.ts), so
   * this is how damage done to one after its backup gets repaired.
   */
  readonly quarantine?: boolean;
}

/**
 * Re-reads a whole backup against its manifest (a simulated restore, as `restic check
 * --read-data` does): every listed file present with its size and SHA-256, no file that the
 * manifest does not list, blob names equal to their hashes, and the database copy passing
 * integrity_check with the row counts and audit-chain head the manifest recorded.
 *
 * Format 2: the blobs are read from the root's pool (`<root>/blobs/<sha[0:2]>/<sha>`), so a
 * damaged pool blob fails the verify of every backup that references it; the folder itself
 * must hold only the database and the manifest. Format 1: every file inside the folder.
 */
export async function verifyBackup(backupPath: string, options: VerifyBackupOptions = {}): Promise<BackupVerifyReport> {
  const root = path.resolve(backupPath);
  const problems: BackupProblem[] = [];
  let hashedBlobs = 0;
  let sampled = false;
  let quarantined: { moved: string[]; note: string | null } | null = null;
  const done = (manifest: BackupManifest | null, files = 0, bytes = 0): BackupVerifyReport => ({
    ok: problems.length === 0,
    problems,
    files,
    bytes,
    id: manifest?.id ?? null,
    mode: sampled ? 'sample' : 'full',
    hashedBlobs,
    ...(quarantined ? { quarantined: quarantined.moved, ...(quarantined.note ? { quarantineNote: quarantined.note } : {}) } : {}),
  });
  if (!isDirectory(root)) {
    problems.push({ path: null, problem: `${root} is not a backup folder (missing or not a folder)` });
    return done(null);
  }
  const loaded = readManifest(root);
  if (!loaded.ok) {
    problems.push({ path: MANIFEST_FILE, problem: loaded.error });
    return done(null);
  }
  const manifest = loaded.manifest;
  if (manifest.id !== path.basename(root)) {
    problems.push({ path: MANIFEST_FILE, problem: `the manifest belongs to ${manifest.id}, not to this folder` });
  }

  const listed = new Map(manifest.files.map((f) => [f.path, f]));
  const pooled = manifest.formatVersion !== 1;
  const present = listFiles(root);
  for (const rel of present) {
    if (rel !== MANIFEST_FILE && (pooled ? rel !== DB_FILE : !listed.has(rel))) problems.push({ path: rel, problem: 'not listed in the manifest' });
  }
  const presentSet = new Set(present);
  const toHash = sampleOf(manifest, options.sample);
  sampled = toHash !== null;
  let files = 0;
  let bytes = 0;
  let dbIntact = false;
  /** Pool blobs whose size or content is not that of the manifest's entry. */
  const damaged = new Set<string>();
  for (const [i, f] of manifest.files.entries()) {
    const inPool = pooled && f.path !== DB_FILE;
    const full = fileLocation(root, manifest, f);
    if (!inPool && !presentSet.has(f.path)) {
      problems.push({ path: f.path, problem: 'missing' });
      continue;
    }
    try {
      const size = fs.statSync(full).size;
      files++;
      bytes += size;
      if (size !== f.size) problems.push({ path: f.path, problem: `size is ${size}, the manifest says ${f.size}${inPool ? ` (pool blob ${poolName(f.sha256)})` : ''}` });
      if (size !== f.size && inPool) damaged.add(f.sha256);
      const hash = f.path === DB_FILE || toHash === null || toHash.has(f.path);
      if (hash && f.path !== DB_FILE) hashedBlobs++;
      const digest = hash ? hashFileSync(full) : f.sha256;
      if (digest !== f.sha256) {
        problems.push({ path: f.path, problem: `content hash is ${digest}, the manifest says ${f.sha256}${inPool ? ` (pool blob ${poolName(f.sha256)})` : ''}` });
        if (inPool) damaged.add(f.sha256);
      } else if (f.path === DB_FILE) dbIntact = true;
      if (f.path !== DB_FILE && path.basename(f.path) !== f.sha256) {
        problems.push({ path: f.path, problem: 'the blob name is not its hash' });
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (inPool && code === 'ENOENT') problems.push({ path: f.path, problem: `missing from the blob pool (${poolName(f.sha256)})` });
      else problems.push({ path: f.path, problem: `cannot be read (${code ?? (err as Error).message})` });
    }
    if (i % 64 === 63) {
      options.onProgress?.(i + 1, manifest.files.length);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  options.onProgress?.(manifest.files.length, manifest.files.length);
  if (!listed.has(DB_FILE)) problems.push({ path: DB_FILE, problem: 'the manifest lists no database' });
  else if (dbIntact) checkDatabase(path.join(root, DB_FILE), manifest, problems);
  if (manifest.totals.files !== manifest.files.length) {
    problems.push({ path: MANIFEST_FILE, problem: `totals say ${manifest.totals.files} files, the list has ${manifest.files.length}` });
  }
  if (options.quarantine && pooled) quarantined = quarantineDamaged(path.dirname(root), damaged);
  return done(manifest, files, bytes);
}

/**
 * Moves damaged pool blobs aside (see VerifyBackupOptions.quarantine). Under the backup root's
 * lock, so that no backup decides to reuse one meanwhile; each is hashed again under it and
 * moved only if its content is not that of its name (a wrong size in a manifest whose blob is
 * intact is the manifest's problem, not the blob's). Kept in `damaged/` for inspection, never
 * deleted; prune leaves that folder alone.
 */
function quarantineDamaged(backupRoot: string, damaged: ReadonlySet<string>): { moved: string[]; note: string | null } {
  if (!damaged.size) return { moved: [], note: null };
  let release: () => void;
  try {
    release = acquireLock(backupRoot);
  } catch (err) {
    return { moved: [], note: `the damaged pool blobs were not moved aside: ${(err as Error).message}` };
  }
  const moved: string[] = [];
  const dir = path.join(backupRoot, DAMAGED_DIR);
  try {
    for (const sha256 of damaged) {
      const file = poolPath(backupRoot, sha256);
      try {
        if (hashFileSync(file) === sha256) continue;
      } catch {
        continue; // gone meanwhile: nothing to move
      }
      fs.mkdirSync(dir, { recursive: true });
      let target = path.join(dir, sha256);
      for (let n = 1; fs.existsSync(target); n++) target = path.join(dir, `${sha256}.${n}`);
      fs.renameSync(file, target);
      fsyncDir(path.dirname(file));
      moved.push(`${DAMAGED_DIR}/${path.basename(target)}`);
    }
    if (moved.length) fsyncDir(dir);
    return { moved, note: null };
  } catch (err) {
    return { moved, note: `moving damaged pool blobs aside failed: ${(err as Error).message}` };
  } finally {
    release();
  }
}

/** A pool blob's path relative to the backup root, for messages. */
function poolName(sha256: string): string {
  return `${POOL_DIR}/${sha256.slice(0, 2)}/${sha256}`;
}

/** The blob paths to re-hash for a sample, or null for all of them. */
function sampleOf(manifest: BackupManifest, sample: VerifyBackupOptions['sample']): Set<string> | null {
  if (!sample) return null;
  const blobs = manifest.files.filter((f) => f.path !== DB_FILE).map((f) => f.path);
  if (sample.size >= blobs.length) return null;
  const chosen = new Set<string>();
  const start = blobs.length ? sample.offset % blobs.length : 0;
  for (let i = 0; i < sample.size; i++) chosen.add(blobs[(start + i) % blobs.length] as string);
  return chosen;
}

/** The database copy itself: SQLite's own check, then the counts and chain head recorded. */
function checkDatabase(file: string, manifest: BackupManifest, problems: BackupProblem[]): void {
  let db: ReadableDB | undefined;
  try {
    // The copy is in rollback-journal mode (VACUUM INTO output), so a read-only open
    // creates no -wal/-shm files beside it.
    db = openSqlite(file, { readonly: true, fileMustExist: true }) as ReadableDB;
    const integrity = db.pragma('integrity_check') as { integrity_check: string }[];
    for (const r of integrity) if (r.integrity_check !== 'ok') problems.push({ path: DB_FILE, problem: `integrity_check: ${r.integrity_check}` });
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version !== manifest.schemaVersion) problems.push({ path: DB_FILE, problem: `schema version ${version}, the manifest says ${manifest.schemaVersion}` });
    const counts = tableCounts(db);
    const names = new Set([...Object.keys(counts), ...Object.keys(manifest.database.tables)]);
    for (const name of names) {
      if (counts[name] !== manifest.database.tables[name]) {
        problems.push({ path: DB_FILE, problem: `table ${name} has ${counts[name] ?? 'no'} rows, the manifest says ${manifest.database.tables[name] ?? 'none'}` });
      }
    }
    if (counts.audit_log !== undefined) {
      const chain = verifyAuditChain(db);
      if (chain.head !== manifest.audit.head || chain.entries !== manifest.audit.entries) {
        problems.push({ path: DB_FILE, problem: `audit chain head/entries ${chain.head}/${chain.entries}, the manifest says ${manifest.audit.head}/${manifest.audit.entries}` });
      }
    }
  } catch (err) {
    problems.push({ path: DB_FILE, problem: `cannot be checked: ${(err as Error).message}` });
  } finally {
    db?.close();
  }
}

/** Every file under `root`, relative, with `/` separators. */
function listFiles(root: string): string[] {
  const out: string[] = [];
  const stack = [root];
  while (stack.length) {
    const dir = stack.pop() as string;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) stack.push(full);
      else out.push(path.relative(root, full).split(path.sep).join('/'));
    }
  }
  return out;
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
