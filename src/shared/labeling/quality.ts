import { markOverlap } from './geometry';
import type { AnnotationDoc, Mark } from './marks';
import { isAreaShape } from './schema';

/**
 * Label quality, pure (DESIGN §2.2, issue 4 item 8).
 *
 * Matching is greedy by IoU, as COCO's evaluation and CVAT's quality report do: every
 * admissible pair (same frame, IoU above the floor; same class when asked) is listed, sorted
 * by IoU descending (ties: lower index of A, then of B, for a deterministic result), and a
 * pair is taken when neither mark is taken yet. Greedy is not the optimal assignment
 * (Hungarian) in contrived cases, but it is what the reference tools report and it cannot
 * pair a mark with a worse partner while a better free one exists.
 *
 * Only area marks (rectangle, ellipse, freehand) take part in IoU/Dice; length,
 * bidirectional, probe and arrow marks are measurements without a region and are counted
 * as `unscored`.
 */

export interface MatchPair {
  /** Indexes into the lists given. */
  readonly a: number;
  readonly b: number;
  readonly iou: number;
  readonly dice: number;
}

/** An undefined ratio (0/0) is null, never 0 or NaN (DESIGN §7). */
export function ratio(num: number, den: number): number | null {
  return den === 0 ? null : num / den;
}

export function greedyMatch(
  as: readonly Mark[],
  bs: readonly Mark[],
  options: { sameClass: boolean; minIou: number; inclusive: boolean },
  takenA: Set<number> = new Set(),
  takenB: Set<number> = new Set(),
): MatchPair[] {
  const candidates: MatchPair[] = [];
  as.forEach((ma, i) => {
    if (takenA.has(i) || !isAreaShape(ma.shape)) return;
    bs.forEach((mb, j) => {
      if (takenB.has(j) || !isAreaShape(mb.shape)) return;
      if (options.sameClass && ma.class !== mb.class) return;
      const o = markOverlap(ma, mb);
      if (!o) return;
      if (options.inclusive ? o.iou >= options.minIou : o.iou > options.minIou) candidates.push({ a: i, b: j, iou: o.iou, dice: o.dice });
    });
  });
  candidates.sort((x, y) => y.iou - x.iou || x.a - y.a || x.b - y.b);
  const out: MatchPair[] = [];
  for (const c of candidates) {
    if (takenA.has(c.a) || takenB.has(c.b)) continue;
    takenA.add(c.a);
    takenB.add(c.b);
    out.push(c);
  }
  return out;
}

export interface Agreement {
  /** Same-class pairs with any overlap, greedily matched. */
  readonly pairs: MatchPair[];
  /** Area marks of A / B left without a partner. */
  readonly onlyA: number;
  readonly onlyB: number;
  /**
   * Σ IoU over pairs / (pairs + onlyA + onlyB): an unmatched mark counts as IoU 0, so two
   * annotators who marked different lesions agree 0, not "undefined". Null when neither
   * drew an area mark.
   */
  readonly meanIoU: number | null;
  readonly meanDice: number | null;
  /** Mean over matched pairs only (how well they outline the lesions both found). */
  readonly matchedMeanIoU: number | null;
  readonly unscored: number;
}

/** Agreement between two annotators' marks on one image (IoU/Dice of shapes matched by class). */
export function agreement(a: readonly Mark[], b: readonly Mark[]): Agreement {
  const pairs = greedyMatch(a, b, { sameClass: true, minIou: 0, inclusive: false });
  const areaA = a.filter((m) => isAreaShape(m.shape)).length;
  const areaB = b.filter((m) => isAreaShape(m.shape)).length;
  const onlyA = areaA - pairs.length;
  const onlyB = areaB - pairs.length;
  const den = pairs.length + onlyA + onlyB;
  const sumIou = pairs.reduce((s, p) => s + p.iou, 0);
  const sumDice = pairs.reduce((s, p) => s + p.dice, 0);
  return {
    pairs,
    onlyA,
    onlyB,
    meanIoU: ratio(sumIou, den),
    meanDice: ratio(sumDice, den),
    matchedMeanIoU: ratio(sumIou, pairs.length),
    unscored: a.length - areaA + (b.length - areaB),
  };
}

export interface Kappa {
  /** (pₒ − pₑ) / (1 − pₑ); null with no items or when pₑ = 1 (both raters used one single category). */
  readonly kappa: number | null;
  readonly observed: number | null;
  readonly expected: number | null;
  readonly n: number;
  readonly categories: string[];
}

