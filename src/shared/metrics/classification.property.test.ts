import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scoreClassification } from '../quant/score';
import { classTable, classificationDrillDown, evaluateClassification, type ClassLabel, type ClassPrediction } from './classification';

/**
 * The plainest reading of the definitions: a loop over images per class, a loop over pairs for
 * AUC. The engine must agree with it on any data.
 */
function naive(gt: ClassLabel[], pred: ClassPrediction[]) {
  const predOf = new Map(pred.map((p) => [p.imageKey, p]));
  const classes = [...new Set([...gt.map((g) => g.className), ...pred.map((p) => p.className)])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const div = (a: number, b: number) => (b === 0 ? null : a / b);
  const mean = (xs: (number | null)[]) => {
    const d = xs.filter((x): x is number => x !== null);
    return d.length ? d.reduce((s, x) => s + x, 0) / d.length : null;
  };
  const withScores = pred.length > 0 && pred[0]?.score !== undefined;
  const perClass: Record<string, Record<string, number | null>> = {};
  let sumTp = 0;
  let sumFp = 0;
  let sumFn = 0;
  for (const c of classes) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let tn = 0;
    for (const g of gt) {
      const p = predOf.get(g.imageKey)?.className ?? null;
      if (g.className === c && p === c) tp++;
      else if (g.className === c) fn++;
      else if (p === c) fp++;
      else tn++;
    }
    sumTp += tp;
    sumFp += fp;
    sumFn += fn;
    const m: Record<string, number | null> = {
      tp,
      fp,
      fn,
      tn,
      support: tp + fn,
      precision: div(tp, tp + fp),
      recall: div(tp, tp + fn),
      specificity: div(tn, tn + fp),
      f1: div(2 * tp, 2 * tp + fp + fn),
    };
    if (withScores) {
      const s = (key: string) => (predOf.get(key)?.className === c ? (predOf.get(key)?.score as number) : -Infinity);
      const pos = gt.filter((g) => g.className === c).map((g) => s(g.imageKey));
      const neg = gt.filter((g) => g.className !== c).map((g) => s(g.imageKey));
      let wins = 0;
      for (const a of pos) for (const b of neg) wins += a > b ? 1 : a === b ? 0.5 : 0;
      m.auc = div(wins, pos.length * neg.length);
    }
    perClass[c] = m;
  }
  const confusion = classes.map((t) => [...classes, null].map((p) => gt.filter((g) => g.className === t && (predOf.get(g.imageKey)?.className ?? null) === p).length));
  const values = Object.values(perClass);
  return {
    classes,
    confusion,
    perClass,
    accuracy: div(sumTp, gt.length),
    macro: {
      precision: mean(values.map((m) => m.precision as number | null)),
      recall: mean(values.map((m) => m.recall as number | null)),
      f1: mean(values.map((m) => m.f1 as number | null)),
      ...(withScores ? { auc: mean(values.map((m) => m.auc as number | null)) } : {}),
    },
    micro: { precision: div(sumTp, sumTp + sumFp), recall: div(sumTp, sumTp + sumFn), f1: div(2 * sumTp, 2 * sumTp + sumFp + sumFn) },
  };
}

/** Random ground truth over a few classes, predictions for a random subset (the rest missed). */
const dataset = fc
  .record({
    n: fc.integer({ min: 0, max: 40 }),
    truth: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 40, maxLength: 40 }),
    // -1: missed; otherwise the predicted class (some classes may only appear here)
    predicted: fc.array(fc.integer({ min: -1, max: 5 }), { minLength: 40, maxLength: 40 }),
    // few distinct scores, so ties are common
    scores: fc.array(fc.integer({ min: 0, max: 4 }).map((s) => s / 4), { minLength: 40, maxLength: 40 }),
    withScores: fc.boolean(),
  })
  .map(({ n, truth, predicted, scores, withScores }) => {
    const gt: ClassLabel[] = [];
    const pred: ClassPrediction[] = [];
    for (let i = 0; i < n; i++) {
      gt.push({ imageKey: `img${i}`, className: `c${truth[i]}` });
      const p = predicted[i] as number;
      if (p >= 0) pred.push(withScores ? { imageKey: `img${i}`, className: `c${p}`, score: scores[i] as number } : { imageKey: `img${i}`, className: `c${p}` });
    }
    // predictions in an order unrelated to the ground truth
    pred.reverse();
    return { gt, pred };
  });

