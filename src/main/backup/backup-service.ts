import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  BackupConfig,
  BackupHealthView,
  BackupJobView,
  BackupListView,
  BackupProgressView,
  BackupRow,
  BackupRunView,
  BackupStatusView,
  BackupVerifyView,
  IntegrityCheckView,
  RestoreDrillView,
  RootHealthView,
} from '../../shared/contract/backup';
import { nextRun } from '../../shared/cron';
import { AppError } from '../../shared/errors';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../auth/sessions';
import type { WritableDB } from '../db/types';
import type { AuditObject } from '../ipc/registry';
import { removeQuietly } from '../storage/durable-fs';
import { checkRoot, type CheckRootOptions, type RootHealth } from '../storage/roots';
import type { Workspace } from '../workspace/workspace';
import { listBackups, readManifest, removeOwnStaleLock, type BackupInfo } from './backup';
import {
  appendDrill,
  appendRun,
  forgetVerifications,
  markChecksFired,
  markFired,
  readChecksState,
  readConfig,
  readDrills,
  readIntegrity,
  readRuns,
  readScheduleState,
  readVerifications,
  readVerifyCursor,
  recordVerification,
  writeConfig,
  writeIntegrity,
  writeVerifyCursor,
  type StoredConfig,
} from './backup-settings';
import { BACKUP_NAME } from './manifest';
import { assessBackupHealth, detectRemovable, validateDestinations } from './policy';
import { restoreBackup } from './restore';
import { pruneDestination } from './retention';
import { BackupScheduler, JobQueue, systemTimer, type DueRun, type Timer } from './scheduler';
import { checkIntegrityInWorker, runBackupInWorker, verifyBackupInWorker } from './run-in-worker';
import { backupWorkerFile } from './worker-file';
import type { BackupVerifyReport, VerifyBackupOptions } from './verify-backup';

/**
 * The backup service of one app (issue 8): runs backups one at a time (on demand and on
 * schedule), verifies each new backup, applies retention, answers history and health, and
 * runs restore drills. Stateless apart from the queue and the scheduler; everything that must
 * survive a restart lives in the `settings` table (backup-settings.ts).
 *
 * Every write goes through a `Commit`: the IPC handler passes `ctx.write` (one IMMEDIATE
 * transaction with the call's audit entry); the scheduler passes a system commit that
 * records the entry as `scheduler`. The backup itself writes nothing to the database while it
 * snapshots: the manifest's audit-chain head must be the head of the snapshot, so the entry
 * describing the backup is appended after it completed.
 *
 * Off the main thread: a backup and every verification run in a worker thread
 * (backup-worker.js, run-in-worker.ts), so that the snapshot (VACUUM INTO, integrity_check)
 * and the copying and hashing of blobs never hold up the app's IPC; only the history and
 * audit writes happen here. The restore drill still runs here (restoreBackup, async per file).
 */

export type Commit = <T>(object: AuditObject, fn: (db: WritableDB) => T) => T;

export interface BackupJob {
  readonly destination: string;
  readonly trigger: 'manual' | 'schedule';
  readonly schedule: string | null;
  readonly commit: Commit;
}

export interface BackupServiceDeps {
  readonly db: WritableDB;
  readonly audit: AuditLog;
  readonly workspace: Workspace;
  readonly clock: Clock;
  readonly timer?: Timer;
  /** Where drills restore to (default: the OS temp folder). */
  readonly drillRoot?: string;
  readonly rootOptions?: CheckRootOptions;
  /** The built backup worker (default: out/main/backup-worker.js beside this bundle). */
  readonly backupWorkerFile?: string;
  /** Minimum time between two blob progress events of a run (default 200 ms). */
  readonly progressIntervalMs?: number;
}

export class BackupService {
  readonly queue: JobQueue<BackupJob, BackupProgressView, BackupRunView>;
  private scheduler: BackupScheduler | null = null;
  private checksScheduler: BackupScheduler | null = null;
  /** Scheduled checks run one after another, never two at once. */
  private checks: Promise<unknown> = Promise.resolve();
  private drilling = false;

