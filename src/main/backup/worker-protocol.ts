import { AppError, type ErrorCode } from '../../shared/errors';
import type { BackupProgress, BackupResult } from './backup';
import type { IntegrityReport } from './integrity';
import type { BackupVerifyReport } from './verify-backup';

/** What the backup worker is asked to do (its `workerData`). */
export type WorkerTask =
  | { kind: 'backup'; workspaceDir: string; destDir: string; startMs: number; progressIntervalMs?: number }
  | { kind: 'verify'; backupPath: string; sample?: { size: number; offset: number }; quarantine?: boolean }
  | { kind: 'integrity'; dbFile: string };

export type WorkerReply =
  | { type: 'progress'; progress: BackupProgress }
  | { type: 'verify-progress'; done: number; total: number }
  | { type: 'backup-done'; result: BackupResult }
  | { type: 'verify-done'; report: BackupVerifyReport }
  | { type: 'integrity-done'; report: IntegrityReport }
  | { type: 'error'; error: SerializedError };

/** An error crossing the thread boundary: AppErrors keep their code and details, fs errors their errno. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly appCode: ErrorCode | null;
  readonly code: string | null;
  readonly details: unknown;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof AppError) return { name: err.name, message: err.message, appCode: err.code, code: null, details: err.details ?? null };
  const e = err as { name?: unknown; message?: unknown; code?: unknown } | null;
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    message: typeof e?.message === 'string' ? e.message : String(err),
    appCode: null,
    code: typeof e?.code === 'string' ? e.code : null,
    details: null,
  };
}

export function deserializeError(e: SerializedError): Error {
  if (e.appCode) return new AppError(e.appCode, e.message, e.details ?? undefined);
  const err = Object.assign(new Error(e.message), e.code ? { code: e.code } : {});
  err.name = e.name;
  return err;
}
