import type { ImageBoxesView, OverlayBox, RunCurves, RunImageBoxes } from '../../shared/contract';
import { oneVsRestCurves } from '../../shared/metrics/curves';
import type { ReadableDB } from '../db/types';
import { resolveGroundTruth } from './ground-truth';
import { latestImport, type RunRow } from './runs-repository';

/** Points per drawn curve: enough for a smooth line, few enough for SVG and IPC at 200k images. */
export const CURVE_POINTS = 400;

/**
 * Per-class ROC/PR curves of a classification run from its stored outcomes (run_outcomes:
 * true class, predicted class, the prediction's score), the same data and ranking the metric
 * engine's one-vs-rest AUC was counted from, so each curve's area equals the run's AUC.
 */
export function runCurves(db: ReadableDB, run: RunRow, maxPoints = CURVE_POINTS): RunCurves {
  if (run.task !== 'classification') return { runId: run.id, classes: {} };
  const rows = db.prepare('SELECT true_class, predicted_class, score FROM run_outcomes WHERE run_id = ?').raw().all(run.id) as [string, string | null, number | null][];
  // Without scores (the engine reports no AUC) there is no ranking to draw.
  if (rows.length === 0 || rows.some(([, p, s]) => p !== null && s === null)) return { runId: run.id, classes: {} };
  const names = new Set<string>();
  for (const [t, p] of rows) {
    names.add(t);
    if (p !== null) names.add(p);
  }
  // The engine's class order: UTF-16 code units (Array.prototype.sort's default).
  const classes = [...names].sort();
  const index = new Map(classes.map((c, i) => [c, i]));
  const trueClass = Int32Array.from(rows, ([t]) => index.get(t) as number);
  const predictedClass = Int32Array.from(rows, ([, p]) => (p === null ? -1 : (index.get(p) as number)));
  const scores = Float64Array.from(rows, ([, , s]) => s ?? NaN);
  return { runId: run.id, classes: oneVsRestCurves(classes, trueClass, predictedClass, scores, maxPoints) };
}

interface BoxOutcomeRow {
  class_name: string;
  outcome: 'tp' | 'fp' | 'fn';
  iou: number | null;
  score: number | null;
  gt_seq: number | null;
  pred_seq: number | null;
}

/**
 * The boxes of one image in a run's current snapshot with their real coordinates: predicted boxes
 * from the run's current predictions import (run_box_outcomes.pred_seq → run_predictions.seq),
 * ground-truth boxes from the effective ground truth of the image (gt_seq is the index among the
 * image's labels, as the snapshot numbered them). The caller regenerates a stale snapshot first.
 */
export function imageBoxes(db: ReadableDB, runs: readonly RunRow[], imageId: number): ImageBoxesView {
  const out: RunImageBoxes[] = [];
  for (const run of runs) {
    if (run.task !== 'detection') {
      out.push({ runId: run.id, task: run.task, boxes: [] });
      continue;
    }
    const outcomes = db
      .prepare('SELECT class_name, outcome, iou, score, gt_seq, pred_seq FROM run_box_outcomes WHERE run_id = ? AND image_id = ? ORDER BY seq')
      .all(run.id, imageId) as BoxOutcomeRow[];
    const imp = latestImport(db, run.id);
    const predicted = new Map<number, { x: number | null; y: number | null; w: number | null; h: number | null }>();
    if (imp) {
      const rows = db.prepare('SELECT seq, x, y, w, h FROM run_predictions WHERE import_id = ? AND image_id = ?').all(imp.id, imageId) as {
        seq: number;
        x: number | null;
        y: number | null;
        w: number | null;
        h: number | null;
      }[];
      for (const r of rows) predicted.set(r.seq, r);
    }
    const truth = resolveGroundTruth(db, { datasetId: run.dataset_id, imageIds: [imageId], task: 'detection' }).labels.get(imageId) ?? [];
    const boxes: OverlayBox[] = [];
    for (const o of outcomes) {
      if (o.pred_seq !== null) {
        const p = predicted.get(o.pred_seq);
        if (p && p.x !== null && p.y !== null && p.w !== null && p.h !== null) {
          boxes.push({ kind: 'prediction', className: o.class_name, x: p.x, y: p.y, w: p.w, h: p.h, outcome: o.outcome, score: o.score, iou: o.iou });
        }
      }
      if (o.gt_seq !== null) {
        const label = truth[o.gt_seq];
        const g = label?.box;
        if (g) boxes.push({ kind: 'truth', className: label?.className ?? o.class_name, ...g, outcome: o.outcome === 'fn' ? 'fn' : 'tp', score: null, iou: o.iou });
      }
    }
    out.push({ runId: run.id, task: run.task, boxes });
  }
  return { imageId, runs: out };
}