  constructor(private readonly deps: BackupServiceDeps) {
    this.queue = new JobQueue((job, ctx) => this.execute(job, ctx.signal, ctx.progress), () => deps.clock.now());
  }

  private now(): Date {
    return new Date(this.deps.clock.now());
  }

  private workerFile(): string {
    return this.deps.backupWorkerFile ?? backupWorkerFile();
  }

  // --- Configuration ----------------------------------------------------------------------

  config(): StoredConfig {
    return readConfig(this.deps.db);
  }

  /** Checks the destinations on disk (throws VALIDATION) and saves through `commit`. */
  setConfig(config: BackupConfig, commit: Commit): StoredConfig {
    const checks = validateDestinations(config, this.deps.workspace.root);
    const normalized: BackupConfig = { ...config, destinations: config.destinations.map((d, i) => ({ ...d, path: (checks[i] as { path: string }).path })) };
    const stored = commit(
      { type: 'backup_config', id: null, details: { destinations: normalized.destinations.map((d) => d.path), schedules: normalized.schedules, retention: normalized.retention, healthLimitHours: normalized.healthLimitHours } },
      (db) => writeConfig(db, normalized, this.now()),
    );
    // A schedule may have become due or changed: look again now rather than in a minute.
    this.scheduler?.tick();
    return stored;
  }

  private destinationOf(destination: string): BackupConfig['destinations'][number] {
    const wanted = path.resolve(destination);
    const found = this.config().config.destinations.find((d) => path.resolve(d.path) === wanted);
    if (!found) throw new AppError('NOT_FOUND', `${destination} is not a configured backup destination.`, { destination });
    return found;
  }

  // --- Runs -------------------------------------------------------------------------------

  /** Queues a backup into a configured destination; resolves when it is done. */
  runNow(destination: string, commit: Commit, onProgress?: (p: BackupProgressView) => void): Promise<BackupRunView> {
    const dest = this.destinationOf(destination);
    const job: BackupJob = { destination: path.resolve(dest.path), trigger: 'manual', schedule: null, commit };
    if (this.queue.running) onProgress?.({ destination: job.destination, phase: 'queued', done: 0, total: 0, bytes: 0 });
    return this.queue.enqueue(job, onProgress).catch((err: unknown) => {
      throw asAppError(err, job.destination);
    });
  }

  cancel(): number {
    return this.queue.cancelAll();
  }

  status(): BackupStatusView {
    const view = (s: { job: BackupJob; startedAt: number | null; progress: BackupProgressView | null }): BackupJobView => ({
      destination: s.job.destination,
      trigger: s.job.trigger,
      schedule: s.job.schedule,
      startedAt: s.startedAt === null ? null : new Date(s.startedAt).toISOString(),
      progress: s.progress,
    });
    const running = this.queue.running;
    const now = this.now();
    return {
      running: running ? view(running) : null,
      queued: this.queue.queued.map(view),
      nextRuns: this.config()
        .config.schedules.filter((s) => s.enabled)
        .map((s) => ({ schedule: s.name, at: nextRun(s.cron, now)?.toISOString() ?? null })),
    };
  }

  /** Verifies running in a worker: one may hold a root's lock while it moves damaged blobs aside. */
  private verifying = 0;

  private async verifyInWorker(backupPath: string, options: VerifyBackupOptions): Promise<BackupVerifyReport> {
    this.verifying++;
    try {
      return await verifyBackupInWorker(this.workerFile(), backupPath, options);
    } finally {
      this.verifying--;
    }
  }

