import { describe, expect, it } from 'vitest';
import type { DetailView, RunSliceView } from '../../../../shared/contract';
import { detailGridRows, filterDetail } from './compare/detail-grid';
import { detailRunOrder } from './compare-store';
import { matchesQuickFilter } from './drill/DrillDialog';
import { shownIds, type ImageSet } from './drill-store';
import { sliceRows } from './runs/SlicesPanel';

/** A one-run detail of images 1..n with the given status codes (0 fixed, 1 broken, ...). */
const detail = (status: number[]): DetailView => ({
  runIds: [7],
  imageIds: status.map((_, i) => i + 1),
  classes: ['a'],
  outcomeNames: ['correct'],
  trueClass: status.map(() => 0),
  outcomes: [status.map(() => 0)],
  predicted: [status.map(() => 0)],
  status,
  counts: { fixed: 0, broken: 0, still_wrong: 0, always_right: 0, mixed: 0 },
});

describe('comparison and drill-down views', () => {
  it('puts the baseline first for the detail table (its status compares first with last)', () => {
    expect(detailRunOrder([3, 1, 2], 2)).toEqual([2, 3, 1]);
    expect(detailRunOrder([3, 1], null)).toEqual([3, 1]);
    expect(detailRunOrder([3, 1], 9)).toEqual([3, 1]);
  });

  it('filters the detail rows by status', () => {
    const view = detail([0, 1, 0]);
    const rows = detailGridRows(view);
    expect(filterDetail(view, rows, 'fixed').map((r) => view.imageIds[r.i])).toEqual([1, 3]);
    expect(filterDetail(view, rows, 'broken').map((r) => view.imageIds[r.i])).toEqual([2]);
    expect(filterDetail(view, rows, 'all')).toHaveLength(3);
  });

  it('shows all ids of a drill-down or only those of the picked set', () => {
    const set: ImageSet = {
      title: '',
      source: { kind: 'ids', ids: [1, 2, 3] },
      drill: { sets: { tp: [1, 2], fp: [3] }, numerator: ['tp'], denominator: ['tp', 'fp'], imageIds: [1, 2, 3] },
      runId: 1,
      contextRunIds: [1],
      testId: 'drill',
    };
    expect(shownIds(set, 'all')).toEqual([1, 2, 3]);
    expect(shownIds(set, 'fp')).toEqual([3]);
    expect(shownIds(set, 'fn')).toEqual([]);
    expect(shownIds({ ...set, source: { kind: 'filter', filter: { tags: [] } } }, 'all')).toBeNull();
  });

  it('matches the quick filter on id, name and tags, case-insensitively', () => {
    const row = { id: 12, originalName: 'study-012.png', tags: { institution: 'Demo Hospital' } };
    expect(matchesQuickFilter(row, '')).toBe(true);
    expect(matchesQuickFilter(row, '12')).toBe(true);
    expect(matchesQuickFilter(row, 'STUDY')).toBe(true);
    expect(matchesQuickFilter(row, 'demo hosp')).toBe(true);
    expect(matchesQuickFilter(row, 'institution=demo')).toBe(true);
    expect(matchesQuickFilter(row, 'ct')).toBe(false);
  });

  it('lists the whole run first, then each slice with its link', () => {
    const metrics = { task: 'classification' as const, confusion: [[1]], metrics: { classes: ['a'], confusion: [[1, 0]], perClass: {}, accuracy: 1, macro: { precision: 1, recall: 1, f1: 1 }, micro: { precision: 1, recall: 1, f1: 1 } } };
    const view: RunSliceView = {
      runId: 1,
      task: 'classification',
      tagKey: 'institution',
      classes: ['a'],
      whole: { images: 3, result: metrics },
      slices: [
        { value: 'A', images: 2, result: metrics, link: { kind: 'tag', namespace: 'source', key: 'institution', value: 'A' } },
        { value: null, images: 1, result: metrics, link: null },
      ],
    };
    const rows = sliceRows(view);
    expect(rows.map((r) => [r.whole, r.value, r.images, r.headline])).toEqual([
      [true, null, 3, 1],
      [false, 'A', 2, 1],
      [false, null, 1, 1],
    ]);
    expect(rows[1]?.link).toMatchObject({ kind: 'tag', value: 'A' });
  });
});
