import { describe, expect, it } from 'vitest';
import type { RunMetrics, StandardResult } from '../../../../shared/contract';
import { confusionMax, figureColumns, hasMissed, resultRows, standardFor } from './result-rows';

const cls = (tp: number, fp: number, fn: number, tn: number) => ({
  tp,
  fp,
  fn,
  tn,
  support: tp + fn,
  precision: tp + fp ? tp / (tp + fp) : null,
  recall: tp + fn ? tp / (tp + fn) : null,
  specificity: tn + fp ? tn / (tn + fp) : null,
  f1: null,
});

const metrics: RunMetrics = {
  task: 'classification',
  classes: ['a', 'b'],
  confusion: [
    [2, 1, 0],
    [0, 3, 1],
  ],
  perClass: { a: cls(2, 0, 1, 4), b: cls(3, 1, 1, 2) },
  accuracy: 5 / 7,
  macro: { precision: 0.875, recall: 0.708, f1: 0.7 },
  micro: { precision: 5 / 6, recall: 5 / 7, f1: 0.77 },
  quant: [{ name: 'harm', matrixId: 9, version: 1, score: 1.5, perClass: { a: { score: 1.2 }, b: { score: 1.8 } } }],
};

const standard = (over: Partial<StandardResult>): StandardResult => ({
  standardId: 1,
  name: 's',
  metric: 'accuracy',
  className: null,
  comparison: '>=',
  threshold: 0.8,
  iou: null,
  value: 0.7,
  pass: false,
  disabled: false,
  ...over,
});

describe('run results rows', () => {
  it('has a row per class, the two averages and the overall row', () => {
    const rows = resultRows(metrics);
    expect(rows.map((r) => r.key)).toEqual(['class:a', 'class:b', 'macro', 'micro', 'overall']);
    expect(rows[1]?.figures).toMatchObject({ tp: 3, fp: 1, fn: 1, tn: 2, support: 4, precision: 0.75 });
    expect(rows[4]?.figures).toEqual({ accuracy: 5 / 7 });
    expect(rows[0]?.quant).toEqual({ 9: 1.2 });
    expect(rows[4]?.quant).toEqual({ 9: 1.5 });
  });

  it('leaves AUC out when the predictions had no scores', () => {
    expect(figureColumns(metrics)).not.toContain('auc');
    expect(figureColumns({ ...metrics, macro: { ...metrics.macro, auc: 0.9 } })).toContain('auc');
  });

  it('puts a standard on the cell it judges', () => {
    const s = [standard({ standardId: 1 }), standard({ standardId: 2, metric: 'recall', className: 'b' }), standard({ standardId: 3, metric: 'quant' })];
    expect(standardFor(s, { kind: 'overall' }, 'accuracy')?.standardId).toBe(1);
    expect(standardFor(s, { kind: 'class', className: 'b' }, 'recall')?.standardId).toBe(2);
    expect(standardFor(s, { kind: 'class', className: 'a' }, 'recall')).toBeUndefined();
    expect(standardFor(s, { kind: 'overall' }, 'quant')?.standardId).toBe(3);
    expect(standardFor([standard({ disabled: true })], { kind: 'overall' }, 'accuracy')).toBeUndefined();
  });

  it('scales the heat map and spots missed images', () => {
    expect(confusionMax(metrics.confusion)).toBe(3);
    expect(confusionMax([[0]])).toBe(1);
    expect(hasMissed(metrics.confusion, 2)).toBe(true);
    expect(hasMissed([[1, 0, 0]], 2)).toBe(false);
  });
});
