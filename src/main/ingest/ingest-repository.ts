import type { Statement } from 'better-sqlite3';
import type { ReadableDB, WritableDB } from '../db/types';
import type { StoredFile } from './process-file';

/**
 * Prepared statements of the import's hot path, prepared once per connection (an import
 * registers tens of thousands of rows; preparing each time would cost more than running).
 */
const cache = new WeakMap<ReadableDB, Map<string, Statement>>();
function stmt(db: ReadableDB, sql: string): Statement {
  let map = cache.get(db);
  if (!map) cache.set(db, (map = new Map()));
  let s = map.get(sql);
  if (!s) map.set(sql, (s = db.prepare(sql)));
  return s;
}

export type ItemStatus = 'imported' | 'duplicate' | 'quarantined';

export function createBatch(
  db: WritableDB,
  b: { startedAt: string; actorId: number | null; actorName: string | null; inputs: string[]; options: unknown; total: number },
): number {
  const info = db
    .prepare(
      "INSERT INTO import_batches (started_at, status, actor_id, actor_name, inputs, options, total) VALUES (?, 'running', ?, ?, ?, ?, ?)",
    )
    .run(b.startedAt, b.actorId, b.actorName, JSON.stringify(b.inputs), JSON.stringify(b.options), b.total);
  return Number(info.lastInsertRowid);
}

export function finishBatch(
  db: WritableDB,
  id: number,
  f: { finishedAt: string; status: 'done' | 'cancelled'; imported: number; duplicates: number; quarantined: number },
): void {
  db.prepare(
    'UPDATE import_batches SET finished_at = ?, status = ?, imported = ?, duplicates = ?, quarantined = ? WHERE id = ?',
  ).run(f.finishedAt, f.status, f.imported, f.duplicates, f.quarantined, id);
}

/** Batches still `running` when the app starts were cut short by a crash. */
export function markInterruptedBatches(db: WritableDB): number {
  return db.prepare("UPDATE import_batches SET status = 'interrupted' WHERE status = 'running'").run().changes;
}

export function ensureBlob(db: WritableDB, sha256: string, size: number, now: string): void {
  stmt(db, 'INSERT INTO blobs (sha256, size, created_at) VALUES (?, ?, ?) ON CONFLICT(sha256) DO NOTHING').run(sha256, size, now);
}

export function imageIdBySha(db: ReadableDB, sha256: string): number | undefined {
  return (stmt(db, 'SELECT id FROM images WHERE sha256 = ?').get(sha256) as { id: number } | undefined)?.id;
}

export function insertImage(db: WritableDB, f: StoredFile, batchId: number, originalName: string, now: string): number {
  const info = stmt(
    db,
    `INSERT INTO images (sha256, kind, viewable, width, height, frames, sop_instance_uid, series_instance_uid,
       study_instance_uid, patient_id, modality, transfer_syntax, pixel_spacing, original_name, original_path,
       batch_id, imported_at, pixels_pending)
     VALUES (@sha256, @kind, @viewable, @width, @height, @frames, @sop, @series, @study, @patient, @modality, @ts,
       @spacing, @name, @path, @batch, @now, @pending)`,
  ).run({
      sha256: f.sha256,
      kind: f.kind,
      viewable: f.viewable ? 1 : 0,
      width: f.width,
      height: f.height,
      frames: f.frames,
      sop: f.sopInstanceUid,
      series: f.seriesInstanceUid,
      study: f.studyInstanceUid,
      patient: f.patientId,
      modality: f.modality,
      ts: f.transferSyntax,
      spacing: f.pixelSpacing ? f.pixelSpacing.join('\\') : null,
      name: originalName,
      path: f.path,
      batch: batchId,
      now,
      pending: f.pixelsPending ? 1 : 0,
    });
  return Number(info.lastInsertRowid);
}

/**
 * A tag of an image registered in the same transaction: the caller knows the old value (the
 * image's tags so far are its own), so nothing is looked up as in setTag's general path.
 */
