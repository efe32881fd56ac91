import { create } from 'zustand';
import type { ImportProgressView, ImportReportView } from '../../../../shared/contract';
import type { ErrorData } from '../../../../shared/errors';
import { inlineError } from '../../core/inline-error';
import { valueOrReport } from '../../core/result';
import { dataApi } from './api';
import type { TagRow } from './tags';

export type ImportPhase = 'idle' | 'running' | 'done' | 'failed';

export interface ImportRun {
  readonly phase: ImportPhase;
  /** Known from the first progress event on; needed to cancel. */
  readonly batch: number | null;
  readonly progress: ImportProgressView | null;
  readonly report: ImportReportView | null;
  readonly error: ErrorData | null;
  readonly cancelling: boolean;
}

export const IDLE: ImportRun = { phase: 'idle', batch: null, progress: null, report: null, error: null, cancelling: false };

/**
 * Folds one `import:progress` event into the run. Events of another batch are ignored once ours
 * is known; a late event (delivered after the call returned) or an out-of-order one never moves
 * the counts backwards.
 */
export function reduceProgress(run: ImportRun, p: ImportProgressView): ImportRun {
  if (run.phase !== 'running') return run;
  if (run.batch !== null && p.batch !== run.batch) return run;
  if (run.progress && run.progress.batch === p.batch && p.done < run.progress.done) return run;
  return { ...run, batch: p.batch, progress: p };
}

/** The final state from the call's answer: the report's counts are the truth. */
export function finishRun(run: ImportRun, report: ImportReportView): ImportRun {
  const done = report.items.length;
  const total = Math.max(run.progress?.total ?? 0, done);
  return {
    ...run,
    phase: 'done',
    batch: report.batch,
    cancelling: false,
    report,
    progress: {
      batch: report.batch,
      total,
      done,
      imported: report.imported,
      duplicates: report.duplicates,
      quarantined: report.quarantined.length,
    },
  };
}

/** Share of the work done, 0..1. */
export function progressRatio(p: ImportProgressView | null): number {
  if (!p || p.total <= 0) return 0;
  return Math.min(1, p.done / p.total);
}

/** What the form holds, kept while the form is hidden by a run (a failed start keeps the input). */
export interface ImportDraft {
  readonly pathsText: string;
  readonly tags: readonly TagRow[];
  /** Store de-identified copies (PS3.15 Basic Profile subset). */
  readonly deidentify: boolean;
}

export const EMPTY_DRAFT: ImportDraft = { pathsText: '', tags: [{ key: '', value: '' }], deidentify: false };

/** Bumped by `clear()`: a call started before (another person's import) must not land afterwards. */
let generation = 0;

interface ImportState extends ImportRun {
  readonly draft: ImportDraft;
  setDraft(draft: ImportDraft): void;
  start(paths: string[], tags: Record<string, string>, deidentify?: boolean): Promise<void>;
  cancel(): Promise<void>;
  reset(): void;
  /** Forgets everything, the form too, even mid-run (the session ended). */
  clear(): void;
}

export const useImportStore = create<ImportState>()((set, get) => ({
  ...IDLE,
  draft: EMPTY_DRAFT,

  setDraft: (draft) => set({ draft }),

  async start(paths, tags, deidentify = false) {
    if (get().phase === 'running') return;
    set({ ...IDLE, phase: 'running' });
    const mine = generation;
    // Subscribed before the call so that no event of this batch is missed.
    const off = dataApi.onImportProgress((p) => mine === generation && set((s) => reduceProgress(s, p)));
    try {
      const result = await dataApi.importFiles({ paths, tags, deidentify });
      if (mine !== generation) return;
      if (result.ok) set((s) => finishRun(s, result.value));
      else set({ phase: 'failed', cancelling: false, error: inlineError(result) });
    } finally {
      off();
    }
  },

  async cancel() {
    const { batch, phase } = get();
    if (phase !== 'running' || batch === null) return;
    set({ cancelling: true });
    // The running call then returns the report of what was done, marked cancelled.
    const answer = valueOrReport(await dataApi.cancelImport(batch));
    if (!answer?.cancelled) set({ cancelling: false });
  },

  reset: () => {
    if (get().phase !== 'running') set(IDLE);
  },

  clear: () => {
    generation++;
    set({ ...IDLE, draft: EMPTY_DRAFT });
  },
}));
