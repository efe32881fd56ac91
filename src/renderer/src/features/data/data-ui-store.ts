import { create } from 'zustand';

export const DATA_TABS = ['browser', 'import', 'batches', 'duplicates'] as const;
export type DataTab = (typeof DATA_TABS)[number];

/** Which tab of the Data & import module shows; kept here so that commands can switch it. */
interface DataUiState {
  readonly tab: DataTab;
  setTab(tab: DataTab): void;
}

export const useDataUiStore = create<DataUiState>()((set) => ({
  tab: 'browser',
  setTab: (tab) => set({ tab }),
}));
