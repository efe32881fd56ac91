import type { AverageMetrics } from './classification';
import { ClassEncoder } from './class-encoder';
import { iou, type Box } from './geometry';
import { inputError, type Located, type Sourced } from './input';
import { KeyIndex } from './key-index';
import { meanDefined, ratio } from './ratio';

/** One ground-truth object: a box of a class on an image. */
export interface GtBox extends Box, Located {
  readonly imageKey: string;
  readonly className: string;
}

/** One predicted box with the model's confidence. */
export interface PredBox extends GtBox {
  readonly score: number;
}

/**
 * Ground-truth boxes, plus the images of the test set that have no object at all: predictions
 * on those are false positives, while a prediction on an image the ground truth does not know
 * is refused.
 */
export interface DetectionGroundTruth extends Sourced<GtBox> {
  readonly emptyImages?: readonly string[];
}

export interface DetectionOptions {
  /** A prediction matches a box when their IoU is ≥ this (0 < iou ≤ 1). */
  readonly iou: number;
}

/** Per-class detection metrics; `tn` and `specificity` are `null`: a detector has no countable true negatives. */
export interface DetectionClassMetrics {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: null;
  /** Ground-truth boxes of the class. */
  readonly support: number;
  readonly precision: number | null;
  readonly recall: number | null;
  readonly specificity: null;
  readonly f1: number | null;
  /** COCO 101-point interpolated AP; `null` for a class without ground-truth boxes. */
  readonly ap: number | null;
}

/** One point of a raw (not interpolated) precision–recall curve, after the prediction with `score`. */
export interface PrPoint {
  readonly score: number;
  readonly precision: number;
  readonly recall: number | null;
}

/**
 * The `midc metrics --task detection` JSON. Same shape as classification where the notions
 * exist (`accuracy` is `null`, there is no confusion matrix), plus AP and the PR curves.
 */
export interface DetectionMetrics {
  readonly classes: string[];
  readonly iou: number;
  readonly perClass: Record<string, DetectionClassMetrics>;
  readonly accuracy: null;
  readonly macro: AverageMetrics;
  readonly micro: AverageMetrics;
  /** Mean AP over the classes that have ground-truth boxes; `null` when none has. */
  readonly mAP: number | null;
  /** Per class, one point per prediction in ranking order. */
  readonly prCurves: Record<string, PrPoint[]>;
}

export interface DetectionEvaluation {
  readonly metrics: DetectionMetrics;
  readonly gt: DetectionGroundTruth;
  readonly pred: Sourced<PredBox>;
  /** Per ground-truth row: the prediction row matched to it, or -1. */
  readonly gtMatch: Int32Array;
  /** Per prediction row: the ground-truth row it matched, or -1 (a false positive). */
  readonly predMatch: Int32Array;
}

/**
 * Matches predictions to ground-truth boxes the way pycocotools does for one IoU threshold,
 * without its crowd, area-range and 100-detections-per-image rules:
 *
 * - per class, predictions are taken by descending score; equal scores keep their input order
 *   (pycocotools orders ties within an image the same way, across images by image id, so AP
 *   can differ from it only when scores tie across images);
 * - each takes the still unmatched ground-truth box of its class on its image with the highest
 *   IoU, provided IoU ≥ `iou` (exactly at the threshold matches); on equal IoU the box listed
 *   first wins (pycocotools takes the last);
 * - unmatched predictions are FP (so is a second prediction on an already matched box),
 *   unmatched boxes FN.
 */
