import type { QuantImageValue, QuantLinkView, QuantMatrixDetail, QuantMatrixView, QuantStatus } from '../../shared/contract';
import type { QuantMatrix } from '../../shared/quant/matrix';
import type { ReadableDB, WritableDB } from '../db/types';

/** SQL of the quantified-label registry (tables of migrations 0006 and 0007). */

export interface MatrixRow {
  id: number;
  name: string;
  version: number;
  matrix: string;
  description: string;
  classes: string;
  used_at: string | null;
  disabled_at: string | null;
  created_at: string;
  created_by: string | null;
  updated_at: string | null;
  newest: number;
  versions: number;
}

const MATRIX_SQL = `
  SELECT q.id, q.name, q.version, q.matrix, q.description, q.classes, q.used_at, q.disabled_at, q.created_at, u.username AS created_by, q.updated_at,
         (SELECT max(o.version) FROM quant_matrices o WHERE o.name = q.name) AS newest,
         (SELECT count(*) FROM quant_matrices o WHERE o.name = q.name) AS versions
  FROM quant_matrices q LEFT JOIN users u ON u.id = q.created_by`;

export function getMatrixRow(db: ReadableDB, id: number): MatrixRow | undefined {
  return db.prepare(`${MATRIX_SQL} WHERE q.id = ?`).get(id) as MatrixRow | undefined;
}

/** The newest version of every name, by name. */
export function newestRows(db: ReadableDB): MatrixRow[] {
  return db.prepare(`${MATRIX_SQL} WHERE q.version = (SELECT max(o.version) FROM quant_matrices o WHERE o.name = q.name) ORDER BY q.name COLLATE NOCASE, q.id`).all() as MatrixRow[];
}

export function versionRows(db: ReadableDB, name: string): MatrixRow[] {
  return db.prepare(`${MATRIX_SQL} WHERE q.name = ? ORDER BY q.version DESC`).all(name) as MatrixRow[];
}

export function nameTaken(db: ReadableDB, name: string, exceptId: number | null): boolean {
  return db.prepare('SELECT 1 FROM quant_matrices WHERE name = ? COLLATE NOCASE AND id IS NOT ? LIMIT 1').get(name, exceptId) !== undefined;
}

interface LinkRow {
  id: number;
  matrix_id: number;
  version: number;
  standard_id: number;
  standard_name: string;
  metric: string;
  linked_at: string;
  unlinked_at: string | null;
}

const LINK_SQL = `
  SELECT l.id, l.matrix_id, q.version, l.standard_id, s.name AS standard_name, s.metric, l.linked_at, l.unlinked_at
  FROM quant_standard_links l JOIN test_standards s ON s.id = l.standard_id JOIN quant_matrices q ON q.id = l.matrix_id`;

export function openLinks(db: ReadableDB, matrixId: number): LinkRow[] {
  return db.prepare(`${LINK_SQL} WHERE l.matrix_id = ? AND l.unlinked_at IS NULL ORDER BY l.standard_id`).all(matrixId) as LinkRow[];
}

/** Open links of any matrix to a standard. */
export function openLinksOfStandard(db: ReadableDB, standardId: number): (LinkRow & { name: string })[] {
  return db
    .prepare(`SELECT l.id, l.matrix_id, q.version, q.name, l.standard_id, s.name AS standard_name, s.metric, l.linked_at, l.unlinked_at
              FROM quant_standard_links l JOIN test_standards s ON s.id = l.standard_id JOIN quant_matrices q ON q.id = l.matrix_id
              WHERE l.standard_id = ? AND l.unlinked_at IS NULL ORDER BY l.id`)
    .all(standardId) as (LinkRow & { name: string })[];
}

export function linkHistory(db: ReadableDB, name: string): LinkRow[] {
  return db.prepare(`${LINK_SQL} WHERE q.name = ? ORDER BY l.id DESC`).all(name) as LinkRow[];
}

const toLink = (l: LinkRow): QuantLinkView => ({ standardId: l.standard_id, standardName: l.standard_name, standardMetric: l.metric, linkedAt: l.linked_at });

export function statusOf(row: MatrixRow): QuantStatus {
  if (row.disabled_at !== null) return 'disabled';
  return row.version < row.newest ? 'superseded' : 'active';
}

export function toView(db: ReadableDB, row: MatrixRow): QuantMatrixView {
  const stored = JSON.parse(row.matrix) as QuantMatrix;
  const classes = JSON.parse(row.classes) as string[];
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    description: row.description,
    // Rows written before 0007 (the demo seed) list no classes: the matrix rows are its classes.
    classes: classes.length > 0 ? classes : Object.keys(stored.values ?? {}),
    definition: stored,
    status: statusOf(row),
    usedAt: row.used_at,
    disabledAt: row.disabled_at,
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    links: openLinks(db, row.id).map(toLink),
    versions: row.versions,
  };
}

