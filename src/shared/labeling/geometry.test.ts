import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ELLIPSE_VERTICES, ellipsePolygon, fanIntersectionArea, intersectionArea, markBbox, markOverlap, polygonArea, polygonOverlap, type Polygon } from './geometry';
import type { Mark } from './marks';

const rect = (x: number, y: number, width: number, height: number, extra: Partial<Mark> = {}): Mark =>
  ({ id: 'r', class: 'c', shape: 'rectangle', frame: 0, geometry: { x, y, width, height }, attributes: {}, ...extra }) as Mark;
const ellipse = (cx: number, cy: number, rx: number, ry: number): Mark =>
  ({ id: 'e', class: 'c', shape: 'ellipse', frame: 0, geometry: { cx, cy, rx, ry }, attributes: {} }) as Mark;
const freehand = (points: [number, number][]): Mark => ({ id: 'f', class: 'c', shape: 'freehand', frame: 0, geometry: { points }, attributes: {} }) as Mark;

/** Area fraction of an ellipse its inscribed N-gon covers: (N/2π)·sin(2π/N). */
const POLY_FRACTION = (ELLIPSE_VERTICES / (2 * Math.PI)) * Math.sin((2 * Math.PI) / ELLIPSE_VERTICES);
const EPS = 1 - POLY_FRACTION;
/** The documented bound on the IoU error of ellipses: 4ε. */
const IOU_BOUND = 4 * EPS;

// An L: the square [0,2]² without the unit square [1,2]². Area 3.
const L: [number, number][] = [
  [0, 0],
  [2, 0],
  [2, 1],
  [1, 1],
  [1, 2],
  [0, 2],
];

