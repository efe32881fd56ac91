import { rocAuc } from './auc';
import { describeRow, inputError, type Located } from './input';
import { ClassEncoder } from './class-encoder';
import { KeyIndex } from './key-index';
import { meanDefined, ratio } from './ratio';

/** One ground-truth row: the true class of one image. */
export interface ClassLabel extends Located {
  readonly imageKey: string;
  readonly className: string;
}

/** One prediction row: the predicted class of one image, with the model's score for it. */
export interface ClassPrediction extends ClassLabel {
  /** Confidence of the predicted class. Either every prediction has one or none does. */
  readonly score?: number;
}

/**
 * Ground truth or predictions column by column. A million rows as objects would spend most of
 * their time in the garbage collector (each object, its class string and its boxed score
 * survive to the old generation); columns of interned class names and unboxed doubles do not.
 * Build one from row objects with `classTable`.
 */
export interface ClassTable {
  /** Named in error messages: a file name as the user gave it, or e.g. "ground truth". */
  readonly source: string;
  readonly imageKeys: readonly string[];
  readonly classNames: readonly string[];
  /** Predictions only: one score per row, NaN where a row has none; absent when no row has one. */
  readonly scores?: ArrayLike<number>;
  /** The line of each row in its source, for error messages; row positions are named when absent. */
  readonly lines?: ArrayLike<number>;
}

/**
 * A table from row objects. Scores are kept when the first row has one; a later row without
 * one is then refused by `evaluateClassification` as "score is missing".
 */
export function classTable(source: string, rows: readonly ClassPrediction[]): ClassTable {
  const withScore = rows[0]?.score !== undefined;
  const withLines = rows[0]?.line !== undefined;
  rows.forEach((row, i) => {
    if (!withScore && row.score !== undefined) throw inputError(source, row, i, 'score', 'score is given but the first prediction has none');
  });
  return {
    source,
    imageKeys: rows.map((r) => r.imageKey),
    classNames: rows.map((r) => r.className),
    ...(withScore ? { scores: Float64Array.from(rows, (r) => r.score ?? NaN) } : {}),
    ...(withLines ? { lines: rows.map((r, i) => r.line ?? i + 1) } : {}),
  };
}

const at = (table: ClassTable, i: number): Located => (table.lines ? { line: table.lines[i] as number } : {});

/** Per-class counts and ratios (DESIGN §7). A ratio is `null` when it is 0/0. */
export interface ClassMetrics {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
  /** Ground-truth images of the class (tp + fn). */
  readonly support: number;
  /** tp / (tp + fp) */
  readonly precision: number | null;
  /** tp / (tp + fn), the sensitivity. */
  readonly recall: number | null;
  /** tn / (tn + fp) */
  readonly specificity: number | null;
  /** 2tp / (2tp + fp + fn) */
  readonly f1: number | null;
  /** One-vs-rest ROC AUC; present only when the predictions carry scores. */
  readonly auc?: number | null;
}

export interface AverageMetrics {
  readonly precision: number | null;
  readonly recall: number | null;
  readonly f1: number | null;
}

/**
 * The `midc metrics` JSON for classification (DESIGN §7).
 *
 * - `classes`: the sorted (UTF-16 code unit order, locale-independent) union of the classes in
 *   the ground truth and in the predictions.
 * - `confusion[t][p]`: images of true class `classes[t]` predicted as `classes[p]`; the extra
 *   trailing column `confusion[t][classes.length]` counts that class's missed images (in the
 *   ground truth, no prediction).
 * - `macro`: unweighted mean over `classes` of the per-class values, leaving out a class whose
 *   value is undefined (scikit-learn's `zero_division=np.nan`); `null` when no class has one.
 * - `micro`: from the sums of tp, fp and fn over `classes`. A missed image is an fn of its class
 *   and an fp of none, so micro precision can exceed accuracy when images are missed.
 */
export interface ClassificationMetrics {
  readonly classes: string[];
  readonly confusion: number[][];
  readonly perClass: Record<string, ClassMetrics>;
  /** Correct images / ground-truth images; a missed image counts as wrong. */
  readonly accuracy: number | null;
  /** `auc` is present only when the predictions carry scores. */
  readonly macro: AverageMetrics & { readonly auc?: number | null };
  readonly micro: AverageMetrics;
}

