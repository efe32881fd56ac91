import { create } from 'zustand';
import type { DropFolderEvent, DropFolderView, RequestOf, RunSummary } from '../../../../../shared/contract';
import { valueOrReport } from '../../../core/result';
import { outcomeOf, type ActionOutcome } from '../outcome';
import { dropFolderApi } from './api';

interface DropFolderState {
  readonly folders: DropFolderView[] | null;
  readonly runs: RunSummary[] | null;
  /** The newest arrival/import events first (at most 10). */
  readonly activity: DropFolderEvent[];
  load(): Promise<void>;
  create(req: RequestOf<'dropFolders:create'>): Promise<ActionOutcome>;
  disable(id: number): Promise<ActionOutcome>;
  /** Called for each `dropFolder:file` event. */
  arrived(e: DropFolderEvent): void;
  reset(): void;
}

export const useDropFolderStore = create<DropFolderState>()((set, get) => ({
  folders: null,
  runs: null,
  activity: [],
  async load() {
    const [folders, runs] = await Promise.all([dropFolderApi.list(), dropFolderApi.listRuns()]);
    set({ folders: valueOrReport(folders) ?? get().folders, runs: valueOrReport(runs) ?? get().runs });
  },
  async create(req) {
    const r = await dropFolderApi.create(req);
    if (r.ok) await get().load();
    return outcomeOf(r);
  },
  async disable(id) {
    const r = await dropFolderApi.disable(id);
    if (r.ok) await get().load();
    return outcomeOf(r);
  },
  arrived(e) {
    set({ activity: [e, ...get().activity].slice(0, 10) });
    if (e.stage !== 'arrived') void get().load();
  },
  reset() {
    set({ folders: null, runs: null, activity: [] });
  },
}));
