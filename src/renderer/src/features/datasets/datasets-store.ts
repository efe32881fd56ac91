import { create } from 'zustand';
import type { DatasetSummary } from '../../../../shared/contract';
import { valueOrReport } from '../../core/result';
import { useAuthStore } from '../auth/auth-store';
import { datasetsApi } from './api';

interface DatasetsState {
  readonly datasets: readonly DatasetSummary[] | null;
  readonly loading: boolean;
  load(): Promise<void>;
}

export const useDatasetsStore = create<DatasetsState>()((set) => ({
  datasets: null,
  loading: false,
  async load() {
    set({ loading: true });
    const datasets = valueOrReport(await datasetsApi.list());
    set({ loading: false, ...(datasets ? { datasets } : {}) });
  },
}));

// The next person on a shared kiosk starts without the previous one's list.
useAuthStore.subscribe((state, previous) => {
  if ((state.session?.userId ?? null) !== (previous.session?.userId ?? null)) useDatasetsStore.setState({ datasets: null, loading: false });
});
