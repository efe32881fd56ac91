import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import type { verifyAuditChain as VerifyAuditChain } from '../audit/audit-log';
import { openSqlite } from '../db/sqlite';
import type { ReadableDB } from '../db/types';
import { BLOBS_DIR, SHA256_HEX } from '../storage/blob-layout';
import { fsyncDir, fsyncPath, hashFileSync, removeQuietly, sha256, storageError } from '../storage/durable-fs';
import type { GroupSyncMethod, StoreSyncer } from '../storage/group-sync';
import { formatBytes } from '../storage/format-bytes';
import { APP_VERSION } from '../version';
import { workspaceLayout } from '../workspace/workspace';
import {
  BACKUP_NAME,
  DB_FILE,
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  POOL_DIR,
  backupId,
  parseManifest,
  poolPath,
  sealManifest,
  serializeManifest,
  type BackupManifest,
  type ManifestBody,
  type ManifestFile,
} from './manifest';
import { Hasher, type FileHash } from './hasher';
import { PoolIndex, manifestPoolRefs, type PoolState } from './pool-index';
import { COPY_CONCURRENCY, copyFileHashed, forEachParallel } from './parallel-fs';

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
  /**
   * How the written files are made durable before the backup is published: one `syncfs` of
   * the backup root's filesystem, or an fsync per file and folder. Default: syncfs when more
   * than SYNCFS_FROM files were written (and it is available), else fsync. Tests force one.
   */
  readonly syncMethod?: GroupSyncMethod;
  /** Databases up to this size are snapshotted through memory (default SERIALIZE_MAX_BYTES; tests: 0 = VACUUM INTO). */
  readonly serializeMaxBytes?: number;
}

export interface BackupResult {
  /** The folder name, `midc-backup-<UTC>-<random>`. */
  readonly id: string;
  readonly path: string;
  /** Data files in the backup (database + blobs) and their total size. */
  readonly files: number;
  readonly bytes: number;
  /** Blobs already in the root's pool (referenced by a published backup), not copied again. */
  readonly linked: number;
  /** Blobs copied into the pool by this backup. */
  readonly copied: number;
  /** Workspace blobs left out of the backup (damaged, or removed while it ran). */
  readonly skipped: { path: string; reason: string }[];
  /** Things ops should know that did not stop the backup (damaged blobs left out, same device...). */
  readonly warnings: string[];
  /** How the written files were made durable. */
  readonly syncMethod: GroupSyncMethod;
}

/** Best effort: the pool blobs a failed run wrote, then the pool folders left empty. */
function removePoolWrites(dest: string, written: readonly string[]): void {
  for (const f of written) removeQuietly(f);
  const pool = path.join(dest, POOL_DIR);
  let prefixes: string[];
  try {
    prefixes = fs.readdirSync(pool);
  } catch {
    return;
  }
  for (const dir of [...prefixes.map((p) => path.join(pool, p)), pool]) {
    try {
      fs.rmdirSync(dir);
    } catch {
      // not empty: left as is
    }
  }
}

/**
 * Up to this many written files, an fsync of each (and of their folders) is cheaper than
 * starting the `sync -f` helper; above it, one syncfs replaces them all.
 */
export const SYNCFS_FROM = 8;

