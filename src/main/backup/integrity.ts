import { openSqlite } from '../db/sqlite';
import type { ReadableDB } from '../db/types';

export interface IntegrityReport {
  readonly ok: boolean;
  /** integrity_check's lines when it did not say "ok" (at most MAX_LINES). */
  readonly problems: string[];
  readonly durationMs: number;
}

const MAX_LINES = 20;

/**
 * The full `PRAGMA integrity_check` of a workspace database (issue 8, item 6; RELIABILITY
 * §2.3): unlike the quick_check made at every start it also checks that every index matches
 * its table, so it reads every page and takes longer; it runs on a schedule, in the backup
 * worker, on its own read-only connection (the app keeps writing meanwhile: WAL).
 */
export function checkDatabaseIntegrity(dbFile: string): IntegrityReport {
  const started = Date.now();
  let db: ReadableDB | undefined;
  try {
    db = openSqlite(dbFile, { readonly: true, fileMustExist: true, timeout: 5000 }) as ReadableDB;
    const lines = (db.pragma(`integrity_check(${MAX_LINES})`) as { integrity_check: string }[]).map((r) => r.integrity_check);
    const ok = lines.length === 1 && lines[0] === 'ok';
    return { ok, problems: ok ? [] : lines, durationMs: Date.now() - started };
  } catch (err) {
    // A database that cannot even be opened or read is the worst result, not a crash.
    return { ok: false, problems: [`${dbFile} cannot be checked: ${(err as Error).message}`], durationMs: Date.now() - started };
  } finally {
    db?.close();
  }
}
