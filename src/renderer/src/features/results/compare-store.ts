import { create } from 'zustand';
import type { CompareView, DetailStatus, DetailView } from '../../../../shared/contract';
import type { ErrorData } from '../../../../shared/errors';
import { inlineError } from '../../core/inline-error';
import { resultsApi } from './api';

export type DetailMetric = 'accuracy' | 'precision' | 'recall';

interface CompareState {
  readonly runIds: readonly number[];
  readonly baselineId: number | null;
  readonly view: CompareView | null;
  readonly loading: boolean;
  readonly error: ErrorData | null;
  readonly detailMetric: DetailMetric;
  readonly detailClass: string | null;
  readonly detail: DetailView | null;
  readonly detailError: ErrorData | null;
  readonly statusFilter: DetailStatus | 'all';
  setRuns(runIds: readonly number[], baselineId?: number): void;
  setBaseline(id: number): void;
  compare(): Promise<void>;
  setDetail(metric: DetailMetric, className: string | null): void;
  loadDetail(): Promise<void>;
  setStatusFilter(status: DetailStatus | 'all'): void;
  reset(): void;
}

/** Baseline first: the detail table's status compares the first run with the last. */
export function detailRunOrder(runIds: readonly number[], baselineId: number | null): number[] {
  if (baselineId === null || !runIds.includes(baselineId)) return [...runIds];
  return [baselineId, ...runIds.filter((id) => id !== baselineId)];
}

/** The comparison of any number of runs against a chosen baseline, and the per-image detail. */
const initial = {
  runIds: [],
  baselineId: null,
  view: null,
  loading: false,
  error: null,
  detailMetric: 'accuracy',
  detailClass: null,
  detail: null,
  detailError: null,
  statusFilter: 'all',
} as const;

export const useCompareStore = create<CompareState>()((set, get) => ({
  ...initial,

  setRuns(runIds, baselineId) {
    const base = baselineId ?? (get().baselineId !== null && runIds.includes(get().baselineId as number) ? get().baselineId : (runIds[0] ?? null));
    set({ runIds: [...runIds], baselineId: base, view: null, detail: null, error: null, detailError: null });
  },

  setBaseline(id) {
    set({ baselineId: id });
    if (get().view) void get().compare();
    if (get().detail) void get().loadDetail();
  },

  async compare() {
    const { runIds, baselineId } = get();
    if (runIds.length < 1 || baselineId === null) return;
    set({ loading: true, error: null });
    const result = await resultsApi.compare([...runIds], baselineId);
    set(result.ok ? { view: result.value, loading: false } : { loading: false, error: inlineError(result) });
  },

  setDetail(metric, className) {
    set({ detailMetric: metric, detailClass: className, detail: null, detailError: null });
  },

  async loadDetail() {
    const { runIds, baselineId, detailMetric, detailClass } = get();
    if (!runIds.length) return;
    if (detailMetric !== 'accuracy' && !detailClass) return;
    const result = await resultsApi.detail({
      runIds: detailRunOrder(runIds, baselineId),
      metric: detailMetric,
      ...(detailMetric !== 'accuracy' && detailClass ? { className: detailClass } : {}),
    });
    set(result.ok ? { detail: result.value, detailError: null } : { detail: null, detailError: inlineError(result) });
  },

  setStatusFilter: (statusFilter) => set({ statusFilter }),
  reset: () => set(initial),
}));
