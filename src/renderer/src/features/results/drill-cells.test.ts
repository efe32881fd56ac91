import { describe, expect, it } from 'vitest';
import { drillCell } from '../../../../shared/contract';
import { compareRowDrill, confusionDrill, drillKey, membership, orderedSets, resultCellDrill } from './drill-cells';

describe('drill cell mapping', () => {
  it('maps a class row figure to that class and metric', () => {
    expect(resultCellDrill({ kind: 'class', className: 'benign' }, 'precision')).toEqual({ metric: 'precision', className: 'benign' });
    expect(resultCellDrill({ kind: 'class', className: 'benign' }, 'tn')).toEqual({ metric: 'tn', className: 'benign' });
    expect(resultCellDrill({ kind: 'class', className: 'benign' }, 'accuracy')).toBeNull();
  });

  it('maps averages, accuracy, mAP and quantified scores to their run-level sets', () => {
    expect(resultCellDrill({ kind: 'macro' }, 'recall')).toEqual({ metric: 'recall', average: 'macro' });
    expect(resultCellDrill({ kind: 'micro' }, 'f1')).toEqual({ metric: 'f1', average: 'micro' });
    expect(resultCellDrill({ kind: 'macro' }, 'auc')).toBeNull();
    expect(resultCellDrill({ kind: 'overall' }, 'accuracy')).toEqual({ metric: 'accuracy' });
    expect(resultCellDrill({ kind: 'overall' }, 'mAP')).toEqual({ metric: 'mAP', average: 'macro' });
    expect(resultCellDrill({ kind: 'overall' }, { quantMatrixId: 4 })).toEqual({ metric: 'quant', matrixId: 4 });
    expect(resultCellDrill({ kind: 'class', className: 'x' }, { quantMatrixId: 4 })).toBeNull();
  });

  it('reads the comparison grid row names of the backend', () => {
    expect(compareRowDrill('accuracy', null)).toEqual({ metric: 'accuracy' });
    expect(compareRowDrill('macro precision', null)).toEqual({ metric: 'precision', average: 'macro' });
    expect(compareRowDrill('micro recall', null)).toEqual({ metric: 'recall', average: 'micro' });
    expect(compareRowDrill('macro auc', null)).toBeNull();
    expect(compareRowDrill('fp', 'malignant')).toEqual({ metric: 'fp', className: 'malignant' });
    expect(compareRowDrill('quant Clinical harm', null)).toBeNull();
    expect(compareRowDrill('quant Clinical harm', 'benign')).toBeNull();
  });

  it('produces only requests the contract accepts', () => {
    const cells = [
      resultCellDrill({ kind: 'class', className: 'a' }, 'ap'),
      resultCellDrill({ kind: 'overall' }, 'mAP'),
      resultCellDrill({ kind: 'overall' }, { quantMatrixId: 1 }),
      compareRowDrill('micro f1', null),
      confusionDrill('a', null),
      confusionDrill('a', 'b'),
    ];
    for (const cell of cells) expect(drillCell.safeParse(cell).success, JSON.stringify(cell)).toBe(true);
  });

  it('gives every cell a distinct key', () => {
    const keys = [confusionDrill('a', null), confusionDrill('a', 'a'), { metric: 'accuracy' as const }, { metric: 'precision' as const, className: 'a' }, { metric: 'precision' as const, average: 'macro' as const }].map(drillKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('orders sets numerator first and lists each image with all its sets', () => {
    expect(orderedSets(['tp'], ['tp', 'fp'], ['fp', 'tp'])).toEqual(['tp', 'fp']);
    expect(orderedSets(['tp'], ['tp', 'fn'], ['tp'])).toEqual(['tp']);
    const m = membership({ tp: [1, 2], fp: [2, 3] });
    expect(m.get(2)).toEqual(['tp', 'fp']);
    expect(m.get(3)).toEqual(['fp']);
  });
});
