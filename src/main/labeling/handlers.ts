import type { LabelingDatasetView, LabelingSummaryView } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { HandlerMap } from '../ipc/registry';
import { findByName, getDataset, insertDataset, insertVersion, listDatasets, versionImageIds } from '../datasets/datasets-repository';
import type { ReadableDB } from '../db/types';
import { datasetForCaller, isOverseer, labelingDataset, requireSession, ticketForCaller } from './access';
import { coreStatus, submitToCore } from './core-data';
import { exportSr } from './sr/sr-export';
import { groundTruth, loadForWorkspace, reviewImage, saveAnnotatorVersion, saveExpertVersion } from './annotations-service';
import {
  activeAnnotators,
  datasetCounts,
  datasetsOfAssignee,
  imageInfos,
  insertSummary,
  latestPerImageInTicket,
  latestSummary,
  listTickets,
  liveTicketImages,
  summaryByVersion,
  ticketEvents,
  ticketView,
  type StoredSummary,
} from './labeling-repository';
import { agreementReport, exportGroundTruth, progress, scores } from './quality-service';
import { act, inboxOrder, split, updateTicket } from './tickets-service';

type LabelingChannel =
  | 'labeling:annotators'
  | 'labeling:createFromToLabel'
  | 'labeling:list'
  | 'labeling:summary'
  | 'labeling:saveSummary'
  | 'labeling:progress'
  | 'labeling:submitToCore'
  | 'labeling:exportSr'
  | 'labeling:coreStatus'
  | 'labeling:export'
  | 'tickets:split'
  | 'tickets:list'
  | 'tickets:inbox'
  | 'tickets:get'
  | 'tickets:assign'
  | 'tickets:reassign'
  | 'tickets:start'
  | 'tickets:submit'
  | 'tickets:return'
  | 'tickets:accept'
  | 'tickets:reject'
  | 'tickets:update'
  | 'annotations:load'
  | 'annotations:save'
  | 'annotations:review'
  | 'annotations:saveReview'
  | 'annotations:groundTruth'
  | 'quality:agreement'
  | 'quality:scores';

function summaryView(s: StoredSummary): LabelingSummaryView {
  const { id: _id, ...view } = s;
  return view;
}

function datasetView(db: ReadableDB, datasetId: number): LabelingDatasetView {
  const dataset = labelingDataset(db, datasetId);
  return {
    dataset,
    summaryVersion: latestSummary(db, datasetId)?.version ?? null,
    progress: { images: dataset.imageCount, ...datasetCounts(db, datasetId) },
  };
}

