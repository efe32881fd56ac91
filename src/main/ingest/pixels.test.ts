import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kthSmallest, kthSmallestPair, resize } from './pixels';

describe('kthSmallest', () => {
  it('picks the same value as sorting a Float32Array, for any values and rank', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ noDefaultInfinity: false }), { minLength: 1, maxLength: 300 }),
        fc.nat(),
        (values, r) => {
          const a = Float32Array.from(values);
          const k = r % a.length;
          expect(Object.is(kthSmallest(a, k), Float32Array.from(a).sort()[k])).toBe(true);
          expect(Array.from(a)).toEqual(Array.from(Float32Array.from(values))); // input untouched
        },
      ),
    );
  });

  it('is undefined outside the array', () => {
    expect(kthSmallest(new Float32Array([1, 2]), 2)).toBeUndefined();
    expect(kthSmallest(new Float32Array(0), 0)).toBeUndefined();
  });
});

describe('kthSmallestPair', () => {
  it('picks both ranks as sorting would', () => {
    fc.assert(
      fc.property(fc.array(fc.float(), { minLength: 1, maxLength: 300 }), fc.nat(), fc.nat(), (values, r1, r2) => {
        const a = Float32Array.from(values);
        const [k1, k2] = [r1 % a.length, r2 % a.length].sort((x, y) => x - y) as [number, number];
        const sorted = Float32Array.from(a).sort();
        const [v1, v2] = kthSmallestPair(a, k1, k2);
        expect(Object.is(v1, sorted[k1]) && Object.is(v2, sorted[k2])).toBe(true);
      }),
    );
  });
});

describe('resize', () => {
  it('copies the values at the same size and averages areas when shrinking', () => {
    const values = Float32Array.from({ length: 16 }, (_, i) => i);
    expect(Array.from(resize({ width: 4, height: 4, values }, 4, 4))).toEqual(Array.from(values));
    // 4x4 -> 2x2: each cell is the mean of a 2x2 block.
    expect(Array.from(resize({ width: 4, height: 4, values }, 2, 2))).toEqual([2.5, 4.5, 10.5, 12.5]);
  });
});