/**
 * Makes a consistent backup of a workspace into a new folder under `destDir` (DESIGN §5,
 * RELIABILITY §2.3 and target 20). The folder holds the database snapshot and the manifest;
 * blob bytes go to the root's pool `<destDir>/blobs/<sha[0:2]>/<sha>`, shared by its backups.
 *
 * All-or-nothing: the snapshot and manifest are written under `.tmp-<id>/`; a new pool blob
 * is copied straight to its pool name (one that is there already but untrusted is copied
 * under the temp folder and renamed over it). Then ONE syncfs of the root's filesystem (or,
 * when unavailable or for a handful of files, an fsync of each file and folder) makes it all
 * durable, and only then is the folder renamed to its final name. A final-named folder
 * therefore never references a pool blob that is not on disk; a crash leaves only a temp
 * folder (removed by the next run) and perhaps pool blobs no manifest references, which the
 * next run rewrites rather than trusts, and prune removes. A run that fails removes the pool
 * blobs it wrote.
 *
 * A pool blob is reused (not copied) only when a readable manifest of the root references it
 * (see PoolIndex); its name is its hash and it was synced before that manifest was published.
 * Copies are hashed as read back and left out (with the reason) when their content does not
 * hash to their name.
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
  let syncer: StoreSyncer | null = null;
  let hasher: Hasher | null = null;
  // Pool blobs this run wrote: removed again if it fails (no manifest will reference them).
  const written: string[] = [];
  let published = false;
  try {
    removeStaleTemps(dest);
    fs.mkdirSync(temp);
    // No pool yet: every blob will be copied. The hash workers start now, so that their
    // start-up overlaps the snapshot and the walk instead of delaying the first copies.
    if (!fs.existsSync(path.join(dest, POOL_DIR))) hasher = new Hasher(HASH_WORKERS);

    // Ordering: the database snapshot comes first and the blob listing after it. Blobs are
    // stored before the rows that reference them commit, so every blob the snapshot knows
    // is already on disk when we list them. The folders of the pool (whose contents only a
    // run holding the lock changes) are listed on the thread pool meanwhile.
    options.onProgress?.({ phase: 'database', done: 0, total: 1, bytes: 0 });
    const pool = new PoolIndex(dest, ownManifest);
    const poolListed = pool.list();
    // Awaited below; a failure meanwhile must not count as unhandled.
    poolListed.catch(() => undefined);
    const snapshotFile = writeSnapshot(ws.dbFile, path.join(temp, DB_FILE), options.serializeMaxBytes ?? SERIALIZE_MAX_BYTES);
    const db = await checkSnapshot(path.join(temp, DB_FILE), snapshotFile, checkedSnapshot(pool.newestReadable()));
    const dbFile = db.file;
    options.onProgress?.({ phase: 'database', done: 1, total: 1, bytes: dbFile.size });
    if (!db.audit.ok) warnings.push(`the audit chain of the workspace is broken: ${db.audit.problems.join('; ')}`);

    const blobs = listBlobs(ws.storageDir);
    await poolListed;
    // One decision per hash (two workspace paths with the same content share a pool blob).
    const plan = new Map<string, { blob: WorkspaceBlob; state: PoolState }>();
    for (const blob of blobs) if (!plan.has(blob.sha256)) plan.set(blob.sha256, { blob, state: pool.state(blob.sha256) });
    const toCopy: { blob: WorkspaceBlob; size: number; replace: boolean; repair: boolean }[] = [];
    const outcomes = new Map<string, CopyOutcome>();
    let bytes = dbFile.size;
    for (const [sha, p] of plan) {
      if (p.state.kind === 'reuse') {
        outcomes.set(sha, { kind: 'linked', size: p.state.size });
        bytes += p.state.size;
      } else {
        const repair = p.state.kind === 'absent' && p.state.repair;
        toCopy.push({ blob: p.blob, size: statSize(path.join(ws.storageDir, p.blob.relPath)), replace: repair || p.state.kind === 'untrusted', repair });
      }
    }
    // The snapshot is written already; what is left to write is the blobs to copy.
    if (toCopy.length) checkFreeSpace(dest, toCopy.reduce((n, c) => n + c.size, 0));

    let doneCount = outcomes.size;
    let lastReport = 0;
    const report = (): void => {
      if (!options.onProgress) return;
      const t = Date.now();
      if (t - lastReport >= (options.progressIntervalMs ?? 200) || doneCount === plan.size) {
        lastReport = t;
        options.onProgress({ phase: 'blobs', done: doneCount, total: plan.size, bytes });
      }
    };
    report();
    const method = options.syncMethod ?? (toCopy.length > SYNCFS_FROM ? 'syncfs' : 'fsync');
    // Loaded only when used: an unchanged incremental fsyncs its two files and never starts it.
    syncer = method === 'syncfs' ? new (await import('../storage/group-sync')).StoreSyncer(dest, { method }) : null;
    if (toCopy.length) {
      const staging = path.join(temp, 'pool');
      fs.mkdirSync(staging);
      for (const prefix of new Set(toCopy.map((c) => c.blob.sha256.slice(0, 2)))) fs.mkdirSync(path.join(dest, POOL_DIR, prefix), { recursive: true });
      if (!hasher && toCopy.length > 1) hasher = new Hasher(HASH_WORKERS);
      const hashFile = hasher ? (file: string) => (hasher as Hasher).hashFile(file) : undefined;
      const ahead = syncer ? new FlushAhead(syncer) : null;
      await forEachParallel(
        toCopy,
        COPY_CONCURRENCY,
        async ({ blob, replace, repair }) => {
          const target = poolPath(dest, blob.sha256);
          // A new pool blob is written at its final name: until a manifest references it, it
          // is not trusted (a kill leaves it unreferenced, and the next run rewrites it). One
          // already there but untrusted is replaced by a rename; one that a published manifest
          // references but the pool lost gets its name only once complete and on disk.
          const staged = replace ? { file: path.join(staging, blob.sha256), fsync: repair } : null;
          const outcome = await copyIntoPool(path.join(ws.storageDir, blob.relPath), staged, target, blob.sha256, hashFile);
          outcomes.set(blob.sha256, outcome);
          if (outcome.kind !== 'skipped') {
            written.push(target);
            bytes += outcome.size;
            ahead?.wrote(target, outcome.size);
          }
          doneCount++;
          report();
        },
        options.signal,
      );
      await ahead?.settle();
      fs.rmdirSync(staging);
    }

    const files: ManifestFile[] = [dbFile];
    const skipped: { path: string; reason: string }[] = [];
    let linked = 0;
    let copied = 0;
    let blobBytes = 0;
    for (const blob of blobs) {
      const rel = `storage/${blob.relPath}`;
      const outcome = outcomes.get(blob.sha256) as CopyOutcome;
      if (outcome.kind === 'skipped') {
        skipped.push({ path: rel, reason: outcome.reason });
        warnings.push(`${rel} was left out: ${outcome.reason}`);
        continue;
      }
      if (outcome.kind === 'linked') linked++;
      else copied++;
      // Keys in sorted order: the manifest's checksum then takes the list in one go (plainFileList).
      files.push({ path: rel, sha256: blob.sha256, size: outcome.size });
      blobBytes += outcome.size;
    }
    bytes = dbFile.size + blobBytes;
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
      blobs: { count: files.length - 1, bytes: blobBytes, reused: linked, copied, skipped },
      files,
      totals: { files: files.length, bytes },
    };
    const manifestFile = path.join(temp, MANIFEST_FILE);
    fs.writeFileSync(manifestFile, serializeManifest(sealManifest(body)), { flag: 'wx' });
    // Everything this backup wrote (new pool blobs, snapshot, manifest, their folders) durable
    // before the rename that publishes it, then the root that holds its name.
    const toSync = [...written, path.join(temp, DB_FILE), manifestFile];
    const used: GroupSyncMethod = syncer ? await syncer.sync(toSync) : await fsyncFew(dest, temp, toSync);
    options.signal?.throwIfAborted();
    const final = path.join(dest, id);
    fs.renameSync(temp, final);
    published = true;
    fsyncDir(dest);
    options.onProgress?.({ phase: 'finishing', done: 1, total: 1, bytes });
    return { id, path: final, files: files.length, bytes, linked, copied, skipped, warnings, syncMethod: used };
  } catch (err) {
    removeQuietly(temp);
    // Not once published: the backup's manifest references them then.
    if (!published) removePoolWrites(dest, written);
    if (err instanceof Error && err.name === 'AbortError') throw err;
    throw storageError(err, `Backing up ${ws.root} into ${dest}`, dest);
  } finally {
    syncer?.close();
    hasher?.close();
    release();
  }
}

interface Snapshot {
  readonly schemaVersion: number;
  readonly tables: Record<string, number>;
  readonly audit: { entries: number; head: string | null; ok: boolean; problems: string[] };
  /** The snapshot file's manifest entry. */
  readonly file: ManifestFile;
}

