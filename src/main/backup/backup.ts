import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../shared/errors';
import { verifyAuditChain } from '../audit/audit-log';
import type { ReadableDB } from '../db/types';
import { walkBlobs, type BlobEntry } from '../storage/blob-store';
import { fsyncDir, hashFileSync, removeQuietly, storageError, writeFileDurable } from '../storage/durable-fs';
import { formatBytes } from '../storage/roots';
import { APP_VERSION } from '../version';
import { workspaceLayout } from '../workspace/workspace';
import {
  BACKUP_NAME,
  DB_FILE,
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  backupId,
  parseManifest,
  sealManifest,
  serializeManifest,
  type BackupManifest,
  type ManifestBody,
  type ManifestFile,
} from './manifest';
import { COPY_CONCURRENCY, META_CONCURRENCY, copyFileHashed, forEachParallel, fsyncTreeParallel } from './parallel-fs';

/** Prefix of a backup being written; the next run removes any left by a crash or a kill. */
export const BACKUP_TEMP_PREFIX = '.tmp-';
export const LOCK_FILE = '.midc-backup.lock';

export interface BackupProgress {
  readonly phase: 'database' | 'blobs' | 'finishing';
  readonly done: number;
  readonly total: number;
  readonly bytes: number;
}

export interface RunBackupOptions {
  readonly workspaceDir: string;
  /** The backup root: an existing folder, ideally on another device. */
  readonly destDir: string;
  readonly onProgress?: (progress: BackupProgress) => void;
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
  /** Minimum time between two blob progress events (default 200 ms; tests: 0 = one per blob). */
  readonly progressIntervalMs?: number;
}

export interface BackupResult {
  /** The folder name, `midc-backup-<UTC>-<random>`. */
  readonly id: string;
  readonly path: string;
  /** Data files in the backup (database + blobs) and their total size. */
  readonly files: number;
  readonly bytes: number;
  /** Blobs hard-linked from the previous backup / copied anew. */
  readonly linked: number;
  readonly copied: number;
  /** Workspace blobs left out of the backup (damaged, or removed while it ran). */
  readonly skipped: { path: string; reason: string }[];
  /** Things ops should know that did not stop the backup (damaged blobs left out, same device...). */
  readonly warnings: string[];
}

/**
 * Makes a consistent backup of a workspace into a new folder under `destDir` (DESIGN §5,
 * RELIABILITY §2.3 and target 20). All-or-nothing: everything is written under
 * `.tmp-<id>/` and fsynced, and only then renamed to its final name, so a final-named folder
 * is always complete; a crash leaves only a temp folder, which the next run removes.
 *
 * Blobs unchanged since the newest previous backup in `destDir` are hard-linked from it
 * (their names are their hashes, so same name = same content); the rest are copied and
 * their hashes checked on the way.
 */
