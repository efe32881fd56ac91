import type { ImportProblem, ModelTask, SnapshotInfo } from '../../shared/contract';
import type { ReadableDB, WritableDB } from '../db/types';

export interface RunRow {
  id: number;
  name: string;
  model_id: number;
  model_name: string;
  plan_id: number | null;
  dataset_id: number;
  dataset_name: string;
  version_id: number;
  version: number;
  image_set_hash: string;
  task: ModelTask;
  iou: number | null;
  parameter_values: string;
  leakage: string | null;
  notes: string;
  created_by: string | null;
  created_at: string;
}

const RUN_SQL = `
  SELECT r.id, r.name, r.model_id, m.name AS model_name, r.plan_id, r.dataset_id, d.name AS dataset_name,
         r.version_id, v.version, v.image_set_hash, r.task, r.iou, r.parameter_values, r.leakage, r.notes,
         u.username AS created_by, r.created_at
  FROM runs r
  JOIN models m ON m.id = r.model_id
  JOIN datasets d ON d.id = r.dataset_id
  JOIN dataset_versions v ON v.id = r.version_id
  LEFT JOIN users u ON u.id = r.created_by`;

export function getRun(db: ReadableDB, id: number): RunRow | undefined {
  return db.prepare(`${RUN_SQL} WHERE r.id = ?`).get(id) as RunRow | undefined;
}

export function listRuns(db: ReadableDB, filter: { modelId?: number | undefined; datasetId?: number | undefined }): RunRow[] {
  const clauses: string[] = [];
  const params: number[] = [];
  if (filter.modelId !== undefined) {
    clauses.push('r.model_id = ?');
    params.push(filter.modelId);
  }
  if (filter.datasetId !== undefined) {
    clauses.push('r.dataset_id = ?');
    params.push(filter.datasetId);
  }
  return db.prepare(`${RUN_SQL} ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''} ORDER BY r.id`).all(...params) as RunRow[];
}

export function runStandardIds(db: ReadableDB, runId: number): number[] {
  return (db.prepare('SELECT standard_id FROM run_standards WHERE run_id = ? ORDER BY standard_id').all(runId) as { standard_id: number }[]).map((r) => r.standard_id);
}

export interface ImportRow {
  id: number;
  source_name: string;
  content_hash: string;
  rows_total: number;
  rows_accepted: number;
  refused: string;
  imported_at: string;
}

export function latestImport(db: ReadableDB, runId: number): ImportRow | undefined {
  return db.prepare('SELECT id, source_name, content_hash, rows_total, rows_accepted, refused, imported_at FROM run_imports WHERE run_id = ? ORDER BY id DESC LIMIT 1').get(runId) as
    | ImportRow
    | undefined;
}

export interface PredictionRow {
  seq: number;
  image_id: number;
  class_name: string;
  score: number | null;
  x: number | null;
  y: number | null;
  w: number | null;
  h: number | null;
}

export function importPredictions(db: ReadableDB, importId: number): PredictionRow[] {
  return db.prepare('SELECT seq, image_id, class_name, score, x, y, w, h FROM run_predictions WHERE import_id = ? ORDER BY seq').all(importId) as PredictionRow[];
}

export function insertImport(
  db: WritableDB,
  i: {
    runId: number;
    sourceName: string;
    contentHash: string;
    rowsTotal: number;
    refused: readonly ImportProblem[];
    rows: readonly { imageId: number; className: string; score: number | null; box: { x: number; y: number; w: number; h: number } | null }[];
    importedBy: number | null;
    importedAt: string;
  },
): number {
  const importId = Number(
    db
      .prepare('INSERT INTO run_imports (run_id, source_name, content_hash, rows_total, rows_accepted, refused, imported_by, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(i.runId, i.sourceName, i.contentHash, i.rowsTotal, i.rows.length, JSON.stringify(i.refused), i.importedBy, i.importedAt).lastInsertRowid,
  );
  const add = db.prepare('INSERT INTO run_predictions (import_id, seq, image_id, class_name, score, x, y, w, h) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  i.rows.forEach((r, seq) => add.run(importId, seq, r.imageId, r.className, r.score, r.box?.x ?? null, r.box?.y ?? null, r.box?.w ?? null, r.box?.h ?? null));
  return importId;
}

export interface SnapshotRow {
  id: number;
  run_id: number;
  seq: number;
  inputs: string;
  hash: string;
  metrics: string;
  reason: string;
  created_at: string;
}

export function latestSnapshot(db: ReadableDB, runId: number): SnapshotRow | undefined {
  return db.prepare('SELECT * FROM run_snapshots WHERE run_id = ? ORDER BY seq DESC LIMIT 1').get(runId) as SnapshotRow | undefined;
}

export function snapshotHistory(db: ReadableDB, runId: number): SnapshotInfo[] {
  return (db.prepare('SELECT id, seq, hash, reason, created_at FROM run_snapshots WHERE run_id = ? ORDER BY seq').all(runId) as {
    id: number;
    seq: number;
    hash: string;
    reason: string;
    created_at: string;
  }[]).map(toSnapshotInfo);
}

export function toSnapshotInfo(s: { id: number; seq: number; hash: string; reason: string; created_at: string }): SnapshotInfo {
  return { id: s.id, seq: s.seq, hash: s.hash, reason: s.reason, createdAt: s.created_at };
}

export interface OutcomeRow {
  image_id: number;
  true_class: string;
  predicted_class: string | null;
  score: number | null;
  outcome: 'correct' | 'wrong' | 'missed';
}

export function runOutcomes(db: ReadableDB, runId: number): OutcomeRow[] {
  return db.prepare('SELECT image_id, true_class, predicted_class, score, outcome FROM run_outcomes WHERE run_id = ? ORDER BY image_id').all(runId) as OutcomeRow[];
}

export interface BoxOutcomeRow {
  seq: number;
  image_id: number;
  class_name: string;
  outcome: 'tp' | 'fp' | 'fn';
  iou: number | null;
  score: number | null;
}

export function runBoxOutcomes(db: ReadableDB, runId: number): BoxOutcomeRow[] {
  return db.prepare('SELECT seq, image_id, class_name, outcome, iou, score FROM run_box_outcomes WHERE run_id = ? ORDER BY seq').all(runId) as BoxOutcomeRow[];
}

export function insertRun(
  db: WritableDB,
  r: {
    name: string;
    modelId: number;
    planId: number | null;
    datasetId: number;
    versionId: number;
    task: ModelTask;
    iou: number | null;
    parameterValues: Record<string, string | number>;
    leakage: unknown;
    notes: string;
    standardIds: readonly number[];
    createdBy: number | null;
    createdAt: string;
  },
): number {
  const id = Number(
    db
      .prepare(
        'INSERT INTO runs (name, model_id, plan_id, dataset_id, version_id, task, iou, parameter_values, leakage, notes, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        r.name,
        r.modelId,
        r.planId,
        r.datasetId,
        r.versionId,
        r.task,
        r.iou,
        JSON.stringify(r.parameterValues),
        r.leakage === null ? null : JSON.stringify(r.leakage),
        r.notes,
        r.createdBy,
        r.createdAt,
      ).lastInsertRowid,
  );
  const link = db.prepare('INSERT INTO run_standards (run_id, standard_id) VALUES (?, ?)');
  for (const sid of new Set(r.standardIds)) link.run(id, sid);
  return id;
}