export function evaluateDetection(gt: DetectionGroundTruth, pred: Sourced<PredBox>, options: DetectionOptions): DetectionEvaluation {
  if (!(options.iou > 0 && options.iou <= 1)) throw new RangeError(`the IoU threshold must be in (0, 1], got ${options.iou}`);
  const gtRows = gt.rows;
  const predRows = pred.rows;
  const emptyImages = gt.emptyImages ?? [];
  const images = new KeyIndex(gtRows.length + emptyImages.length);
  const encoder = new ClassEncoder();
  // Boxes of one image usually follow each other: remember the last image's id.
  let lastKey: string | null = null;
  let lastId = -1;
  for (const key of emptyImages) images.add(key);
  const gtImage = new Int32Array(gtRows.length);
  const gtClass = new Int32Array(gtRows.length);
  for (let g = 0; g < gtRows.length; g++) {
    const row = gtRows[g] as GtBox;
    validateBox(gt.source, row, g);
    if (row.imageKey !== lastKey) {
      lastKey = row.imageKey;
      lastId = images.add(row.imageKey).row;
    }
    gtImage[g] = lastId;
    gtClass[g] = encoder.encode(row.className);
  }
  const predImage = new Int32Array(predRows.length);
  const predClass = new Int32Array(predRows.length);
  const predScore = new Float64Array(predRows.length);
  lastKey = null;
  for (let j = 0; j < predRows.length; j++) {
    const row = predRows[j] as PredBox;
    validateBox(pred.source, row, j);
    if (!Number.isFinite(row.score)) throw inputError(pred.source, row, j, 'score', `score ${row.score} is not a finite number`);
    if (row.imageKey !== lastKey) {
      lastId = images.get(row.imageKey);
      if (lastId === -1) throw inputError(pred.source, row, j, 'image_key', `image_key "${row.imageKey}" is not in the ground truth (${gt.source})`);
      lastKey = row.imageKey;
    }
    predImage[j] = lastId;
    predClass[j] = encoder.encode(row.className);
    predScore[j] = row.score;
  }
  const { classes, renumber } = encoder.sorted();
  for (let g = 0; g < gtClass.length; g++) gtClass[g] = renumber[gtClass[g] as number] as number;
  for (let j = 0; j < predClass.length; j++) predClass[j] = renumber[predClass[j] as number] as number;

  // Ground-truth rows grouped by image (counting sort; input order within an image).
  const gtOfImage = groupBy(gtImage, images.size);
  const support = new Int32Array(classes.length);
  for (let g = 0; g < gtClass.length; g++) support[gtClass[g] as number] = (support[gtClass[g] as number] as number) + 1;
  const predOfClass = groupBy(predClass, classes.length);

  const gtMatch = new Int32Array(gtRows.length).fill(-1);
  const predMatch = new Int32Array(predRows.length).fill(-1);
  const perClass: [string, DetectionClassMetrics][] = [];
  const prCurves: [string, PrPoint[]][] = [];
  for (let c = 0; c < classes.length; c++) {
    // Descending score; equal scores keep input order (explicitly, not by trusting sort stability).
    const order = predOfClass.members.slice(predOfClass.offsets[c], predOfClass.offsets[c + 1]);
    order.sort((a, b) => (predScore[b] as number) - (predScore[a] as number) || a - b);
    const matched = new Uint8Array(order.length);
    for (let r = 0; r < order.length; r++) {
      const j = order[r] as number;
      const p = predRows[j] as PredBox;
      const image = predImage[j] as number;
      let best = -1;
      let bestIou = options.iou;
      for (let k = gtOfImage.offsets[image] as number; k < (gtOfImage.offsets[image + 1] as number); k++) {
        const g = gtOfImage.members[k] as number;
        if (gtClass[g] !== c || gtMatch[g] !== -1) continue;
        const v = iou(p, gtRows[g] as GtBox);
        if (v > bestIou || (best === -1 && v === bestIou)) {
          best = g;
          bestIou = v;
        }
      }
      if (best !== -1) {
        gtMatch[best] = j;
        predMatch[j] = best;
        matched[r] = 1;
      }
    }
    const npig = support[c] as number;
    const { ap, curve } = cocoAp(order, matched, npig, (j) => predScore[j] as number);
    let tp = 0;
    for (const m of matched) tp += m;
    const fp = order.length - tp;
    const fn = npig - tp;
    perClass.push([
      classes[c] as string,
      { tp, fp, fn, tn: null, support: npig, precision: ratio(tp, tp + fp), recall: ratio(tp, npig), specificity: null, f1: ratio(2 * tp, 2 * tp + fp + fn), ap },
    ]);
    prCurves.push([classes[c] as string, curve]);
  }

  const values = perClass.map(([, m]) => m);
  const sum = (f: (m: DetectionClassMetrics) => number) => values.reduce((s, m) => s + f(m), 0);
  const tp = sum((m) => m.tp);
  const fp = sum((m) => m.fp);
  const fn = sum((m) => m.fn);
  const metrics: DetectionMetrics = {
    classes,
    iou: options.iou,
    perClass: Object.fromEntries(perClass),
    accuracy: null,
    macro: {
      precision: meanDefined(values.map((m) => m.precision)),
      recall: meanDefined(values.map((m) => m.recall)),
      f1: meanDefined(values.map((m) => m.f1)),
    },
    micro: { precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn), f1: ratio(2 * tp, 2 * tp + fp + fn) },
    mAP: meanDefined(values.filter((m) => m.support > 0).map((m) => m.ap)),
    prCurves: Object.fromEntries(prCurves),
  };
  return { metrics, gt, pred, gtMatch, predMatch };
}

/** Rows grouped by a small integer key: group `k` is `members[offsets[k] .. offsets[k + 1])`, in row order. */
function groupBy(keys: Int32Array, groups: number): { offsets: Int32Array; members: Int32Array } {
  const offsets = new Int32Array(groups + 1);
  for (let i = 0; i < keys.length; i++) offsets[(keys[i] as number) + 1] = (offsets[(keys[i] as number) + 1] as number) + 1;
  for (let k = 0; k < groups; k++) offsets[k + 1] = (offsets[k + 1] as number) + (offsets[k] as number);
  const fill = offsets.slice(0, groups);
  const members = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as number;
    members[fill[k] as number] = i;
    fill[k] = (fill[k] as number) + 1;
  }
  return { offsets, members };
}

function validateBox(source: string, row: GtBox, i: number): void {
  if (!row.imageKey) throw inputError(source, row, i, 'image_key', 'image_key is empty');
  if (!row.className) throw inputError(source, row, i, 'class', 'class is empty');
  for (const field of ['x', 'y', 'w', 'h'] as const) {
    const v = row[field];
    if (!Number.isFinite(v)) throw inputError(source, row, i, field, `${field} ${v} is not a finite number`);
    if ((field === 'w' || field === 'h') && v < 0) throw inputError(source, row, i, field, `${field} ${v} is negative`);
  }
}