  private async execute(job: BackupJob, signal: AbortSignal, progress: (p: BackupProgressView) => void): Promise<BackupRunView> {
    const started = this.now();
    const { config } = this.config();
    const dest = job.destination;
    // A lock of this process while none of its workers may hold one: left by a backup whose
    // disk went away mid-run (it could not remove it); the disk is back.
    if (this.verifying === 0) removeOwnStaleLock(dest);
    let result;
    try {
      result = await runBackupInWorker({
        workerFile: this.workerFile(),
        workspaceDir: this.deps.workspace.root,
        destDir: dest,
        signal,
        now: () => this.now(),
        ...(this.deps.progressIntervalMs !== undefined ? { progressIntervalMs: this.deps.progressIntervalMs } : {}),
        onProgress: (p) => progress({ destination: dest, ...p }),
      });
    } catch (err) {
      const error = asAppError(err, dest);
      this.recordFailedRun(job, started, error);
      throw error;
    }

    // Check the new backup before trusting it: the database in full, every file present with
    // its size, and a rotating sample of blobs re-hashed (copied blobs were hashed as they
    // were copied; reused pool blobs were checked when the backups that wrote them were).
    const cursor = readVerifyCursor(this.deps.db, dest);
    const sample = config.verifySample > 0 ? { size: config.verifySample, offset: cursor } : undefined;
    progress({ destination: dest, phase: 'verifying', done: 0, total: result.files, bytes: result.bytes });
    // Damaged pool blobs found are moved aside, so that the next backup repairs them.
    const report = await this.verifyInWorker(result.path, {
      quarantine: true,
      ...(sample ? { sample } : {}),
      onProgress: (done, total) => progress({ destination: dest, phase: 'verifying', done, total, bytes: result.bytes }),
    });
    const verifiedAt = this.now();
    const mode = report.mode ?? 'full';
    const durationMs = verifiedAt.getTime() - started.getTime();
    job.commit(
      {
        type: 'backup',
        id: result.id,
        details: {
          destination: dest,
          trigger: job.trigger,
          schedule: job.schedule,
          files: result.files,
          bytes: result.bytes,
          linked: result.linked,
          copied: result.copied,
          skipped: result.skipped.length,
          verification: { ok: report.ok, mode, problems: report.problems.length },
        },
      },
      (db) => {
        appendRun(db, {
          startedAt: started.toISOString(),
          finishedAt: verifiedAt.toISOString(),
          destination: dest,
          trigger: job.trigger,
          schedule: job.schedule,
          ok: report.ok,
          id: result.id,
          files: result.files,
          bytes: result.bytes,
          durationMs,
          error: report.ok ? null : `the new backup failed verification: ${report.problems[0]?.problem ?? 'unknown'}`,
        });
        recordVerification(db, result.path, { at: verifiedAt.toISOString(), ok: report.ok, mode, problems: report.problems.length, id: result.id });
        if (sample) writeVerifyCursor(db, dest, cursor + sample.size);
      },
    );

    // Retention only after a backup that verified: a failed one must not push out good ones.
    let pruned: string[] = [];
    const warnings = [...result.warnings];
    if (report.ok) {
      progress({ destination: dest, phase: 'pruning', done: 0, total: 1, bytes: result.bytes });
      try {
        const verifications = readVerifications(this.deps.db);
        const outcome = pruneDestination(dest, config.retention, (info) => verifications[info.path]?.ok === true);
        pruned = outcome.deleted;
        warnings.push(...outcome.warnings);
        if (pruned.length) {
          job.commit({ type: 'backup', id: dest, details: { pruned, kept: outcome.kept.map((k) => k.id), retention: config.retention } }, (db) =>
            forgetVerifications(
              db,
              pruned.map((id) => path.join(dest, id)),
            ),
          );
        }
      } catch (err) {
        warnings.push(`retention could not be applied: ${(err as Error).message}`);
      }
      progress({ destination: dest, phase: 'pruning', done: 1, total: 1, bytes: result.bytes });
    }
    return {
      id: result.id,
      path: result.path,
      destination: dest,
      files: result.files,
      bytes: result.bytes,
      linked: result.linked,
      copied: result.copied,
      durationMs,
      warnings,
      verification: { ok: report.ok, mode, problems: report.problems.length },
      pruned,
    };
  }

