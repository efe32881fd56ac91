import { describe, expect, it } from 'vitest';
import { mark as markSchema, type Mark } from '../../../../shared/labeling';
import { marksToToolState, toolStateToMarks, type ImageToolState } from './marks-convert';

const base = { attributes: {}, frame: 0 } as const;
const MARKS: Mark[] = [
  { ...base, id: 'r', class: 'nodule', shape: 'rectangle', geometry: { x: 10.125, y: 20.5, width: 30.25, height: 12 } },
  { ...base, id: 'e', class: 'nodule', shape: 'ellipse', geometry: { cx: 64.123, cy: 50.001, rx: 5.456, ry: 3.3 }, attributes: { size: 4 } },
  { ...base, id: 'f', class: 'mass', shape: 'freehand', geometry: { points: [[1, 1], [10.5, 2.25], [8, 9.999], [0.001, 7]] } },
  { ...base, id: 'l', class: 'nodule', shape: 'length', geometry: { start: [3, 4], end: [33.3, 44.4] } },
  { ...base, id: 'b', class: 'mass', shape: 'bidirectional', geometry: { long: [[10, 10], [40, 40]], short: [[30, 20], [20, 30]] } },
  { ...base, id: 'p', class: 'mass', shape: 'probe', geometry: { point: [5.5, 6.5] } },
  { ...base, id: 'a', class: 'nodule', shape: 'arrow', geometry: { start: [100, 100], end: [80, 90] }, text: 'look' },
];

describe('tool state ↔ marks', () => {
  it('gives back exactly the marks it was given, for every shape, in the same order', () => {
    const state = marksToToolState(MARKS);
    const { marks, rejected } = toolStateToMarks(state);
    expect(rejected).toEqual([]);
    expect(marks).toEqual(MARKS);
    // And the marks are valid for the backend's schema as they are.
    for (const m of marks) expect(markSchema.parse(m)).toEqual(m);
  });

  it('is stable after a second round trip (what is saved is what reopening shows)', () => {
    const once = toolStateToMarks(marksToToolState(MARKS)).marks;
    const twice = toolStateToMarks(marksToToolState(once)).marks;
    expect(twice).toEqual(once);
  });

  it('reads cornerstone-tools measurements in image pixels, rounded to 1/1000 px', () => {
    const state: ImageToolState = {
      EllipticalRoi: {
        data: [{ midcId: 'x', midcClass: 'nodule', midcSeq: 1, handles: { start: { x: 70.00012, y: 30.4 }, end: { x: 50.00049, y: 60.2 } } }],
      },
      RectangleRoi: { data: [{ midcId: 'y', midcClass: 'nodule', midcSeq: 0, handles: { start: { x: 9, y: 9 }, end: { x: 1, y: 2 } } }] },
    };
    const { marks } = toolStateToMarks(state);
    expect(marks.map((m) => m.id)).toEqual(['y', 'x']);
    expect(marks[0]?.geometry).toEqual({ x: 1, y: 2, width: 8, height: 7 });
    expect(marks[1]?.geometry).toEqual({ cx: 60, cy: 45.3, rx: 10, ry: 14.9 });
  });

  it('puts the arrow tip where cornerstone-tools draws the head (handles.start)', () => {
    const state = marksToToolState([MARKS[6] as Mark]);
    const data = state.ArrowAnnotate?.data[0];
    expect(data?.handles.start).toMatchObject({ x: 80, y: 90 });
    expect(data?.handles.end).toMatchObject({ x: 100, y: 100 });
    expect(data?.text).toBe('look');
  });

  it('closes a freehand outline: each vertex links to the next, the last to the first', () => {
    const points = marksToToolState([MARKS[2] as Mark]).FreehandRoi?.data[0]?.handles.points ?? [];
    expect(points).toHaveLength(4);
    expect(points[3]?.lines).toEqual([{ x: 1, y: 1 }]);
    expect(points[0]?.lines).toEqual([{ x: 10.5, y: 2.25 }]);
  });

  it('rejects a click without a drag and skips measurements nobody claimed', () => {
    const state: ImageToolState = {
      RectangleRoi: { data: [{ midcId: 'z', midcClass: 'nodule', handles: { start: { x: 5, y: 5 }, end: { x: 5, y: 9 } } }] },
      Length: { data: [{ handles: { start: { x: 1, y: 1 }, end: { x: 9, y: 9 } } }] },
    };
    const { marks, rejected } = toolStateToMarks(state);
    expect(marks).toEqual([]);
    expect(rejected.map((r) => r.tool)).toEqual(['RectangleRoi']);
  });

  it('keeps the marks of other frames out of a frame’s tool state and gives them the class colour', () => {
    const other: Mark = { ...(MARKS[0] as Mark), id: 'r2', frame: 2 };
    const state = marksToToolState([MARKS[0] as Mark, other], 0, (c) => (c === 'nodule' ? '#ff0000' : undefined));
    expect(state.RectangleRoi?.data.map((d) => d.midcId)).toEqual(['r']);
    expect(state.RectangleRoi?.data[0]?.color).toBe('#ff0000');
    expect(toolStateToMarks(marksToToolState([other], 2), 2).marks).toEqual([other]);
  });
});