export async function runBackup(options: RunBackupOptions): Promise<BackupResult> {
  const ws = workspaceLayout(options.workspaceDir);
  const dest = path.resolve(options.destDir);
  const now = options.now ?? (() => new Date());
  if (!fs.existsSync(ws.dbFile)) {
    throw new AppError('NOT_FOUND', `There is no workspace database at ${ws.dbFile}; nothing to back up.`, { workspace: ws.root });
  }
  assertBackupRoot(dest, ws.root);
  const warnings: string[] = [];
  if (sameDevice(dest, ws.root)) {
    warnings.push(`the backup folder ${dest} is on the same device as the workspace; keep another copy on other media`);
  }

  const release = acquireLock(dest);
  const started = now();
  const id = backupId(started);
  const temp = path.join(dest, `${BACKUP_TEMP_PREFIX}${id}`);
  try {
    removeStaleTemps(dest);
    const previous = newestReadable(dest);
    fs.mkdirSync(temp);
    fsyncDir(dest);

    // Ordering: the database snapshot comes first and the blob listing after it. Blobs are
    // stored before the rows that reference them commit, so every blob the snapshot knows
    // is already on disk when we list them.
    options.onProgress?.({ phase: 'database', done: 0, total: 1, bytes: 0 });
    const db = snapshotDatabase(ws.dbFile, path.join(temp, DB_FILE));
    const dbFile = fileEntry(temp, DB_FILE);
    options.onProgress?.({ phase: 'database', done: 1, total: 1, bytes: dbFile.size });
    if (!db.audit.ok) warnings.push(`the audit chain of the workspace is broken: ${db.audit.problems.join('; ')}`);

    const blobs = [...walkBlobs(ws.storageDir)].sort((a, b) => a.relPath.localeCompare(b.relPath));
    checkFreeSpace(dest, dbFile.size + blobs.filter((b) => !previous?.byPath.has(`storage/${b.relPath}`)).reduce((n, b) => n + b.size, 0));

    // Every folder first (a few hundred mkdirs, parents before children, in parallel within
    // a level), then the blobs, several at a time.
    await makeDirs(temp, blobs.map((b) => path.posix.dirname(`storage/${b.relPath}`)), options.signal);
    const outcomes: (CopyOutcome | undefined)[] = new Array<CopyOutcome | undefined>(blobs.length);
    let doneCount = 0;
    let bytes = dbFile.size;
    let lastReport = 0;
    const report = (): void => {
      if (!options.onProgress) return;
      const t = Date.now();
      if (t - lastReport >= (options.progressIntervalMs ?? 200) || doneCount === blobs.length) {
        lastReport = t;
        options.onProgress({ phase: 'blobs', done: doneCount, total: blobs.length, bytes });
      }
    };
    const copyOne = async (blob: BlobEntry, i: number): Promise<void> => {
      const rel = `storage/${blob.relPath}`;
      const outcome = await copyOrLink(path.join(ws.storageDir, blob.relPath), path.join(temp, rel), blob, previous, rel);
      outcomes[i] = outcome;
      doneCount++;
      if (outcome.kind !== 'skipped') bytes += outcome.size;
      report();
    };
    // Hard links are metadata only; copies read, hash, write and fsync. Links first, in
    // wide batches, then the copies with fewer in flight (each holds a read buffer).
    const linkable = (b: BlobEntry): boolean => previous?.byPath.get(`storage/${b.relPath}`)?.sha256 === b.sha256;
    const order = blobs.map((b, i) => ({ b, i }));
    const links = order.filter((x) => linkable(x.b));
    const copies = order.filter((x) => !linkable(x.b));
    await forEachParallel(links, META_CONCURRENCY, (x) => copyOne(x.b, x.i), options.signal);
    await forEachParallel(copies, COPY_CONCURRENCY, (x) => copyOne(x.b, x.i), options.signal);

    const files: ManifestFile[] = [dbFile];
    const skipped: { path: string; reason: string }[] = [];
    let linked = 0;
    let copied = 0;
    let blobBytes = 0;
    blobs.forEach((blob, i) => {
      const rel = `storage/${blob.relPath}`;
      const outcome = outcomes[i] as CopyOutcome;
      if (outcome.kind === 'skipped') {
        skipped.push({ path: rel, reason: outcome.reason });
        warnings.push(`${rel} was left out: ${outcome.reason}`);
        return;
      }
      if (outcome.kind === 'linked') linked++;
      else copied++;
      files.push({ path: rel, size: outcome.size, sha256: blob.sha256 });
      blobBytes += outcome.size;
    });
    options.signal?.throwIfAborted();

    options.onProgress?.({ phase: 'finishing', done: 0, total: 1, bytes });
    const body: ManifestBody = {
      format: MANIFEST_FORMAT,
      formatVersion: MANIFEST_VERSION,
      id,
      createdAt: started.toISOString(),
      completedAt: now().toISOString(),
      appVersion: APP_VERSION,
      schemaVersion: db.schemaVersion,
      source: { workspace: ws.root, host: os.hostname() },
      database: { path: DB_FILE, integrity: 'ok', tables: db.tables },
      audit: db.audit,
      blobs: { count: files.length - 1, bytes: blobBytes, linked, copied, skipped },
      files,
      totals: { files: files.length, bytes },
    };
    writeFileDurable(path.join(temp, MANIFEST_FILE), serializeManifest(sealManifest(body)));
    // Every file is fsynced as written; now every folder entry in the tree, deepest first,
    // then the rename that publishes the backup, then the backup root that holds its name.
    await fsyncTreeParallel(temp, options.signal);
    const final = path.join(dest, id);
    fs.renameSync(temp, final);
    fsyncDir(dest);
    options.onProgress?.({ phase: 'finishing', done: 1, total: 1, bytes });
    return { id, path: final, files: files.length, bytes, linked, copied, skipped, warnings };
  } catch (err) {
    removeQuietly(temp);
    if (err instanceof Error && err.name === 'AbortError') throw err;
    throw storageError(err, `Backing up ${ws.root} into ${dest}`, dest);
  } finally {
    release();
  }
}

