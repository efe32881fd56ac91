import { afterEach, describe, expect, it } from 'vitest';
import { markRendered, RENDERED_MARK } from './render-marks';

afterEach(() => performance.clearMarks(RENDERED_MARK));

describe('viewer render marks', () => {
  it('leave one mark per rendered image with its id and index, in order', () => {
    markRendered('midc:1', 0);
    markRendered('midc:2', 1);
    const marks = performance.getEntriesByName(RENDERED_MARK) as PerformanceMark[];
    expect(marks.map((m) => m.detail)).toEqual([
      { imageId: 'midc:1', index: 0 },
      { imageId: 'midc:2', index: 1 },
    ]);
    expect((marks[1] as PerformanceMark).startTime).toBeGreaterThanOrEqual((marks[0] as PerformanceMark).startTime);
  });

  it('keep at most a thousand marks however long the session', () => {
    for (let i = 0; i < 2500; i++) markRendered(`midc:${i}`, i);
    const marks = performance.getEntriesByName(RENDERED_MARK) as PerformanceMark[];
    expect(marks.length).toBeLessThanOrEqual(1000);
    expect((marks[marks.length - 1] as PerformanceMark).detail).toEqual({ imageId: 'midc:2499', index: 2499 });
  });
});
