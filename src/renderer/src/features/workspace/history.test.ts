import { describe, expect, it } from 'vitest';
import type { Mark } from '../../../../shared/labeling';
import { EMPTY_HISTORY, HISTORY_LIMIT, record, redo, undo } from './history';

const m = (id: string): Mark => ({ id, class: 'c', shape: 'probe', frame: 0, geometry: { point: [1, 2] }, attributes: {} });

describe('undo/redo over marks', () => {
  it('undoes to the marks before and redoes to the marks after, across images', () => {
    let h = record(EMPTY_HISTORY, { imageId: 1, before: [], after: [m('a')] });
    h = record(h, { imageId: 2, before: [], after: [m('b')] });
    const u1 = undo(h);
    expect(u1?.apply).toEqual({ imageId: 2, marks: [] });
    const u2 = undo(u1!.history);
    expect(u2?.apply).toEqual({ imageId: 1, marks: [] });
    expect(undo(u2!.history)).toBeNull();
    const r1 = redo(u2!.history);
    expect(r1?.apply).toEqual({ imageId: 1, marks: [m('a')] });
    expect(redo(r1!.history)?.apply).toEqual({ imageId: 2, marks: [m('b')] });
  });

  it('drops the redo branch on a new change and ignores changes that change nothing', () => {
    const h = record(EMPTY_HISTORY, { imageId: 1, before: [], after: [m('a')] });
    const undone = undo(h)!.history;
    const changed = record(undone, { imageId: 1, before: [], after: [m('c')] });
    expect(changed.future).toEqual([]);
    expect(record(changed, { imageId: 1, before: [m('c')], after: [m('c')] })).toBe(changed);
  });

  it('keeps at most the newest HISTORY_LIMIT steps', () => {
    let h = EMPTY_HISTORY;
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) h = record(h, { imageId: 1, before: [], after: [m(String(i))] });
    expect(h.past).toHaveLength(HISTORY_LIMIT);
    expect(h.past[0]?.after[0]?.id).toBe('5');
  });
});
