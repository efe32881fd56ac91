import { create } from 'zustand';
import type { DatasetSummary, ImageFilter, ImagePage, RequestOf } from '../../../../shared/contract';
import type { ErrorData, Result } from '../../../../shared/errors';
import { inlineError } from '../../core/inline-error';
import { valueOrReport } from '../../core/result';
import { dataApi } from './api';

export const PAGE_SIZE = 100;

export type TagOp = 'eq' | 'contains';
export type ImageKind = 'dicom' | 'png' | 'jpeg';

export interface TagCondition {
  readonly key: string;
  readonly op: TagOp;
  readonly value: string;
}

/** The filter bar as typed: every condition must hold (AND). */
export interface BrowserFilter {
  readonly conditions: readonly TagCondition[];
  /** '' for any kind. */
  readonly kind: ImageKind | '';
  /** A batch number as typed; '' for any batch. */
  readonly batchId: string;
}

export const NO_FILTER: BrowserFilter = { conditions: [], kind: '', batchId: '' };

export interface BrowserSort {
  /** 'id', 'originalName', 'importedAt' or a tag key. */
  readonly key: string;
  readonly dir: 'asc' | 'desc';
}

export const DEFAULT_SORT: BrowserSort = { key: 'id', dir: 'asc' };

/** Bulk actions apply to the checked rows or to every image the applied filter matches. */
export type Scope = 'selection' | 'filter';

const COLUMN_KEYS = ['id', 'originalName', 'importedAt'] as const;
const TAG_COLUMN = 'tag:';

/** Grid column ids: the three image columns by name, tag columns as `tag:<key>`. */
export const tagColId = (key: string) => `${TAG_COLUMN}${key}`;

/** The server sort for a grid column; null for columns that cannot be sorted (thumbnail). */
export function sortKeyOfColumn(colId: string): string | null {
  if ((COLUMN_KEYS as readonly string[]).includes(colId)) return colId;
  if (colId.startsWith(TAG_COLUMN) && colId.length > TAG_COLUMN.length) return colId.slice(TAG_COLUMN.length);
  return null;
}

/** The contract's filter for what the bar says; conditions without a key are ignored. */
export function toImageFilter(f: BrowserFilter): ImageFilter {
  const filter: { -readonly [K in keyof ImageFilter]: ImageFilter[K] } = {
    tags: f.conditions.filter((c) => c.key.trim()).map((c) => ({ key: c.key.trim(), op: c.op, value: c.value.trim() })),
  };
  if (f.kind) filter.kind = f.kind;
  const batch = Number(f.batchId.trim());
  if (f.batchId.trim() && Number.isInteger(batch) && batch > 0) filter.batchId = batch;
  return filter;
}

export function listRequest(f: BrowserFilter, sort: BrowserSort, offset: number, limit = PAGE_SIZE): RequestOf<'images:list'> {
  return { filter: toImageFilter(f), sort: { key: sort.key, dir: sort.dir }, offset, limit };
}

/** Which images a bulk action touches: the checked ids, or the applied filter. */
export function scopeFilter(scope: Scope, f: BrowserFilter, selectedIds: readonly number[]): ImageFilter {
  return scope === 'selection' ? { tags: [], ids: [...selectedIds] } : toImageFilter(f);
}

/**
 * The selection across pages: what was chosen on other pages stays, and this page's part is
 * replaced by what is checked on it now.
 */
export function mergeSelection(previous: readonly number[], pageIds: readonly number[], checkedOnPage: readonly number[]): number[] {
  const onPage = new Set(pageIds);
  const merged = previous.filter((id) => !onPage.has(id));
  for (const id of checkedOnPage) if (!merged.includes(id)) merged.push(id);
  return merged;
}

/** The first row of the last page, for a total; 0 when empty. */
export function lastPageOffset(total: number, pageSize = PAGE_SIZE): number {
  return total <= 0 ? 0 : Math.floor((total - 1) / pageSize) * pageSize;
}

export type BulkOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorData | null };

const outcome = <T>(result: Result<T>): BulkOutcome<T> =>
  result.ok ? { ok: true, value: result.value } : { ok: false, error: inlineError(result) };