/**
 * Databases up to this size are snapshotted through memory: `sqlite3_serialize` copies the
 * pages in one read transaction and the copy is written and hashed from memory. Larger ones
 * use `VACUUM INTO` (which rebuilds the file, so costs more than a copy: ~8 of the 25 ms an
 * unchanged incremental spent on its snapshot of a 0.5 MB database, bench "backup").
 */
export const SERIALIZE_MAX_BYTES = 64 * 2 ** 20;

/**
 * Writes a consistent snapshot of the database at `source` to `target` (which must not exist)
 * from a separate read-only connection, one that does not restart when the app writes
 * meanwhile (RELIABILITY §2.3): the pages read in one read transaction (databases up to
 * `serializeMaxBytes`) or `VACUUM INTO`. Both give a standalone file in rollback-journal mode.
 * Not fsynced (the caller syncs it with the rest of the backup); checked by `checkSnapshot`.
 */
function writeSnapshot(source: string, target: string, serializeMaxBytes: number): ManifestFile {
  const live = openSqlite(source, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    const bytes = (live.pragma('page_count', { simple: true }) as number) * (live.pragma('page_size', { simple: true }) as number);
    if (bytes > serializeMaxBytes) {
      live.prepare('VACUUM INTO ?').run(target);
      return { path: DB_FILE, sha256: hashFileSync(target), size: fs.statSync(target).size };
    }
    const image = live.serialize();
    // Header bytes 18-19, the file format versions: 2 (WAL) in a WAL database. 1 (rollback
    // journal) as in VACUUM INTO's output, so that opening the snapshot needs no -wal/-shm.
    image[18] = 1;
    image[19] = 1;
    fs.writeFileSync(target, image, { flag: 'wx' });
    return { path: DB_FILE, sha256: sha256(image), size: image.length };
  } finally {
    live.close();
  }
}