/**
 * Metrics plus the per-image encoding they were counted from, which the drill-down, the
 * per-image outcomes and quantified scoring reuse. Arrays are indexed by ground-truth row.
 */
export interface ClassificationEvaluation {
  readonly metrics: ClassificationMetrics;
  /** Image keys in ground-truth order. */
  readonly imageKeys: readonly string[];
  /** Index into `metrics.classes` of each image's true class. */
  readonly trueClass: Int32Array;
  /** Index into `metrics.classes` of each image's predicted class; -1 when missed. */
  readonly predictedClass: Int32Array;
  /** The prediction's score; NaN when missed or when predictions have no scores. */
  readonly scores: Float64Array | null;
}

export type ImageOutcomeKind = 'correct' | 'wrong' | 'missed';

/** What happened to one ground-truth image; the app stores these so every metric is a query. */
export interface ImageOutcome {
  readonly imageKey: string;
  readonly trueClass: string;
  readonly predictedClass: string | null;
  readonly score: number | null;
  readonly outcome: ImageOutcomeKind;
}

const MISSED = -1;

/**
 * Counts classification metrics. Refuses (AppError VALIDATION naming source and line) empty
 * image keys or classes, duplicate image keys in either table, predictions for images not in
 * the ground truth, and missing or non-finite scores when the predictions have scores.
 *
 * Classes are encoded to small integers and counted in typed arrays; image keys are joined
 * through a typed-array hash index (skipped while the predictions follow ground-truth order),
 * so a million images take a few hundred milliseconds.
 */
export function evaluateClassification(gt: ClassTable, pred: ClassTable): ClassificationEvaluation {
  const n = gt.imageKeys.length;
  if (gt.classNames.length !== n) throw new RangeError(`${gt.source}: ${n} image keys but ${gt.classNames.length} classes`);
  if (pred.classNames.length !== pred.imageKeys.length) throw new RangeError(`${pred.source}: ${pred.imageKeys.length} image keys but ${pred.classNames.length} classes`);
  const encoder = new ClassEncoder();
  const gtKeys = gt.imageKeys;
  const index = new KeyIndex(n);
  const trueClass = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const key = gtKeys[i] as string;
    const className = gt.classNames[i] as string;
    if (!key) throw inputError(gt.source, at(gt, i), i, 'image_key', 'image_key is empty');
    if (!className) throw inputError(gt.source, at(gt, i), i, 'class', 'class is empty');
    const { row: first, added } = index.add(key);
    if (!added) throw inputError(gt.source, at(gt, i), i, 'image_key', `duplicate image_key "${key}" (first on ${describeRow(at(gt, first), first)})`);
    trueClass[i] = encoder.encode(className);
  }

  const predScores = pred.scores;
  const predictedClass = new Int32Array(n).fill(MISSED);
  const predRowOf = new Int32Array(n).fill(-1);
  const scores = predScores ? new Float64Array(n).fill(NaN) : null;
  // Prediction files usually list images in ground-truth order (missed ones left out): try the
  // row after the previous match before hashing the key.
  let next = 0;
  for (let j = 0; j < pred.imageKeys.length; j++) {
    const key = pred.imageKeys[j] as string;
    const className = pred.classNames[j] as string;
    if (!key) throw inputError(pred.source, at(pred, j), j, 'image_key', 'image_key is empty');
    if (!className) throw inputError(pred.source, at(pred, j), j, 'class', 'class is empty');
    const i = next < n && gtKeys[next] === key ? next : index.get(key);
    if (i === -1) throw inputError(pred.source, at(pred, j), j, 'image_key', `image_key "${key}" is not in the ground truth (${gt.source})`);
    const earlier = predRowOf[i] as number;
    if (earlier !== -1) throw inputError(pred.source, at(pred, j), j, 'image_key', `duplicate image_key "${key}" (first on ${describeRow(at(pred, earlier), earlier)})`);
    next = i + 1;
    predRowOf[i] = j;
    predictedClass[i] = encoder.encode(className);
    if (scores) {
      const score = (predScores as ArrayLike<number>)[j] as number;
      if (!Number.isFinite(score)) {
        throw inputError(pred.source, at(pred, j), j, 'score', Number.isNaN(score) ? 'score is missing (the first prediction has one)' : `score ${score} is not a finite number`);
      }
      scores[i] = score;
    }
  }

  // Classes were numbered in order of appearance; renumber them in sorted order.
  const { classes, renumber } = encoder.sorted();
  for (let i = 0; i < n; i++) {
    trueClass[i] = renumber[trueClass[i] as number] as number;
    const p = predictedClass[i] as number;
    if (p !== MISSED) predictedClass[i] = renumber[p] as number;
  }
  return { metrics: countMetrics(classes, trueClass, predictedClass, scores), imageKeys: gtKeys, trueClass, predictedClass, scores };
}

