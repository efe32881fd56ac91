import { beforeEach, describe, expect, it } from 'vitest';
import type { ImagePage, ImageRow } from '../../../../shared/contract';
import type { Result } from '../../../../shared/errors';
import { useErrorStore } from '../../core/error-store';
import { ok } from '../../test-support/fake-api';
import {
  DEFAULT_SORT,
  lastPageOffset,
  listRequest,
  mergeSelection,
  NO_FILTER,
  PAGE_SIZE,
  scopeFilter,
  sortKeyOfColumn,
  tagColId,
  toImageFilter,
  useBrowserStore,
  type BrowserFilter,
} from './browser-store';
import { installDataFakeApi, type DataFakeApi } from './data-fake-api';

const row = (id: number): ImageRow => ({
  id,
  sha256: `sha${id}`,
  kind: 'dicom',
  viewable: true,
  width: 64,
  height: 64,
  frames: 1,
  originalName: `${id}.dcm`,
  batchId: 1,
  importedAt: '2024-01-01T00:00:00.000Z',
  hasThumbnail: true,
  tags: { institution: 'Site A' },
});

const page = (total: number, offset: number): ImagePage => ({
  total,
  rows: Array.from({ length: Math.max(0, Math.min(PAGE_SIZE, total - offset)) }, (_, i) => row(offset + i + 1)),
});

const SITE: BrowserFilter = {
  conditions: [
    { key: ' institution ', op: 'eq', value: ' Site A ' },
    { key: '', op: 'contains', value: 'ignored' },
    { key: 'model', op: 'contains', value: 'mg' },
  ],
  kind: 'dicom',
  batchId: ' 3 ',
};

describe('filter to request mapping', () => {
  it('maps every condition with a key (AND), kind and batch', () => {
    expect(toImageFilter(SITE)).toEqual({
      tags: [
        { key: 'institution', op: 'eq', value: 'Site A' },
        { key: 'model', op: 'contains', value: 'mg' },
      ],
      kind: 'dicom',
      batchId: 3,
    });
  });

  it('leaves out an empty or invalid batch and an empty kind', () => {
    expect(toImageFilter(NO_FILTER)).toEqual({ tags: [] });
    expect(toImageFilter({ ...NO_FILTER, batchId: 'x' })).toEqual({ tags: [] });
    expect(toImageFilter({ ...NO_FILTER, batchId: '0' })).toEqual({ tags: [] });
  });

  it('asks for one page of 100 at the offset with the sort', () => {
    expect(listRequest(NO_FILTER, { key: 'institution', dir: 'desc' }, 200)).toEqual({
      filter: { tags: [] },
      sort: { key: 'institution', dir: 'desc' },
      offset: 200,
      limit: 100,
    });
  });

  it('maps grid columns to server sort keys', () => {
    expect(sortKeyOfColumn('id')).toBe('id');
    expect(sortKeyOfColumn('originalName')).toBe('originalName');
    expect(sortKeyOfColumn('importedAt')).toBe('importedAt');
    expect(sortKeyOfColumn(tagColId('body_part'))).toBe('body_part');
    expect(sortKeyOfColumn('thumb')).toBeNull();
    expect(sortKeyOfColumn('tag:')).toBeNull();
  });

  it('scopes bulk actions to the selected ids or to the applied filter', () => {
    expect(scopeFilter('selection', SITE, [4, 2])).toEqual({ tags: [], ids: [4, 2] });
    expect(scopeFilter('filter', SITE, [4, 2])).toEqual(toImageFilter(SITE));
  });
});

describe('selection across pages', () => {
  it('keeps ids of other pages and replaces this page part', () => {
    expect(mergeSelection([1, 2, 150], [1, 2, 3], [3])).toEqual([150, 3]);
    expect(mergeSelection([], [1, 2], [1, 2])).toEqual([1, 2]);
    expect(mergeSelection([5], [1, 2], [])).toEqual([5]);
  });
});

