import { create } from 'zustand';
import type {
  BackupConfigView,
  BackupHealthView,
  BackupListView,
  BackupStatusView,
  BackupVerifyView,
  IntegrityCheckView,
  RestoreDrillView,
} from '../../../../shared/contract';
import type { ErrorData } from '../../../../shared/errors';
import { inlineError } from '../../core/inline-error';
import { valueOrReport } from '../../core/result';
import { useAuthStore } from '../auth/auth-store';
import { backupApi } from './api';
import { configOf, IDLE_RUN, isCancelled, problemsFromError, reduceProgress, validateDraft, type ConfigDraft, type FieldProblems, type RunState } from './backup-model';

export const BACKUP_TABS = ['overview', 'settings', 'history', 'restore'] as const;
export type BackupTab = (typeof BACKUP_TABS)[number];

export interface ActionState<T> {
  readonly busy: boolean;
  readonly result: T | null;
  readonly error: ErrorData | null;
}

const IDLE_ACTION = { busy: false, result: null, error: null } as const;

export type SaveOutcome = { readonly ok: true } | { readonly ok: false; readonly error: ErrorData | null; readonly fields: FieldProblems };

interface BackupData {
  readonly tab: BackupTab;
  readonly health: BackupHealthView | null;
  readonly config: BackupConfigView | null;
  readonly status: BackupStatusView | null;
  /** Histories by destination path. */
  readonly lists: Readonly<Record<string, BackupListView>>;
  /** The destination shown in the history and backed up by Run now. */
  readonly destination: string | null;
  /** The backup (its path) selected in the history: what Verify checks. */
  readonly selected: string | null;
  readonly run: RunState;
  readonly verify: ActionState<BackupVerifyView> & { readonly path: string | null };
  readonly drill: ActionState<RestoreDrillView>;
  readonly integrity: ActionState<IntegrityCheckView>;
}

interface BackupState extends BackupData {
  setTab(tab: BackupTab): void;
  loadAll(): Promise<void>;
  loadHealth(): Promise<void>;
  loadConfig(): Promise<void>;
  loadStatus(): Promise<void>;
  loadList(destination?: string | null): Promise<void>;
  selectDestination(destination: string): void;
  selectBackup(path: string | null): void;
  /** Validates here first (the shared schema), then asks main, which checks the folders. */
  saveConfig(draft: ConfigDraft): Promise<SaveOutcome>;
  runNow(): Promise<void>;
  cancel(): Promise<void>;
  verifySelected(): Promise<void>;
  restoreDrill(): Promise<void>;
  /** The full integrity check of the database now; the health card shows its result. */
  checkIntegrity(): Promise<void>;
  dismissRun(): void;
  /** Forgets everything (the session ended or another person logged in). */
  clear(): void;
}

const INITIAL: BackupData = {
  tab: 'overview',
  health: null,
  config: null,
  status: null,
  lists: {},
  destination: null,
  selected: null,
  run: IDLE_RUN,
  verify: { ...IDLE_ACTION, path: null },
  drill: IDLE_ACTION,
  integrity: IDLE_ACTION,
};

/** Bumped by `clear()`: an answer to a call made before must not land afterwards. */
let generation = 0;

/** The configured destination to keep selected: the current one if it is still configured, else the first. */
function keptDestination(current: string | null, config: BackupConfigView | null): string | null {
  const paths = config?.config.destinations.map((d) => d.path) ?? [];
  return current !== null && paths.includes(current) ? current : (paths[0] ?? null);
}

