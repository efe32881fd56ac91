import { AppError } from '../errors';
import type { ClassificationEvaluation } from '../metrics/classification';
import type { DetectionEvaluation, GtBox, PredBox } from '../metrics/detection';
import { iou } from '../metrics/geometry';
import { ratio } from '../metrics/ratio';
import type { QuantMatrix } from './matrix';
import { MISSED, quantValue, spuriousValue } from './values';

/** `quant` in the `midc metrics` JSON (DESIGN §7). */
export interface QuantSummary {
  readonly name: string;
  /** Mean value over the scored items (classification: the ground-truth images); `null` when there are none. */
  readonly score: number | null;
  /** Per class: mean value over the ground-truth images (detection: boxes) of the class. */
  readonly perClass: Record<string, { readonly score: number | null }>;
}

export interface ClassificationQuant {
  readonly summary: QuantSummary;
  /** The value of each ground-truth image, aligned with `evaluation.imageKeys`. */
  readonly values: Float64Array;
}

/** One image's value, for ranking images by what they cost. */
export interface ImageValue {
  readonly imageKey: string;
  /** Mean value of the image's items (classification: its single outcome). */
  readonly value: number;
  /** How many scored items the image has (classification: 1). */
  readonly items: number;
}

function refuseReservedClasses(classes: readonly string[], reserved: readonly string[]): void {
  for (const name of reserved) {
    if (classes.includes(name)) {
      throw new AppError('VALIDATION', `a class is named "${name}", which a quantified-label matrix uses for an outcome; rename the class to score it`, { class: name });
    }
  }
}

/**
 * Scores a classification run with a matrix: each ground-truth image is worth
 * `values[TRUE][PRED]` or `values[TRUE].missed` (else `default`); `score` is the mean over all
 * ground-truth images, `perClass[C].score` over those of class C. With the identity matrix
 * (1 on the diagonal, 0 elsewhere and for missed) the score is the accuracy.
 */
export function scoreClassification(evaluation: ClassificationEvaluation, matrix: QuantMatrix): ClassificationQuant {
  const { classes } = evaluation.metrics;
  refuseReservedClasses(classes, [MISSED]);
  const k = classes.length;
  const width = k + 1;
  // Look each pair up once, then score a million images from a typed array.
  const table = new Float64Array(k * width);
  for (let t = 0; t < k; t++) {
    for (let p = 0; p <= k; p++) table[t * width + p] = quantValue(matrix, classes[t] as string, p === k ? MISSED : (classes[p] as string));
  }
  const n = evaluation.imageKeys.length;
  const values = new Float64Array(n);
  const sums = new Float64Array(k);
  const counts = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const t = evaluation.trueClass[i] as number;
    const p = evaluation.predictedClass[i] as number;
    const v = table[t * width + (p < 0 ? k : p)] as number;
    values[i] = v;
    sums[t] = (sums[t] as number) + v;
    counts[t] = (counts[t] as number) + 1;
    total += v;
  }
  return {
    summary: {
      name: matrix.name,
      score: ratio(total, n),
      perClass: Object.fromEntries(classes.map((c, i) => [c, { score: ratio(sums[i] as number, counts[i] as number) }])),
    },
    values,
  };
}

/** The images of a classification run with their values, in ground-truth order. */
export function classificationImageValues(evaluation: ClassificationEvaluation, quant: ClassificationQuant): ImageValue[] {
  return evaluation.imageKeys.map((imageKey, i) => ({ imageKey, value: quant.values[i] as number, items: 1 }));
}

/** How one detection item was scored. */
export type DetectionQuantOutcome = 'correct' | 'confused' | 'missed' | 'spurious';

/** A scored detection item: a ground-truth box (with its prediction, if any) or a spurious predicted box. */
export interface DetectionQuantItem {
  readonly imageKey: string;
  readonly gtRow: number | null;
  readonly predRow: number | null;
  readonly trueClass: string | null;
  readonly predictedClass: string | null;
  readonly outcome: DetectionQuantOutcome;
  readonly value: number;
}

export interface DetectionQuantSummary extends QuantSummary {
  /** Predicted boxes that matched nothing, and their mean value. */
  readonly spurious: { readonly count: number; readonly score: number | null };
}

export interface DetectionQuant {
  readonly summary: DetectionQuantSummary;
  readonly items: DetectionQuantItem[];
  /** Images with at least one item, in order of first appearance (ground truth, then predictions). */
  readonly images: ImageValue[];
}