/** Thin: check the caller's reach, call the service. Logic lives in the *-service modules. */
export const labelingHandlers: HandlerMap<LabelingChannel> = {
  'labeling:annotators': (ctx) => activeAnnotators(ctx.app.db),

  'labeling:createFromToLabel': (ctx, req) => {
    const session = requireSession(ctx.session);
    const { db, clock } = ctx.app;
    const source = getDataset(db, req.sourceDatasetId);
    if (!source) throw new AppError('NOT_FOUND', `No dataset ${req.sourceDatasetId}.`);
    if (source.purpose !== 'to_label') throw new AppError('VALIDATION', `"${source.name}" is not a to-label dataset.`, { field: 'sourceDatasetId' });
    if (findByName(db, req.name)) throw new AppError('CONFLICT', `A dataset named "${req.name}" exists already.`, { field: 'name' });
    const ids = versionImageIds(db, source.id) ?? [];
    const now = new Date(clock.now()).toISOString();
    const datasetId = ctx.write(
      (newId: number) => ({ type: 'dataset', id: newId, details: { name: req.name, purpose: 'labeling', from: source.id, images: ids.length } }),
      (w) => {
        const newId = insertDataset(w, {
          name: req.name,
          purpose: 'labeling',
          description: req.description,
          source: { fromDataset: source.id, version: source.latestVersion },
          createdBy: session.userId,
          createdAt: now,
        });
        insertVersion(w, { datasetId: newId, version: 1, imageIds: ids, createdBy: session.userId, createdAt: now });
        insertSummary(w, { datasetId: newId, version: 1, guidelines: req.guidelines, schema: req.schema, createdBy: session.userId, createdAt: now });
        return newId;
      },
    );
    return datasetView(db, datasetId);
  },

  'labeling:list': (ctx) => {
    const session = requireSession(ctx.session);
    const db = ctx.app.db;
    const mine = isOverseer(session) ? null : datasetsOfAssignee(db, session.userId);
    return listDatasets(db, 'labeling')
      .filter((d) => mine === null || mine.has(d.id))
      .map((d) => datasetView(db, d.id));
  },

  'labeling:summary': (ctx, req) => {
    const db = ctx.app.db;
    datasetForCaller(db, requireSession(ctx.session), req.datasetId);
    const s = req.version === undefined ? latestSummary(db, req.datasetId) : summaryByVersion(db, req.datasetId, req.version);
    if (!s) throw new AppError('NOT_FOUND', `No labeling summary${req.version ? ` version ${req.version}` : ''} for dataset ${req.datasetId}.`);
    return summaryView(s);
  },

  'labeling:saveSummary': (ctx, req) => {
    const session = requireSession(ctx.session);
    const { db, clock } = ctx.app;
    labelingDataset(db, req.datasetId);
    const id = ctx.write(
      (newId: number) => ({ type: 'labeling_summary', id: newId, details: { datasetId: req.datasetId, basedOnVersion: req.basedOnVersion, schemaChanged: req.schema !== undefined } }),
      (w) => {
        const latest = latestSummary(w, req.datasetId);
        const current = latest?.version ?? 0;
        if (req.basedOnVersion !== current) {
          throw new AppError('CONFLICT', `The summary is at version ${current} now; reload it and apply your change again.`, { latestVersion: current });
        }
        const schema = req.schema ?? latest?.schema;
        if (!schema) throw new AppError('VALIDATION', 'The first summary needs a label schema.', { field: 'schema' });
        const schemaChanged = latest !== undefined && JSON.stringify(schema) !== JSON.stringify(latest.schema);
        if ((schemaChanged || !latest) && !session.roles.includes('labeling_admin')) {
          throw new AppError('FORBIDDEN', 'Only a labeling admin changes the label schema; an expert edits the guidelines.', { field: 'schema' });
        }
        insertSummary(w, { datasetId: req.datasetId, version: current + 1, guidelines: req.guidelines, schema, createdBy: session.userId, createdAt: new Date(clock.now()).toISOString() });
        return current + 1;
      },
    );
    return summaryView(summaryByVersion(db, req.datasetId, id) as StoredSummary);
  },

  'labeling:progress': (ctx, req) => progress(ctx.app.db, req.datasetId),
  'labeling:exportSr': (ctx, req) => exportSr(ctx.app.db, ctx.app.workspace.storageDir, req.datasetId, new Date(ctx.app.clock.now())),
  'labeling:submitToCore': (ctx, req) => submitToCore(ctx, requireSession(ctx.session), req.datasetId),
  'labeling:coreStatus': (ctx, req) => coreStatus(ctx.app.db, req.datasetId),

  'labeling:export': (ctx, req) => exportGroundTruth(ctx.app.db, req.datasetId, req.format, new Date(ctx.app.clock.now()).toISOString()),

  'tickets:split': (ctx, req) => split(ctx, requireSession(ctx.session), req),

  'tickets:list': (ctx, req) => {
    const session = requireSession(ctx.session);
    return listTickets(ctx.app.db, { datasetId: req.datasetId, state: req.state, assigneeId: isOverseer(session) ? req.assigneeId : session.userId });
  },

  'tickets:inbox': (ctx) => {
    const session = requireSession(ctx.session);
    return listTickets(ctx.app.db, { assigneeId: session.userId, states: ['assigned', 'in_progress'] }).sort(inboxOrder);
  },

  'tickets:get': (ctx, req) => {
    const db = ctx.app.db;
    const t = ticketForCaller(db, requireSession(ctx.session), req.id);
    const live = liveTicketImages(db, t.id);
    const infos = new Map(imageInfos(db, live.map((l) => l.imageId)).map((i) => [i.id, i]));
    const latest = latestPerImageInTicket(db, t.id);
    return {
      ticket: ticketView(db, t.id) as NonNullable<ReturnType<typeof ticketView>>,
      images: live.map((l) => {
        const { sopInstanceUid: _sop, ...image } = infos.get(l.imageId) as NonNullable<ReturnType<(typeof infos)['get']>>;
        return { image, position: l.position, slot: l.slot, saved: latest.has(l.imageId), latestAnnotationId: latest.get(l.imageId) ?? null };
      }),
      events: ticketEvents(db, t.id),
    };
  },

  'tickets:assign': (ctx, req) => act(ctx, requireSession(ctx.session), req.id, 'assign', { newAssigneeId: req.assigneeId }),
  'tickets:reassign': (ctx, req) => act(ctx, requireSession(ctx.session), req.id, 'reassign', { newAssigneeId: req.assigneeId, reason: req.reason }),
  'tickets:start': (ctx, req) => act(ctx, requireSession(ctx.session), req.id, 'start'),
  'tickets:submit': (ctx, req) => act(ctx, requireSession(ctx.session), req.id, 'submit'),
  'tickets:return': (ctx, req) => act(ctx, requireSession(ctx.session), req.id, 'return', { reason: req.reason }),
  'tickets:accept': (ctx, req) => act(ctx, requireSession(ctx.session), req.id, 'accept'),
  'tickets:reject': (ctx, req) => act(ctx, requireSession(ctx.session), req.id, 'reject', { reason: req.reason }),
  'tickets:update': (ctx, req) => updateTicket(ctx, requireSession(ctx.session), req),

  'annotations:load': (ctx, req) => loadForWorkspace(ctx.app.db, requireSession(ctx.session), req),
  'annotations:save': (ctx, req) => saveAnnotatorVersion(ctx, requireSession(ctx.session), req),
  'annotations:review': (ctx, req) => reviewImage(ctx.app.db, requireSession(ctx.session), req),
  'annotations:saveReview': (ctx, req) => saveExpertVersion(ctx, requireSession(ctx.session), req),
  'annotations:groundTruth': (ctx, req) => groundTruth(ctx.app.db, req.datasetId, req.imageIds),

  'quality:agreement': (ctx, req) => agreementReport(ctx.app.db, req.datasetId),
  'quality:scores': (ctx, req) => scores(ctx.app.db, req.datasetId, req.iouThreshold),
};