/**
 * The evaluation of rows a reader has already joined and encoded (the byte-level `midc metrics`
 * reader): `classes` sorted as `evaluateClassification` sorts them, `trueClass` and
 * `predictedClass` indices into it (-1: missed), `scores` per ground-truth row (NaN where
 * missed) or null. The caller guarantees what `evaluateClassification` checks; the counting is
 * the same code, so the figures are identical.
 */
export function evaluateEncoded(
  classes: string[],
  imageKeys: readonly string[],
  trueClass: Int32Array,
  predictedClass: Int32Array,
  scores: Float64Array | null,
): ClassificationEvaluation {
  return { metrics: countMetrics(classes, trueClass, predictedClass, scores), imageKeys, trueClass, predictedClass, scores };
}

function countMetrics(classes: string[], trueClass: Int32Array, predictedClass: Int32Array, scores: Float64Array | null): ClassificationMetrics {
  const k = classes.length;
  const width = k + 1; // the trailing column counts missed images
  const n = trueClass.length;
  const cells = new Float64Array(k * width);
  for (let i = 0; i < n; i++) {
    const p = predictedClass[i] as number;
    const cell = (trueClass[i] as number) * width + (p === MISSED ? k : p);
    cells[cell] = (cells[cell] as number) + 1;
  }
  const confusion: number[][] = [];
  for (let t = 0; t < k; t++) confusion.push(Array.from(cells.subarray(t * width, (t + 1) * width)));

  const aucs = scores ? oneVsRestAuc(k, trueClass, predictedClass, scores) : null;
  let correct = 0;
  let sumFp = 0;
  let sumFn = 0;
  const perClass: [string, ClassMetrics][] = [];
  for (let c = 0; c < k; c++) {
    const tp = cells[c * width + c] as number;
    let predicted = 0;
    for (let t = 0; t < k; t++) predicted += cells[t * width + c] as number;
    let support = 0;
    for (let p = 0; p < width; p++) support += cells[c * width + p] as number;
    const fp = predicted - tp;
    const fn = support - tp;
    const tn = n - tp - fp - fn;
    correct += tp;
    sumFp += fp;
    sumFn += fn;
    perClass.push([
      classes[c] as string,
      {
        tp,
        fp,
        fn,
        tn,
        support,
        precision: ratio(tp, tp + fp),
        recall: ratio(tp, tp + fn),
        specificity: ratio(tn, tn + fp),
        f1: ratio(2 * tp, 2 * tp + fp + fn),
        ...(aucs ? { auc: aucs[c] as number | null } : {}),
      },
    ]);
  }
  const values = perClass.map(([, m]) => m);
  return {
    classes,
    confusion,
    // fromEntries defines own properties, so a class named "__proto__" stays a class.
    perClass: Object.fromEntries(perClass),
    accuracy: ratio(correct, n),
    macro: {
      precision: meanDefined(values.map((m) => m.precision)),
      recall: meanDefined(values.map((m) => m.recall)),
      f1: meanDefined(values.map((m) => m.f1)),
      ...(aucs ? { auc: meanDefined(aucs) } : {}),
    },
    micro: {
      precision: ratio(correct, correct + sumFp),
      recall: ratio(correct, correct + sumFn),
      f1: ratio(2 * correct, 2 * correct + sumFp + sumFn),
    },
  };
}