interface BrowserState {
  readonly filter: BrowserFilter;
  readonly sort: BrowserSort;
  readonly offset: number;
  readonly page: ImagePage | null;
  readonly loading: boolean;
  readonly selectedIds: readonly number[];
  /** Tag columns chosen beyond the common ones. */
  readonly extraKeys: readonly string[];
  readonly tagKeys: readonly string[];
  load(): Promise<void>;
  apply(filter: BrowserFilter): Promise<void>;
  setSort(sort: BrowserSort | null): Promise<void>;
  goTo(offset: number): Promise<void>;
  setPageSelection(pageIds: readonly number[], checked: readonly number[]): void;
  clearSelection(): void;
  loadTagKeys(): Promise<void>;
  toggleColumn(key: string): void;
  /** Sets (or, with an empty value, removes) one source tag on the images of the scope. */
  setTag(scope: Scope, key: string, value: string): Promise<BulkOutcome<{ updated: number }>>;
  createDataset(scope: Scope, name: string, description: string): Promise<BulkOutcome<DatasetSummary>>;
  /** Back to the start (the session ended): no rows, filter or selection of the previous person. */
  clear(): void;
}

/** Answers to superseded requests are dropped: only the latest load may fill the page. */
let loadSeq = 0;

export const useBrowserStore = create<BrowserState>()((set, get) => ({
  filter: NO_FILTER,
  sort: DEFAULT_SORT,
  offset: 0,
  page: null,
  loading: false,
  selectedIds: [],
  extraKeys: [],
  tagKeys: [],

  async load() {
    const seq = ++loadSeq;
    set({ loading: true });
    const { filter, sort, offset } = get();
    const page = valueOrReport(await dataApi.listImages(listRequest(filter, sort, offset)));
    if (seq !== loadSeq) return;
    set({ loading: false, ...(page ? { page } : {}) });
    // Fewer images than the page start (a bulk edit moved some out of the filter): show the last page.
    if (page && page.rows.length === 0 && offset > 0 && page.total > 0) await get().goTo(lastPageOffset(page.total));
  },

  async apply(filter) {
    set({ filter, offset: 0, selectedIds: [] });
    await get().load();
  },

  async setSort(sort) {
    set({ sort: sort ?? DEFAULT_SORT, offset: 0 });
    await get().load();
  },

  async goTo(offset) {
    set({ offset: Math.max(0, offset) });
    await get().load();
  },

  setPageSelection: (pageIds, checked) => {
    const current = get().selectedIds;
    const next = mergeSelection(current, pageIds, checked);
    // The grid reports its selection after every sync; an unchanged one must not re-render.
    const had = new Set(current);
    if (next.length !== current.length || next.some((id) => !had.has(id))) set({ selectedIds: next });
  },
  clearSelection: () => set({ selectedIds: [] }),

  async loadTagKeys() {
    const keys = valueOrReport(await dataApi.tagKeys());
    if (keys) set({ tagKeys: keys });
  },

  toggleColumn: (key) =>
    set((s) => ({ extraKeys: s.extraKeys.includes(key) ? s.extraKeys.filter((k) => k !== key) : [...s.extraKeys, key] })),

  async setTag(scope, key, value) {
    const { filter, selectedIds } = get();
    const trimmed = value.trim();
    const result = await dataApi.setTags({ filter: scopeFilter(scope, filter, selectedIds), tags: { [key.trim()]: trimmed === '' ? null : trimmed } });
    if (result.ok) {
      void get().load();
      void get().loadTagKeys();
    }
    return outcome(result);
  },

  clear: () => {
    loadSeq++;
    set({ filter: NO_FILTER, sort: DEFAULT_SORT, offset: 0, page: null, loading: false, selectedIds: [], extraKeys: [], tagKeys: [] });
  },

  async createDataset(scope, name, description) {
    const { filter, selectedIds } = get();
    return outcome(
      await dataApi.createDataset({ name: name.trim(), description: description.trim(), purpose: 'to_label', filter: scopeFilter(scope, filter, selectedIds) }),
    );
  },
}));
