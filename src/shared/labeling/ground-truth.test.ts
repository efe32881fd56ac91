import { describe, expect, it } from 'vitest';
import { selectGroundTruth, type VersionFacts } from './ground-truth';

const v = (id: number, kind: VersionFacts['kind'], createdAt: string, accepted = false): VersionFacts => ({ id, kind, createdAt, accepted });

describe('the ground truth of an image', () => {
  it('is its newest gold version', () => {
    const r = selectGroundTruth([v(1, 'annotator', 't1', true), v(2, 'gold', 't2'), v(3, 'gold', 't3'), v(4, 'annotator', 't4', true)]);
    expect(r).toEqual({ source: 'gold', version: v(3, 'gold', 't3') });
  });

  it('orders versions of the same millisecond by id', () => {
    expect(selectGroundTruth([v(5, 'gold', 't'), v(6, 'gold', 't'), v(4, 'gold', 't')])?.version.id).toBe(6);
  });

  it('is else its newest accepted annotation, never a reviewer or unaccepted version', () => {
    expect(selectGroundTruth([v(1, 'annotator', 't1', true), v(2, 'annotator', 't2'), v(3, 'reviewer', 't3'), v(4, 'annotator', 't0', true)])).toEqual({
      source: 'accepted',
      version: v(1, 'annotator', 't1', true),
    });
  });

  it('is none without gold or accepted versions', () => {
    expect(selectGroundTruth([v(1, 'annotator', 't1'), v(2, 'reviewer', 't2')])).toBeNull();
    expect(selectGroundTruth([])).toBeNull();
  });
});