/**
 * One-vs-rest ROC AUC per class from single-label predictions. A prediction gives a score only
 * for its own class, so for class C an image's ranking score is its score when predicted as C,
 * and below every score (all tied) otherwise, including when missed. That is sklearn's
 * `roc_auc_score(y_true == C, where(y_pred == C, score, min(score) - 1))`. `null` for a class
 * without positive or without negative images; the macro AUC averages the defined ones.
 */
function oneVsRestAuc(k: number, trueClass: Int32Array, predictedClass: Int32Array, scores: Float64Array): (number | null)[] {
  const n = trueClass.length;
  const posPredicted = new Int32Array(k); // true C and predicted C
  const negPredicted = new Int32Array(k); // predicted C, true another class
  const support = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const t = trueClass[i] as number;
    const p = predictedClass[i] as number;
    support[t] = (support[t] as number) + 1;
    if (p === MISSED) continue;
    if (p === t) posPredicted[p] = (posPredicted[p] as number) + 1;
    else negPredicted[p] = (negPredicted[p] as number) + 1;
  }
  const pos = Array.from(posPredicted, (size) => new Float64Array(size));
  const neg = Array.from(negPredicted, (size) => new Float64Array(size));
  const posFill = new Int32Array(k);
  const negFill = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const p = predictedClass[i] as number;
    if (p === MISSED) continue;
    const positive = p === trueClass[i];
    const fill = positive ? posFill : negFill;
    const at = fill[p] as number;
    fill[p] = at + 1;
    ((positive ? pos : neg)[p] as Float64Array)[at] = scores[i] as number;
  }
  const result: (number | null)[] = [];
  for (let c = 0; c < k; c++) {
    const posBottom = (support[c] as number) - (posPredicted[c] as number);
    const negBottom = n - (support[c] as number) - (negPredicted[c] as number);
    result.push(rocAuc(pos[c] as Float64Array, neg[c] as Float64Array, posBottom, negBottom));
  }
  return result;
}

/** Every ground-truth image with its true and predicted class and outcome, in ground-truth order. */
export function classificationOutcomes(evaluation: ClassificationEvaluation): ImageOutcome[] {
  const { classes } = evaluation.metrics;
  const out: ImageOutcome[] = new Array<ImageOutcome>(evaluation.imageKeys.length);
  for (let i = 0; i < out.length; i++) {
    const t = evaluation.trueClass[i] as number;
    const p = evaluation.predictedClass[i] as number;
    const score = evaluation.scores ? (evaluation.scores[i] as number) : NaN;
    out[i] = {
      imageKey: evaluation.imageKeys[i] as string,
      trueClass: classes[t] as string,
      predictedClass: p === MISSED ? null : (classes[p] as string),
      score: Number.isNaN(score) ? null : score,
      outcome: p === MISSED ? 'missed' : p === t ? 'correct' : 'wrong',
    };
  }
  return out;
}

/** A number in the results grid that can be opened to its images (DESIGN §3). */
export type ClassificationCell =
  | { readonly metric: 'tp' | 'fp' | 'fn' | 'tn' | 'support' | 'precision' | 'recall' | 'specificity' | 'f1' | 'auc'; readonly className: string }
  | { readonly metric: 'accuracy' }
  | { readonly metric: 'precision' | 'recall' | 'f1'; readonly average: 'micro' | 'macro' }
  /** `predictedClass: null` is the trailing "missed" column. */
  | { readonly metric: 'confusion'; readonly trueClass: string; readonly predictedClass: string | null };

/** Named image sets a cell is counted from. */
export type DrillSet = 'tp' | 'fp' | 'fn' | 'tn' | 'correct' | 'wrong' | 'missed' | 'images';

/**
 * The images behind one metric cell: each set in `sets` holds exactly the images its count
 * counts, and `numerator` / `denominator` name the sets the ratio is built from (e.g. precision:
 * numerator [tp], denominator [tp, fp]; F1 = 2tp / (2tp + fp + fn) counts tp twice).
 */
