import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openSqlite } from '../db/sqlite';
import { AppError } from '../../shared/errors';
import { verifyWorkspace, type VerifyReport } from '../cli/commands/verify';
import { latestVersion } from '../db/migrate';
import { migrations } from '../db/migrations';
import type { ReadableDB } from '../db/types';
import { prepareBlobStorage } from '../storage/blob-layout-upgrade';
import { copyFileDurable, fsyncDir, fsyncTree, mkdirDurable, removeQuietly, storageError } from '../storage/durable-fs';
import { workspaceLayout } from '../workspace/workspace';
import { readManifest, tableCounts } from './backup';
import { fileLocation } from './manifest';
import { verifyBackup } from './verify-backup';

/** Staging folder of a restore in progress, inside the target workspace folder. */
export const RESTORE_TEMP_PREFIX = '.tmp-restore-';

export interface RestoreOptions {
  readonly onProgress?: (done: number, total: number) => void;
}

export interface RestoreResult {
  readonly workspace: string;
  readonly backup: string;
  readonly files: number;
  readonly bytes: number;
  /** Wall time of the restore, verification included: the recovery time to record (target 21). */
  readonly durationMs: number;
  readonly verify: VerifyReport;
}

/**
 * Restores a backup into an empty (or new) workspace folder (DESIGN §7, RELIABILITY target 21).
 * The backup is verified first; files are copied (format-2 blobs from the root's pool) into a
 * staging folder inside the target, each re-hashed on the way and fsynced, then moved into
 * place with the database last (its presence is what makes a folder a workspace). The result
 * must pass `midc verify` and match the manifest's row counts, audit-chain head and blob set,
 * or the restore is reported failed.
 */
export async function restoreBackup(backupPath: string, workspaceDir: string, options: RestoreOptions = {}): Promise<RestoreResult> {
  const started = Date.now();
  const backup = path.resolve(backupPath);
  const ws = workspaceLayout(workspaceDir);
  assertEmptyWorkspace(ws.root);

  const report = await verifyBackup(backup);
  if (!report.ok) {
    throw new AppError('DB_CORRUPT', `The backup ${backup} failed verification; nothing was restored. ${summarize(report.problems)}`, {
      problems: report.problems,
    });
  }
  const loaded = readManifest(backup);
  if (!loaded.ok) throw new AppError('DB_CORRUPT', `The backup ${backup} cannot be read: ${loaded.error}`);
  const manifest = loaded.manifest;
  const newest = latestVersion(migrations);
  if (manifest.schemaVersion > newest) {
    throw new AppError('CONFLICT', `The backup has schema version ${manifest.schemaVersion}, newer than this MIDC (${newest}). Restore it with a newer MIDC.`, {
      backupVersion: manifest.schemaVersion,
      appVersion: newest,
    });
  }

  const stage = path.join(ws.root, `${RESTORE_TEMP_PREFIX}${crypto.randomBytes(4).toString('hex')}`);
  let bytes = 0;
  try {
    mkdirDurable(stage);
    fs.mkdirSync(path.join(stage, 'storage', 'blobs'), { recursive: true });
    fs.mkdirSync(path.join(stage, 'logs'));
    for (const [i, f] of manifest.files.entries()) {
      const target = path.join(stage, f.path);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const copy = copyFileDurable(fileLocation(backup, manifest, f), target);
      if (copy.sha256 !== f.sha256) {
        throw new AppError('DB_CORRUPT', `${f.path} changed in the backup while it was being restored (hash ${copy.sha256}); nothing was restored.`, { path: f.path });
      }
      bytes += copy.size;
      if (i % 64 === 63) {
        options.onProgress?.(i + 1, manifest.files.length);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    options.onProgress?.(manifest.files.length, manifest.files.length);
    // A backup of format 1 holds blobs in the older blobs/ab/cd/ layout: moved to the current one.
    prepareBlobStorage(path.join(stage, 'storage'));
    fsyncTree(stage);
    // The database moves last: until it is there, the folder is not a workspace.
    for (const name of ['storage', 'logs', 'midc.sqlite']) fs.renameSync(path.join(stage, name), path.join(ws.root, name));
    fs.rmdirSync(stage);
    fsyncDir(ws.root);
  } catch (err) {
    removeQuietly(stage);
    throw storageError(err, `Restoring ${backup} into ${ws.root}`, ws.root);
  }

  const verify = await verifyWorkspace(ws.root);
  const mismatches = compareWithManifest(ws.dbFile, manifest.database.tables, manifest.audit, verify, manifest.blobs.count);
  if (!verify.ok || mismatches.length) {
    const problems = [...verify.database.problems, ...verify.audit.problems, ...verify.blobs.bad.map((b) => `${b.path}: ${b.problem}`), ...mismatches];
    throw new AppError('DB_CORRUPT', `The restored workspace ${ws.root} does not check out: ${problems.slice(0, 5).join('; ')}`, { problems, verify });
  }
  return { workspace: ws.root, backup, files: manifest.files.length, bytes, durationMs: Date.now() - started, verify };
}

/** An absent folder, an empty one, or one holding only a restore's leftovers is fine. */
export function assertEmptyWorkspace(root: string): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(root);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw storageError(err, 'Opening the workspace folder', root);
  }
  const leftovers = entries.filter((e) => e.startsWith(RESTORE_TEMP_PREFIX));
  for (const e of leftovers) fs.rmSync(path.join(root, e), { recursive: true, force: true });
  const others = entries.filter((e) => !e.startsWith(RESTORE_TEMP_PREFIX));
  if (others.length) {
    throw new AppError('CONFLICT', `The workspace folder ${root} is not empty (${others.slice(0, 5).join(', ')}${others.length > 5 ? ', ...' : ''}); restore needs an empty or new folder, so nothing is overwritten.`, {
      workspace: root,
      entries: others.slice(0, 20),
    });
  }
}

function compareWithManifest(
  dbFile: string,
  tables: Record<string, number>,
  audit: { entries: number; head: string | null },
  verify: VerifyReport,
  blobCount: number,
): string[] {
  const problems: string[] = [];
  const db = openSqlite(dbFile, { readonly: true, fileMustExist: true }) as ReadableDB;
  try {
    const counts = tableCounts(db);
    for (const name of new Set([...Object.keys(counts), ...Object.keys(tables)])) {
      if (counts[name] !== tables[name]) problems.push(`table ${name}: ${counts[name] ?? 'missing'} rows restored, ${tables[name] ?? 'none'} backed up`);
    }
  } finally {
    db.close();
  }
  if (verify.audit.head !== audit.head || verify.audit.entries !== audit.entries) {
    problems.push(`audit chain head ${verify.audit.head} (${verify.audit.entries} entries) differs from the backup's ${audit.head} (${audit.entries})`);
  }
  if (verify.blobs.count !== blobCount) problems.push(`${verify.blobs.count} blobs restored, ${blobCount} backed up`);
  return problems;
}

function summarize(problems: readonly { path: string | null; problem: string }[]): string {
  const shown = problems.slice(0, 3).map((p) => (p.path ? `${p.path}: ${p.problem}` : p.problem));
  return `${shown.join('; ')}${problems.length > 3 ? `; and ${problems.length - 3} more` : ''}`;
}