export function detail(db: ReadableDB, row: MatrixRow): QuantMatrixDetail {
  const versions = versionRows(db, row.name).map((r) => toView(db, r));
  return {
    matrix: versions[0] ?? toView(db, row),
    versions,
    linkHistory: linkHistory(db, row.name).map((l) => ({ ...toLink(l), matrixId: l.matrix_id, version: l.version, unlinkedAt: l.unlinked_at })),
  };
}

export interface MatrixContent {
  name: string;
  description: string;
  classes: string[];
  matrix: QuantMatrix;
}

export function insertMatrix(db: WritableDB, c: MatrixContent & { version: number; createdBy: number | null; createdAt: string }): number {
  return Number(
    db
      .prepare('INSERT INTO quant_matrices (name, version, matrix, description, classes, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(c.name, c.version, JSON.stringify(c.matrix), c.description, JSON.stringify(c.classes), c.createdBy, c.createdAt).lastInsertRowid,
  );
}

/** In place; the database refuses it once the version is used or disabled (migration 0007). */
export function updateMatrixInPlace(db: WritableDB, id: number, c: MatrixContent, now: string): void {
  db.prepare('UPDATE quant_matrices SET name = ?, matrix = ?, description = ?, classes = ?, updated_at = ? WHERE id = ?').run(
    c.name,
    JSON.stringify(c.matrix),
    c.description,
    JSON.stringify(c.classes),
    now,
    id,
  );
}

export function disableMatrix(db: WritableDB, id: number, now: string): void {
  db.prepare('UPDATE quant_matrices SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL').run(now, id);
}

export function insertLink(db: WritableDB, matrixId: number, standardId: number, now: string): number {
  return Number(db.prepare('INSERT INTO quant_standard_links (standard_id, matrix_id, linked_at) VALUES (?, ?, ?)').run(standardId, matrixId, now).lastInsertRowid);
}

export function endLink(db: WritableDB, linkId: number, now: string): void {
  db.prepare('UPDATE quant_standard_links SET unlinked_at = ? WHERE id = ?').run(now, linkId);
}

export function openRescorings(db: ReadableDB, matrixId: number): { id: number; run_id: number }[] {
  return db.prepare('SELECT id, run_id FROM run_quant_matrices WHERE matrix_id = ? AND ended_at IS NULL ORDER BY id').all(matrixId) as { id: number; run_id: number }[];
}

export function hasRescoring(db: ReadableDB, runId: number, matrixId: number): boolean {
  return db.prepare('SELECT 1 FROM run_quant_matrices WHERE run_id = ? AND matrix_id = ? AND ended_at IS NULL').get(runId, matrixId) !== undefined;
}

export function insertRescoring(db: WritableDB, runId: number, matrixId: number, userId: number | null, now: string): number {
  return Number(db.prepare('INSERT INTO run_quant_matrices (run_id, matrix_id, added_by, added_at) VALUES (?, ?, ?, ?)').run(runId, matrixId, userId, now).lastInsertRowid);
}

export function endRescoring(db: WritableDB, id: number, now: string): void {
  db.prepare('UPDATE run_quant_matrices SET ended_at = ? WHERE id = ?').run(now, id);
}

/** Per image of a run: its value under a matrix, with its name and the classification outcome when there is one. */
export function runImageValues(
  db: ReadableDB,
  runId: number,
  matrixId: number,
): { image_id: number; value: number; original_name: string; true_class: string | null; predicted_class: string | null }[] {
  return db
    .prepare(
      `SELECT v.image_id, v.value, i.original_name, o.true_class, o.predicted_class
       FROM run_quant_values v JOIN images i ON i.id = v.image_id
       LEFT JOIN run_outcomes o ON o.run_id = v.run_id AND o.image_id = v.image_id
       WHERE v.run_id = ? AND v.matrix_id = ? ORDER BY v.value, v.image_id`,
    )
    .all(runId, matrixId) as { image_id: number; value: number; original_name: string; true_class: string | null; predicted_class: string | null }[];
}

export function imageValues(db: ReadableDB, imageId: number): QuantImageValue[] {
  return (
    db
      .prepare(
        `SELECT v.run_id, r.name AS run_name, v.matrix_id, q.name, q.version, v.value
         FROM run_quant_values v JOIN runs r ON r.id = v.run_id JOIN quant_matrices q ON q.id = v.matrix_id
         WHERE v.image_id = ? ORDER BY v.run_id, v.matrix_id`,
      )
      .all(imageId) as { run_id: number; run_name: string; matrix_id: number; name: string; version: number; value: number }[]
  ).map((r) => ({ runId: r.run_id, runName: r.run_name, matrixId: r.matrix_id, name: r.name, version: r.version, value: r.value }));
}