export interface DrillDown {
  readonly sets: Partial<Record<DrillSet, string[]>>;
  readonly numerator: DrillSet[];
  readonly denominator: DrillSet[];
}

/**
 * Image keys behind a metric cell. Micro and macro averages drill to the same sets: the union
 * over classes of the per-class sets, which for micro are exactly the summed counts (an image
 * predicted wrongly is an fp of its predicted class and an fn of its true class).
 */
export function classificationDrillDown(evaluation: ClassificationEvaluation, cell: ClassificationCell): DrillDown {
  const { classes } = evaluation.metrics;
  const classOf = (name: string | null): number => {
    if (name === null) return MISSED;
    const c = classes.indexOf(name);
    if (c < 0) throw new RangeError(`no class "${name}" in this evaluation`);
    return c;
  };
  // Each image goes to at most one set per call, chosen by `pick`.
  const collect = (pick: (t: number, p: number) => DrillSet | null, names: DrillSet[]): Partial<Record<DrillSet, string[]>> => {
    const sets: Partial<Record<DrillSet, string[]>> = {};
    for (const name of names) sets[name] = [];
    for (let i = 0; i < evaluation.imageKeys.length; i++) {
      const set = pick(evaluation.trueClass[i] as number, evaluation.predictedClass[i] as number);
      if (set) sets[set]?.push(evaluation.imageKeys[i] as string);
    }
    return sets;
  };
  if (cell.metric === 'confusion') {
    const t = classOf(cell.trueClass);
    const p = classOf(cell.predictedClass);
    return { sets: collect((ti, pi) => (ti === t && pi === p ? 'images' : null), ['images']), numerator: ['images'], denominator: [] };
  }
  if (cell.metric === 'accuracy') {
    const sets = collect((t, p) => (p === MISSED ? 'missed' : p === t ? 'correct' : 'wrong'), ['correct', 'wrong', 'missed']);
    return { sets, numerator: ['correct'], denominator: ['correct', 'wrong', 'missed'] };
  }
  if ('average' in cell) {
    // tp = correct images; fp = wrongly predicted images; fn = wrong or missed images.
    const wanted: DrillSet[] = cell.metric === 'precision' ? ['tp', 'fp'] : cell.metric === 'recall' ? ['tp', 'fn'] : ['tp', 'fp', 'fn'];
    const sets: Partial<Record<DrillSet, string[]>> = {};
    for (const name of wanted) sets[name] = [];
    for (let i = 0; i < evaluation.imageKeys.length; i++) {
      const t = evaluation.trueClass[i] as number;
      const p = evaluation.predictedClass[i] as number;
      const key = evaluation.imageKeys[i] as string;
      if (p === t) sets.tp?.push(key);
      else {
        if (p !== MISSED) sets.fp?.push(key);
        sets.fn?.push(key);
      }
    }
    return { sets, numerator: ['tp'], denominator: wanted };
  }
  const c = classOf(cell.className);
  const outcome = (t: number, p: number): DrillSet => (t === c ? (p === c ? 'tp' : 'fn') : p === c ? 'fp' : 'tn');
  const shape: Record<typeof cell.metric, [DrillSet[], DrillSet[]]> = {
    tp: [['tp'], []],
    fp: [['fp'], []],
    fn: [['fn'], []],
    tn: [['tn'], []],
    support: [['tp', 'fn'], []],
    precision: [['tp'], ['tp', 'fp']],
    recall: [['tp'], ['tp', 'fn']],
    specificity: [['tn'], ['tn', 'fp']],
    f1: [['tp'], ['tp', 'fp', 'fn']],
    // AUC ranks every image: positives (tp, fn) against negatives (fp, tn).
    auc: [['tp', 'fn'], ['tp', 'fn', 'fp', 'tn']],
  };
  const [numerator, denominator] = shape[cell.metric];
  const names = [...new Set([...numerator, ...denominator])];
  return {
    sets: collect((t, p) => {
      const set = outcome(t, p);
      return names.includes(set) ? set : null;
    }, names),
    numerator,
    denominator,
  };
}
