import { create } from 'zustand';
import type { RunnerResult } from '../../../../shared/contract';
import type { ErrorData } from '../../../../shared/errors';
import { inlineError } from '../../core/inline-error';
import { resultsApi } from './api';
import { appendLog, type LogChunk } from './runner-rules';
import { useRunsStore } from './runs-store';

export interface RunnerJob {
  readonly runId: number;
  /** `running` until `runner:start` answers; then the command's end, or `error` when main refused. */
  readonly status: 'running' | RunnerResult['status'] | 'error';
  readonly log: readonly LogChunk[];
  readonly result: RunnerResult | null;
  readonly error: ErrorData | null;
  readonly cancelling: boolean;
}

interface RunnerState {
  /** Per run: the last runner started from this window, with its live log. */
  readonly jobs: Readonly<Record<number, RunnerJob>>;
  start(runId: number): Promise<void>;
  cancel(runId: number): Promise<void>;
  reset(): void;
}

/** Bumped by `reset`, so that a command that ends after the module closed changes nothing. */
let generation = 0;

/**
 * The local runner of a run (issue 5 item 8): `runner:start` resolves only when the command
 * ends, so the log comes from `runner:log` events meanwhile. When the predictions were imported
 * the run comes back with its metrics and is shown (if it is still the selected run).
 */
export const useRunnerStore = create<RunnerState>()((set, get) => {
  const patch = (runId: number, gen: number, change: Partial<RunnerJob>) => {
    if (gen !== generation) return;
    const job = get().jobs[runId];
    if (job) set({ jobs: { ...get().jobs, [runId]: { ...job, ...change } } });
  };
  return {
    jobs: {},

    async start(runId) {
      if (get().jobs[runId]?.status === 'running') return;
      const gen = generation;
      set({ jobs: { ...get().jobs, [runId]: { runId, status: 'running', log: [], result: null, error: null, cancelling: false } } });
      const detach = resultsApi.onRunnerLog((e) => {
        if (e.runId !== runId || gen !== generation) return;
        const job = get().jobs[runId];
        if (job) set({ jobs: { ...get().jobs, [runId]: { ...job, log: appendLog(job.log, e) } } });
      });
      const result = await resultsApi.startRunner(runId);
      detach();
      if (!result.ok) {
        patch(runId, gen, { status: 'error', error: inlineError(result), cancelling: false });
        return;
      }
      patch(runId, gen, { status: result.value.status, result: result.value, cancelling: false });
      if (gen !== generation) return;
      const imported = result.value.import?.imported ? result.value.import.run : null;
      const runs = useRunsStore.getState();
      if (imported && runs.selectedId === runId) runs.show(imported);
      else void runs.load();
    },

    async cancel(runId) {
      const gen = generation;
      patch(runId, gen, { cancelling: true });
      const result = await resultsApi.cancelRunner(runId);
      if (!result.ok) patch(runId, gen, { cancelling: false, error: inlineError(result) });
    },

    reset() {
      generation += 1;
      set({ jobs: {} });
    },
  };
});