/** Cohen's kappa of two raters over the same items (sklearn's cohen_kappa_score, unweighted). */
export function cohensKappa(pairs: readonly (readonly [string, string])[]): Kappa {
  const n = pairs.length;
  const categories = [...new Set(pairs.flatMap(([x, y]) => [x, y]))].sort();
  if (n === 0) return { kappa: null, observed: null, expected: null, n, categories };
  let agree = 0;
  const ca = new Map<string, number>();
  const cb = new Map<string, number>();
  for (const [x, y] of pairs) {
    if (x === y) agree++;
    ca.set(x, (ca.get(x) ?? 0) + 1);
    cb.set(y, (cb.get(y) ?? 0) + 1);
  }
  const po = agree / n;
  const pe = categories.reduce((s, c) => s + ((ca.get(c) ?? 0) / n) * ((cb.get(c) ?? 0) / n), 0);
  return { kappa: pe === 1 ? null : (po - pe) / (1 - pe), observed: po, expected: pe, n, categories };
}

export const DEFAULT_IOU_THRESHOLD = 0.5;

export interface MarkRef {
  readonly id: string;
  readonly class: string;
}

export interface ScoredPair {
  readonly candidate: MarkRef;
  readonly gold: MarkRef;
  readonly iou: number;
}

/** One annotator's version against the gold standard on one image, CVAT-style. */
export interface GoldScore {
  readonly threshold: number;
  /** Same class, IoU ≥ threshold. */
  readonly matched: ScoredPair[];
  /** IoU ≥ threshold but a different class. */
  readonly wrongClass: ScoredPair[];
  /** Same class, 0 < IoU < threshold. */
  readonly lowOverlap: ScoredPair[];
  /** Gold area marks nothing corresponds to. */
  readonly missing: MarkRef[];
  /** Candidate area marks nothing corresponds to. */
  readonly extra: MarkRef[];
  /** Marks without an area, on either side. */
  readonly unscored: number;
  /** matched / (matched + wrongClass + lowOverlap + missing + extra), CVAT's accuracy. */
  readonly accuracy: number | null;
  /** matched / candidate area marks. */
  readonly precision: number | null;
  /** matched / gold area marks. */
  readonly recall: number | null;
  readonly meanIoU: number | null;
  /** Image class against gold's; null when gold gives none. */
  readonly imageClassCorrect: boolean | null;
}

/**
 * The order matters and is CVAT's: first same-class matches at the threshold, then
 * cross-class matches at the threshold (wrong class), then same-class pairs that overlap
 * but below the threshold (low overlap); what is left is missing (gold) or extra.
 */
export function scoreAgainstGold(candidate: AnnotationDoc, gold: AnnotationDoc, threshold = DEFAULT_IOU_THRESHOLD): GoldScore {
  const c = candidate.marks;
  const g = gold.marks;
  const takenC = new Set<number>();
  const takenG = new Set<number>();
  const ref = (m: Mark): MarkRef => ({ id: m.id, class: m.class });
  const pairs = (ps: MatchPair[]): ScoredPair[] => ps.map((p) => ({ candidate: ref(c[p.a] as Mark), gold: ref(g[p.b] as Mark), iou: p.iou }));
  const matched = pairs(greedyMatch(c, g, { sameClass: true, minIou: threshold, inclusive: true }, takenC, takenG));
  const wrongClass = pairs(greedyMatch(c, g, { sameClass: false, minIou: threshold, inclusive: true }, takenC, takenG));
  const lowOverlap = pairs(greedyMatch(c, g, { sameClass: true, minIou: 0, inclusive: false }, takenC, takenG));
  const missing = g.filter((m, i) => isAreaShape(m.shape) && !takenG.has(i)).map(ref);
  const extra = c.filter((m, i) => isAreaShape(m.shape) && !takenC.has(i)).map(ref);
  const areaC = c.filter((m) => isAreaShape(m.shape)).length;
  const areaG = g.filter((m) => isAreaShape(m.shape)).length;
  const total = matched.length + wrongClass.length + lowOverlap.length + missing.length + extra.length;
  return {
    threshold,
    matched,
    wrongClass,
    lowOverlap,
    missing,
    extra,
    unscored: c.length - areaC + (g.length - areaG),
    accuracy: ratio(matched.length, total),
    precision: ratio(matched.length, areaC),
    recall: ratio(matched.length, areaG),
    meanIoU: ratio(
      matched.reduce((s, p) => s + p.iou, 0),
      matched.length,
    ),
    imageClassCorrect: gold.imageClass === null ? null : candidate.imageClass === gold.imageClass,
  };
}
