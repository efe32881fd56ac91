import { create } from 'zustand';
import { detailRowAt, type DatasetSummary, type DetailRow, type DrillCell, type DrillSetName, type DrillView, type ImageFilter, type ImageRow, type TagLink } from '../../../../shared/contract';
import type { ErrorData } from '../../../../shared/errors';
import { inlineError } from '../../core/inline-error';
import { resultsApi } from './api';

/** Rows fetched per page of an image set (images:list allows up to 1000). */
export const PAGE_SIZE = 200;

/** Where an image set comes from: the ids behind a number, a tag of the data browser, or a tag-flow link. */
export type ImageSource =
  | { readonly kind: 'ids'; readonly ids: readonly number[] }
  | { readonly kind: 'filter'; readonly filter: ImageFilter }
  | { readonly kind: 'link'; readonly link: TagLink };

/** An open image set: what it is, and, for a drill-down, the named sets behind the number. */
export interface ImageSet {
  readonly title: string;
  readonly source: ImageSource;
  readonly drill: DrillView | null;
  /** The run the number belongs to, and the runs whose predictions the image view offers. */
  readonly runId: number | null;
  readonly contextRunIds: readonly number[];
  readonly testId: string;
}

interface DrillState {
  readonly set: ImageSet | null;
  readonly activeSet: DrillSetName | 'all';
  readonly rows: readonly ImageRow[] | null;
  readonly total: number;
  readonly error: ErrorData | null;
  readonly imageId: number | null;
  /** The runs whose ground truth and predictions the open image shows (switchable). */
  readonly imageRuns: readonly number[];
  /** Ground truth and predictions per image for the context runs (from runs:detail, accuracy). */
  readonly outcomes: Readonly<Record<number, DetailRow>>;
  readonly outcomesKey: string;
  readonly datasets: readonly DatasetSummary[] | null;
  /** Image ids of each dataset's latest version, read once when the tag flow needs them. */
  readonly datasetImages: Readonly<Record<number, readonly number[]>>;
  openDrill(runId: number, cell: DrillCell, title: string, contextRunIds: readonly number[], testId: string): Promise<void>;
  openImages(title: string, source: ImageSource, contextRunIds: readonly number[], testId: string): Promise<void>;
  setActiveSet(name: DrillSetName | 'all'): Promise<void>;
  loadMore(): Promise<void>;
  close(): void;
  openImage(id: number, contextRunIds?: readonly number[]): void;
  closeImage(): void;
  loadOutcomes(runIds: readonly number[]): Promise<void>;
  loadDatasets(): Promise<void>;
}

/** The ids the set shows now: all of them, or the named set picked (TP, FP, ...). */
export function shownIds(set: ImageSet, active: DrillSetName | 'all'): readonly number[] | null {
  if (set.source.kind !== 'ids') return null;
  if (active === 'all' || !set.drill) return set.source.ids;
  return set.drill.sets[active] ?? [];
}

function filterOf(set: ImageSet, active: DrillSetName | 'all'): ImageFilter {
  const ids = shownIds(set, active);
  return ids ? { tags: [], ids: [...ids] } : set.source.kind === 'filter' ? set.source.filter : { tags: [] };
}

/**
 * The drill-down: the image set behind a number (runs:drill → ids → images:list), paged, the
 * image opened from it, and what the image view needs (ground truth, predictions, datasets).
 */
