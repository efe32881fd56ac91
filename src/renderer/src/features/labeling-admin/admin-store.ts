import { create } from 'zustand';
import type {
  AgreementView,
  AnnotatorView,
  CoreDataStatusView,
  DatasetSummary,
  LabelingDatasetView,
  LabelingSummaryView,
  ProgressView,
  RequestOf,
  ScoresView,
  TicketView,
} from '../../../../shared/contract';
import type { ErrorData, Result } from '../../../../shared/errors';
import type { LabelSchema } from '../../../../shared/labeling';
import { inlineError } from '../../core/inline-error';
import { valueOrReport } from '../../core/result';
import { labelingAdminApi as api } from './api';

export type AdminOutcome = { readonly ok: boolean; readonly error: ErrorData | null };

/** Everything shown about the selected labeling dataset. */
export interface DatasetDetail {
  readonly summary: LabelingSummaryView | null;
  readonly tickets: readonly TicketView[];
  readonly progress: ProgressView | null;
  readonly scores: ScoresView | null;
  readonly agreement: AgreementView | null;
  readonly core: CoreDataStatusView | null;
}

const EMPTY: DatasetDetail = { summary: null, tickets: [], progress: null, scores: null, agreement: null, core: null };

interface LabelingAdminState {
  readonly datasets: readonly LabelingDatasetView[] | null;
  readonly toLabel: readonly DatasetSummary[];
  readonly annotators: readonly AnnotatorView[];
  readonly selectedId: number | null;
  readonly detail: DatasetDetail;
  /** `admin`: the labeling admin's full screen; `expert`: guidelines, progress and quality only. */
  load(mode: 'admin' | 'expert'): Promise<void>;
  select(datasetId: number | null): Promise<void>;
  refresh(): Promise<void>;
  create(req: RequestOf<'labeling:createFromToLabel'>): Promise<AdminOutcome>;
  saveSummary(guidelines: string, schema: LabelSchema | undefined): Promise<AdminOutcome>;
  split(req: RequestOf<'tickets:split'>): Promise<AdminOutcome>;
  reassign(ticketId: number, assigneeId: number, reason: string): Promise<AdminOutcome>;
  assign(ticketId: number, assigneeId: number): Promise<AdminOutcome>;
  submitToCore(): Promise<AdminOutcome>;
}

/** The labeling admin screen (issue 4 items 1–2): datasets, summary versions, tickets, progress, quality, core data. */
export const useLabelingAdminStore = create<LabelingAdminState>()((set, get) => {
  let mode: 'admin' | 'expert' = 'admin';
  const after = async (result: Result<unknown>): Promise<AdminOutcome> => {
    if (result.ok) await get().load(mode);
    return { ok: result.ok, error: inlineError(result) };
  };
  return {
    datasets: null,
    toLabel: [],
    annotators: [],
    selectedId: null,
    detail: EMPTY,

    async load(m) {
      mode = m;
      if (mode === 'admin') {
        const [datasets, toLabel, annotators] = await Promise.all([api.datasets(), api.toLabelDatasets(), api.annotators()]);
        set({ datasets: valueOrReport(datasets) ?? [], toLabel: valueOrReport(toLabel) ?? [], annotators: valueOrReport(annotators) ?? [] });
      } else {
        set({ datasets: valueOrReport(await api.datasets()) ?? [] });
      }
      await get().refresh();
    },

    async select(datasetId) {
      set({ selectedId: datasetId, detail: datasetId === get().selectedId ? get().detail : EMPTY });
      await get().refresh();
    },

    async refresh() {
      const id = get().selectedId;
      if (id === null) return;
      const [summary, tickets, progress, scores, agreement, core] = await Promise.all([
        api.summary(id),
        api.tickets(id),
        api.progress(id),
        api.scores(id),
        api.agreement(id),
        mode === 'admin' ? api.coreStatus(id) : Promise.resolve({ ok: true as const, value: null }),
      ]);
      if (get().selectedId !== id) return;
      set({
        detail: {
          // A dataset made by datasets:create has no summary until its first save.
          summary: summary.ok ? summary.value : null,
          tickets: valueOrReport(tickets) ?? [],
          progress: valueOrReport(progress) ?? null,
          scores: valueOrReport(scores) ?? null,
          agreement: valueOrReport(agreement) ?? null,
          core: valueOrReport(core) ?? null,
        },
      });
    },

    async create(req) {
      const result = await api.create(req);
      if (result.ok) set({ selectedId: result.value.dataset.id, detail: EMPTY });
      return after(result);
    },

    async saveSummary(guidelines, schema) {
      const id = get().selectedId;
      if (id === null) return { ok: false, error: null };
      const basedOnVersion = get().detail.summary?.version ?? 0;
      return after(await api.saveSummary({ datasetId: id, basedOnVersion, guidelines, ...(schema ? { schema } : {}) }));
    },

    split: async (req) => after(await api.split(req)),
    reassign: async (ticketId, assigneeId, reason) => after(await api.reassign(ticketId, assigneeId, reason)),
    assign: async (ticketId, assigneeId) => after(await api.assign(ticketId, assigneeId)),

    async submitToCore() {
      const id = get().selectedId;
      if (id === null) return { ok: false, error: null };
      return after(await api.submitToCore(id));
    },
  };
});
