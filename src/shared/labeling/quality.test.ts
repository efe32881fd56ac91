import { describe, expect, it } from 'vitest';
import type { AnnotationDoc, Mark } from './marks';
import { agreement, cohensKappa, scoreAgainstGold } from './quality';

const rect = (id: string, cls: string, x: number, y: number, w: number, h: number): Mark =>
  ({ id, class: cls, shape: 'rectangle', frame: 0, geometry: { x, y, width: w, height: h }, attributes: {} }) as Mark;
const probe = (id: string): Mark => ({ id, class: 'nodule', shape: 'probe', frame: 0, geometry: { point: [1, 1] }, attributes: {} }) as Mark;
const doc = (marks: Mark[], imageClass: string | null = null): AnnotationDoc => ({ imageClass, marks });

describe("Cohen's kappa", () => {
  it('matches the hand-computed textbook case (po 0.7, pe 0.5, kappa 0.4)', () => {
    const pairs: [string, string][] = [
      ...Array.from({ length: 20 }, () => ['yes', 'yes'] as [string, string]),
      ...Array.from({ length: 5 }, () => ['yes', 'no'] as [string, string]),
      ...Array.from({ length: 10 }, () => ['no', 'yes'] as [string, string]),
      ...Array.from({ length: 15 }, () => ['no', 'no'] as [string, string]),
    ];
    const k = cohensKappa(pairs);
    expect(k.observed).toBeCloseTo(0.7, 12);
    expect(k.expected).toBeCloseTo(0.5, 12);
    expect(k.kappa).toBeCloseTo(0.4, 12);
  });

  it('is 1 for perfect agreement over several categories, negative below chance, null when undefined', () => {
    expect(cohensKappa([['a', 'a'], ['b', 'b'], ['c', 'c']]).kappa).toBeCloseTo(1, 12);
    // Always disagreeing on two balanced categories: po 0, pe 0.5 → −1.
    expect(cohensKappa([['a', 'b'], ['b', 'a']]).kappa).toBeCloseTo(-1, 12);
    expect(cohensKappa([]).kappa).toBeNull();
    expect(cohensKappa([['a', 'a'], ['a', 'a']]).kappa).toBeNull();
  });
});

describe('agreement between annotators', () => {
  it('matches shapes by class greedily by IoU and counts the unmatched as 0', () => {
    const a = [rect('a1', 'nodule', 0, 0, 2, 2), rect('a2', 'mass', 10, 10, 2, 2), probe('a3')];
    // b1 overlaps a1 with IoU 1/7; b2 covers a2 exactly but is a nodule, so it cannot pair with it.
    const b = [rect('b1', 'nodule', 1, 1, 2, 2), rect('b2', 'nodule', 10, 10, 2, 2)];
    const r = agreement(a, b);
    expect(r.pairs).toEqual([{ a: 0, b: 0, iou: expect.closeTo(1 / 7, 12), dice: expect.closeTo(0.25, 12) }]);
    expect(r.onlyA).toBe(1);
    expect(r.onlyB).toBe(1);
    expect(r.meanIoU).toBeCloseTo(1 / 7 / 3, 12);
    expect(r.matchedMeanIoU).toBeCloseTo(1 / 7, 12);
    expect(r.unscored).toBe(1);
    expect(agreement([], []).meanIoU).toBeNull();
  });

  it('gives each mark its best free partner first', () => {
    // a0 overlaps b0 (IoU 1/3) and b1 (IoU 1); a1 overlaps both with IoU 0.6.
    // Greedy takes a0–b1 first, so a1 gets b0 instead of losing out to a0.
    const a = [rect('a0', 'c', 0, 0, 4, 4), rect('a1', 'c', 1, 0, 4, 4)];
    const b = [rect('b0', 'c', 2, 0, 4, 4), rect('b1', 'c', 0, 0, 4, 4)];
    const r = agreement(a, b);
    expect(r.pairs.map((p) => [p.a, p.b])).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(r.pairs[1]?.iou).toBeCloseTo(0.6, 12);
  });
});

describe('score against gold (CVAT-style)', () => {
  it('sorts marks into matched, wrong class, low overlap, missing and extra', () => {
    const gold = doc(
      [rect('g1', 'nodule', 0, 0, 10, 10), rect('g2', 'mass', 20, 0, 10, 10), rect('g3', 'nodule', 40, 0, 10, 10), rect('g4', 'nodule', 60, 0, 10, 10)],
      'malignant',
    );
    const candidate = doc(
      [
        rect('c1', 'nodule', 1, 0, 10, 10), // IoU 90/110 with g1: matched
        rect('c2', 'nodule', 20, 0, 10, 10), // exactly on g2, other class: wrong class
        rect('c3', 'nodule', 45, 0, 10, 10), // IoU 50/150 with g3: low overlap
        rect('c4', 'nodule', 100, 100, 5, 5), // nothing there: extra
        probe('c5'), // no area: unscored
      ],
      'benign',
    );
    const s = scoreAgainstGold(candidate, gold);
    expect(s.matched).toEqual([{ candidate: { id: 'c1', class: 'nodule' }, gold: { id: 'g1', class: 'nodule' }, iou: expect.closeTo(90 / 110, 12) }]);
    expect(s.wrongClass.map((p) => [p.candidate.id, p.gold.id])).toEqual([['c2', 'g2']]);
    expect(s.lowOverlap.map((p) => [p.candidate.id, p.gold.id, p.iou])).toEqual([['c3', 'g3', expect.closeTo(1 / 3, 12)]]);
    expect(s.missing).toEqual([{ id: 'g4', class: 'nodule' }]);
    expect(s.extra).toEqual([{ id: 'c4', class: 'nodule' }]);
    expect(s.unscored).toBe(1);
    expect(s.accuracy).toBeCloseTo(1 / 5, 12);
    expect(s.precision).toBeCloseTo(1 / 4, 12);
    expect(s.recall).toBeCloseTo(1 / 4, 12);
    expect(s.imageClassCorrect).toBe(false);
  });

  it('uses the configured threshold and keeps 0/0 ratios null', () => {
    const gold = doc([rect('g', 'nodule', 0, 0, 10, 10)]);
    const candidate = doc([rect('c', 'nodule', 5, 0, 10, 10)]); // IoU 1/3
    expect(scoreAgainstGold(candidate, gold, 0.5).lowOverlap).toHaveLength(1);
    expect(scoreAgainstGold(candidate, gold, 0.3).matched).toHaveLength(1);
    const empty = scoreAgainstGold(doc([]), doc([]));
    expect([empty.accuracy, empty.precision, empty.recall, empty.meanIoU, empty.imageClassCorrect]).toEqual([null, null, null, null, null]);
  });
});
