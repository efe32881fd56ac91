import type { BatchSummary, ImageRow } from '../../shared/contract';
import type { ReadableDB } from '../db/types';

export interface ImageQuery {
  tags: { key: string; op: 'eq' | 'contains'; value: string }[];
  kind?: 'dicom' | 'png' | 'jpeg' | undefined;
  batchId?: number | undefined;
  viewable?: boolean | undefined;
  ids?: number[] | undefined;
}

const COLUMN_SORTS: Record<string, string> = { id: 'i.id', originalName: 'i.original_name', importedAt: 'i.imported_at' };

/** WHERE clause and bound parameters for a data-browser filter; values are always bound. */
function where(q: ImageQuery): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  for (const t of q.tags) {
    clauses.push(
      t.op === 'eq'
        ? "EXISTS (SELECT 1 FROM image_tags t WHERE t.image_id = i.id AND t.namespace = 'source' AND t.key = ? AND t.value = ?)"
        : "EXISTS (SELECT 1 FROM image_tags t WHERE t.image_id = i.id AND t.namespace = 'source' AND t.key = ? AND instr(lower(t.value), lower(?)) > 0)",
    );
    params.push(t.key, t.value);
  }
  if (q.kind) {
    clauses.push('i.kind = ?');
    params.push(q.kind);
  }
  if (q.batchId !== undefined) {
    clauses.push('i.batch_id = ?');
    params.push(q.batchId);
  }
  if (q.viewable !== undefined) {
    clauses.push('i.viewable = ?');
    params.push(q.viewable ? 1 : 0);
  }
  if (q.ids) {
    clauses.push('i.id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(q.ids));
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

export function countImages(db: ReadableDB, q: ImageQuery): number {
  const w = where(q);
  return (db.prepare(`SELECT count(*) AS n FROM images i ${w.sql}`).get(...w.params) as { n: number }).n;
}

export function imageIds(db: ReadableDB, q: ImageQuery): number[] {
  const w = where(q);
  return (db.prepare(`SELECT i.id FROM images i ${w.sql} ORDER BY i.id`).all(...w.params) as { id: number }[]).map((r) => r.id);
}

interface ImageDbRow {
  id: number;
  sha256: string;
  kind: 'dicom' | 'png' | 'jpeg';
  viewable: number;
  width: number | null;
  height: number | null;
  frames: number;
  original_name: string;
  batch_id: number;
  imported_at: string;
  thumbnail_sha256: string | null;
}

export function listImages(
  db: ReadableDB,
  q: ImageQuery,
  sort: { key: string; dir: 'asc' | 'desc' },
  offset: number,
  limit: number,
): ImageRow[] {
  const w = where(q);
  const dir = sort.dir === 'desc' ? 'DESC' : 'ASC';
  const column = COLUMN_SORTS[sort.key];
  const order = column
    ? `${column} ${dir}`
    : `(SELECT t.value FROM image_tags t WHERE t.image_id = i.id AND t.namespace = 'source' AND t.key = ?) ${dir} NULLS LAST, i.id`;
  const params = column ? [...w.params, limit, offset] : [...w.params, sort.key, limit, offset];
  const rows = db
    .prepare(
      `SELECT i.id, i.sha256, i.kind, i.viewable, i.width, i.height, i.frames, i.original_name, i.batch_id, i.imported_at, i.thumbnail_sha256
       FROM images i ${w.sql} ORDER BY ${order} LIMIT ? OFFSET ?`,
    )
    .all(...params) as ImageDbRow[];
  const tags = tagsOf(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    sha256: r.sha256,
    kind: r.kind,
    viewable: r.viewable === 1,
    width: r.width,
    height: r.height,
    frames: r.frames,
    originalName: r.original_name,
    batchId: r.batch_id,
    importedAt: r.imported_at,
    hasThumbnail: r.thumbnail_sha256 !== null,
    tags: tags.get(r.id) ?? {},
  }));
}

function tagsOf(db: ReadableDB, ids: number[]): Map<number, Record<string, string>> {
  const out = new Map<number, Record<string, string>>();
  if (ids.length === 0) return out;
  const rows = db
    .prepare("SELECT image_id, key, value FROM image_tags WHERE namespace = 'source' AND image_id IN (SELECT value FROM json_each(?))")
    .all(JSON.stringify(ids)) as { image_id: number; key: string; value: string }[];
  for (const r of rows) {
    const tags = out.get(r.image_id) ?? {};
    tags[r.key] = r.value;
    out.set(r.image_id, tags);
  }
  return out;
}

export function thumbnailSha(db: ReadableDB, id: number): string | null | undefined {
  const row = db.prepare('SELECT thumbnail_sha256 FROM images WHERE id = ?').get(id) as { thumbnail_sha256: string | null } | undefined;
  return row === undefined ? undefined : row.thumbnail_sha256;
}

export function tagKeys(db: ReadableDB): string[] {
  return (db.prepare("SELECT DISTINCT key FROM image_tags WHERE namespace = 'source' ORDER BY key").all() as { key: string }[]).map((r) => r.key);
}

export function listBatches(db: ReadableDB): BatchSummary[] {
  return (
    db
      .prepare(
        'SELECT id, started_at, finished_at, status, actor_name, total, imported, duplicates, quarantined FROM import_batches ORDER BY id DESC',
      )
      .all() as {
      id: number;
      started_at: string;
      finished_at: string | null;
      status: BatchSummary['status'];
      actor_name: string | null;
      total: number;
      imported: number;
      duplicates: number;
      quarantined: number;
    }[]
  ).map((b) => ({
    id: b.id,
    startedAt: b.started_at,
    finishedAt: b.finished_at,
    status: b.status,
    actorName: b.actor_name,
    total: b.total,
    imported: b.imported,
    duplicates: b.duplicates,
    quarantined: b.quarantined,
  }));
}

export function batchItems(db: ReadableDB, batch: number) {
  return (
    db.prepare('SELECT path, status, image_id, sha256, reason FROM import_items WHERE batch_id = ? ORDER BY seq').all(batch) as {
      path: string;
      status: 'imported' | 'duplicate' | 'quarantined';
      image_id: number | null;
      sha256: string | null;
      reason: string | null;
    }[]
  ).map((r) => ({ path: r.path, status: r.status, id: r.image_id, sha256: r.sha256, ...(r.reason ? { reason: r.reason } : {}) }));
}

export function imageNames(db: ReadableDB, ids: number[]): Map<number, string> {
  const rows = db.prepare('SELECT id, original_name FROM images WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as {
    id: number;
    original_name: string;
  }[];
  return new Map(rows.map((r) => [r.id, r.original_name]));
}

export function imageFileRow(db: ReadableDB, id: number) {
  return db.prepare('SELECT id, sha256, kind, viewable, transfer_syntax, pixel_spacing FROM images WHERE id = ?').get(id) as
    | { id: number; sha256: string; kind: 'dicom' | 'png' | 'jpeg'; viewable: number; transfer_syntax: string | null; pixel_spacing: string | null }
    | undefined;
}
