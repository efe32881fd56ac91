import { create } from 'zustand';
import type { BatchSummary, ImportItemView } from '../../../../shared/contract';
import { valueOrReport } from '../../core/result';
import { dataApi } from './api';

interface BatchesState {
  readonly batches: readonly BatchSummary[] | null;
  readonly openId: number | null;
  readonly items: readonly ImportItemView[] | null;
  load(): Promise<void>;
  open(batch: number): Promise<void>;
  close(): void;
}

export const useBatchesStore = create<BatchesState>()((set, get) => ({
  batches: null,
  openId: null,
  items: null,

  async load() {
    const batches = valueOrReport(await dataApi.batches());
    if (batches) set({ batches });
  },

  async open(batch) {
    set({ openId: batch, items: null });
    const items = valueOrReport(await dataApi.batchReport(batch));
    // Another batch may have been opened meanwhile.
    if (get().openId === batch) set({ items: items ?? [] });
  },

  close: () => set({ openId: null, items: null }),
}));