describe('paging', () => {
  let fake: DataFakeApi;
  const state = () => useBrowserStore.getState();

  beforeEach(() => {
    fake = installDataFakeApi();
    useErrorStore.getState().clear();
    useBrowserStore.setState({ filter: NO_FILTER, sort: DEFAULT_SORT, offset: 0, page: null, loading: false, selectedIds: [], extraKeys: [] });
    fake.data.images.list.mockImplementation(async (req) => ok(page(250, (req as { offset: number }).offset)));
  });

  it('loads the next and previous pages by offset', async () => {
    await state().load();
    expect(state().page?.rows[0]?.id).toBe(1);
    await state().goTo(200);
    expect(fake.data.images.list).toHaveBeenLastCalledWith(expect.objectContaining({ offset: 200, limit: 100 }));
    expect(state().page?.rows).toHaveLength(50);
    await state().goTo(-100);
    expect(state().offset).toBe(0);
  });

  it('starts from the first page on a new filter or sort and drops the selection on a new filter', async () => {
    await state().goTo(100);
    state().setPageSelection([101, 102], [101]);
    await state().setSort({ key: 'modality', dir: 'desc' });
    expect(state().offset).toBe(0);
    expect(state().selectedIds).toEqual([101]);
    expect(fake.data.images.list).toHaveBeenLastCalledWith(expect.objectContaining({ sort: { key: 'modality', dir: 'desc' }, offset: 0 }));
    await state().apply(SITE);
    expect(state().selectedIds).toEqual([]);
    expect(fake.data.images.list).toHaveBeenLastCalledWith(expect.objectContaining({ filter: toImageFilter(SITE), sort: { key: 'modality', dir: 'desc' } }));
    await state().setSort(null);
    expect(state().sort).toEqual(DEFAULT_SORT);
  });

  it('shows the last page when the images shrank below the current page', async () => {
    fake.data.images.list.mockImplementation(async (req) => ok(page(120, (req as { offset: number }).offset)));
    await state().goTo(200);
    expect(state().offset).toBe(100);
    expect(state().page?.rows).toHaveLength(20);
    expect(lastPageOffset(0)).toBe(0);
    expect(lastPageOffset(100)).toBe(0);
    expect(lastPageOffset(101)).toBe(100);
  });

  it('drops the answer of a superseded request', async () => {
    let slow: (r: Result<unknown>) => void = () => undefined;
    fake.data.images.list.mockReturnValueOnce(new Promise((resolve) => (slow = resolve)));
    const first = state().goTo(100);
    await state().goTo(200);
    slow(ok(page(250, 100)));
    await first;
    expect(state().offset).toBe(200);
    expect(state().page?.rows[0]?.id).toBe(201);
  });

  it('bulk-edits the filtered images, an empty value removing the tag, then reloads', async () => {
    await state().apply(SITE);
    fake.data.images.setTags.mockResolvedValue(ok({ updated: 9 }));
    expect(await state().setTag('filter', 'institution', ' Site B ')).toEqual({ ok: true, value: { updated: 9 } });
    expect(fake.data.images.setTags).toHaveBeenLastCalledWith({ filter: toImageFilter(SITE), tags: { institution: 'Site B' } });
    await state().setTag('filter', 'operator', '  ');
    expect(fake.data.images.setTags).toHaveBeenLastCalledWith({ filter: toImageFilter(SITE), tags: { operator: null } });
    expect(fake.data.images.tagKeys).toHaveBeenCalled();
  });

  it('creates a to-label dataset from the selection', async () => {
    state().setPageSelection([1, 2, 3], [1, 3]);
    await state().createDataset('selection', ' Site A CT ', '');
    expect(fake.data.datasets.create).toHaveBeenCalledWith({ name: 'Site A CT', description: '', purpose: 'to_label', filter: { tags: [], ids: [1, 3] } });
  });
});