export const useBackupStore = create<BackupState>()((set, get) => {
  /** Runs `fn` only if no clear() happened since `mine` was taken. */
  const still = (mine: number) => mine === generation;

  return {
    ...INITIAL,

    setTab: (tab) => set({ tab }),

    async loadAll() {
      await Promise.all([get().loadConfig(), get().loadHealth(), get().loadStatus()]);
      await get().loadList();
    },

    async loadHealth() {
      const mine = generation;
      const health = valueOrReport(await backupApi.health());
      if (health && still(mine)) set({ health });
    },

    async loadConfig() {
      const mine = generation;
      const config = valueOrReport(await backupApi.config());
      if (config && still(mine)) set((s) => ({ config, destination: keptDestination(s.destination, config) }));
    },

    async loadStatus() {
      const mine = generation;
      const status = valueOrReport(await backupApi.status());
      if (status && still(mine)) set({ status });
    },

    async loadList(destination = get().destination) {
      if (!destination) return;
      const mine = generation;
      const list = valueOrReport(await backupApi.list(destination));
      if (!list || !still(mine)) return;
      set((s) => ({
        lists: { ...s.lists, [destination]: list },
        // A selection that is no longer listed (pruned) is dropped.
        selected: s.selected !== null && s.destination === destination && !list.backups.some((b) => b.path === s.selected) ? null : s.selected,
      }));
    },

    selectDestination(destination) {
      if (destination === get().destination) return;
      set({ destination, selected: null });
      void get().loadList(destination);
    },

    selectBackup: (path) => set({ selected: path }),

    async saveConfig(draft) {
      const local = validateDraft(draft);
      if (Object.keys(local).length) return { ok: false, error: null, fields: local };
      const mine = generation;
      const result = await backupApi.setConfig(configOf(draft));
      if (!still(mine)) return { ok: false, error: null, fields: {} };
      if (!result.ok) {
        const error = inlineError(result);
        return { ok: false, error, fields: problemsFromError(error) };
      }
      set((s) => ({ config: result.value, destination: keptDestination(s.destination, result.value) }));
      // The next runs and the health (destinations, limit) follow the new settings.
      await Promise.all([get().loadStatus(), get().loadHealth(), get().loadList()]);
      return { ok: true };
    },

    async runNow() {
      const destination = get().destination;
      if (!destination || get().run.phase === 'running') return;
      const mine = generation;
      set({ run: { ...IDLE_RUN, phase: 'running', destination } });
      // Subscribed before the call so that no event of this run is missed.
      const off = backupApi.onProgress((p) => still(mine) && set((s) => ({ run: reduceProgress(s.run, p) })));
      try {
        const result = await backupApi.runNow(destination);
        if (!still(mine)) return;
        if (result.ok) {
          set((s) => ({ run: { ...s.run, phase: 'done', cancelling: false, result: result.value }, selected: result.value.path }));
        } else {
          set((s) => ({ run: { ...s.run, phase: 'failed', cancelling: false, error: inlineError(result) } }));
        }
      } finally {
        off();
      }
      // A failed or cancelled run changes the health too (the last run is part of it).
      await Promise.all([get().loadList(destination), get().loadHealth(), get().loadStatus()]);
    },

    async cancel() {
      if (get().run.phase !== 'running') return;
      set((s) => ({ run: { ...s.run, cancelling: true } }));
      // The running call then fails with a CONFLICT marked cancelled.
      const answer = valueOrReport(await backupApi.cancel());
      if (!answer || answer.cancelled === 0) set((s) => ({ run: { ...s.run, cancelling: false } }));
    },

    async verifySelected() {
      const path = get().selected;
      if (!path || get().verify.busy) return;
      const mine = generation;
      set({ verify: { busy: true, result: null, error: null, path } });
      const result = await backupApi.verify(path);
      if (!still(mine)) return;
      set({ verify: result.ok ? { busy: false, result: result.value, error: null, path } : { busy: false, result: null, error: inlineError(result), path } });
      await Promise.all([get().loadList(), get().loadHealth()]);
    },

    async restoreDrill() {
      if (get().drill.busy) return;
      const mine = generation;
      set({ drill: { busy: true, result: null, error: null } });
      const result = await backupApi.restoreDrill();
      if (!still(mine)) return;
      set({ drill: result.ok ? { busy: false, result: result.value, error: null } : { busy: false, result: null, error: inlineError(result) } });
      await get().loadHealth();
    },

    async checkIntegrity() {
      if (get().integrity.busy) return;
      const mine = generation;
      set({ integrity: { busy: true, result: null, error: null } });
      const result = await backupApi.checkIntegrity();
      if (!still(mine)) return;
      set({ integrity: result.ok ? { busy: false, result: result.value, error: null } : { busy: false, result: null, error: inlineError(result) } });
      await get().loadHealth();
    },

    dismissRun() {
      if (get().run.phase !== 'running') set({ run: IDLE_RUN });
    },

    clear() {
      generation++;
      set(INITIAL);
    },
  };
});

/** Whether the run ended because ops cancelled it (shown as a notice, not an error). */
export const runWasCancelled = (run: RunState): boolean => run.phase === 'failed' && isCancelled(run.error);

let installed = false;

/**
 * On a shared workstation the next person must not see the previous one's backup paths or
 * results: whenever the logged-in person changes (logout, lock, idle, another login), forget them.
 */
export function clearBackupOnSessionChange(): void {
  if (installed) return;
  installed = true;
  useAuthStore.subscribe((state, previous) => {
    if ((state.session?.userId ?? null) !== (previous.session?.userId ?? null)) useBackupStore.getState().clear();
  });
}
