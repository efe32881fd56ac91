import fs from 'node:fs';
import path from 'node:path';
import type { BackupRetention } from '../../shared/contract/backup';
import { AppError } from '../../shared/errors';
import { fsyncDir, removeQuietly, storageError } from '../storage/durable-fs';
import { BACKUP_TEMP_PREFIX, acquireLock, listBackups, poolRefs, type BackupInfo } from './backup';
import { BACKUP_NAME, POOL_DIR } from './manifest';

/**
 * Retention (issue 8 item 3): which backups of one destination to delete, as a pure decision,
 * and the function that carries it out.
 *
 * Blobs: a backup folder (format 2) holds only its database snapshot and manifest; its blobs
 * are in the root's pool `<root>/blobs/<sha[0:2]>/<sha>`, shared with the other backups of
 * the root. Pruning deletes whole backup folders, then collects the pool: a pool blob that no
 * manifest of a remaining backup references is removed. If any remaining backup's manifest
 * cannot be read, no pool blob is removed (its references are unknown) and a warning says so.
 * Format-1 backups hold their own blob files (hard links) and reference nothing in the pool.
 *
 * The rule, as restic's and borg's `--keep-daily/-weekly/-monthly`:
 * - daily N: the newest backup of each of the N most recent local calendar days that have one;
 * - weekly M: the newest of each of the M most recent ISO weeks (Monday first) that have one;
 * - monthly K: the newest of each of the K most recent calendar months that have one;
 * - and always the newest VERIFIED backup, whatever its age: a backup never checked is not
 *   yet trusted, so the last trusted one stays until a newer one is verified.
 * Kept = the union, so at most N + M + K + 1. Everything else is deleted. Backups whose
 * manifest cannot be read are never given to this function: they are left for ops to look at.
 */

export interface RetentionCandidate {
  readonly id: string;
  /** When the backup was taken (its manifest's createdAt). */
  readonly time: Date;
  /** A verification of it passed (recorded in settings). */
  readonly verified: boolean;
}

export type KeepReason = 'daily' | 'weekly' | 'monthly' | 'newest-verified';

export interface RetentionDecision {
  readonly keep: { id: string; reasons: KeepReason[] }[];
  readonly delete: string[];
}

const pad = (n: number) => String(n).padStart(2, '0');

