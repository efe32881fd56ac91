import type { RequestOf } from '../../../../shared/contract';
import { settle } from '../../core/result';

/** The only module of the workspace feature that touches window.api (HOUSE-STYLE 15). */
export const workspaceApi = {
  ticket: (id: number) => settle(() => window.api.tickets.get({ id })),
  inbox: () => settle(() => window.api.tickets.inbox({})),
  submitted: () => settle(() => window.api.tickets.list({ state: 'submitted' })),
  start: (id: number) => settle(() => window.api.tickets.start({ id })),
  submit: (id: number) => settle(() => window.api.tickets.submit({ id })),
  returnTicket: (id: number, reason: string) => settle(() => window.api.tickets.return({ id, reason })),
  accept: (id: number) => settle(() => window.api.tickets.accept({ id })),
  reject: (id: number, reason: string) => settle(() => window.api.tickets.reject({ id, reason })),
  summary: (datasetId: number) => settle(() => window.api.labeling.summary({ datasetId })),
  load: (ticketId: number, imageId: number) => settle(() => window.api.annotations.load({ ticketId, imageId })),
  save: (req: RequestOf<'annotations:save'>) => settle(() => window.api.annotations.save(req)),
  review: (datasetId: number, imageId: number) => settle(() => window.api.annotations.review({ datasetId, imageId })),
  saveReview: (req: RequestOf<'annotations:saveReview'>) => settle(() => window.api.annotations.saveReview(req)),
  // The labeling admin's calls (LabelingAdmin.tsx).
  labelingDatasets: () => settle(() => window.api.labeling.list({})),
  toLabelDatasets: () => settle(() => window.api.datasets.list({ purpose: 'to_label' })),
  annotators: () => settle(() => window.api.labeling.annotators({})),
  createLabeling: (req: RequestOf<'labeling:createFromToLabel'>) => settle(() => window.api.labeling.createFromToLabel(req)),
  split: (req: RequestOf<'tickets:split'>) => settle(() => window.api.tickets.split(req)),
  tickets: (datasetId: number) => settle(() => window.api.tickets.list({ datasetId })),
  reassign: (id: number, assigneeId: number, reason: string) => settle(() => window.api.tickets.reassign({ id, assigneeId, reason })),
  assign: (id: number, assigneeId: number) => settle(() => window.api.tickets.assign({ id, assigneeId })),
};
