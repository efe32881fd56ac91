import { describe, expect, it } from 'vitest';
import { rocAuc } from './auc';
import { classTable, evaluateClassification, type ClassLabel, type ClassPrediction } from './classification';
import { binaryCurve, classificationCurves, type BinaryCurve } from './curves';

const f64 = (v: number[]) => Float64Array.from(v);
const roc = (c: BinaryCurve) => c.points.map((p) => [p.fpr, p.tpr]);
const pr = (c: BinaryCurve) => c.points.map((p) => [p.tpr, p.precision]);

describe('binaryCurve', () => {
  it("matches scikit-learn's documented roc_curve / precision_recall_curve example", () => {
    // y_true = [0, 0, 1, 1], y_score = [0.1, 0.4, 0.35, 0.8]; sklearn documents
    // roc_curve: fpr [0, 0, 0.5, 0.5, 1], tpr [0, 0.5, 0.5, 1, 1], thresholds [inf, 0.8, 0.4, 0.35, 0.1]
    // precision_recall_curve: precision [0.5, 0.667, 0.5, 1, 1], recall [1, 1, 0.5, 0.5, 0], thresholds [0.1, 0.35, 0.4, 0.8]
    // (the PR arrays run by ascending threshold; ours run descending with the sklearn-appended (0, 1) first).
    const c = binaryCurve(f64([0.35, 0.8]), f64([0.1, 0.4]));
    expect(roc(c)).toEqual([
      [0, 0],
      [0, 0.5],
      [0.5, 0.5],
      [0.5, 1],
      [1, 1],
    ]);
    expect(c.points.map((p) => p.threshold)).toEqual([null, 0.8, 0.4, 0.35, 0.1]);
    expect(c.points.map((p) => p.cut)).toEqual(['none', 'score', 'score', 'score', 'score']);
    expect(pr(c).reverse()).toEqual([
      [1, 0.5],
      [1, 2 / 3],
      [0.5, 0.5],
      [0.5, 1],
      [0, 1],
    ]);
    // roc_auc_score of the same example is 0.75.
    expect(c.auc).toBe(0.75);
  });

  it('puts tied positive and negative scores on one threshold (a diagonal segment, half a pair)', () => {
    const c = binaryCurve(f64([0.5, 0.9]), f64([0.5]));
    expect(roc(c)).toEqual([
      [0, 0],
      [0, 0.5],
      [1, 1],
    ]);
    expect(c.points[2]).toMatchObject({ threshold: 0.5, tp: 2, fp: 1, precision: 2 / 3 });
    expect(c.auc).toBe(0.75);
  });

  it('closes the curve with the bottom group at threshold "all"', () => {
    const c = binaryCurve(f64([0.9]), f64([]), 1, 2);
    expect(c.points.map((p) => [p.cut, p.tp, p.fp])).toEqual([
      ['none', 0, 0],
      ['score', 1, 0],
      ['all', 2, 2],
    ]);
    // (0,0) → (0, ½) → (1, 1): ½·(½ + 1) = 0.75
    expect(c.auc).toBe(0.75);
  });

  it('has no curve without a positive or a negative', () => {
    expect(binaryCurve(f64([0.3]), f64([]))).toEqual({ positives: 1, negatives: 0, auc: null, points: [] });
    expect(binaryCurve(f64([]), f64([0.3]))).toEqual({ positives: 0, negatives: 1, auc: null, points: [] });
  });

  it('thins the drawn points evenly but keeps the exact area', () => {
    const pos = Array.from({ length: 50 }, (_, i) => i / 50 + 0.01);
    const neg = Array.from({ length: 50 }, (_, i) => i / 60);
    const full = binaryCurve(f64(pos), f64(neg));
    const thin = binaryCurve(f64(pos), f64(neg), 0, 0, 10);
    expect(thin.points).toHaveLength(10);
    expect(thin.points[0]).toEqual(full.points[0]);
    expect(thin.points[9]).toEqual(full.points[full.points.length - 1]);
    expect(thin.auc).toBe(full.auc);
  });
});

