import { create } from 'zustand';
import type { NearDuplicatePair } from '../../../../shared/contract';
import { valueOrReport } from '../../core/result';
import { dataApi } from './api';

export const DEFAULT_MAX_DISTANCE = 4;

interface DuplicatesState {
  readonly pairs: readonly NearDuplicatePair[] | null;
  readonly maxDistance: number;
  readonly loading: boolean;
  load(maxDistance?: number): Promise<void>;
}

export const useDuplicatesStore = create<DuplicatesState>()((set, get) => ({
  pairs: null,
  maxDistance: DEFAULT_MAX_DISTANCE,
  loading: false,

  async load(maxDistance = get().maxDistance) {
    set({ loading: true, maxDistance });
    const pairs = valueOrReport(await dataApi.nearDuplicates(maxDistance));
    set({ loading: false, ...(pairs ? { pairs } : {}) });
  },
}));