/** Rounds numbers so that summation-order differences in the last bit do not matter. */
function rounded(value: unknown): unknown {
  if (typeof value === 'number') return Math.round(value * 1e12) / 1e12;
  if (Array.isArray(value)) return value.map(rounded);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)]));
  return value;
}

describe('classification metrics on random data', () => {
  it('agree with a naive reference implementation, missed images included', () => {
    fc.assert(
      fc.property(dataset, ({ gt, pred }) => {
        const { metrics } = evaluateClassification(classTable('gt', gt), classTable('pred', pred));
        expect(rounded(metrics)).toEqual(rounded(naive(gt, pred)));
      }),
      { numRuns: 300 },
    );
  });

  it('drill down to image sets whose sizes equal every count', () => {
    fc.assert(
      fc.property(dataset, ({ gt, pred }) => {
        const evaluation = evaluateClassification(classTable('gt', gt), classTable('pred', pred));
        const { metrics } = evaluation;
        for (const className of metrics.classes) {
          const m = metrics.perClass[className];
          const f1 = classificationDrillDown(evaluation, { metric: 'f1', className }).sets;
          const spec = classificationDrillDown(evaluation, { metric: 'specificity', className }).sets;
          expect([f1.tp?.length, f1.fp?.length, f1.fn?.length, spec.tn?.length]).toEqual([m?.tp, m?.fp, m?.fn, m?.tn]);
        }
        metrics.classes.forEach((t, ti) =>
          [...metrics.classes, null].forEach((p, pi) => {
            const images = classificationDrillDown(evaluation, { metric: 'confusion', trueClass: t, predictedClass: p }).sets.images;
            expect(images?.length).toBe(metrics.confusion[ti]?.[pi]);
          }),
        );
        const acc = classificationDrillDown(evaluation, { metric: 'accuracy' }).sets;
        expect((acc.correct?.length ?? 0) + (acc.wrong?.length ?? 0) + (acc.missed?.length ?? 0)).toBe(gt.length);
        const micro = classificationDrillDown(evaluation, { metric: 'f1', average: 'micro' }).sets;
        const sum = (f: 'tp' | 'fp' | 'fn') => Object.values(metrics.perClass).reduce((s, m) => s + m[f], 0);
        expect([micro.tp?.length, micro.fp?.length, micro.fn?.length]).toEqual([sum('tp'), sum('fp'), sum('fn')]);
      }),
      { numRuns: 200 },
    );
  });

  it('score the identity quantified-label matrix as the accuracy', () => {
    fc.assert(
      fc.property(dataset, ({ gt, pred }) => {
        const evaluation = evaluateClassification(classTable('gt', gt), classTable('pred', pred));
        const { classes } = evaluation.metrics;
        const identity = { name: 'identity', default: 0, values: Object.fromEntries(classes.map((c) => [c, { [c]: 1 }])) };
        const quant = scoreClassification(evaluation, identity).summary;
        if (evaluation.metrics.accuracy === null) expect(quant.score).toBeNull();
        else expect(quant.score).toBeCloseTo(evaluation.metrics.accuracy, 12);
        // and per class, the mean over a class's images is its recall
        for (const c of classes) {
          const recall = evaluation.metrics.perClass[c]?.recall ?? null;
          if (recall === null) expect(quant.perClass[c]?.score).toBeNull();
          else expect(quant.perClass[c]?.score).toBeCloseTo(recall, 12);
        }
      }),
      { numRuns: 200 },
    );
  });
});
