import crypto from 'node:crypto';
import type { ModelTask, QuantSummaryWithId, RunMetrics, StaleReport, StandardResult, StandardMetric } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { classificationOutcomes, classTable, evaluateClassification, type ClassificationEvaluation, type ClassPrediction } from '../../shared/metrics/classification';
import { evaluateDetection, type DetectionEvaluation, type GtBox, type PredBox } from '../../shared/metrics/detection';
import { iou as boxIou } from '../../shared/metrics/geometry';
import { meanDefined } from '../../shared/metrics/ratio';
import { parseQuantMatrix, type QuantMatrix } from '../../shared/quant/matrix';
import { scoreClassification, scoreDetection } from '../../shared/quant/score';
import { canonicalJson } from '../audit/canonical';
import type { ReadableDB, WritableDB } from '../db/types';
import { listParameters, listStandards } from '../registries/registries-repository';
import { groundTruthSources, resolveGroundTruth } from './ground-truth';
import {
  getRun,
  importPredictions,
  latestImport,
  latestSnapshot,
  runBoxOutcomes,
  runOutcomes,
  runStandardIds,
  toSnapshotInfo,
  type RunRow,
  type SnapshotRow,
} from './runs-repository';

/**
 * Test-record snapshots (DESIGN §4.1). A snapshot names every input a run's figures depend on;
 * its SHA-256 over canonical JSON is compared with the inputs as they are now each time the run
 * is viewed or compared. On a mismatch the figures are recomputed from the stored predictions
 * and the current inputs, a new snapshot is appended (the old one stays as history), and the
 * caller gets the reasons and the figures that moved.
 */

/** Bump when the metric code changes what it computes: every run then regenerates once. */
export const ENGINE_VERSION = 1;
export const DEFAULT_IOU = 0.5;

export interface ParameterState {
  readonly name: string;
  readonly value: string | number;
  /** enabled | disabled | unknown (no longer a parameter) | option-disabled */
  readonly state: string;
}

export interface SnapshotInputs {
  readonly engine: number;
  readonly model: { readonly id: number; readonly task: ModelTask };
  readonly parameters: ParameterState[];
  readonly dataset: { readonly id: number; readonly versionId: number; readonly version: number; readonly imageSetHash: string };
  readonly iou: number | null;
  readonly standards: { readonly id: number; readonly name: string; readonly disabled: boolean }[];
  readonly groundTruth: { readonly hash: string; readonly sources: { kind: string; token: string; images: number }[] };
  readonly predictions: { readonly importId: number; readonly contentHash: string; readonly source: string } | null;
  /** `rescored` marks a matrix added to the run by quant:rescore rather than linked through a standard (absent otherwise, so older hashes hold). */
  readonly quant: { readonly matrixId: number; readonly name: string; readonly version: number; readonly hash: string; readonly disabled: boolean; readonly rescored?: true }[];
}

/** What a snapshot stores as its figures. */
export interface SnapshotFigures {
  readonly metrics: RunMetrics;
  readonly standards: StandardResult[];
  readonly warnings: string[];
  readonly coverage: { readonly evaluated: number; readonly withoutGroundTruth: number };
}