export function setNewImageTag(
  db: WritableDB,
  t: { imageId: number; namespace: string; key: string; value: string; oldValue: string | null; origin: 'file' | 'import'; at: string; by: number | null },
): void {
  stmt(
    db,
    `INSERT INTO image_tags (image_id, namespace, key, value, origin, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (image_id, namespace, key) DO UPDATE SET value = excluded.value, origin = excluded.origin,
       updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  ).run(t.imageId, t.namespace, t.key, t.value, t.origin, t.at, t.by);
  stmt(
    db,
    'INSERT INTO image_tag_history (image_id, namespace, key, old_value, new_value, changed_at, changed_by) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(t.imageId, t.namespace, t.key, t.oldValue, t.value, t.at, t.by);
}

/**
 * The tags read from a new image's file, in one statement (the values travel as one JSON
 * object): the import registers ~15 tags per file, and one statement per row would be most of
 * the main thread's work. They get no history rows: the values are the stored file's own, and
 * the tag history shows them as each tag's first value, at the import (imageTagHistory).
 */
export function setNewImageFileTags(db: WritableDB, imageId: number, tags: Readonly<Record<string, string>>, at: string): void {
  const json = JSON.stringify(tags);
  if (json === '{}') return;
  stmt(
    db,
    `INSERT INTO image_tags (image_id, namespace, key, value, origin, updated_at, updated_by)
     SELECT ?, 'source', key, value, 'file', ?, NULL FROM json_each(?) WHERE type = 'text'`,
  ).run(imageId, at, json);
}

/** Images still waiting for their background pixel data, in id order, after `afterId`. */
export function pendingPixelImages(db: ReadableDB, afterId: number, limit: number): { id: number; sha256: string; kind: 'dicom' | 'png' | 'jpeg' }[] {
  return stmt(db, 'SELECT id, sha256, kind FROM images WHERE pixels_pending = 1 AND id > ? ORDER BY id LIMIT ?').all(afterId, limit) as {
    id: number;
    sha256: string;
    kind: 'dicom' | 'png' | 'jpeg';
  }[];
}

export function countPendingPixels(db: ReadableDB): number {
  return (stmt(db, 'SELECT count(*) AS n FROM images WHERE pixels_pending = 1').get() as { n: number }).n;
}

/** Records an image's pixel data (or that none can be made) and takes it off the queue. */
export function setPixels(db: WritableDB, imageId: number, phash: string | null, thumbnailSha256: string | null): void {
  stmt(db, 'UPDATE images SET phash = ?, thumbnail_sha256 = ?, pixels_pending = 0 WHERE id = ? AND pixels_pending = 1').run(
    phash,
    thumbnailSha256,
    imageId,
  );
}

export function setTag(
  db: WritableDB,
  t: { imageId: number; namespace: string; key: string; value: string; origin: 'file' | 'import' | 'user'; at: string; by: number | null },
): void {
  const old = db
    .prepare('SELECT value FROM image_tags WHERE image_id = ? AND namespace = ? AND key = ?')
    .get(t.imageId, t.namespace, t.key) as { value: string } | undefined;
  if (old?.value === t.value) return;
  db.prepare(
    `INSERT INTO image_tags (image_id, namespace, key, value, origin, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (image_id, namespace, key) DO UPDATE SET value = excluded.value, origin = excluded.origin,
       updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  ).run(t.imageId, t.namespace, t.key, t.value, t.origin, t.at, t.by);
  db.prepare(
    'INSERT INTO image_tag_history (image_id, namespace, key, old_value, new_value, changed_at, changed_by) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(t.imageId, t.namespace, t.key, old?.value ?? null, t.value, t.at, t.by);
}

/** Removes a tag (bulk edit with an empty value), keeping the history. */
export function removeTag(db: WritableDB, t: { imageId: number; namespace: string; key: string; at: string; by: number | null }): void {
  const old = db
    .prepare('SELECT value FROM image_tags WHERE image_id = ? AND namespace = ? AND key = ?')
    .get(t.imageId, t.namespace, t.key) as { value: string } | undefined;
  if (!old) return;
  db.prepare('DELETE FROM image_tags WHERE image_id = ? AND namespace = ? AND key = ?').run(t.imageId, t.namespace, t.key);
  db.prepare(
    'INSERT INTO image_tag_history (image_id, namespace, key, old_value, new_value, changed_at, changed_by) VALUES (?, ?, ?, ?, NULL, ?, ?)',
  ).run(t.imageId, t.namespace, t.key, old.value, t.at, t.by);
}

export function insertItem(
  db: WritableDB,
  item: { batchId: number; seq: number; path: string; status: ItemStatus; imageId: number | null; sha256: string | null; reasonCode: string | null; reason: string | null },
): void {
  stmt(db, 'INSERT INTO import_items (batch_id, seq, path, status, image_id, sha256, reason_code, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(item.batchId, item.seq, item.path, item.status, item.imageId, item.sha256, item.reasonCode, item.reason);
}

export interface NearDuplicate {
  readonly imageId: number;
  readonly otherId: number;
  readonly distance: number;
}

export function imagesWithPhash(db: ReadableDB): { id: number; phash: string }[] {
  return db.prepare('SELECT id, phash FROM images WHERE phash IS NOT NULL ORDER BY id').all() as { id: number; phash: string }[];
}