  /**
   * A failed run goes into the history (health shows it). An IPC caller's failure is audited
   * by the registry; a scheduled one has no caller, so it is audited here.
   */
  private recordFailedRun(job: BackupJob, started: Date, error: AppError): void {
    const finished = this.now();
    try {
      this.deps.db
        .transaction(() => {
          appendRun(this.deps.db, {
            startedAt: started.toISOString(),
            finishedAt: finished.toISOString(),
            destination: job.destination,
            trigger: job.trigger,
            schedule: job.schedule,
            ok: false,
            id: null,
            files: null,
            bytes: null,
            durationMs: finished.getTime() - started.getTime(),
            error: error.message,
          });
          if (job.trigger === 'schedule') {
            this.deps.audit.record(this.deps.db, {
              actorId: null,
              actorName: 'scheduler',
              action: 'backup:scheduled',
              objectType: 'backup',
              objectId: null,
              outcome: 8,
              details: { destination: job.destination, schedule: job.schedule, error: error.toData() },
            });
          }
        })
        .immediate();
    } catch (err) {
      // The database may be the problem (disk full): the error itself still reaches the caller.
      console.error('[backup] could not record the failed run:', err);
    }
  }

  // --- History and verification ------------------------------------------------------------

  list(destination: string): BackupListView {
    const dest = path.resolve(this.destinationOf(destination).path);
    if (!isDirectory(dest)) return { destination: dest, present: false, backups: [] };
    const verifications = readVerifications(this.deps.db);
    return { destination: dest, present: true, backups: listBackups(dest).map((b) => toRow(b, verifications[b.path])) };
  }

  /** A whole backup re-hashed; the outcome recorded through `commit`. */
  async verify(backupPath: string, commit: Commit): Promise<BackupVerifyView> {
    const target = path.resolve(backupPath);
    this.destinationOf(path.dirname(target));
    if (!BACKUP_NAME.test(path.basename(target))) throw new AppError('VALIDATION', `${backupPath} is not a backup folder name.`);
    if (!isDirectory(target)) throw new AppError('NOT_FOUND', `There is no backup at ${backupPath}.`);
    const report = await this.verifyInWorker(target, { quarantine: true });
    const at = this.now().toISOString();
    commit({ type: 'backup', id: path.basename(target), details: { verify: report.ok, problems: report.problems.length } }, (db) =>
      recordVerification(db, target, { at, ok: report.ok, mode: 'full', problems: report.problems.length, id: report.id }),
    );
    return { ok: report.ok, problems: report.problems, files: report.files, bytes: report.bytes, verifiedAt: at, quarantined: report.quarantined ?? [] };
  }

  // --- Health -----------------------------------------------------------------------------

  health(): BackupHealthView {
    const { config } = this.config();
    const verifications = readVerifications(this.deps.db);
    let newestVerified: { id: string; path: string; createdAt: string; verifiedAt: string } | null = null;
    const destinations = config.destinations.map((d) => {
      const root = checkRoot(d.path, this.deps.rootOptions);
      let backups: BackupInfo[] = [];
      if (root.present) {
        try {
          backups = listBackups(d.path);
        } catch {
          // Unreadable: the root's health already says why.
        }
      }
      for (const b of backups) {
        const v = verifications[b.path];
        if (!v?.ok || !b.readable || b.problem || !b.createdAt) continue;
        if (!newestVerified || b.createdAt > newestVerified.createdAt) newestVerified = { id: b.id, path: b.path, createdAt: b.createdAt, verifiedAt: v.at };
      }
      return {
        path: path.resolve(d.path),
        label: d.label,
        removable: d.removable,
        detectedRemovable: root.present ? detectRemovable(d.path) : null,
        root: toRootView(root),
        backups: backups.length,
        newestAt: backups.find((b) => b.readable)?.createdAt ?? null,
        device: deviceOf(d.path),
      };
    });
    const run = readRuns(this.deps.db)[0];
    const drill = readDrills(this.deps.db)[0];
    return assessBackupHealth({
      now: this.now(),
      config,
      destinations,
      newestVerified,
      lastRun: run ? { at: run.finishedAt, ok: run.ok, destination: run.destination, error: run.error } : null,
      lastDrill: drill ? { at: drill.at, ok: drill.ok, durationMs: drill.durationMs } : null,
      storage: toRootView(checkRoot(this.deps.workspace.storageDir, this.deps.rootOptions)),
      workspaceDevice: deviceOf(this.deps.workspace.root),
      integrity: readIntegrity(this.deps.db),
      nextChecks: {
        integrity: config.checks.integrity.enabled ? (nextRun(config.checks.integrity.cron, this.now())?.toISOString() ?? null) : null,
        verify: config.checks.verify.enabled ? (nextRun(config.checks.verify.cron, this.now())?.toISOString() ?? null) : null,
      },
    });
  }