export function parameterStates(db: ReadableDB, values: Record<string, string | number>): ParameterState[] {
  const params = new Map(listParameters(db).map((p) => [p.name.toLowerCase(), p]));
  return Object.entries(values)
    .map(([name, value]) => {
      const p = params.get(name.toLowerCase());
      let state = 'enabled';
      if (!p) state = 'unknown';
      else if (p.disabled) state = 'disabled';
      else if (p.type === 'option' && p.options.find((o) => o.value === String(value))?.disabled) state = 'option-disabled';
      return { name, value, state };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

interface LinkedMatrix {
  matrixId: number;
  name: string;
  version: number;
  matrix: string;
  disabled: boolean;
  standardIds: number[];
  /** Scored because quant:rescore added it to the run, not (only) through a standard. */
  rescored?: true;
}

function linkedMatrices(db: ReadableDB, standardIds: readonly number[]): LinkedMatrix[] {
  const rows = db
    .prepare(
      `SELECT l.standard_id, q.id, q.name, q.version, q.matrix, q.disabled_at FROM quant_standard_links l JOIN quant_matrices q ON q.id = l.matrix_id
       WHERE l.unlinked_at IS NULL AND l.standard_id IN (SELECT value FROM json_each(?)) ORDER BY q.id, l.standard_id`,
    )
    .all(JSON.stringify(standardIds)) as { standard_id: number; id: number; name: string; version: number; matrix: string; disabled_at: string | null }[];
  const byId = new Map<number, LinkedMatrix>();
  for (const r of rows) {
    const m = byId.get(r.id) ?? { matrixId: r.id, name: r.name, version: r.version, matrix: r.matrix, disabled: r.disabled_at !== null, standardIds: [] };
    m.standardIds.push(r.standard_id);
    byId.set(r.id, m);
  }
  return [...byId.values()];
}

/**
 * The matrices a run is scored with: those linked to its standards, plus those it was re-scored
 * with (quant:rescore, table run_quant_matrices of migration 0007).
 */
function runMatrices(db: ReadableDB, runId: number): LinkedMatrix[] {
  const linked = linkedMatrices(db, runStandardIds(db, runId));
  const extra = db
    .prepare(
      `SELECT DISTINCT q.id, q.name, q.version, q.matrix, q.disabled_at FROM run_quant_matrices r JOIN quant_matrices q ON q.id = r.matrix_id
       WHERE r.run_id = ? AND r.ended_at IS NULL ORDER BY q.id`,
    )
    .all(runId) as { id: number; name: string; version: number; matrix: string; disabled_at: string | null }[];
  for (const r of extra) {
    if (linked.some((m) => m.matrixId === r.id)) continue;
    linked.push({ matrixId: r.id, name: r.name, version: r.version, matrix: r.matrix, disabled: r.disabled_at !== null, standardIds: [], rescored: true });
  }
  return linked.sort((a, b) => a.matrixId - b.matrixId);
}

export function versionImageIds(db: ReadableDB, versionId: number): number[] {
  return (db.prepare('SELECT image_id FROM dataset_images WHERE version_id = ? ORDER BY image_id').all(versionId) as { image_id: number }[]).map((r) => r.image_id);
}

export function currentInputs(db: ReadableDB, run: RunRow): SnapshotInputs {
  const standardIds = runStandardIds(db, run.id);
  const standards = listStandards(db).filter((s) => standardIds.includes(s.id));
  const imp = latestImport(db, run.id);
  const gt = resolveGroundTruth(db, { datasetId: run.dataset_id, imageIds: versionImageIds(db, run.version_id), task: run.task });
  return {
    engine: ENGINE_VERSION,
    model: { id: run.model_id, task: run.task },
    parameters: parameterStates(db, JSON.parse(run.parameter_values) as Record<string, string | number>),
    dataset: { id: run.dataset_id, versionId: run.version_id, version: run.version, imageSetHash: run.image_set_hash },
    iou: run.task === 'detection' ? (run.iou ?? DEFAULT_IOU) : null,
    standards: standards.map((s) => ({ id: s.id, name: s.name, disabled: s.disabled })),
    groundTruth: { hash: gt.hash, sources: [...gt.sources] },
    predictions: imp ? { importId: imp.id, contentHash: imp.content_hash, source: imp.source_name } : null,
    quant: runMatrices(db, run.id).map((m) => ({
      matrixId: m.matrixId,
      name: m.name,
      version: m.version,
      hash: crypto.createHash('sha256').update(m.matrix).digest('hex'),
      disabled: m.disabled,
      ...(m.rescored ? { rescored: true as const } : {}),
    })),
  };
}

export function hashInputs(inputs: SnapshotInputs): string {
  return crypto.createHash('sha256').update(canonicalJson(inputs)).digest('hex');
}

/** Human-readable reasons two input sets differ, most specific first. */
export function staleReasons(before: SnapshotInputs, after: SnapshotInputs): string[] {
  const reasons: string[] = [];
  if (before.engine !== after.engine) reasons.push(`the metric engine changed (version ${before.engine} → ${after.engine})`);
  const oldParams = new Map(before.parameters.map((p) => [p.name, p.state]));
  for (const p of after.parameters) {
    const was = oldParams.get(p.name);
    if (was === p.state) continue;
    if (p.state === 'disabled') reasons.push(`parameter "${p.name}" was disabled`);
    else if (p.state === 'option-disabled') reasons.push(`option "${String(p.value)}" of parameter "${p.name}" was disabled`);
    else if (p.state === 'unknown') reasons.push(`parameter "${p.name}" no longer exists`);
    else reasons.push(`parameter "${p.name}" was enabled again`);
  }
  if (before.dataset.imageSetHash !== after.dataset.imageSetHash || before.dataset.versionId !== after.dataset.versionId) {
    reasons.push('the dataset version changed (its image set differs)');
  }
  if (before.groundTruth.hash !== after.groundTruth.hash) {
    const from = before.groundTruth.sources.map((s) => s.token).join(', ') || 'none';
    const to = after.groundTruth.sources.map((s) => s.token).join(', ') || 'none';
    reasons.push(from === to ? 'the ground truth changed' : `the ground truth changed (${from} → ${to})`);
  }
  const oldStandards = new Map(before.standards.map((s) => [s.id, s]));
  for (const s of after.standards) {
    const was = oldStandards.get(s.id);
    if (was && !was.disabled && s.disabled) reasons.push(`test standard "${s.name}" was disabled`);
  }
  if (canonicalJson(before.predictions) !== canonicalJson(after.predictions)) {
    reasons.push(after.predictions ? `new predictions were imported (${after.predictions.source})` : 'the predictions were removed');
  }
  const oldQuant = new Map(before.quant.map((q) => [q.matrixId, q]));
  for (const q of after.quant) {
    const was = oldQuant.get(q.matrixId);
    if (!was && before.quant.some((o) => o.name === q.name && o.version < q.version && !after.quant.some((n) => n.matrixId === o.matrixId))) continue; // reported as a new version below
    if (!was) reasons.push(q.rescored ? `the run was re-scored with quantified label "${q.name}" v${q.version}` : `quantified label "${q.name}" v${q.version} was linked to a standard of the run`);
    else if (!was.disabled && q.disabled) reasons.push(`quantified label "${q.name}" v${q.version} was disabled`);
    else if (was.hash !== q.hash) reasons.push(`quantified label "${q.name}" changed`);
  }
  for (const q of before.quant) {
    if (after.quant.some((n) => n.matrixId === q.matrixId)) continue;
    const next = after.quant.find((n) => n.name === q.name && n.version > q.version);
    reasons.push(next ? `quantified label "${q.name}" has a new version (v${q.version} → v${next.version})` : `quantified label "${q.name}" v${q.version} was unlinked`);
  }
  if (reasons.length === 0) reasons.push('the inputs of the run changed');
  return reasons;
}

/** Everything one computation produces; `storeComputation` writes it. */
export interface Computation {
  readonly inputs: SnapshotInputs;
  readonly hash: string;
  readonly figures: SnapshotFigures;
  readonly outcomes: { imageId: number; trueClass: string; predictedClass: string | null; score: number | null; outcome: 'correct' | 'wrong' | 'missed' }[];
  readonly boxes: { imageId: number; className: string; outcome: 'tp' | 'fp' | 'fn'; iou: number | null; score: number | null; gtSeq: number | null; predSeq: number | null }[];
  readonly quantValues: { matrixId: number; imageId: number; value: number }[];
  /** Kept for drill-down tests and detection re-evaluation at other IoUs. */
  readonly evaluation: ClassificationEvaluation | DetectionEvaluation;
}

/** Recomputes a run's figures from its stored predictions and the current inputs. */
export function computeRun(db: ReadableDB, run: RunRow, inputs = currentInputs(db, run)): Computation {
  const imp = latestImport(db, run.id);
  if (!imp) throw new AppError('CONFLICT', `Run "${run.name}" has no imported results yet.`);
  const images = versionImageIds(db, run.version_id);
  const gt = resolveGroundTruth(db, { datasetId: run.dataset_id, imageIds: images, task: run.task });
  const predictions = importPredictions(db, imp.id).filter((p) => gt.labels.has(p.image_id));
  const warnings: string[] = [];
  const dropped = importPredictions(db, imp.id).length - predictions.length;
  if (dropped > 0) warnings.push(`${dropped} prediction(s) are for images that have no ground truth now; they are not counted`);
  const coverage = { evaluated: gt.labels.size, withoutGroundTruth: images.length - gt.labels.size };
  if (gt.labels.size === 0) throw new AppError('CONFLICT', `The dataset "${run.dataset_name}" has no ${run.task} ground truth for its images.`);
  const matrices = runMatrices(db, run.id).filter((m) => !m.disabled);
  // A standard reads the score of the matrix linked to it, not of any matrix the run has.
  const quantOf = (standardId: number, quant: QuantSummaryWithId[]) => quant.filter((q) => matrices.some((m) => m.matrixId === q.matrixId && m.standardIds.includes(standardId)));
  const quant: QuantSummaryWithId[] = [];
  const quantValues: Computation['quantValues'] = [];
  const allStandards = listStandards(db).filter((s) => inputs.standards.some((x) => x.id === s.id));

  if (run.task === 'classification') {
    const gtRows = [...gt.labels].map(([imageId, labels]) => ({ imageKey: String(imageId), className: labels[0]?.className ?? '' }));
    const withScore = predictions.length > 0 && predictions.every((p) => p.score !== null);
    const predRows: ClassPrediction[] = predictions.map((p) =>
      withScore ? { imageKey: String(p.image_id), className: p.class_name, score: p.score as number } : { imageKey: String(p.image_id), className: p.class_name },
    );
    const evaluation = evaluateClassification(classTable('ground truth', gtRows), classTable(imp.source_name, predRows));
    for (const m of matrices) {
      const matrix = safeMatrix(m, warnings);
      if (!matrix) continue;
      try {
        const scored = scoreClassification(evaluation, matrix);
        quant.push({ ...scored.summary, matrixId: m.matrixId, version: m.version });
        evaluation.imageKeys.forEach((key, i) => quantValues.push({ matrixId: m.matrixId, imageId: Number(key), value: scored.values[i] as number }));
      } catch (err) {
        if (err instanceof AppError) warnings.push(`quantified label "${m.name}": ${err.message}`);
        else throw err;
      }
    }
    const metrics: RunMetrics = { task: 'classification', ...evaluation.metrics, quant };
    const outcomes = classificationOutcomes(evaluation).map((o) => ({ ...o, imageId: Number(o.imageKey) }));
    const standards = allStandards.map((s) => standardResult(s, metrics, quantOf(s.id, quant), () => null));
    return { inputs, hash: hashInputs(inputs), figures: { metrics, standards, warnings, coverage }, outcomes, boxes: [], quantValues, evaluation };
  }

  const iouThreshold = run.iou ?? DEFAULT_IOU;
  const gtRows: GtBox[] = [];
  const gtSeqs: number[] = [];
  const emptyImages: string[] = [];
  for (const [imageId, labels] of gt.labels) {
    let boxes = 0;
    labels.forEach((l, k) => {
      if (l.className === null || l.box === null) return;
      gtRows.push({ imageKey: String(imageId), className: l.className, ...l.box });
      gtSeqs.push(k);
      boxes++;
    });
    if (boxes === 0) emptyImages.push(String(imageId));
  }
  const predRows: PredBox[] = predictions.map((p) => ({
    imageKey: String(p.image_id),
    className: p.class_name,
    score: p.score ?? 0,
    x: p.x ?? 0,
    y: p.y ?? 0,
    w: p.w ?? 0,
    h: p.h ?? 0,
  }));
  const gtSource = { source: 'ground truth', rows: gtRows, emptyImages };
  const predSource = { source: imp.source_name, rows: predRows };
  const evaluation = evaluateDetection(gtSource, predSource, { iou: iouThreshold });
  for (const m of matrices) {
    const matrix = safeMatrix(m, warnings);
    if (!matrix) continue;
    try {
      const scored = scoreDetection(evaluation, matrix);
      quant.push({ ...scored.summary, matrixId: m.matrixId, version: m.version });
      for (const img of scored.images) quantValues.push({ matrixId: m.matrixId, imageId: Number(img.imageKey), value: img.value });
    } catch (err) {
      if (err instanceof AppError) warnings.push(`quantified label "${m.name}": ${err.message}`);
      else throw err;
    }
  }
  const boxes: Computation['boxes'] = [];
  predRows.forEach((p, j) => {
    const g = evaluation.predMatch[j] as number;
    const seq = predictions[j]?.seq ?? j;
    if (g !== -1) boxes.push({ imageId: Number(p.imageKey), className: p.className, outcome: 'tp', iou: boxIou(p, gtRows[g] as GtBox), score: p.score, gtSeq: gtSeqs[g] ?? g, predSeq: seq });
    else boxes.push({ imageId: Number(p.imageKey), className: p.className, outcome: 'fp', iou: null, score: p.score, gtSeq: null, predSeq: seq });
  });
  gtRows.forEach((g, k) => {
    if (evaluation.gtMatch[k] === -1) boxes.push({ imageId: Number(g.imageKey), className: g.className, outcome: 'fn', iou: null, score: null, gtSeq: gtSeqs[k] ?? k, predSeq: null });
  });
  const metrics: RunMetrics = { task: 'detection', ...evaluation.metrics, quant };
  // A standard may ask for another IoU than the run's: evaluate once more at that threshold.
  const atIou = new Map<number, DetectionEvaluation>();
  const otherIou = (threshold: number): DetectionEvaluation => {
    let e = atIou.get(threshold);
    if (!e) {
      e = evaluateDetection(gtSource, predSource, { iou: threshold });
      atIou.set(threshold, e);
    }
    return e;
  };
  const standards = allStandards.map((s) =>
    standardResult(s, metrics, quantOf(s.id, quant), (threshold) => (threshold === iouThreshold ? null : { task: 'detection', ...otherIou(threshold).metrics, quant })),
  );
  return { inputs, hash: hashInputs(inputs), figures: { metrics, standards, warnings, coverage }, outcomes: [], boxes, quantValues, evaluation };
}

function safeMatrix(m: LinkedMatrix, warnings: string[]): QuantMatrix | null {
  try {
    return parseQuantMatrix(JSON.parse(m.matrix), `quantified label "${m.name}"`);
  } catch (err) {
    warnings.push(err instanceof Error ? err.message : String(err));
    return null;
  }
}

type StandardLike = ReturnType<typeof listStandards>[number];

/** The value a standard reads from the figures, and whether it passes. */
function standardResult(s: StandardLike, metrics: RunMetrics, quant: QuantSummaryWithId[], atIou: (iou: number) => RunMetrics | null): StandardResult {
  let note: string | undefined;
  let source = metrics;
  if (s.iou !== null && metrics.task === 'detection') source = atIou(s.iou) ?? metrics;
  const value = readMetric(source, s.metric, s.className, quant, (n) => (note = n));
  const pass = s.disabled || value === null ? null : s.comparison === '>=' ? value >= s.threshold : value <= s.threshold;
  return {
    standardId: s.id,
    name: s.name,
    metric: s.metric,
    className: s.className,
    comparison: s.comparison,
    threshold: s.threshold,
    iou: s.iou,
    value,
    pass,
    disabled: s.disabled,
    ...(note ? { note } : {}),
  };
}

function readMetric(m: RunMetrics, metric: StandardMetric, className: string | null, quant: QuantSummaryWithId[], noteOf: (n: string) => void): number | null {
  if (metric === 'quant') {
    const q = quant[0];
    if (!q) {
      noteOf('no active quantified label is linked to this standard');
      return null;
    }
    return className === null ? q.score : (q.perClass[className]?.score ?? null);
  }
  if (className !== null && !Object.hasOwn(m.perClass, className)) {
    noteOf(`class "${className}" is not in this run`);
    return null;
  }
  if (m.task === 'classification') {
    if (metric === 'accuracy') return m.accuracy;
    if (metric === 'ap') {
      noteOf('AP applies to detection runs');
      return null;
    }
    if (className !== null) return (m.perClass[className]?.[metric] as number | null | undefined) ?? null;
    if (metric === 'specificity') return meanDefined(Object.values(m.perClass).map((c) => c.specificity));
    if (metric === 'auc') return m.macro.auc ?? null;
    return m.macro[metric];
  }
  if (metric === 'accuracy' || metric === 'specificity' || metric === 'auc') {
    noteOf(`${metric} does not apply to detection runs`);
    return null;
  }
  if (metric === 'ap') return className !== null ? (m.perClass[className]?.ap ?? null) : m.mAP;
  return className !== null ? (m.perClass[className]?.[metric] ?? null) : m.macro[metric];
}

/** Appends the snapshot and replaces the run's stored outcomes with the computation's. */
export function storeComputation(db: WritableDB, runId: number, c: Computation, reason: string, userId: number | null, now: string): SnapshotRow {
  const seq = ((db.prepare('SELECT max(seq) AS s FROM run_snapshots WHERE run_id = ?').get(runId) as { s: number | null }).s ?? 0) + 1;
  db.prepare('INSERT INTO run_snapshots (run_id, seq, inputs, hash, metrics, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    runId,
    seq,
    canonicalJson(c.inputs),
    c.hash,
    JSON.stringify(c.figures),
    reason,
    userId,
    now,
  );
  db.prepare('DELETE FROM run_outcomes WHERE run_id = ?').run(runId);
  db.prepare('DELETE FROM run_box_outcomes WHERE run_id = ?').run(runId);
  db.prepare('DELETE FROM run_quant_values WHERE run_id = ?').run(runId);
  const addOutcome = db.prepare('INSERT INTO run_outcomes (run_id, image_id, true_class, predicted_class, score, outcome) VALUES (?, ?, ?, ?, ?, ?)');
  for (const o of c.outcomes) addOutcome.run(runId, o.imageId, o.trueClass, o.predictedClass, o.score, o.outcome);
  const addBox = db.prepare('INSERT INTO run_box_outcomes (run_id, seq, image_id, class_name, outcome, iou, score, gt_seq, pred_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  c.boxes.forEach((b, i) => addBox.run(runId, i, b.imageId, b.className, b.outcome, b.iou, b.score, b.gtSeq, b.predSeq));
  const addValue = db.prepare('INSERT INTO run_quant_values (run_id, matrix_id, image_id, value) VALUES (?, ?, ?, ?)');
  for (const v of c.quantValues) addValue.run(runId, v.matrixId, v.imageId, v.value);
  return latestSnapshot(db, runId) as SnapshotRow;
}

/** Flattened numeric figures, for "old vs new". */
export function flattenFigures(m: RunMetrics): Map<string, number | null> {
  const out = new Map<string, number | null>();
  if (m.task === 'classification') out.set('accuracy', m.accuracy);
  else out.set('mAP', m.mAP);
  for (const avg of ['macro', 'micro'] as const) for (const [k, v] of Object.entries(m[avg])) out.set(`${avg}.${k}`, v as number | null);
  for (const [c, values] of Object.entries(m.perClass)) {
    for (const [k, v] of Object.entries(values)) if (typeof v === 'number' || v === null) out.set(`perClass.${c}.${k}`, v);
  }
  for (const q of m.quant) {
    out.set(`quant.${q.name}.score`, q.score);
    for (const [c, v] of Object.entries(q.perClass)) out.set(`quant.${q.name}.perClass.${c}.score`, v.score);
  }
  return out;
}

/**
 * Runs whose snapshot was found fresh, with the database state it was checked at. Hashing a
 * run's inputs reads its whole image set and ground truth (200k images: hundreds of ms), yet a
 * drill-down or a comparison usually follows another view of the same runs with nothing written
 * in between. The state is this connection's `total_changes()` (every row any statement of it
 * inserted, updated or deleted, triggers included) and `PRAGMA data_version` (which moves on
 * every commit of any other connection or process): while both are unchanged the database is
 * the same, so the inputs and their hash are too, and the check is skipped. Any write
 * anywhere invalidates every entry.
 */
const freshByDb = new WeakMap<ReadableDB, Map<number, string>>();

function verifiedFresh(db: ReadableDB): Map<number, string> {
  let map = freshByDb.get(db);
  if (!map) {
    map = new Map();
    freshByDb.set(db, map);
  }
  return map;
}

function databaseState(db: ReadableDB): string {
  const changes = db.prepare('SELECT total_changes() AS n').get() as { n: number };
  const version = db.pragma('data_version', { simple: true }) as number;
  return `${changes.n}|${version}|${groundTruthSources.length}`;
}

export type Writer = <T>(details: unknown, fn: (db: WritableDB) => T) => T;

/**
 * The run's current snapshot, regenerated first when its inputs changed. `write` runs the
 * regeneration in one audited transaction (ctx.write in a handler).
 */
export function freshSnapshot(db: ReadableDB, runId: number, write: Writer, userId: number | null, now: string): { snapshot: SnapshotRow | undefined; stale: StaleReport | null } {
  const run = getRun(db, runId);
  if (!run) throw new AppError('NOT_FOUND', `Run ${runId} does not exist.`);
  const latest = latestSnapshot(db, runId);
  if (!latestImport(db, runId)) return { snapshot: latest, stale: null };
  const state = databaseState(db);
  if (latest && verifiedFresh(db).get(runId) === `${latest.id}|${state}`) return { snapshot: latest, stale: null };
  const inputs = currentInputs(db, run);
  const hash = hashInputs(inputs);
  if (latest && latest.hash === hash) {
    verifiedFresh(db).set(runId, `${latest.id}|${state}`);
    return { snapshot: latest, stale: null };
  }
  const computation = computeRun(db, run, inputs);
  if (!latest) {
    return { snapshot: write({ runId, regenerated: 'first computation' }, (w) => storeComputation(w, runId, computation, 'computed', userId, now)), stale: null };
  }
  const reasons = staleReasons(JSON.parse(latest.inputs) as SnapshotInputs, inputs);
  const changedImageIds = changedImages(db, run, computation);
  const before = flattenFigures((JSON.parse(latest.metrics) as SnapshotFigures).metrics);
  const after = flattenFigures(computation.figures.metrics);
  const changes: StaleReport['changes'] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(key) ?? null;
    const a = after.get(key) ?? null;
    if (b !== a) changes.push({ figure: key, before: b, after: a });
  }
  const snapshot = write({ runId, regenerated: reasons, previousSnapshot: latest.id }, (w) => storeComputation(w, runId, computation, `regenerated: ${reasons.join('; ')}`, userId, now));
  return { snapshot, stale: { reasons, previous: toSnapshotInfo(latest), changes, changedImageIds } };
}

/** Images whose ground truth as counted by the run changed between the stored outcomes and a new computation. */
function changedImages(db: ReadableDB, run: RunRow, c: Computation): number[] {
  const key = new Map<number, string>();
  const next = new Map<number, string>();
  if (run.task === 'classification') {
    for (const o of runOutcomes(db, run.id)) key.set(o.image_id, o.true_class);
    for (const o of c.outcomes) next.set(o.imageId, o.trueClass);
  } else {
    const add = (map: Map<number, string>, imageId: number, cls: string) => map.set(imageId, [...(map.get(imageId) ?? '').split('\u0000').filter(Boolean), cls].sort().join('\u0000'));
    for (const b of runBoxOutcomes(db, run.id)) if (b.outcome !== 'fp') add(key, b.image_id, b.class_name);
    for (const b of c.boxes) if (b.outcome !== 'fp') add(next, b.imageId, b.className);
  }
  const ids = new Set([...key.keys(), ...next.keys()]);
  return [...ids].filter((id) => key.get(id) !== next.get(id)).sort((a, b) => a - b);
}