/**
 * pycocotools' recall thresholds `np.linspace(0, 1, 101)`: numpy computes `i * 0.01` and sets the
 * last to exactly 1, and searchsorted compares against these floats, so compute them the same
 * way rather than as `i / 100`.
 */
const RECALL_THRESHOLDS: readonly number[] = Array.from({ length: 101 }, (_, i) => (i === 100 ? 1 : i * 0.01));

/**
 * COCO's 101-point interpolated AP of one class, from its predictions in ranking order and
 * whether each matched: precision made monotone from the right, then read at the first ranking
 * position whose recall reaches each threshold (0 past the last). pycocotools adds
 * `np.spacing(1)` to the precision denominator; that changes nothing at double precision here.
 */
export function cocoAp(
  order: ArrayLike<number>,
  matched: ArrayLike<number>,
  npig: number,
  scoreOf: (row: number) => number,
): { ap: number | null; curve: PrPoint[] } {
  const nd = order.length;
  const recall = new Float64Array(nd);
  const precision = new Float64Array(nd);
  const curve: PrPoint[] = new Array<PrPoint>(nd);
  let tp = 0;
  for (let r = 0; r < nd; r++) {
    tp += matched[r] as number;
    precision[r] = tp / (r + 1);
    recall[r] = npig > 0 ? tp / npig : 0;
    curve[r] = { score: scoreOf(order[r] as number), precision: precision[r] as number, recall: ratio(tp, npig) };
  }
  if (npig === 0) return { ap: null, curve };
  for (let r = nd - 1; r > 0; r--) {
    if ((precision[r] as number) > (precision[r - 1] as number)) precision[r - 1] = precision[r] as number;
  }
  let sum = 0;
  let r = 0;
  for (const threshold of RECALL_THRESHOLDS) {
    // searchsorted(recall, threshold, side='left'): recall is non-decreasing, so r only grows.
    while (r < nd && (recall[r] as number) < threshold) r++;
    if (r < nd) sum += precision[r] as number;
  }
  return { ap: sum / RECALL_THRESHOLDS.length, curve };
}

/** A box behind a detection count: tp has both rows, fp only a prediction, fn only a ground-truth box. */
export interface DetectionBoxRef {
  readonly imageKey: string;
  readonly gtRow: number | null;
  readonly predRow: number | null;
}

export type DetectionCell =
  | { readonly metric: 'tp' | 'fp' | 'fn' | 'support' | 'precision' | 'recall' | 'f1' | 'ap'; readonly className: string }
  | { readonly metric: 'precision' | 'recall' | 'f1' | 'mAP'; readonly average: 'micro' | 'macro' };

export interface DetectionDrillDown {
  readonly sets: Partial<Record<'tp' | 'fp' | 'fn', DetectionBoxRef[]>>;
  readonly numerator: ('tp' | 'fp' | 'fn')[];
  readonly denominator: ('tp' | 'fp' | 'fn')[];
}

/** The boxes behind a detection metric cell; each set's size equals its count. Averages use every class. */
export function detectionDrillDown(evaluation: DetectionEvaluation, cell: DetectionCell): DetectionDrillDown {
  const className = 'className' in cell ? cell.className : null;
  if (className !== null && !evaluation.metrics.classes.includes(className)) throw new RangeError(`no class "${className}" in this evaluation`);
  const shapes: Record<DetectionCell['metric'], [('tp' | 'fp' | 'fn')[], ('tp' | 'fp' | 'fn')[]]> = {
    tp: [['tp'], []],
    fp: [['fp'], []],
    fn: [['fn'], []],
    support: [['tp', 'fn'], []],
    precision: [['tp'], ['tp', 'fp']],
    recall: [['tp'], ['tp', 'fn']],
    f1: [['tp'], ['tp', 'fp', 'fn']],
    ap: [['tp'], ['tp', 'fp', 'fn']],
    mAP: [['tp'], ['tp', 'fp', 'fn']],
  };
  const [numerator, denominator] = shapes[cell.metric];
  const wanted = new Set([...numerator, ...denominator]);
  const sets: DetectionDrillDown['sets'] = {};
  for (const name of wanted) sets[name] = [];
  const { gt, pred, gtMatch, predMatch } = evaluation;
  pred.rows.forEach((row, j) => {
    if (className !== null && row.className !== className) return;
    const g = predMatch[j] as number;
    if (g !== -1) sets.tp?.push({ imageKey: row.imageKey, gtRow: g, predRow: j });
    else sets.fp?.push({ imageKey: row.imageKey, gtRow: null, predRow: j });
  });
  gt.rows.forEach((row, g) => {
    if (className !== null && row.className !== className) return;
    if (gtMatch[g] === -1) sets.fn?.push({ imageKey: row.imageKey, gtRow: g, predRow: null });
  });
  return { sets, numerator, denominator };
}