interface Snapshot {
  readonly schemaVersion: number;
  readonly tables: Record<string, number>;
  readonly audit: { entries: number; head: string | null; ok: boolean; problems: string[] };
}

/**
 * `VACUUM INTO` from a separate read-only connection: a consistent snapshot that does not
 * restart when the app writes meanwhile (RELIABILITY §2.3). The copy is then checked with
 * integrity_check and foreign_key_check and fsynced; SQLite may not fsync it itself.
 */
export function snapshotDatabase(source: string, target: string): Snapshot {
  const live = new Database(source, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    live.prepare('VACUUM INTO ?').run(target);
  } finally {
    live.close();
  }
  const copy = new Database(target, { readonly: true, fileMustExist: true }) as ReadableDB;
  try {
    const integrity = copy.pragma('integrity_check') as { integrity_check: string }[];
    const bad = integrity.filter((r) => r.integrity_check !== 'ok').map((r) => r.integrity_check);
    const fk = copy.pragma('foreign_key_check') as unknown[];
    if (bad.length || fk.length) {
      throw new AppError('DB_CORRUPT', `The database snapshot failed its integrity check: ${[...bad, ...(fk.length ? [`${fk.length} foreign key violations`] : [])].join('; ')}. The workspace database needs attention before it can be backed up.`, { problems: bad });
    }
    const schemaVersion = copy.pragma('user_version', { simple: true }) as number;
    return { schemaVersion, tables: tableCounts(copy), audit: auditHead(copy) };
  } finally {
    copy.close();
    const fd = fs.openSync(target, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
}

/** Row count of every user table. */
export function tableCounts(db: ReadableDB): Record<string, number> {
  const names = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  const counts: Record<string, number> = {};
  // Table names come from sqlite_schema, not from input; quoted as identifiers.
  for (const name of names) counts[name] = db.prepare(`SELECT count(*) FROM "${name.replace(/"/g, '""')}"`).pluck().get() as number;
  return counts;
}

function auditHead(db: ReadableDB): Snapshot['audit'] {
  const hasAudit = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'audit_log'").get();
  if (!hasAudit) return { entries: 0, head: null, ok: true, problems: [] };
  const report = verifyAuditChain(db);
  return { entries: report.entries, head: report.head, ok: report.ok, problems: report.problems };
}

function fileEntry(root: string, rel: string): ManifestFile {
  const full = path.join(root, rel);
  return { path: rel, size: fs.statSync(full).size, sha256: hashFileSync(full) };
}

/** Creates `root/<rel>` for every relative folder in `rels` and all folders between. */
async function makeDirs(root: string, rels: readonly string[], signal?: AbortSignal): Promise<void> {
  const all = new Set<string>();
  for (const rel of rels) for (let d = rel; d !== '.' && d !== '' && !all.has(d); d = path.posix.dirname(d)) all.add(d);
  const levels: string[][] = [];
  for (const d of all) (levels[d.split('/').length - 1] ??= []).push(d);
  for (const level of levels) {
    if (level) await forEachParallel(level, META_CONCURRENCY, (d) => fs.promises.mkdir(path.join(root, d)), signal);
  }
}

type CopyOutcome = { kind: 'linked' | 'copied'; size: number } | { kind: 'skipped'; reason: string };

async function copyOrLink(src: string, target: string, blob: BlobEntry, previous: PreviousBackup | null, rel: string): Promise<CopyOutcome> {
  const prior = previous?.byPath.get(rel);
  if (previous && prior && prior.sha256 === blob.sha256) {
    const from = path.join(previous.path, rel);
    try {
      // Same name = same content (the name is the hash, and the previous backup verified);
      // the size check catches a file truncated in the previous backup since.
      if ((await fs.promises.stat(from)).size === prior.size) {
        await fs.promises.link(from, target);
        return { kind: 'linked', size: prior.size };
      }
    } catch (err) {
      // Across devices, past the link limit, or gone: fall back to a copy.
      if (!['EXDEV', 'EMLINK', 'EPERM', 'ENOENT', 'ENOTSUP'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
    }
  }
  let copy: { sha256: string; size: number };
  try {
    copy = await copyFileHashed(src, target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !fs.existsSync(src)) {
      return { kind: 'skipped', reason: 'removed from the workspace while the backup ran' };
    }
    throw err;
  }
  if (copy.sha256 !== blob.sha256) {
    await fs.promises.unlink(target);
    return { kind: 'skipped', reason: `damaged in the workspace (content hashes to ${copy.sha256}); run "midc verify"` };
  }
  return { kind: 'copied', size: copy.size };
}

export interface BackupInfo {
  readonly id: string;
  readonly path: string;
  /** False when the manifest is missing or does not parse: the backup cannot be trusted. */
  readonly readable: boolean;
  readonly problem: string | null;
  readonly createdAt: string | null;
  readonly completedAt: string | null;
  readonly files: number | null;
  readonly bytes: number | null;
  readonly schemaVersion: number | null;
  readonly appVersion: string | null;
  readonly auditHead: string | null;
}

/** The completed backups in a backup root, newest first (temp folders are not backups). */
export function listBackups(destDir: string): BackupInfo[] {
  const dest = path.resolve(destDir);
  let names: string[];
  try {
    names = fs.readdirSync(dest);
  } catch (err) {
    throw storageError(err, 'Listing backups', dest);
  }
  const infos = names.filter((n) => BACKUP_NAME.test(n)).map((name) => describeBackup(path.join(dest, name)));
  return infos.sort((a, b) => (b.completedAt ?? b.id).localeCompare(a.completedAt ?? a.id) || b.id.localeCompare(a.id));
}

export function describeBackup(backupPath: string): BackupInfo {
  const id = path.basename(backupPath);
  const loaded = readManifest(backupPath);
  if (!loaded.ok) {
    return { id, path: backupPath, readable: false, problem: loaded.error, createdAt: null, completedAt: null, files: null, bytes: null, schemaVersion: null, appVersion: null, auditHead: null };
  }
  const m = loaded.manifest;
  return {
    id,
    path: backupPath,
    readable: true,
    problem: m.id === id ? null : `the manifest names ${m.id}`,
    createdAt: m.createdAt,
    completedAt: m.completedAt,
    files: m.totals.files,
    bytes: m.totals.bytes,
    schemaVersion: m.schemaVersion,
    appVersion: m.appVersion,
    auditHead: m.audit.head,
  };
}

export function readManifest(backupPath: string): { ok: true; manifest: BackupManifest } | { ok: false; error: string } {
  let text: string;
  try {
    text = fs.readFileSync(path.join(backupPath, MANIFEST_FILE), 'utf8');
  } catch (err) {
    return { ok: false, error: `${MANIFEST_FILE} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
  return parseManifest(text);
}

interface PreviousBackup {
  readonly path: string;
  readonly byPath: Map<string, ManifestFile>;
}

function newestReadable(dest: string): PreviousBackup | null {
  // Names sort by creation time (midc-backup-<UTC>-<random>): read manifests newest first and
  // stop at the first good one, instead of parsing every backup's manifest.
  const names = fs
    .readdirSync(dest)
    .filter((n) => BACKUP_NAME.test(n))
    .sort()
    .reverse();
  for (const name of names) {
    const full = path.join(dest, name);
    const loaded = readManifest(full);
    if (loaded.ok && loaded.manifest.id === name) return { path: full, byPath: new Map(loaded.manifest.files.map((f) => [f.path, f])) };
  }
  return null;
}

/** Removes `.tmp-*` folders of backups that were interrupted (we hold the lock, so none is live). */
function removeStaleTemps(dest: string): void {
  let removed = false;
  for (const name of fs.readdirSync(dest)) {
    if (name.startsWith(BACKUP_TEMP_PREFIX)) {
      fs.rmSync(path.join(dest, name), { recursive: true, force: true });
      removed = true;
    }
  }
  if (removed) fsyncDir(dest);
}

function assertBackupRoot(dest: string, workspaceRoot: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dest);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AppError('STORAGE_IO', `The backup folder ${dest} does not exist (is the backup disk mounted?). Create it first.`, { root: dest, cause: 'ENOENT' });
    }
    throw storageError(err, 'Opening the backup folder', dest);
  }
  if (!stat.isDirectory()) throw new AppError('STORAGE_IO', `The backup folder ${dest} is not a folder.`, { root: dest, cause: 'ENOTDIR' });
  const real = fs.realpathSync(dest);
  const wsReal = fs.realpathSync(workspaceRoot);
  if (real === wsReal || real.startsWith(`${wsReal}${path.sep}`)) {
    throw new AppError('VALIDATION', `The backup folder ${dest} is inside the workspace ${workspaceRoot}; choose a folder on another volume.`, { root: dest });
  }
}

function sameDevice(a: string, b: string): boolean {
  try {
    return fs.statSync(a).dev === fs.statSync(b).dev;
  } catch {
    return false;
  }
}

function checkFreeSpace(dest: string, needed: number): void {
  let free: number;
  try {
    const s = fs.statfsSync(dest);
    free = Number(s.bavail) * Number(s.bsize);
  } catch {
    return;
  }
  if (needed > free) {
    throw new AppError('STORAGE_IO', `Backing up into ${dest} needs about ${formatBytes(needed)} but only ${formatBytes(free)} is free; nothing was written.`, {
      root: dest,
      cause: 'ENOSPC',
      needed,
      free,
    });
  }
}

/**
 * One backup at a time per backup root. The lock names its owner; a lock left by a process
 * that no longer exists (killed mid-backup) is taken over.
 */
export function acquireLock(dest: string): () => void {
  const file = path.join(dest, LOCK_FILE);
  const body = JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileDurable(file, Buffer.from(body));
      return () => removeQuietly(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw storageError(err, 'Locking the backup folder', dest);
    }
    const owner = readLockOwner(file);
    if (owner && owner.host === os.hostname() && processAlive(owner.pid)) {
      throw new AppError('CONFLICT', `Another backup into ${dest} is running (process ${owner.pid}).`, { root: dest, pid: owner.pid });
    }
    if (owner && owner.host !== os.hostname()) {
      throw new AppError('CONFLICT', `The backup folder ${dest} is locked by ${owner.host}; remove ${file} if no backup runs there.`, { root: dest });
    }
    removeQuietly(file);
  }
  throw new AppError('CONFLICT', `Could not lock the backup folder ${dest}; another backup may have just started.`, { root: dest });
}

function readLockOwner(file: string): { pid: number; host: string } | null {
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: unknown; host?: unknown };
    return typeof v.pid === 'number' && typeof v.host === 'string' ? { pid: v.pid, host: v.host } : null;
  } catch {
    // Unreadable or half-written lock (the writer was killed between open and write): stale.
    return null;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