describe('polygon geometry', () => {
  it('documents an ellipse polygon area error below 0.17 %', () => {
    expect(EPS).toBeLessThan(0.0017);
    expect(polygonArea(ellipsePolygon(0, 0, 3, 2)) / (Math.PI * 6)).toBeCloseTo(POLY_FRACTION, 12);
  });

  it('computes IoU and Dice of rectangles as by hand', () => {
    // (0,0,2,2) and (1,1,2,2): intersection 1, union 7.
    const o = markOverlap(rect(0, 0, 2, 2), rect(1, 1, 2, 2));
    expect(o?.iou).toBeCloseTo(1 / 7, 12);
    expect(o?.dice).toBeCloseTo(2 / 8, 12);
    // (0,0,4,4) and (2,0,4,4): intersection 8, union 24.
    const p = markOverlap(rect(0, 0, 4, 4), rect(2, 0, 4, 4));
    expect(p?.iou).toBeCloseTo(1 / 3, 12);
    expect(p?.dice).toBeCloseTo(0.5, 12);
    expect(markOverlap(rect(0, 0, 1, 1), rect(1, 0, 1, 1))?.iou).toBe(0);
    expect(markOverlap(rect(0, 0, 1, 1), rect(5, 5, 1, 1))?.iou).toBe(0);
    expect(markOverlap(rect(0, 0, 3, 5), rect(0, 0, 3, 5))?.iou).toBeCloseTo(1, 12);
  });

  it('gives concentric circles their exact IoU (both polygons scale alike)', () => {
    const o = markOverlap(ellipse(10, 10, 1, 1), ellipse(10, 10, 2, 2));
    expect(o?.iou).toBeCloseTo(0.25, 12);
    expect(o?.dice).toBeCloseTo(0.4, 12);
  });

  it('stays within the documented bound for a circle and its bounding square', () => {
    const o = markOverlap(ellipse(0, 0, 1, 1), rect(-1, -1, 2, 2)) as { iou: number };
    expect(Math.abs(o.iou - Math.PI / 4)).toBeLessThan(IOU_BOUND);
    expect(o.iou).toBeCloseTo(POLY_FRACTION * (Math.PI / 4), 10);
  });

  it('stays within the documented bound for two overlapping circles (lens area)', () => {
    // Unit circles one radius apart: lens = 2·acos(1/2) − (1/2)·√3.
    const lens = 2 * Math.acos(0.5) - 0.5 * Math.sqrt(3);
    const truth = lens / (2 * Math.PI - lens);
    const o = markOverlap(ellipse(0, 0, 1, 1), ellipse(1, 0, 1, 1)) as { iou: number; dice: number };
    expect(Math.abs(o.iou - truth)).toBeLessThan(IOU_BOUND);
    expect(Math.abs(o.dice - lens / Math.PI)).toBeLessThan(IOU_BOUND);
  });

  it('intersects a non-convex freehand outline exactly, in either orientation', () => {
    expect(polygonArea(L)).toBe(3);
    expect(markOverlap(freehand(L), rect(1, 1, 1, 1))?.iou).toBeCloseTo(0, 12);
    expect(markOverlap(freehand(L), rect(0, 0, 2, 2))?.iou).toBeCloseTo(3 / 4, 12);
    // (0.5,0.5,1,1) loses its quarter [1,1.5]² to the notch: 0.75 inside; union 3 + 1 − 0.75.
    expect(markOverlap(freehand(L), rect(0.5, 0.5, 1, 1))?.iou).toBeCloseTo(0.75 / 3.25, 12);
    expect(markOverlap(freehand([...L].reverse()), rect(0.5, 0.5, 1, 1))?.iou).toBeCloseTo(0.75 / 3.25, 12);
    expect(markOverlap(freehand(L), freehand(L))?.iou).toBeCloseTo(1, 12);
    // The L shifted by (1,0) covers [1,3]×[0,1] ∪ [1,2]×[1,2]; in common with the L: [1,2]×[0,1].
    const shifted = L.map(([x, y]) => [x + 1, y] as [number, number]);
    expect(intersectionArea(L, shifted)).toBeCloseTo(1, 12);
  });

  it('agrees between the convex clip and the triangle-fan method on random convex polygons', () => {
    const pt = fc.tuple(fc.integer({ min: -20, max: 20 }), fc.integer({ min: -20, max: 20 }));
    fc.assert(
      fc.property(fc.array(pt, { minLength: 3, maxLength: 8 }), fc.array(pt, { minLength: 3, maxLength: 8 }), (pa, pb) => {
        const a = convexHull(pa);
        const b = convexHull(pb);
        if (a.length < 3 || b.length < 3) return;
        expect(fanIntersectionArea(a, b)).toBeCloseTo(intersectionArea(a, b), 6);
      }),
    );
  });

  it('keeps IoU symmetric, within [0, 1] and equal to the box formula for rectangles', () => {
    const r = fc.record({ x: fc.integer({ min: 0, max: 50 }), y: fc.integer({ min: 0, max: 50 }), w: fc.integer({ min: 1, max: 30 }), h: fc.integer({ min: 1, max: 30 }) });
    fc.assert(
      fc.property(r, r, (a, b) => {
        const ab = polygonOverlap(box(a), box(b));
        const ba = polygonOverlap(box(b), box(a));
        const iw = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
        const ih = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
        const expected = (iw * ih) / (a.w * a.h + b.w * b.h - iw * ih);
        expect(ab.iou).toBeCloseTo(expected, 9);
        expect(ba.iou).toBeCloseTo(ab.iou, 9);
        expect(ab.iou).toBeGreaterThanOrEqual(0);
        expect(ab.iou).toBeLessThanOrEqual(1 + 1e-12);
        expect(ab.dice).toBeCloseTo((2 * ab.iou) / (1 + ab.iou), 9);
      }),
    );
  });

  it('never overlaps marks on different frames and has no IoU for marks without an area', () => {
    expect(markOverlap(rect(0, 0, 2, 2), rect(0, 0, 2, 2, { frame: 1 }))?.iou).toBe(0);
    const length = { id: 'l', class: 'c', shape: 'length', frame: 0, geometry: { start: [0, 0], end: [3, 4] }, attributes: {} } as Mark;
    expect(markOverlap(rect(0, 0, 2, 2), length)).toBeNull();
    expect(markBbox(length)).toEqual([0, 0, 3, 4]);
    expect(markBbox(ellipse(10, 20, 3, 4))).toEqual([7, 16, 6, 8]);
  });
});

function box(r: { x: number; y: number; w: number; h: number }): Polygon {
  return [
    [r.x, r.y],
    [r.x + r.w, r.y],
    [r.x + r.w, r.y + r.h],
    [r.x, r.y + r.h],
  ];
}

/** Andrew's monotone chain. */
function convexHull(points: [number, number][]): [number, number][] {
  const p = [...new Map(points.map((q) => [q.join(','), q])).values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p;
  const cross = (o: [number, number], a: [number, number], b: [number, number]) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: [number, number][] = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, q) <= 0) lower.pop();
    lower.push(q);
  }
  const upper: [number, number][] = [];
  for (const q of [...p].reverse()) {
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, q) <= 0) upper.pop();
    upper.push(q);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}