  // --- Scheduled checks ---------------------------------------------------------------------

  /**
   * The full `PRAGMA integrity_check` of the workspace database (issue 8, item 6), in the
   * backup worker on a read-only connection; the result is kept for the health view and
   * audited. A failed check makes the health critical (policy.ts).
   */
  async checkIntegrity(commit: Commit = this.systemCommit): Promise<IntegrityCheckView> {
    const report = await checkIntegrityInWorker(this.workerFile(), this.deps.workspace.dbFile);
    const view: IntegrityCheckView = { at: this.now().toISOString(), ok: report.ok, problems: report.problems, durationMs: report.durationMs };
    if (!view.ok) console.error('[backup] the full integrity check of the database found problems:', view.problems.join('; '));
    commit({ type: 'database', id: this.deps.workspace.root, details: { integrityCheck: view.ok, problems: view.problems, durationMs: view.durationMs } }, (db) =>
      writeIntegrity(db, view),
    );
    return view;
  }

  /**
   * Re-hashes the newest backup of every present destination against its manifest: the
   * database copy and every file's presence and size in full, plus a rotating sample of
   * `verifySample` blobs (all when 0), the sample moving on each time so that successive
   * checks cover every blob. Recorded like the verification after a run: a backup that fails
   * no longer counts as verified, which the health shows.
   */
  async verifyNewest(commit: Commit = this.systemCommit): Promise<{ path: string; ok: boolean; mode: 'full' | 'sample'; problems: number }[]> {
    const { config } = this.config();
    const results: { path: string; ok: boolean; mode: 'full' | 'sample'; problems: number }[] = [];
    for (const d of config.destinations) {
      const dest = path.resolve(d.path);
      if (!isDirectory(dest)) continue;
      const newest = listBackups(dest).find((b) => b.readable && !b.problem);
      if (!newest) continue;
      const cursor = readVerifyCursor(this.deps.db, dest);
      const sample = config.verifySample > 0 ? { size: config.verifySample, offset: cursor } : undefined;
      const report = await this.verifyInWorker(newest.path, { quarantine: true, ...(sample ? { sample } : {}) });
      const mode = report.mode ?? 'full';
      const at = this.now().toISOString();
      commit({ type: 'backup', id: newest.id, details: { scheduledVerify: report.ok, mode, problems: report.problems.length } }, (db) => {
        recordVerification(db, newest.path, { at, ok: report.ok, mode, problems: report.problems.length, id: report.id });
        if (sample) writeVerifyCursor(db, dest, cursor + sample.size);
      });
      if (!report.ok) console.error(`[backup] the scheduled verification of ${newest.path} failed:`, report.problems.slice(0, 3));
      results.push({ path: newest.path, ok: report.ok, mode, problems: report.problems.length });
    }
    return results;
  }

  /** Resolves when no scheduled check runs. */
  async checksIdle(): Promise<void> {
    await this.checks.catch(() => undefined);
  }

  // --- Restore drill ----------------------------------------------------------------------

  /** Restores the newest backup of the configured destinations into a temp folder, checks it, deletes it. */
  async drill(commit: Commit): Promise<RestoreDrillView> {
    if (this.drilling) throw new AppError('CONFLICT', 'A restore drill is already running.');
    this.drilling = true;
    try {
      const candidates = this.config()
        .config.destinations.filter((d) => isDirectory(d.path))
        .flatMap((d) => listBackups(d.path).filter((b) => b.readable && !b.problem && b.createdAt));
      const newest = candidates.sort((a, b) => (b.createdAt as string).localeCompare(a.createdAt as string))[0];
      if (!newest) throw new AppError('NOT_FOUND', 'There is no backup to restore in the configured destinations.');
      const view = await restoreDrill(newest.path, { tmpRoot: this.deps.drillRoot, now: () => this.now() });
      commit({ type: 'backup', id: view.id, details: { drill: view.ok, durationMs: view.durationMs, problems: view.problems.length, backup: view.backup } }, (db) =>
        appendDrill(db, { at: view.at, ok: view.ok, backup: view.backup, durationMs: view.durationMs, problems: view.problems.length }),
      );
      return view;
    } finally {
      this.drilling = false;
    }
  }

