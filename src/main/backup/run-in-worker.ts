import { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import type { BackupProgress, BackupResult } from './backup';
import type { IntegrityReport } from './integrity';
import type { BackupVerifyReport, VerifyBackupOptions } from './verify-backup';
import { deserializeError, type WorkerReply, type WorkerTask } from './worker-protocol';

/**
 * The main-thread side of backup-worker.js (issue 8: "a running backup must not freeze the
 * app's IPC"). The worker does all of the work (snapshot, copy, hash, fsync, manifest, or a
 * verification); here only its progress is relayed and a cancel is passed on. Same results
 * and errors as calling runBackup / verifyBackup directly: AppErrors keep their code, and a
 * cancel rejects with an AbortError after the worker has removed its temp folder.
 */

export interface WorkerBackupOptions {
  readonly workerFile: string;
  readonly workspaceDir: string;
  readonly destDir: string;
  readonly onProgress?: (progress: BackupProgress) => void;
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
  /** Minimum time between two blob progress events (tests: 0 = one per blob). */
  readonly progressIntervalMs?: number;
}

export function runBackupInWorker(options: WorkerBackupOptions): Promise<BackupResult> {
  const task: WorkerTask = {
    kind: 'backup',
    workspaceDir: options.workspaceDir,
    destDir: options.destDir,
    startMs: (options.now?.() ?? new Date()).getTime(),
    ...(options.progressIntervalMs !== undefined ? { progressIntervalMs: options.progressIntervalMs } : {}),
  };
  return runTask(options.workerFile, task, options.signal, (reply) => {
    if (reply.type === 'progress') options.onProgress?.(reply.progress);
    return reply.type === 'backup-done' ? { value: reply.result } : null;
  });
}

export function verifyBackupInWorker(workerFile: string, backupPath: string, options: VerifyBackupOptions = {}): Promise<BackupVerifyReport> {
  const task: WorkerTask = { kind: 'verify', backupPath, ...(options.sample ? { sample: { ...options.sample } } : {}), ...(options.quarantine ? { quarantine: true } : {}) };
  return runTask(workerFile, task, undefined, (reply) => {
    if (reply.type === 'verify-progress') options.onProgress?.(reply.done, reply.total);
    return reply.type === 'verify-done' ? { value: reply.report } : null;
  });
}

/** The full integrity_check of the database at `dbFile`, on its own read-only connection. */
export function checkIntegrityInWorker(workerFile: string, dbFile: string): Promise<IntegrityReport> {
  return runTask(workerFile, { kind: 'integrity', dbFile }, undefined, (reply) => (reply.type === 'integrity-done' ? { value: reply.report } : null));
}

function runTask<T>(workerFile: string, task: WorkerTask, signal: AbortSignal | undefined, handle: (reply: WorkerReply) => { value: T } | null): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new DOMException('The backup was cancelled', 'AbortError'));
      return;
    }
    const worker = new Worker(workerFile, { workerData: task });
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    // The worker stops at its next step, removes its temp folder and replies with an AbortError.
    const onAbort = (): void => worker.postMessage({ type: 'cancel' });
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'error') {
        settle(() => reject(deserializeError(reply.error)));
        return;
      }
      const done = handle(reply);
      if (done) settle(() => resolve(done.value));
    });
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', (code) =>
      settle(() => reject(new AppError('INTERNAL', `The backup worker stopped (exit code ${code}) before it finished; nothing was published.`, { exitCode: code }))),
    );
  });
}