/**
 * integrity_check and foreign_key_check of the snapshot, its schema version, row counts and
 * audit-chain head; unless it has the bytes of `previous` (the newest backup's snapshot, whose
 * results its sealed manifest holds: the same bytes give the same results).
 */
async function checkSnapshot(target: string, file: ManifestFile, previous: Snapshot | null): Promise<Snapshot> {
  if (previous && previous.file.sha256 === file.sha256 && previous.file.size === file.size) return { ...previous, file };
  // Loaded only for a changed database: an unchanged incremental takes the results over.
  const { verifyAuditChain } = await import('../audit/audit-log');
  const copy = openSqlite(target, { readonly: true, fileMustExist: true }) as ReadableDB;
  try {
    const integrity = copy.pragma('integrity_check') as { integrity_check: string }[];
    const bad = integrity.filter((r) => r.integrity_check !== 'ok').map((r) => r.integrity_check);
    const fk = copy.pragma('foreign_key_check') as unknown[];
    if (bad.length || fk.length) {
      throw new AppError('DB_CORRUPT', `The database snapshot failed its integrity check: ${[...bad, ...(fk.length ? [`${fk.length} foreign key violations`] : [])].join('; ')}. The workspace database needs attention before it can be backed up.`, { problems: bad });
    }
    const schemaVersion = copy.pragma('user_version', { simple: true }) as number;
    return { schemaVersion, tables: tableCounts(copy), audit: auditHead(copy, verifyAuditChain), file };
  } finally {
    copy.close();
  }
}

/**
 * The snapshot that a backup's manifest describes: its file and the results of its checks;
 * null when another version of MIDC wrote it (its checks may not be this version's).
 */
