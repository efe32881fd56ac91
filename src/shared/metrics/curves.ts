import type { ClassificationEvaluation } from './classification';

/**
 * ROC and precision–recall curves of one binary ranking, and per class (one-vs-rest) of a
 * single-label classification run.
 *
 * Definition (the same ranking as the engine's one-vs-rest AUC in `classification.ts`): a
 * prediction carries a score only for its own class, so for class C an image ranks by its score
 * when it was predicted as C, and below every score (all such images tied) otherwise — predicted
 * as another class or missed. The "bottom" group is one extra threshold that turns every image
 * into a C prediction; it closes the ROC curve at (1, 1) and gives the last PR point.
 *
 * Semantics are scikit-learn's with `drop_intermediate=False`: one operating point per distinct
 * score, descending; the ROC starts at (0, 0) (sklearn's `inf` threshold) and the PR curve's first
 * point is (recall 0, precision 1) (sklearn's appended last point). The area under the ROC points
 * by the trapezoidal rule is summed in integers, so it equals `rocAuc` for the same data exactly.
 */

/** An operating point: images at or above `threshold` count as predicted positive. */
export interface CurvePoint {
  /**
   * `none`: nothing predicted positive (ROC (0, 0)); `score`: score ≥ `threshold`; `all`: every
   * image, including the bottom group (images not predicted as the class).
   */
  readonly cut: 'none' | 'score' | 'all';
  /** The score threshold; null for `none` and `all`. */
  readonly threshold: number | null;
  readonly tp: number;
  readonly fp: number;
  /** fp / N */
  readonly fpr: number;
  /** tp / P, the recall. */
  readonly tpr: number;
  /** tp / (tp + fp); 1 for the `none` point (sklearn's convention). */
  readonly precision: number;
}

export interface BinaryCurve {
  /** Positives (P) and negatives (N) in all, the bottom group included. */
  readonly positives: number;
  readonly negatives: number;
  /** Area under the ROC points (trapezoidal), equal to the engine's AUC; null when P or N is 0. */
  readonly auc: number | null;
  /** From `none` through each distinct score (descending) to `all`; empty when P or N is 0. */
  readonly points: CurvePoint[];
}

/**
 * The curve of positive scores against negative scores, `posBottom` / `negBottom` samples ranking
 * below every score. Sorts the arrays in place. With `maxPoints`, the returned points are thinned
 * evenly (the first and last kept) for drawing; the area is always from every point.
 */
export function binaryCurve(posScores: Float64Array, negScores: Float64Array, posBottom = 0, negBottom = 0, maxPoints = Infinity): BinaryCurve {
  const positives = posScores.length + posBottom;
  const negatives = negScores.length + negBottom;
  if (positives === 0 || negatives === 0) return { positives, negatives, auc: null, points: [] };
  // Descending.
  posScores.sort().reverse();
  negScores.sort().reverse();
  const point = (cut: CurvePoint['cut'], threshold: number | null, tp: number, fp: number): CurvePoint => ({
    cut,
    threshold,
    tp,
    fp,
    fpr: fp / negatives,
    tpr: tp / positives,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
  });
  const points: CurvePoint[] = [point('none', null, 0, 0)];
  // Doubled area in units of one (pos, neg) pair: Σ Δfp · (tp_prev + tp), an integer.
  let area2 = 0;
  let tp = 0;
  let fp = 0;
  let i = 0;
  let j = 0;
  while (i < posScores.length || j < negScores.length) {
    const p = i < posScores.length ? (posScores[i] as number) : -Infinity;
    const n = j < negScores.length ? (negScores[j] as number) : -Infinity;
    const v = Math.max(p, n);
    const tpBefore = tp;
    const fpBefore = fp;
    while (i < posScores.length && posScores[i] === v) i++;
    while (j < negScores.length && negScores[j] === v) j++;
    tp = i;
    fp = j;
    area2 += (fp - fpBefore) * (tpBefore + tp);
    points.push(point('score', v, tp, fp));
  }
  if (posBottom + negBottom > 0) {
    area2 += negBottom * (tp + positives);
    points.push(point('all', null, positives, negatives));
  }
  return { positives, negatives, auc: area2 / (2 * positives * negatives), points: thin(points, maxPoints) };
}

function thin(points: CurvePoint[], maxPoints: number): CurvePoint[] {
  if (points.length <= maxPoints || maxPoints < 2) return points;
  const out: CurvePoint[] = [];
  const step = (points.length - 1) / (maxPoints - 1);
  for (let k = 0; k < maxPoints; k++) out.push(points[Math.round(k * step)] as CurvePoint);
  return out;
}

/**
 * Per class, one-vs-rest, from per-image true class, predicted class (-1: missed) and score of
 * the prediction (indices into `classes`). Classes without a positive or a negative image get
 * an empty curve and a null AUC, like the engine.
 */
export function oneVsRestCurves(
  classes: readonly string[],
  trueClass: ArrayLike<number>,
  predictedClass: ArrayLike<number>,
  scores: ArrayLike<number>,
  maxPoints = Infinity,
): Record<string, BinaryCurve> {
  const k = classes.length;
  const n = trueClass.length;
  const pos: number[][] = Array.from({ length: k }, () => []);
  const neg: number[][] = Array.from({ length: k }, () => []);
  const support = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const t = trueClass[i] as number;
    const p = predictedClass[i] as number;
    support[t] = (support[t] as number) + 1;
    if (p < 0) continue;
    ((p === t ? pos : neg)[p] as number[]).push(scores[i] as number);
  }
  const out: [string, BinaryCurve][] = [];
  for (let c = 0; c < k; c++) {
    const p = pos[c] as number[];
    const q = neg[c] as number[];
    const posBottom = (support[c] as number) - p.length;
    const negBottom = n - (support[c] as number) - q.length;
    out.push([classes[c] as string, binaryCurve(Float64Array.from(p), Float64Array.from(q), posBottom, negBottom, maxPoints)]);
  }
  return Object.fromEntries(out);
}

/** The curves of an evaluated classification; empty when the predictions carry no scores. */
export function classificationCurves(evaluation: ClassificationEvaluation, maxPoints = Infinity): Record<string, BinaryCurve> {
  if (!evaluation.scores) return {};
  return oneVsRestCurves(evaluation.metrics.classes, evaluation.trueClass, evaluation.predictedClass, evaluation.scores, maxPoints);
}
