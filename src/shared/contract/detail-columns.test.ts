import { describe, expect, it } from 'vitest';
import { decodeDetail, detailRowAt, Dictionary } from './detail-columns';
import type { DetailView } from './evaluation';

/** Three images over two runs (ids 5 and 9): codes index the dictionaries, -1 is null. */
const view: DetailView = {
  runIds: [5, 9],
  imageIds: [11, 12, 40],
  classes: ['benign', 'malignant', '正常'],
  outcomeNames: ['correct', 'wrong', 'missed'],
  trueClass: [0, 2, 1],
  outcomes: [
    [1, 0, -1],
    [0, 2, 1],
  ],
  predicted: [
    [1, 2, -1],
    [0, -1, 0],
  ],
  status: [0, 1, 2],
  counts: { fixed: 1, broken: 1, still_wrong: 1, always_right: 0, mixed: 0 },
};

describe('columnar detail', () => {
  it('decodes each row: image, truth, outcome and prediction per run, status', () => {
    expect(decodeDetail(view)).toEqual([
      { imageId: 11, trueClass: 'benign', outcomes: { 5: 'wrong', 9: 'correct' }, predicted: { 5: 'malignant', 9: 'benign' }, status: 'fixed' },
      { imageId: 12, trueClass: '正常', outcomes: { 5: 'correct', 9: 'missed' }, predicted: { 5: '正常', 9: null }, status: 'broken' },
      { imageId: 40, trueClass: 'malignant', outcomes: { 5: null, 9: 'wrong' }, predicted: { 5: null, 9: 'benign' }, status: 'still_wrong' },
    ]);
    expect(detailRowAt(view, 2).outcomes).toEqual({ 5: null, 9: 'wrong' });
  });

  it('codes strings in order of first use, null as -1, and round-trips them', () => {
    const d = new Dictionary();
    expect(['b', 'a', 'b', null, 'c', undefined, 'a'].map((v) => d.code(v))).toEqual([0, 1, 0, -1, 2, -1, 1]);
    expect(d.values).toEqual(['b', 'a', 'c']);
  });
});