  // --- Scheduler --------------------------------------------------------------------------

  /** Starts the schedule (hosts only, not one-shot CLI commands); catches up missed runs now. */
  startScheduler(): void {
    if (this.scheduler) return;
    this.scheduler = new BackupScheduler({
      now: () => this.deps.clock.now(),
      timer: this.deps.timer ?? systemTimer,
      load: () => {
        const stored = this.config();
        return {
          schedules: stored.config.destinations.length ? stored.config.schedules : [],
          lastFired: readScheduleState(this.deps.db),
          baseline: stored.updatedAt ? new Date(stored.updatedAt) : this.now(),
        };
      },
      markFired: (names, at) => this.deps.db.transaction(() => markFired(this.deps.db, names, at)).immediate(),
      fire: (due) => this.fire(due),
      onError: (err) => console.error('[backup] scheduler:', err),
    });
    this.scheduler.start();

    this.checksScheduler = new BackupScheduler({
      now: () => this.deps.clock.now(),
      timer: this.deps.timer ?? systemTimer,
      load: () => {
        const stored = this.config();
        const { integrity, verify } = stored.config.checks;
        return {
          schedules: [
            { name: 'integrity', cron: integrity.cron, enabled: integrity.enabled },
            { name: 'verify', cron: verify.cron, enabled: verify.enabled && stored.config.destinations.length > 0 },
          ],
          lastFired: readChecksState(this.deps.db),
          baseline: stored.updatedAt ? new Date(stored.updatedAt) : this.now(),
        };
      },
      markFired: (names, at) => this.deps.db.transaction(() => markChecksFired(this.deps.db, names, at)).immediate(),
      fire: (due) => {
        for (const d of due) {
          const run = (): Promise<unknown> => (d.schedule === 'integrity' ? this.checkIntegrity() : this.verifyNewest());
          this.checks = this.checks.then(run).catch((err: unknown) => console.error(`[backup] scheduled ${d.schedule} check:`, err));
        }
      },
      onError: (err) => console.error('[backup] checks scheduler:', err),
    });
    this.checksScheduler.start();
  }

  stopScheduler(): void {
    this.scheduler?.stop();
    this.scheduler = null;
    this.checksScheduler?.stop();
    this.checksScheduler = null;
  }

  /**
   * One backup per destination however many schedules came due together (daily and weekly
   * both at 02:00 need one backup, not two); none if one for that destination is already
   * waiting. Removable media that is not present is skipped quietly: it is expected to be
   * away most of the time.
   */
  private fire(due: readonly DueRun[]): void {
    const names = due.map((d) => d.schedule).join(', ');
    for (const d of this.config().config.destinations) {
      const destination = path.resolve(d.path);
      if (d.removable && !isDirectory(destination)) continue;
      if (this.queue.isQueued((j) => j.destination === destination)) continue;
      this.queue.enqueue({ destination, trigger: 'schedule', schedule: names, commit: this.systemCommit }).catch(() => {
        // Recorded in the history and the audit log by execute(); nobody waits for it.
      });
    }
  }

  /** The scheduler's writes: one transaction with an audit entry by `scheduler`. */
  private readonly systemCommit: Commit = (object, fn) =>
    this.deps.db
      .transaction(() => {
        const value = fn(this.deps.db);
        this.deps.audit.record(this.deps.db, {
          actorId: null,
          actorName: 'scheduler',
          action: 'backup:scheduled',
          objectType: object.type,
          objectId: object.id ?? null,
          outcome: 0,
          details: object.details,
        });
        return value;
      })
      .immediate();
}

