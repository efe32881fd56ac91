import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kthSmallest } from './pixels';

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