describe('classificationCurves', () => {
  const gt = (pairs: [string, string][]) => classTable('gt.csv', pairs.map(([imageKey, className]): ClassLabel => ({ imageKey, className })));
  const pred = (rows: [string, string, number][]) => classTable('pred.csv', rows.map(([imageKey, className, score]): ClassPrediction => ({ imageKey, className, score })));

  it('computes the worked example by hand (class cat)', () => {
    const evaluation = evaluateClassification(
      gt([
        ['img1', 'cat'],
        ['img2', 'cat'],
        ['img3', 'cat'],
        ['img4', 'dog'],
        ['img5', 'dog'],
        ['img6', 'bird'],
        ['img7', 'bird'],
        ['img8', 'cat'],
      ]),
      pred([
        ['img1', 'cat', 0.9],
        ['img2', 'dog', 0.8],
        ['img3', 'cat', 0.6],
        ['img4', 'dog', 0.7],
        ['img5', 'cat', 0.4],
        ['img6', 'bird', 0.95],
      ]),
    );
    const cat = classificationCurves(evaluation).cat as BinaryCurve;
    // Positives img1 0.9, img3 0.6, img2 and img8 at the bottom; negatives img5 0.4, three at the bottom.
    expect(cat.points.map((p) => [p.cut, p.threshold, p.tp, p.fp])).toEqual([
      ['none', null, 0, 0],
      ['score', 0.9, 1, 0],
      ['score', 0.6, 2, 0],
      ['score', 0.4, 2, 1],
      ['all', null, 4, 4],
    ]);
    expect(roc(cat)).toEqual([
      [0, 0],
      [0, 0.25],
      [0, 0.5],
      [0.25, 0.5],
      [1, 1],
    ]);
    expect(cat.points.map((p) => p.precision)).toEqual([1, 1, 1, 2 / 3, 0.5]);
    // (1·4 + 3·6) / (2·16) = 22/32
    expect(cat.auc).toBe(0.6875);
    expect(cat.auc).toBe(evaluation.metrics.perClass.cat?.auc);
  });

  it('has no curves when the predictions carry no scores', () => {
    const evaluation = evaluateClassification(gt([['a', 'x']]), classTable('pred.csv', [{ imageKey: 'a', className: 'x' }]));
    expect(classificationCurves(evaluation)).toEqual({});
  });

  it("equals the engine's AUC exactly for random runs with ties, misses and wrong classes", () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let round = 0; round < 40; round++) {
      const n = 5 + Math.floor(rand() * 200);
      const classes = ['a', 'b', 'c', 'd'].slice(0, 2 + Math.floor(rand() * 3));
      const pick = () => classes[Math.floor(rand() * classes.length)] as string;
      const truth: [string, string][] = [];
      const rows: [string, string, number][] = [];
      for (let i = 0; i < n; i++) {
        truth.push([`k${i}`, pick()]);
        // A coarse score grid makes ties frequent; one image in six is missed.
        if (rand() > 1 / 6) rows.push([`k${i}`, rand() < 0.6 ? (truth[i] as [string, string])[1] : pick(), Math.round(rand() * 10) / 10]);
      }
      const evaluation = evaluateClassification(gt(truth), pred(rows));
      const curves = classificationCurves(evaluation, 7);
      for (const c of evaluation.metrics.classes) {
        expect(curves[c]?.auc ?? null, `round ${round} class ${c}`).toBe(evaluation.metrics.perClass[c]?.auc ?? null);
      }
    }
  });

  it('equals rocAuc for a plain binary ranking', () => {
    const pos = [0.1, 0.5, 0.5, 0.7, 0.9, 0.2];
    const neg = [0.5, 0.3, 0.05, 0.7];
    expect(binaryCurve(f64(pos), f64(neg), 2, 3).auc).toBe(rocAuc(f64(pos), f64(neg), 2, 3));
  });
});