function checkedSnapshot(manifest: BackupManifest | null): Snapshot | null {
  const file = manifest?.files.find((f) => f.path === DB_FILE);
  if (!manifest || !file || manifest.appVersion !== APP_VERSION) return null;
  return { schemaVersion: manifest.schemaVersion, tables: manifest.database.tables, audit: manifest.audit, file };
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

function auditHead(db: ReadableDB, verifyAuditChain: typeof VerifyAuditChain): Snapshot['audit'] {
  const hasAudit = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'audit_log'").get();
  if (!hasAudit) return { entries: 0, head: null, ok: true, problems: [] };
  const report = verifyAuditChain(db);
  return { entries: report.entries, head: report.head, ok: report.ok, problems: report.problems };
}

/**
 * Starts write-back early during a large copy: after every FLUSH_AHEAD_BYTES written, one
 * syncfs (never two at once) while the copy goes on, so the disk writes while the CPUs copy
 * and hash, and the final sync has little left. Only for the syncfs method (with fsync, the
 * final sync does the work). Its errors are kept and thrown by `settle()`: a write-back error
 * it consumed would not be reported again by the final syncfs, which opens the root anew.
 */
class FlushAhead {
  private pending = 0;
  private inFlight: Promise<void> | null = null;
  private error: { err: unknown } | null = null;

  constructor(private readonly syncer: StoreSyncer) {}

  wrote(file: string, size: number): void {
    if (this.syncer.currentMethod !== 'syncfs') return;
    this.pending += size;
    if (this.pending < FLUSH_AHEAD_BYTES || this.inFlight) return;
    this.pending = 0;
    this.inFlight = this.syncer
      .sync([file])
      .then(
        () => undefined,
        (err: unknown) => {
          this.error ??= { err };
        },
      )
      .finally(() => {
        this.inFlight = null;
      });
  }

  async settle(): Promise<void> {
    await this.inFlight;
    if (this.error) throw this.error.err;
  }
}

/** Bytes copied between two early syncfs calls (see FlushAhead). */
const FLUSH_AHEAD_BYTES = 128 * 2 ** 20;
/** Hash workers for a copy: one per core on the reference machine (two cores). */
const HASH_WORKERS = Math.max(1, Math.min(2, os.availableParallelism?.() ?? 2));

type CopyOutcome = { kind: 'linked' | 'copied'; size: number } | { kind: 'skipped'; reason: string };

/**
 * Copies a workspace blob into the pool at `target`, directly (a new pool blob) or through
 * `staging` (inside the backup's temp folder) and a rename (over an untrusted one, or to
 * repair a lost one). The copy is hashed as read back and removed when it does not hash to its
 * name. No fsync, except a repair's before its rename (a published manifest trusts that name):
 * the caller syncs everything at the end.
 */
async function copyIntoPool(
  src: string,
  staging: { file: string; fsync: boolean } | null,
  target: string,
  sha256: string,
  hashFile?: (file: string) => Promise<FileHash>,
): Promise<CopyOutcome> {
  let copy: { sha256: string; size: number; written: boolean };
  try {
    copy = await copyFileHashed(src, staging?.file ?? target, { expectSha256: sha256, ...(hashFile ? { hashFile } : {}) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !fs.existsSync(src)) {
      return { kind: 'skipped', reason: 'removed from the workspace while the backup ran' };
    }
    throw err;
  }
  if (!copy.written) return { kind: 'skipped', reason: `damaged in the workspace (content hashes to ${copy.sha256}); run "midc verify"` };
  if (staging) {
    if (staging.fsync) await fsyncPath(staging.file);
    await fs.promises.rename(staging.file, target);
  }
  return { kind: 'copied', size: copy.size };
}

/** A workspace blob: its hash (its name) and where it is under the storage root. */
interface WorkspaceBlob {
  readonly sha256: string;
  /** Relative to the storage root, with `/`: `blobs/...`, whatever folders the store uses. */
  readonly relPath: string;
}

/**
 * Every blob of a workspace store (files under `blobs/` named by a SHA-256, in any folders),
 * sorted by path. Names only: unlike `walkBlobs`, no stat per file; the size is read only for
 * blobs that are copied (a reused blob's size is in the manifest that references it).
 */
export function listBlobs(storageRoot: string): WorkspaceBlob[] {
  const out: WorkspaceBlob[] = [];
  // Joined by hand, not with path.join: its normalisation was a third of the walk's time.
  const walk = (dir: string, rel: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && rel === BLOBS_DIR) return;
      throw err;
    }
    for (const e of entries) {
      if (e.isDirectory()) walk(`${dir}${path.sep}${e.name}`, `${rel}/${e.name}`);
      else if (e.isFile() && SHA256_HEX.test(e.name)) out.push({ sha256: e.name, relPath: `${rel}/${e.name}` });
    }
  };
  walk(path.join(storageRoot, BLOBS_DIR), BLOBS_DIR);
  return out.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
}

function statSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    // Gone meanwhile: the copy reports it as removed from the workspace.
    return 0;
  }
}

/**
 * Makes a handful of written files durable without a syncfs: each file and each folder that
 * got a new name (the temp folder, the pool folders of new blobs, the pool itself), in parallel.
 */
