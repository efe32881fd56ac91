import type { RequestOf } from '../../../../shared/contract';
import { settle } from '../../core/result';

/** The only module of the labeling-admin feature that touches window.api (HOUSE-STYLE 15). */
export const labelingAdminApi = {
  datasets: () => settle(() => window.api.labeling.list({})),
  toLabelDatasets: () => settle(() => window.api.datasets.list({ purpose: 'to_label' })),
  annotators: () => settle(() => window.api.labeling.annotators({})),
  create: (req: RequestOf<'labeling:createFromToLabel'>) => settle(() => window.api.labeling.createFromToLabel(req)),
  summary: (datasetId: number) => settle(() => window.api.labeling.summary({ datasetId })),
  saveSummary: (req: RequestOf<'labeling:saveSummary'>) => settle(() => window.api.labeling.saveSummary(req)),
  split: (req: RequestOf<'tickets:split'>) => settle(() => window.api.tickets.split(req)),
  tickets: (datasetId: number) => settle(() => window.api.tickets.list({ datasetId })),
  reassign: (id: number, assigneeId: number, reason: string) => settle(() => window.api.tickets.reassign({ id, assigneeId, reason })),
  assign: (id: number, assigneeId: number) => settle(() => window.api.tickets.assign({ id, assigneeId })),
  progress: (datasetId: number) => settle(() => window.api.labeling.progress({ datasetId })),
  scores: (datasetId: number) => settle(() => window.api.quality.scores({ datasetId })),
  agreement: (datasetId: number) => settle(() => window.api.quality.agreement({ datasetId })),
  coreStatus: (datasetId: number) => settle(() => window.api.labeling.coreStatus({ datasetId })),
  submitToCore: (datasetId: number) => settle(() => window.api.labeling.submitToCore({ datasetId })),
  exportText: (datasetId: number, format: 'coco' | 'csv') => settle(() => window.api.labeling.export({ datasetId, format })),
  exportSr: (datasetId: number) => settle(() => window.api.labeling.exportSr({ datasetId })),
};
