import { describe, expect, it } from 'vitest';
import type { CompareRow } from '../../../../shared/contract';
import { deltaTone, deltasAgainst, formatDelta, formatFigure, toneCounts } from './compare-rules';

const row = (metric: string, values: Record<number, number | null>, higherIsBetter = true): CompareRow => ({
  metric,
  className: null,
  values,
  deltas: {},
  higherIsBetter,
});

describe('comparison colour rules', () => {
  it('calls a rise better when higher is better, and worse for counts of errors', () => {
    expect(deltaTone(0.05, true)).toBe('better');
    expect(deltaTone(-0.05, true)).toBe('worse');
    expect(deltaTone(2, false)).toBe('worse');
    expect(deltaTone(-2, false)).toBe('better');
  });

  it('calls a change within rounding the same and an unknown delta nothing', () => {
    expect(deltaTone(1e-12, true)).toBe('same');
    expect(deltaTone(0, false)).toBe('same');
    expect(deltaTone(null, true)).toBeNull();
    expect(deltaTone(Number.NaN, true)).toBeNull();
  });

  it('recomputes deltas against another baseline, null where either side is null', () => {
    expect(deltasAgainst(row('accuracy', { 1: 0.5, 2: 0.75, 3: null }), 2)).toEqual({ 1: -0.25, 2: 0, 3: null });
    expect(deltasAgainst(row('accuracy', { 1: 0.5, 2: null }), 2)).toEqual({ 1: null, 2: null });
  });

  it('counts better and worse rows of a run and none for the baseline itself', () => {
    const rows = [row('accuracy', { 1: 0.5, 2: 0.75 }), row('fp', { 1: 3, 2: 5 }, false), row('recall', { 1: 0.5, 2: 0.5 })];
    expect(toneCounts(rows, 2, 1)).toEqual({ better: 1, worse: 1, same: 1 });
    expect(toneCounts(rows, 1, 1)).toEqual({ better: 0, worse: 0, same: 0 });
  });

  it('formats counts as integers, ratios with 3 decimals and deltas with their sign', () => {
    expect(formatFigure(3, 'tp')).toBe('3');
    expect(formatFigure(0.5, 'precision')).toBe('0.500');
    expect(formatFigure(null, 'precision')).toBe('—');
    expect(formatDelta(0.0312, 'recall')).toBe('+0.031');
    expect(formatDelta(-2, 'fp')).toBe('−2');
    expect(formatDelta(0, 'f1')).toBe('±0.000');
  });
});
