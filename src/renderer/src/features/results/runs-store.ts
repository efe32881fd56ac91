import { create } from 'zustand';
import type { RunSummary, RunView } from '../../../../shared/contract';
import { valueOrReport } from '../../core/result';
import { resultsApi } from './api';

export const RESULT_TABS = ['runs', 'compare', 'plans', 'runners', 'groundtruth', 'dropfolder', 'registries'] as const;
export type ResultTab = (typeof RESULT_TABS)[number];

interface RunsState {
  readonly tab: ResultTab;
  readonly runs: readonly RunSummary[] | null;
  /** Runs ticked in the runs list, for the comparison. */
  readonly picked: readonly number[];
  readonly selectedId: number | null;
  /** The selected run with its figures (`runs:get` regenerates a stale snapshot first). */
  readonly run: RunView | null;
  readonly loadingRun: boolean;
  readonly importOpen: boolean;
  setTab(tab: ResultTab): void;
  load(): Promise<void>;
  pick(ids: readonly number[]): void;
  select(id: number | null): Promise<void>;
  /** A run came back from create / import: show it and refresh the list. */
  show(run: RunView): void;
  openImport(open: boolean): void;
  /** Forget everything (the module closed: the next person must not see this one's runs). */
  reset(): void;
}

const initial = { tab: 'runs', runs: null, picked: [], selectedId: null, run: null, loadingRun: false, importOpen: false } as const;

export const useRunsStore = create<RunsState>()((set, get) => ({
  ...initial,

  setTab: (tab) => set({ tab }),

  async load() {
    const runs = valueOrReport(await resultsApi.listRuns());
    if (runs) set({ runs });
  },

  pick: (ids) => set({ picked: [...ids] }),

  async select(id) {
    set({ selectedId: id, run: id === get().run?.id ? get().run : null, loadingRun: id !== null });
    if (id === null) return;
    const run = valueOrReport(await resultsApi.getRun(id));
    // A later click wins: drop an answer for a run no longer selected.
    if (get().selectedId !== id) return;
    set({ run: run ?? null, loadingRun: false });
  },

  show(run) {
    set({ selectedId: run.id, run, loadingRun: false });
    void get().load();
  },

  openImport: (importOpen) => set({ importOpen }),
  reset: () => set(initial),
}));