/**
 * Scores a detection run with a matrix. The metric matching pairs boxes of the same class only,
 * so it cannot say "this person was detected as a picture", which is what a matrix prices.
 * Scoring therefore adds a second pass over what the first left unmatched:
 *
 * 1. a ground-truth box matched by its own class is worth `values[T][T]` (`correct`);
 * 2. the unmatched predictions, by descending score (ties in input order), each take the
 *    unmatched ground-truth box on their image with the highest IoU ≥ the run's threshold,
 *    whatever its class: that box is worth `values[T][P]` (`confused`);
 * 3. a box still unmatched is worth `values[T].missed` (`missed`);
 * 4. a prediction still unmatched (including a duplicate on an already matched box) is worth
 *    the matrix's `spurious` value (`spurious`).
 *
 * `score` is the mean over all items, ground-truth boxes and spurious predictions alike, so
 * false alarms cost; `perClass[C].score` is the mean over the ground-truth boxes of class C, and
 * `spurious` summarizes the spurious predictions. TP/FP/FN and AP are not affected.
 */
export function scoreDetection(evaluation: DetectionEvaluation, matrix: QuantMatrix): DetectionQuant {
  const { gt, pred, gtMatch, predMatch } = evaluation;
  const { classes } = evaluation.metrics;
  refuseReservedClasses(classes, [MISSED]);
  const gtPartner = Int32Array.from(gtMatch);
  const crossed = new Uint8Array(pred.rows.length);
  const boxesOfImage = new Map<string, number[]>();
  gt.rows.forEach((row, g) => {
    const list = boxesOfImage.get(row.imageKey);
    if (list) list.push(g);
    else boxesOfImage.set(row.imageKey, [g]);
  });
  const leftover: number[] = [];
  for (let j = 0; j < pred.rows.length; j++) if (predMatch[j] === -1) leftover.push(j);
  leftover.sort((a, b) => (pred.rows[b] as PredBox).score - (pred.rows[a] as PredBox).score);
  for (const j of leftover) {
    const p = pred.rows[j] as PredBox;
    let best = -1;
    let bestIou = evaluation.metrics.iou;
    for (const g of boxesOfImage.get(p.imageKey) ?? []) {
      if (gtPartner[g] !== -1) continue;
      const v = iou(p, gt.rows[g] as GtBox);
      if (v > bestIou || (best === -1 && v === bestIou)) {
        best = g;
        bestIou = v;
      }
    }
    if (best !== -1) {
      gtPartner[best] = j;
      crossed[j] = 1;
    }
  }

  const items: DetectionQuantItem[] = [];
  gt.rows.forEach((row, g) => {
    const j = gtPartner[g] as number;
    const predictedClass = j === -1 ? null : (pred.rows[j] as PredBox).className;
    const outcome: DetectionQuantOutcome = j === -1 ? 'missed' : gtMatch[g] !== -1 ? 'correct' : 'confused';
    const value = quantValue(matrix, row.className, predictedClass ?? MISSED);
    items.push({ imageKey: row.imageKey, gtRow: g, predRow: j === -1 ? null : j, trueClass: row.className, predictedClass, outcome, value });
  });
  pred.rows.forEach((row, j) => {
    if (predMatch[j] !== -1 || crossed[j]) return;
    items.push({ imageKey: row.imageKey, gtRow: null, predRow: j, trueClass: null, predictedClass: row.className, outcome: 'spurious', value: spuriousValue(matrix, row.className) });
  });

  const perClass = new Map<string, { sum: number; n: number }>(classes.map((c) => [c, { sum: 0, n: 0 }]));
  const perImage = new Map<string, { sum: number; n: number }>();
  let total = 0;
  let spuriousSum = 0;
  let spuriousCount = 0;
  for (const item of items) {
    total += item.value;
    if (item.trueClass !== null) {
      const acc = perClass.get(item.trueClass) as { sum: number; n: number };
      acc.sum += item.value;
      acc.n++;
    } else {
      spuriousSum += item.value;
      spuriousCount++;
    }
    const image = perImage.get(item.imageKey);
    if (image) {
      image.sum += item.value;
      image.n++;
    } else perImage.set(item.imageKey, { sum: item.value, n: 1 });
  }
  return {
    summary: {
      name: matrix.name,
      score: ratio(total, items.length),
      perClass: Object.fromEntries([...perClass].map(([c, acc]) => [c, { score: ratio(acc.sum, acc.n) }])),
      spurious: { count: spuriousCount, score: ratio(spuriousSum, spuriousCount) },
    },
    items,
    images: [...perImage].map(([imageKey, acc]) => ({ imageKey, value: acc.sum / acc.n, items: acc.n })),
  };
}