async function fsyncFew(dest: string, temp: string, files: readonly string[]): Promise<GroupSyncMethod> {
  const dirs = new Set<string>([temp]);
  for (const f of files) {
    const d = path.dirname(f);
    if (d !== temp) dirs.add(d).add(path.dirname(d));
  }
  // One round: each file and each new name must be on disk before the rename that publishes
  // the backup; the order among them does not matter.
  await Promise.all([...files, ...[...dirs].filter((d) => d !== dest)].map(fsyncPath));
  return 'fsync';
}

/** The pool blobs (hash → size) a backup references, or null when its manifest is unreadable. */
export function poolRefs(backupPath: string): Map<string, number> | null {
  const manifest = ownManifest(backupPath);
  return manifest ? manifestPoolRefs(manifest) : null;
}

/** The backup's manifest when it is readable and names this backup, else null. */
function ownManifest(backupPath: string): BackupManifest | null {
  const loaded = readManifest(backupPath);
  return loaded.ok && loaded.manifest.id === path.basename(backupPath) ? loaded.manifest : null;
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
 * This copy of the module (one per thread: a worker thread loads its own) and the locks it
 * holds now, by token (see acquireLock).
 */
const LOCK_INSTANCE = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
const heldLocks = new Set<string>();
let lockSeq = 0;

/**
 * One backup at a time per backup root. The lock names its owner; a lock left by a process
 * that no longer exists (killed mid-backup) is taken over, and so is one that this thread
 * left behind and no longer holds (the backup disk went away mid-run, so the lock could not
 * be removed; it is back now). A lock of another thread of this process counts as held.
 */
export function acquireLock(dest: string): () => void {
  const file = path.join(dest, LOCK_FILE);
  const token = `${LOCK_INSTANCE}-${++lockSeq}`;
  const body = JSON.stringify({ pid: process.pid, host: os.hostname(), instance: LOCK_INSTANCE, token, startedAt: new Date().toISOString() });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      // No fsync: the lock only has to hold against live processes; after a crash a lock that
      // is missing, empty or names a dead process is taken over (readLockOwner).
      fs.writeFileSync(file, body, { flag: 'wx' });
      heldLocks.add(token);
      return () => {
        heldLocks.delete(token);
        removeQuietly(file);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        removeQuietly(file); // created but not written (disk full): ours, not someone else's
        throw storageError(err, 'Locking the backup folder', dest);
      }
    }
    const owner = readLockOwner(file);
    if (owner && owner.host !== os.hostname()) {
      throw new AppError('CONFLICT', `The backup folder ${dest} is locked by ${owner.host}; remove ${file} if no backup runs there.`, { root: dest });
    }
    if (owner) {
      const mine = owner.pid === process.pid && owner.instance === LOCK_INSTANCE;
      if (mine ? owner.token !== null && heldLocks.has(owner.token) : processAlive(owner.pid)) {
        const who = owner.pid === process.pid ? 'this MIDC' : `process ${owner.pid}`;
        throw new AppError('CONFLICT', `Another backup into ${dest} is running (${who}).`, { root: dest, pid: owner.pid });
      }
    }
    removeQuietly(file);
  }
  throw new AppError('CONFLICT', `Could not lock the backup folder ${dest}; another backup may have just started.`, { root: dest });
}

/**
 * Removes the lock of `dest` when this process wrote it: for a caller that knows none of its
 * threads holds it now (the backup service, between its jobs). A backup worker whose disk went
 * away mid-run could not remove its lock, and another thread cannot tell that it is gone.
 */
export function removeOwnStaleLock(dest: string): boolean {
  const file = path.join(dest, LOCK_FILE);
  const owner = readLockOwner(file);
  if (!owner || owner.pid !== process.pid || owner.host !== os.hostname()) return false;
  removeQuietly(file);
  return true;
}

function readLockOwner(file: string): { pid: number; host: string; instance: string | null; token: string | null } | null {
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: unknown; host?: unknown; instance?: unknown; token?: unknown };
    if (typeof v.pid !== 'number' || typeof v.host !== 'string') return null;
    return { pid: v.pid, host: v.host, instance: typeof v.instance === 'string' ? v.instance : null, token: typeof v.token === 'string' ? v.token : null };
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
