import { create } from 'zustand';
import type { AnnotatorView, DatasetSummary, LabelingDatasetView, RequestOf, TicketView } from '../../../../shared/contract';
import type { ErrorData, Result } from '../../../../shared/errors';
import { inlineError } from '../../core/inline-error';
import { valueOrReport } from '../../core/result';
import { workspaceApi } from './api';

export type AdminOutcome = { readonly ok: boolean; readonly error: ErrorData | null };

interface LabelingAdminState {
  readonly datasets: readonly LabelingDatasetView[] | null;
  readonly toLabel: readonly DatasetSummary[];
  readonly annotators: readonly AnnotatorView[];
  readonly selectedId: number | null;
  readonly tickets: readonly TicketView[];
  load(): Promise<void>;
  select(datasetId: number | null): Promise<void>;
  create(req: RequestOf<'labeling:createFromToLabel'>): Promise<AdminOutcome>;
  split(req: RequestOf<'tickets:split'>): Promise<AdminOutcome>;
  reassign(ticketId: number, assigneeId: number, reason: string): Promise<AdminOutcome>;
}

/** The labeling admin's minimal screen: labeling datasets, splitting into tickets, reassigning. */
export const useLabelingAdminStore = create<LabelingAdminState>()((set, get) => {
  const after = async (result: Result<unknown>): Promise<AdminOutcome> => {
    if (result.ok) await get().load();
    return { ok: result.ok, error: inlineError(result) };
  };
  return {
    datasets: null,
    toLabel: [],
    annotators: [],
    selectedId: null,
    tickets: [],

    async load() {
      const [datasets, toLabel, annotators] = await Promise.all([workspaceApi.labelingDatasets(), workspaceApi.toLabelDatasets(), workspaceApi.annotators()]);
      set({ datasets: valueOrReport(datasets) ?? [], toLabel: valueOrReport(toLabel) ?? [], annotators: valueOrReport(annotators) ?? [] });
      const id = get().selectedId;
      if (id !== null) await get().select(id);
    },

    async select(datasetId) {
      set({ selectedId: datasetId, tickets: datasetId === null ? [] : get().tickets });
      if (datasetId === null) return;
      const tickets = valueOrReport(await workspaceApi.tickets(datasetId));
      if (tickets && get().selectedId === datasetId) set({ tickets });
    },

    async create(req) {
      const result = await workspaceApi.createLabeling(req);
      if (result.ok) set({ selectedId: result.value.dataset.id });
      return after(result);
    },

    split: async (req) => after(await workspaceApi.split(req)),
    reassign: async (ticketId, assigneeId, reason) => after(await workspaceApi.reassign(ticketId, assigneeId, reason)),
  };
});