/**
 * Restores `backupPath` into a fresh temp folder, checks it (restoreBackup verifies the backup
 * first, then runs `midc verify` on the result and compares row counts, audit-chain head and
 * blob count with the manifest), deletes the folder and returns the figures. A backup that
 * fails a check gives `ok: false` with the problems; other errors (disk full) are thrown.
 * Used by the IPC drill and by `midc backup drill`.
 */
export async function restoreDrill(backupPath: string, options: { tmpRoot?: string | undefined; now?: () => Date } = {}): Promise<RestoreDrillView> {
  const now = options.now ?? (() => new Date());
  const started = Date.now();
  const loaded = readManifest(backupPath);
  const id = path.basename(backupPath);
  const temp = fs.mkdtempSync(path.join(options.tmpRoot ?? os.tmpdir(), 'midc-drill-'));
  try {
    const restored = await restoreBackup(backupPath, temp);
    const manifest = loaded.ok ? loaded.manifest : null;
    return {
      ok: true,
      backup: path.resolve(backupPath),
      id,
      files: restored.files,
      bytes: restored.bytes,
      durationMs: restored.durationMs,
      tables: manifest?.database.tables ?? {},
      auditHead: restored.verify.audit.head,
      auditEntries: restored.verify.audit.entries,
      blobs: restored.verify.blobs.count,
      problems: [],
      at: now().toISOString(),
    };
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'DB_CORRUPT') throw err;
    const details = err.details as { problems?: unknown[] } | undefined;
    const problems = Array.isArray(details?.problems)
      ? details.problems.map((p) => (typeof p === 'string' ? p : `${(p as { path?: string }).path ?? ''}: ${(p as { problem?: string }).problem ?? JSON.stringify(p)}`))
      : [err.message];
    return {
      ok: false,
      backup: path.resolve(backupPath),
      id,
      files: 0,
      bytes: 0,
      durationMs: Date.now() - started,
      tables: {},
      auditHead: null,
      auditEntries: 0,
      blobs: 0,
      problems,
      at: now().toISOString(),
    };
  } finally {
    removeQuietly(temp);
  }
}

function toRow(b: BackupInfo, v: { at: string; ok: boolean; mode: 'full' | 'sample' } | undefined): BackupRow {
  const duration = b.createdAt && b.completedAt ? Date.parse(b.completedAt) - Date.parse(b.createdAt) : null;
  return {
    id: b.id,
    path: b.path,
    readable: b.readable,
    problem: b.problem,
    createdAt: b.createdAt,
    completedAt: b.completedAt,
    durationMs: duration !== null && Number.isFinite(duration) ? duration : null,
    files: b.files,
    bytes: b.bytes,
    schemaVersion: b.schemaVersion,
    verifiedAt: v?.at ?? null,
    verifiedOk: v?.ok ?? null,
    verifyMode: v?.mode ?? null,
  };
}

export function toRootView(r: RootHealth): RootHealthView {
  return {
    path: r.path,
    status: r.status,
    problems: r.problems,
    present: r.present,
    writable: r.writable,
    freeBytes: r.freeBytes,
    totalBytes: r.totalBytes,
    fsType: r.fsType,
    raid: r.raid ? { name: r.raid.name, level: r.raid.level, degraded: r.raid.degraded, mask: r.raid.mask } : null,
  };
}

function asAppError(err: unknown, dest: string): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof Error && err.name === 'AbortError') {
    return new AppError('CONFLICT', `The backup into ${dest} was cancelled; nothing was kept.`, { cancelled: true });
  }
  return new AppError('STORAGE_IO', `The backup into ${dest} failed: ${(err as Error)?.message ?? String(err)}`, { destination: dest });
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function deviceOf(p: string): number | null {
  try {
    return fs.statSync(p).dev;
  } catch {
    return null;
  }
}

/** One service per app (the queue and the scheduler are per workspace). */
const services = new WeakMap<object, BackupService>();

export function backupServiceFor(app: BackupServiceDeps): BackupService {
  let s = services.get(app);
  if (!s) services.set(app, (s = new BackupService(app)));
  return s;
}
