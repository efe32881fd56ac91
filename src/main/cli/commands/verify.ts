import fs from 'node:fs';
import { openSqlite } from '../../db/sqlite';
import { verifyAuditChain } from '../../audit/audit-log';
import type { ReadableDB } from '../../db/types';
import { blobPath, layout1BlobPath } from '../../storage/blob-layout';
import { scrubBlobs, type ScrubReport } from '../../storage/scrub';
import { workspaceLayout } from '../../workspace/workspace';
import { EXIT, UsageError, emit, type Command } from '../command';
import { verifyInfo } from './info';

export interface VerifyReport {
  ok: boolean;
  database: { ok: boolean; problems: string[] };
  blobs: ScrubReport;
  audit: { entries: number; ok: boolean; head: string | null; problems: string[] };
}

/**
 * Checks a workspace without changing it: SQLite integrity and foreign keys, every blob
 * re-hashed, the audit chain walked. Read-only, so it is safe beside a running app.
 */
export async function verifyWorkspace(dir: string): Promise<VerifyReport> {
  const ws = workspaceLayout(dir);
  if (!fs.existsSync(ws.dbFile)) {
    return {
      ok: false,
      database: { ok: false, problems: [`no database at ${ws.dbFile}`] },
      blobs: { count: 0, bytes: 0, bad: [] },
      audit: { entries: 0, ok: false, head: null, problems: ['no database'] },
    };
  }
  const db = openSqlite(ws.dbFile, { readonly: true, fileMustExist: true }) as ReadableDB;
  try {
    const problems: string[] = [];
    let audit: VerifyReport['audit'];
    try {
      const integrity = db.pragma('integrity_check') as { integrity_check: string }[];
      for (const row of integrity) if (row.integrity_check !== 'ok') problems.push(row.integrity_check);
      const fk = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
      for (const row of fk) problems.push(`foreign key: ${row.table} row ${row.rowid} points to a missing ${row.parent}`);
      audit = verifyAuditChain(db);
    } catch (err) {
      problems.push((err as Error).message);
      audit = { entries: 0, ok: false, head: null, problems: ['the audit log could not be read'] };
    }
    const scrub = await scrubBlobs(ws.storageDir);
    const blobs = { ...scrub, bad: [...scrub.bad, ...missingBlobs(db, ws.storageDir)] };
    const database = { ok: problems.length === 0, problems };
    return { ok: database.ok && audit.ok && blobs.bad.length === 0, database, blobs, audit };
  } finally {
    db.close();
  }
}

/** Blobs the database refers to whose file is gone. */
function missingBlobs(db: ReadableDB, storageDir: string): { path: string; problem: string }[] {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'blobs'").get();
  if (!hasTable) return [];
  const missing: { path: string; problem: string }[] = [];
  for (const row of db.prepare('SELECT sha256 FROM blobs').iterate() as Iterable<{ sha256: string }>) {
    const file = blobPath(storageDir, row.sha256);
    // verify only reads: a store still in layout 1 (moved when the app next opens it) is fine.
    if (!fs.existsSync(file) && !fs.existsSync(layout1BlobPath(storageDir, row.sha256))) missing.push({ path: file, problem: 'missing: the database refers to it but the file is gone' });
  }
  return missing;
}

export const verifyCommand: Command = {
  ...verifyInfo,
  async run(args, options, io) {
    if (args.length) throw new UsageError(`unexpected argument "${args[0]}"`);
    const report = await verifyWorkspace(options.workspace);
    const lines = [
      `database: ${report.database.ok ? 'ok' : 'DAMAGED'}`,
      ...report.database.problems.map((p) => `  ${p}`),
      `blobs: ${report.blobs.count} checked, ${report.blobs.bytes} bytes, ${report.blobs.bad.length} bad`,
      ...report.blobs.bad.map((b) => `  ${b.path}: ${b.problem}`),
      `audit: ${report.audit.entries} entries, chain ${report.audit.ok ? 'intact' : 'BROKEN'}`,
      ...report.audit.problems.map((p) => `  ${p}`),
      report.ok ? 'verify: ok' : 'verify: FAILED',
    ];
    emit(io, options, report, lines.join('\n'));
    return report.ok ? EXIT.OK : EXIT.INTEGRITY;
  },
};
