import type { RunSlice, RunSliceView, SliceMetrics } from '../../shared/contract';
import { classTable, evaluateClassification, type ClassPrediction } from '../../shared/metrics/classification';
import { cocoAp, type DetectionClassMetrics, type DetectionMetrics, type PrPoint } from '../../shared/metrics/detection';
import { meanDefined, ratio } from '../../shared/metrics/ratio';
import type { ReadableDB } from '../db/types';
import type { RunRow } from '../evaluation/runs-repository';
import { boxesWithTag, outcomesWithTag, type SliceBoxRow, type SliceOutcomeRow } from './tagflow-repository';

/**
 * Metrics of a run sliced by a source tag (issue 6 item 7). Each slice is recomputed with the
 * shared engine from the run's stored outcomes (classification: one row per ground-truth image;
 * detection: the matched, spurious and missed boxes), so a slice's figures mean exactly what
 * the whole run's mean, and its counts add up to the run's.
 */
export function sliceRun(db: ReadableDB, run: RunRow, tagKey: string, iou: number): RunSliceView {
  return run.task === 'classification' ? sliceClassification(db, run, tagKey) : sliceDetection(db, run, tagKey, iou);
}

/** Groups rows by tag value: largest group first (then by value), the untagged group last. */
function groupByTag<R extends { tag: string | null }>(rows: readonly R[], imagesOf: (rows: readonly R[]) => number): { value: string | null; rows: R[]; images: number }[] {
  const groups = new Map<string | null, R[]>();
  for (const r of rows) {
    const list = groups.get(r.tag) ?? [];
    list.push(r);
    groups.set(r.tag, list);
  }
  return [...groups]
    .map(([value, list]) => ({ value, rows: list, images: imagesOf(list) }))
    .sort((a, b) => (a.value === null ? 1 : 0) - (b.value === null ? 1 : 0) || b.images - a.images || (a.value ?? '').localeCompare(b.value ?? ''));
}

function sliceClassification(db: ReadableDB, run: RunRow, tagKey: string): RunSliceView {
  const rows = outcomesWithTag(db, run.id, tagKey);
  // Scores are used only when every prediction has one, as when the run was computed.
  const predicted = rows.filter((r) => r.predicted_class !== null);
  const withScore = predicted.length > 0 && predicted.every((r) => r.score !== null);
  const evaluate = (list: readonly SliceOutcomeRow[]) => {
    const gt = list.map((r) => ({ imageKey: String(r.image_id), className: r.true_class }));
    const pred: ClassPrediction[] = list
      .filter((r) => r.predicted_class !== null)
      .map((r) => (withScore ? { imageKey: String(r.image_id), className: r.predicted_class as string, score: r.score as number } : { imageKey: String(r.image_id), className: r.predicted_class as string }));
    return evaluateClassification(classTable('ground truth', gt), classTable('predictions', pred)).metrics;
  };
  const whole = evaluate(rows);
  const classes = whole.classes;
  const align = (m: ReturnType<typeof evaluate>): number[][] => {
    const k = classes.length;
    const out = classes.map(() => new Array<number>(k + 1).fill(0));
    m.classes.forEach((t, ti) => {
      const row = out[classes.indexOf(t)] as number[];
      const src = m.confusion[ti] as number[];
      m.classes.forEach((p, pi) => {
        row[classes.indexOf(p)] = (row[classes.indexOf(p)] as number) + (src[pi] as number);
      });
      row[k] = (row[k] as number) + (src[m.classes.length] as number);
    });
    return out;
  };
  const result = (m: ReturnType<typeof evaluate>): SliceMetrics => ({ task: 'classification', metrics: m, confusion: align(m) });
  const slices: RunSlice[] = groupByTag(rows, (list) => list.length).map((g) => ({
    value: g.value,
    images: g.images,
    result: result(evaluate(g.rows)),
    link: g.value === null ? null : { kind: 'tag', namespace: 'source', key: tagKey, value: g.value },
  }));
  return { runId: run.id, task: run.task, tagKey, classes, whole: { images: rows.length, result: result(whole) }, slices };
}

function sliceDetection(db: ReadableDB, run: RunRow, tagKey: string, iou: number): RunSliceView {
  const rows = boxesWithTag(db, run.id, tagKey);
  const distinctImages = (list: readonly SliceBoxRow[]) => new Set(list.map((r) => r.image_id)).size;
  const whole = detectionMetrics(rows, iou);
  const slices: RunSlice[] = groupByTag(rows, distinctImages).map((g) => ({
    value: g.value,
    images: g.images,
    result: { task: 'detection', metrics: detectionMetrics(g.rows, iou), confusion: null },
    link: g.value === null ? null : { kind: 'tag', namespace: 'source', key: tagKey, value: g.value },
  }));
  return { runId: run.id, task: run.task, tagKey, classes: whole.classes, whole: { images: distinctImages(rows), result: { task: 'detection', metrics: whole, confusion: null } }, slices };
}

/**
 * Detection metrics from stored box outcomes: per class the predictions (tp and fp) ranked by
 * score, ties in stored order (the engine's prediction order), then COCO AP over them, the way
 * `evaluateDetection` counts them. Matching is per image, so the boxes of a subset of images
 * are matched exactly as they were in the whole run.
 */
export function detectionMetrics(rows: readonly SliceBoxRow[], iou: number): DetectionMetrics {
  const classes = [...new Set(rows.map((r) => r.class_name))].sort();
  const perClass: [string, DetectionClassMetrics][] = [];
  const prCurves: [string, PrPoint[]][] = [];
  for (const c of classes) {
    const mine = rows.filter((r) => r.class_name === c);
    const preds = mine.filter((r) => r.outcome !== 'fn').sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || a.seq - b.seq);
    const tp = preds.filter((r) => r.outcome === 'tp').length;
    const fp = preds.length - tp;
    const fn = mine.length - preds.length;
    const support = tp + fn;
    const order = preds.map((_, i) => i);
    const matched = preds.map((r) => (r.outcome === 'tp' ? 1 : 0));
    const { ap, curve } = cocoAp(order, matched, support, (i) => preds[i]?.score ?? 0);
    perClass.push([c, { tp, fp, fn, tn: null, support, precision: ratio(tp, tp + fp), recall: ratio(tp, support), specificity: null, f1: ratio(2 * tp, 2 * tp + fp + fn), ap }]);
    prCurves.push([c, curve]);
  }
  const values = perClass.map(([, m]) => m);
  const sum = (f: (m: DetectionClassMetrics) => number) => values.reduce((s, m) => s + f(m), 0);
  const tp = sum((m) => m.tp);
  const fp = sum((m) => m.fp);
  const fn = sum((m) => m.fn);
  return {
    classes,
    iou,
    perClass: Object.fromEntries(perClass),
    accuracy: null,
    macro: { precision: meanDefined(values.map((m) => m.precision)), recall: meanDefined(values.map((m) => m.recall)), f1: meanDefined(values.map((m) => m.f1)) },
    micro: { precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn), f1: ratio(2 * tp, 2 * tp + fp + fn) },
    mAP: meanDefined(values.filter((m) => m.support > 0).map((m) => m.ap)),
    prCurves: Object.fromEntries(prCurves),
  };
}
