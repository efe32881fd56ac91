import type { DropFileView, ImportReport } from '../../shared/contract';
import type { ReadableDB, WritableDB } from '../db/types';

export interface DropFolderRow {
  id: number;
  path: string;
  mode: 'into_run' | 'new_run';
  run_id: number;
  run_name: string;
  accept_partial: 0 | 1;
  created_by_id: number | null;
  created_by: string | null;
  created_at: string;
}

const FOLDER_SQL = `
  SELECT f.id, f.path, f.mode, f.run_id, r.name AS run_name, f.accept_partial, f.created_by AS created_by_id, u.username AS created_by, f.created_at
  FROM drop_folders f JOIN runs r ON r.id = f.run_id LEFT JOIN users u ON u.id = f.created_by
  WHERE f.disabled_at IS NULL`;

export function activeDropFolders(db: ReadableDB): DropFolderRow[] {
  return db.prepare(`${FOLDER_SQL} ORDER BY f.id`).all() as DropFolderRow[];
}

export function activeDropFolder(db: ReadableDB, id: number): DropFolderRow | undefined {
  return db.prepare(`${FOLDER_SQL} AND f.id = ?`).get(id) as DropFolderRow | undefined;
}

export function insertDropFolder(db: WritableDB, f: { path: string; mode: DropFolderRow['mode']; runId: number; acceptPartial: boolean; createdBy: number | null; createdAt: string }): number {
  return Number(
    db
      .prepare('INSERT INTO drop_folders (path, mode, run_id, accept_partial, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(f.path, f.mode, f.runId, f.acceptPartial ? 1 : 0, f.createdBy, f.createdAt).lastInsertRowid,
  );
}

export function disableDropFolder(db: WritableDB, id: number, now: string): boolean {
  return db.prepare('UPDATE drop_folders SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL').run(now, id).changes > 0;
}

interface FileRow {
  id: number;
  file_name: string;
  outcome: 'imported' | 'refused';
  run_id: number | null;
  report: string;
  processed_at: string;
}

const toView = (r: FileRow): DropFileView => ({ id: r.id, fileName: r.file_name, outcome: r.outcome, runId: r.run_id, report: JSON.parse(r.report) as ImportReport, processedAt: r.processed_at });

/** The record of a file processed before (same folder, name and bytes), if any. */
export function processedFile(db: ReadableDB, folderId: number, fileName: string, contentHash: string): DropFileView | undefined {
  const row = db
    .prepare('SELECT id, file_name, outcome, run_id, report, processed_at FROM drop_folder_files WHERE folder_id = ? AND file_name = ? AND content_hash = ?')
    .get(folderId, fileName, contentHash) as FileRow | undefined;
  return row ? toView(row) : undefined;
}

export function recentFiles(db: ReadableDB, folderId: number, limit = 20): DropFileView[] {
  return (db.prepare('SELECT id, file_name, outcome, run_id, report, processed_at FROM drop_folder_files WHERE folder_id = ? ORDER BY id DESC LIMIT ?').all(folderId, limit) as FileRow[]).map(toView);
}

export function insertProcessedFile(
  db: WritableDB,
  f: { folderId: number; fileName: string; contentHash: string; outcome: 'imported' | 'refused'; runId: number | null; report: ImportReport; processedAt: string },
): number {
  return Number(
    db
      .prepare('INSERT INTO drop_folder_files (folder_id, file_name, content_hash, outcome, run_id, report, processed_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(f.folderId, f.fileName, f.contentHash, f.outcome, f.runId, JSON.stringify(f.report), f.processedAt).lastInsertRowid,
  );
}