export function dayKey(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** ISO-8601 week of the local date: the week belongs to the year of its Thursday. */
export function weekKey(d: Date): string {
  const day = new Date(d.getFullYear(), d.getMonth(), d.getDate());
  const dow = (day.getDay() + 6) % 7; // Monday = 0
  day.setDate(day.getDate() - dow + 3); // the Thursday of this week
  const firstThursday = new Date(day.getFullYear(), 0, 4);
  const week = 1 + Math.round(((day.getTime() - firstThursday.getTime()) / 86_400_000 - 3 + ((firstThursday.getDay() + 6) % 7)) / 7);
  return `${day.getFullYear()}-W${pad(week)}`;
}

export function monthKey(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}`;
}

/** The pure decision. Order of the input does not matter; ties in time break by id. */
export function decideRetention(backups: readonly RetentionCandidate[], policy: BackupRetention): RetentionDecision {
  const sorted = [...backups].sort((a, b) => b.time.getTime() - a.time.getTime() || b.id.localeCompare(a.id));
  const reasons = new Map<string, KeepReason[]>();
  const keep = (id: string, reason: KeepReason) => reasons.set(id, [...(reasons.get(id) ?? []), reason]);

  const buckets: [KeepReason, number, (d: Date) => string][] = [
    ['daily', policy.daily, dayKey],
    ['weekly', policy.weekly, weekKey],
    ['monthly', policy.monthly, monthKey],
  ];
  for (const [reason, count, key] of buckets) {
    const seen = new Set<string>();
    for (const b of sorted) {
      if (seen.size >= count) break;
      const k = key(b.time);
      if (seen.has(k)) continue;
      // Newest first, so the first backup met in a bucket is that bucket's newest.
      seen.add(k);
      keep(b.id, reason);
    }
  }
  const newestVerified = sorted.find((b) => b.verified);
  if (newestVerified) keep(newestVerified.id, 'newest-verified');

  return {
    keep: sorted.filter((b) => reasons.has(b.id)).map((b) => ({ id: b.id, reasons: reasons.get(b.id) as KeepReason[] })),
    delete: sorted.filter((b) => !reasons.has(b.id)).map((b) => b.id),
  };
}

export interface PruneResult {
  readonly destination: string;
  readonly kept: { id: string; reasons: KeepReason[] }[];
  readonly deleted: string[];
  /** Backups with an unreadable manifest: never deleted automatically. */
  readonly untouched: { id: string; problem: string | null }[];
  readonly dryRun: boolean;
  /** Pool blobs no remaining backup references, removed after the deletions (0 on a dry run). */
  readonly poolBlobsRemoved: number;
  /** What ops should know (a pool left uncollected because a manifest is unreadable). */
  readonly warnings: string[];
}

/** Turns the backup folders of a destination into candidates; unreadable ones are set apart. */
export function candidatesOf(infos: readonly BackupInfo[], isVerified: (info: BackupInfo) => boolean): { candidates: RetentionCandidate[]; untouched: BackupInfo[] } {
  const candidates: RetentionCandidate[] = [];
  const untouched: BackupInfo[] = [];
  for (const info of infos) {
    const time = info.createdAt ? new Date(info.createdAt) : null;
    if (!info.readable || info.problem || !time || Number.isNaN(time.getTime())) untouched.push(info);
    else candidates.push({ id: info.id, time, verified: isVerified(info) });
  }
  return { candidates, untouched };
}

/**
 * Applies the policy to one destination: decides first, from a complete listing, and only
 * then deletes, holding the destination's backup lock so no backup starts meanwhile (a new
 * backup reuses pool blobs that a published manifest references), then collects the pool.
 *
 * Each folder is first renamed to a `.tmp-` name (atomic) and the destination fsynced, then
 * removed: a crash half-way through a deletion leaves a temp folder, which the next backup
 * clears, never a final-named backup with files missing (target 20 holds while pruning too).
 */
export function pruneDestination(
  destination: string,
  policy: BackupRetention,
  isVerified: (info: BackupInfo) => boolean,
  options: { dryRun?: boolean } = {},
): PruneResult {
  const dest = path.resolve(destination);
  const dryRun = options.dryRun ?? false;
  if (policy.daily + policy.weekly + policy.monthly < 1) {
    throw new AppError('VALIDATION', 'A retention policy must keep at least one backup (daily + weekly + monthly ≥ 1).');
  }
  const release = dryRun ? () => undefined : acquireLock(dest);
  try {
    const infos = listBackups(dest);
    const { candidates, untouched } = candidatesOf(infos, isVerified);
    const decision = decideRetention(candidates, policy);
    let gc: PoolCollection = { removed: 0, warnings: [] };
    if (!dryRun) {
      for (const id of decision.delete) deleteBackupFolder(dest, id);
      gc = collectPool(dest);
    }
    return {
      destination: dest,
      kept: decision.keep,
      deleted: decision.delete,
      untouched: untouched.map((u) => ({ id: u.id, problem: u.problem })),
      dryRun,
      poolBlobsRemoved: gc.removed,
      warnings: gc.warnings,
    };
  } finally {
    release();
  }
}

function deleteBackupFolder(dest: string, id: string): void {
  const final = path.join(dest, id);
  const doomed = path.join(dest, `${BACKUP_TEMP_PREFIX}pruned-${id}`);
  try {
    fs.renameSync(final, doomed);
    fsyncDir(dest);
  } catch (err) {
    throw storageError(err, `Deleting the old backup ${id}`, dest);
  }
  // If this fails half-way, the `.tmp-` folder is removed by the next backup's cleanup.
  removeQuietly(doomed);
}

export interface PoolCollection {
  readonly removed: number;
  readonly warnings: string[];
}

/**
 * Removes the pool blobs that no manifest of a backup in `dest` references (the caller holds
 * the root's lock, so no backup is writing). When any backup's manifest is unreadable, its
 * references are unknown: nothing is removed, and the warning names it.
 */
export function collectPool(dest: string): PoolCollection {
  const pool = path.join(dest, POOL_DIR);
  if (!fs.existsSync(pool)) return { removed: 0, warnings: [] };
  const referenced = new Set<string>();
  const unreadable: string[] = [];
  for (const name of fs.readdirSync(dest)) {
    if (!BACKUP_NAME.test(name)) continue;
    const refs = poolRefs(path.join(dest, name));
    if (!refs) unreadable.push(name);
    else for (const sha of refs.keys()) referenced.add(sha);
  }
  if (unreadable.length) {
    return {
      removed: 0,
      warnings: [`no pool blob was removed: the manifest of ${unreadable.join(', ')} cannot be read, so the blobs it references are unknown; check or delete that backup by hand`],
    };
  }
  let removed = 0;
  try {
    for (const prefix of fs.readdirSync(pool)) {
      const dir = path.join(pool, prefix);
      if (!fs.statSync(dir).isDirectory()) continue;
      let left = 0;
      for (const name of fs.readdirSync(dir)) {
        if (referenced.has(name)) {
          left++;
          continue;
        }
        fs.rmSync(path.join(dir, name), { force: true, recursive: true });
        removed++;
      }
      if (left === 0) fs.rmdirSync(dir);
    }
    if (removed) fsyncDir(pool);
  } catch (err) {
    throw storageError(err, 'Removing unreferenced blobs from the backup pool', dest);
  }
  return { removed, warnings: [] };
}
