import { create } from 'zustand';
import type { DatasetSummary, PlanView, RequestOf, RunnerView } from '../../../../shared/contract';
import { valueOrReport } from '../../core/result';
import { resultsApi } from './api';
import { outcomeOf, type ActionOutcome } from './outcome';

interface PlansState {
  readonly plans: readonly PlanView[] | null;
  /** The current runner of each model that has one. */
  readonly runners: readonly RunnerView[] | null;
  readonly datasets: readonly DatasetSummary[] | null;
  loadPlans(): Promise<void>;
  loadRunners(): Promise<void>;
  loadDatasets(): Promise<void>;
  createPlan(req: RequestOf<'plans:create'>): Promise<ActionOutcome>;
  registerRunner(req: RequestOf<'runner:register'>): Promise<ActionOutcome>;
  reset(): void;
}

const initial = { plans: null, runners: null, datasets: null } as const;

/**
 * Training plans and registered runner commands. As with the registries, a change is followed
 * by reading the list again, so the screen shows what main stored (the newest version of each
 * training set, the runner that replaced the previous one).
 */
export const usePlansStore = create<PlansState>()((set, get) => ({
  ...initial,

  async loadPlans() {
    const plans = valueOrReport(await resultsApi.listPlans());
    if (plans) set({ plans });
  },
  async loadRunners() {
    const runners = valueOrReport(await resultsApi.listRunners());
    if (runners) set({ runners });
  },
  async loadDatasets() {
    const datasets = valueOrReport(await resultsApi.listDatasets());
    if (datasets) set({ datasets });
  },
  async createPlan(req) {
    const result = await resultsApi.createPlan(req);
    if (result.ok) await get().loadPlans();
    return outcomeOf(result);
  },
  async registerRunner(req) {
    const result = await resultsApi.registerRunner(req);
    if (result.ok) await get().loadRunners();
    return outcomeOf(result);
  },
  reset: () => set(initial),
}));