export const useDrillStore = create<DrillState>()((set, get) => {
  let generation = 0;

  const fetchPage = async (offset: number) => {
    const current = get().set;
    if (!current) return;
    const ids = shownIds(current, get().activeSet);
    if (ids && ids.length === 0) {
      set({ rows: [], total: 0 });
      return;
    }
    const mine = generation;
    if (current.source.kind === 'link') {
      // A tag-flow link pages its ids on the server; the rows of each page come from images:list.
      const page = await resultsApi.taggedImages(current.source.link, offset, PAGE_SIZE);
      if (mine !== generation) return;
      if (!page.ok) {
        set({ error: inlineError(page), rows: get().rows ?? [] });
        return;
      }
      const rows = page.value.imageIds.length
        ? await resultsApi.listImages({ filter: { tags: [], ids: page.value.imageIds }, sort: { key: 'id', dir: 'asc' }, offset: 0, limit: PAGE_SIZE })
        : ({ ok: true, value: { total: 0, rows: [] } } as const);
      if (mine !== generation) return;
      if (!rows.ok) {
        set({ error: inlineError(rows), rows: get().rows ?? [] });
        return;
      }
      set({ rows: offset === 0 ? rows.value.rows : [...(get().rows ?? []), ...rows.value.rows], total: page.value.total, error: null });
      return;
    }
    const result = await resultsApi.listImages({ filter: filterOf(current, get().activeSet), sort: { key: 'id', dir: 'asc' }, offset, limit: PAGE_SIZE });
    if (mine !== generation) return;
    if (!result.ok) {
      set({ error: inlineError(result), rows: get().rows ?? [] });
      return;
    }
    set({ rows: offset === 0 ? result.value.rows : [...(get().rows ?? []), ...result.value.rows], total: result.value.total, error: null });
  };

  const begin = (next: ImageSet | null) => {
    generation += 1;
    set({ set: next, activeSet: 'all', rows: null, total: 0, error: null, imageId: null });
  };

  return {
    set: null,
    activeSet: 'all',
    rows: null,
    total: 0,
    error: null,
    imageId: null,
    imageRuns: [],
    outcomes: {},
    outcomesKey: '',
    datasets: null,
    datasetImages: {},

    async openDrill(runId, cell, title, contextRunIds, testId) {
      begin({ title, source: { kind: 'ids', ids: [] }, drill: null, runId, contextRunIds, testId });
      const mine = generation;
      const result = await resultsApi.drill(runId, cell);
      if (mine !== generation) return;
      if (!result.ok) {
        set({ error: inlineError(result), rows: [] });
        return;
      }
      set({ set: { title, source: { kind: 'ids', ids: result.value.imageIds }, drill: result.value, runId, contextRunIds, testId } });
      await fetchPage(0);
    },

    async openImages(title, source, contextRunIds, testId) {
      begin({ title, source, drill: null, runId: null, contextRunIds, testId });
      await fetchPage(0);
    },

    async setActiveSet(name) {
      generation += 1;
      set({ activeSet: name, rows: null, total: 0 });
      await fetchPage(0);
    },

    loadMore: () => fetchPage(get().rows?.length ?? 0),

    close: () => begin(null),

    openImage: (imageId, contextRunIds) => set({ imageId, imageRuns: [...(contextRunIds ?? get().set?.contextRunIds ?? [])] }),
    closeImage: () => set({ imageId: null }),

    async loadOutcomes(runIds) {
      const key = [...runIds].join(',');
      if (!runIds.length || key === get().outcomesKey) return;
      set({ outcomesKey: key });
      const result = await resultsApi.detail({ runIds: [...runIds], metric: 'accuracy' });
      // No toast: the image view says "not known" where a run gives no outcome.
      if (!result.ok || get().outcomesKey !== key) return;
      const outcomes: Record<number, DetailRow> = {};
      const view = result.value;
      view.imageIds.forEach((imageId, i) => {
        outcomes[imageId] = detailRowAt(view, i);
      });
      set({ outcomes });
    },

    async loadDatasets() {
      if (get().datasets) return;
      const list = await resultsApi.listDatasets();
      if (!list.ok) return;
      const datasetImages: Record<number, readonly number[]> = {};
      await Promise.all(
        list.value.map(async (d) => {
          const ids = await resultsApi.datasetImageIds(d.id);
          if (ids.ok) datasetImages[d.id] = ids.value;
        }),
      );
      set({ datasets: list.value, datasetImages });
    },
  };
});
