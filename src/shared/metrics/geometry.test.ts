import { describe, expect, it } from 'vitest';
import { dice, intersectionArea, iou } from './geometry';

describe('box geometry', () => {
  it('gives IoU 1 and Dice 1 for identical boxes', () => {
    const a = { x: 3, y: 4, w: 10, h: 20 };
    expect(iou(a, a)).toBe(1);
    expect(dice(a, a)).toBe(1);
  });

  it('computes a half-overlap by hand', () => {
    // a = [0,10]x[0,10] (area 100), b = [5,15]x[0,10] (area 100): overlap 5x10 = 50,
    // union 150 -> IoU 1/3; Dice 2*50/200 = 1/2.
    const a = { x: 0, y: 0, w: 10, h: 10 };
    const b = { x: 5, y: 0, w: 10, h: 10 };
    expect(intersectionArea(a, b)).toBe(50);
    expect(iou(a, b)).toBeCloseTo(1 / 3, 15);
    expect(dice(a, b)).toBe(0.5);
  });

  it('computes a box inside another by hand', () => {
    // b = [2,6]x[2,6] (16) inside a = [0,8]x[0,8] (64): IoU 16/64 = 0.25, Dice 32/80 = 0.4.
    const a = { x: 0, y: 0, w: 8, h: 8 };
    const b = { x: 2, y: 2, w: 4, h: 4 };
    expect(iou(a, b)).toBe(0.25);
    expect(dice(a, b)).toBe(0.4);
  });

  it('computes a corner overlap with fractional coordinates by hand', () => {
    // a = [0,4]x[0,4] (16), b = [2.5,6.5]x[3,7] (16): overlap 1.5 x 1 = 1.5,
    // union 30.5 -> IoU 3/61; Dice 3/32.
    const a = { x: 0, y: 0, w: 4, h: 4 };
    const b = { x: 2.5, y: 3, w: 4, h: 4 };
    expect(iou(a, b)).toBeCloseTo(3 / 61, 15);
    expect(dice(a, b)).toBeCloseTo(3 / 32, 15);
  });

  it('gives 0 for boxes that only touch or are apart', () => {
    const a = { x: 0, y: 0, w: 10, h: 10 };
    expect(iou(a, { x: 10, y: 0, w: 5, h: 5 })).toBe(0);
    expect(iou(a, { x: 50, y: 50, w: 5, h: 5 })).toBe(0);
    expect(dice(a, { x: 0, y: 10, w: 5, h: 5 })).toBe(0);
  });

  it('gives 0, not NaN, for two boxes of zero area', () => {
    const point = { x: 1, y: 1, w: 0, h: 0 };
    expect(iou(point, point)).toBe(0);
    expect(dice(point, point)).toBe(0);
  });

  it('is symmetric', () => {
    const a = { x: 1, y: 2, w: 7, h: 3 };
    const b = { x: 4, y: 0, w: 2, h: 9 };
    expect(iou(a, b)).toBe(iou(b, a));
    expect(dice(a, b)).toBe(dice(b, a));
  });
});
