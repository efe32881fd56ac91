import crypto from 'node:crypto';
import type { ImageGroundTruthView, ReviewImageView, SaveAnnotationResult, WorkspaceImageView } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { selectGroundTruth } from '../../shared/labeling/ground-truth';
import { validateDoc, withMeasurements, type AnnotationDoc } from '../../shared/labeling/marks';
import { EDITABLE_STATES } from '../../shared/labeling/tickets';
import type { Session } from '../auth/sessions';
import { versionImageIds } from '../datasets/datasets-repository';
import type { ReadableDB, WritableDB } from '../db/types';
import type { CallContext } from '../ipc/registry';
import { isOverseer, labelingDataset, ticketForCaller } from './access';
import { refreshImageTags } from './core-data';
import {
  annotationById,
  groundTruthCandidates,
  imageInfos,
  imageVersions,
  insertAnnotation,
  latestInTicket,
  latestOnTrack,
  latestSummary,
  liveTicketImages,
  summaryByVersion,
  ticketRow,
  tracks,
  type ImageInfo,
  type StoredAnnotation,
  type StoredSummary,
} from './labeling-repository';
import { applyAction } from './tickets-service';

/**
 * Annotation versions. Every save is a new row on a track (one chain per ticket + image +
 * author for annotators, per dataset + image for gold, per dataset + image + expert for
 * reviewer notes). Autosave sends the whole state with a client revision:
 * - revision above the track's newest → a new version (previous_id = that newest);
 * - revision equal to the newest with the same content (same hash) → nothing new, the stored
 *   version is returned (a retried save after a lost reply);
 * - anything else → CONFLICT with the newest revision, so a second tab or a stale retry can
 *   never overwrite newer work. The migration's trigger enforces the same rule again.
 */

function nowIso(ctx: CallContext): string {
  return new Date(ctx.app.clock.now()).toISOString();
}

function imageInfo(db: ReadableDB, imageId: number): ImageInfo {
  const info = imageInfos(db, [imageId])[0];
  if (!info) throw new AppError('NOT_FOUND', `No image ${imageId}.`);
  return info;
}

function newestSummary(db: ReadableDB, datasetId: number): StoredSummary {
  const s = latestSummary(db, datasetId);
  if (!s) throw new AppError('VALIDATION', 'This labeling dataset has no label schema yet.', { field: 'datasetId' });
  return s;
}

interface SaveInput {
  datasetId: number;
  imageId: number;
  ticketId: number | null;
  kind: 'annotator' | 'gold' | 'reviewer';
  track: string;
  revision: number;
  schemaVersion: number;
  basedOnId: number | null;
  doc: AnnotationDoc;
}

/** Validates and stores one version inside a write transaction; returns it and whether it is new. */
function storeVersion(w: WritableDB, session: Session, input: SaveInput, at: string): { annotation: StoredAnnotation; created: boolean } {
  // Any existing summary version is accepted (a guideline edit must not break autosave in
  // progress); the marks are checked against the version they were drawn with.
  const summary = summaryByVersion(w, input.datasetId, input.schemaVersion);
  if (!summary) throw new AppError('VALIDATION', `The dataset has no label schema version ${input.schemaVersion}.`, { field: 'schemaVersion' });
  const issues = validateDoc(summary.schema, input.doc);
  if (issues.length > 0) throw new AppError('VALIDATION', `The marks do not fit the label schema: ${issues[0]?.message}${issues.length > 1 ? ` (+${issues.length - 1} more)` : ''}.`, { issues });
  const doc = withMeasurements(input.doc, imageInfo(w, input.imageId).pixelSpacing);
  const content = JSON.stringify(doc);
  const contentHash = crypto.createHash('sha256').update(`${summary.id}\n${content}`).digest('hex');
  const latest = latestOnTrack(w, input.track);
  if (latest && input.revision <= latest.revision) {
    if (input.revision === latest.revision && latest.contentHash === contentHash) return { annotation: latest, created: false };
    throw new AppError(
      'CONFLICT',
      input.revision === latest.revision
        ? `Revision ${input.revision} was already saved with other content; reload the image.`
        : `Revision ${input.revision} is older than the saved revision ${latest.revision}; reload the image.`,
      { latestRevision: latest.revision, latestId: latest.id },
    );
  }
  if (input.basedOnId !== null) {
    const base = annotationById(w, input.basedOnId);
    if (!base || base.datasetId !== input.datasetId || base.imageId !== input.imageId) {
      throw new AppError('VALIDATION', `Version ${input.basedOnId} is not a version of this image.`, { field: 'basedOnId' });
    }
  }
  const id = insertAnnotation(w, {
    datasetId: input.datasetId,
    imageId: input.imageId,
    ticketId: input.ticketId,
    kind: input.kind,
    authorId: session.userId,
    track: input.track,
    revision: input.revision,
    previousId: latest?.id ?? null,
    basedOnId: latest ? null : input.basedOnId,
    summaryId: summary.id,
    content,
    contentHash,
    createdAt: at,
  });
  return { annotation: annotationById(w, id) as StoredAnnotation, created: true };
}

function strip(a: StoredAnnotation): SaveAnnotationResult['annotation'] {
  const { track: _track, contentHash: _hash, ...view } = a;
  return view;
}

export function saveAnnotatorVersion(
  ctx: CallContext,
  session: Session,
  req: { ticketId: number; imageId: number; revision: number; schemaVersion: number; doc: AnnotationDoc },
): SaveAnnotationResult {
  const result = ctx.write(
    (r: { annotation: StoredAnnotation; created: boolean }) => ({
      type: 'annotation',
      id: r.annotation.id,
      details: { ticketId: req.ticketId, imageId: req.imageId, revision: req.revision, marks: req.doc.marks.length, created: r.created },
    }),
    (w) => {
      const t = ticketRow(w, req.ticketId);
      if (!t) throw new AppError('NOT_FOUND', `No ticket ${req.ticketId}.`);
      if (t.assignee_id !== session.userId) throw new AppError('FORBIDDEN', 'This ticket is not assigned to you.');
      if (!EDITABLE_STATES.includes(t.state)) throw new AppError('CONFLICT', `The ticket is ${t.state.replace('_', ' ')}: its annotations can no longer change.`, { state: t.state });
      if (!liveTicketImages(w, t.id).some((l) => l.imageId === req.imageId)) throw new AppError('NOT_FOUND', `Image ${req.imageId} is not in this ticket.`);
      const track = tracks.annotator(t.id, req.imageId, session.userId);
      // The first version of a reassigned image starts from the previous assignee's.
      const inherited = latestOnTrack(w, track) ? null : (latestInTicket(w, t.id, req.imageId, session.userId)?.id ?? null);
      const at = nowIso(ctx);
      const stored = storeVersion(w, session, { datasetId: t.dataset_id, imageId: req.imageId, ticketId: t.id, kind: 'annotator', track, revision: req.revision, schemaVersion: req.schemaVersion, basedOnId: inherited, doc: req.doc }, at);
      // Drawing in an assigned ticket opens it (assigned → in_progress), in the same transaction.
      if (stored.created && t.state === 'assigned') applyAction(w, session, t.id, 'start', {}, at);
      return stored;
    },
  );
  return { annotation: strip(result.annotation), created: result.created, ticketState: (ticketRow(ctx.app.db, req.ticketId) ?? { state: 'open' as const }).state };
}

function requireDatasetImage(db: ReadableDB, datasetId: number, imageId: number): void {
  const ids = versionImageIds(db, datasetId) ?? [];
  if (!ids.includes(imageId)) throw new AppError('NOT_FOUND', `Image ${imageId} is not in the dataset's latest version.`);
}

export function saveExpertVersion(
  ctx: CallContext,
  session: Session,
  req: { datasetId: number; imageId: number; kind: 'gold' | 'reviewer'; revision: number; schemaVersion: number; basedOnId: number | null; doc: AnnotationDoc },
): SaveAnnotationResult {
  labelingDataset(ctx.app.db, req.datasetId);
  requireDatasetImage(ctx.app.db, req.datasetId, req.imageId);
  const track = req.kind === 'gold' ? tracks.gold(req.datasetId, req.imageId) : tracks.reviewer(req.datasetId, req.imageId, session.userId);
  const result = ctx.write(
    (r: { annotation: StoredAnnotation; created: boolean }) => ({
      type: 'annotation',
      id: r.annotation.id,
      details: { kind: req.kind, datasetId: req.datasetId, imageId: req.imageId, revision: req.revision, basedOnId: req.basedOnId, created: r.created },
    }),
    (w) => {
      const at = nowIso(ctx);
      const stored = storeVersion(w, session, { ...req, ticketId: null, track }, at);
      // A gold correction of an image published in the core data updates its labeling tags.
      if (stored.created && req.kind === 'gold') refreshImageTags(w, req.datasetId, req.imageId, at, session.userId);
      return stored;
    },
  );
  return { annotation: strip(result.annotation), created: result.created, ticketState: 'accepted' };
}

export function loadForWorkspace(db: ReadableDB, session: Session, req: { ticketId: number; imageId: number }): WorkspaceImageView {
  const t = ticketForCaller(db, session, req.ticketId);
  if (!liveTicketImages(db, t.id).some((l) => l.imageId === req.imageId)) throw new AppError('NOT_FOUND', `Image ${req.imageId} is not in this ticket.`);
  const mine = t.assignee_id === session.userId ? latestOnTrack(db, tracks.annotator(t.id, req.imageId, session.userId)) : undefined;
  const other = mine ? undefined : latestInTicket(db, t.id, req.imageId);
  const current = mine ?? other ?? null;
  const { id: _id, ...summary } = newestSummary(db, t.dataset_id);
  const { sopInstanceUid: _sop, ...image } = imageInfo(db, req.imageId);
  return {
    image,
    summary,
    current: current && strip(current),
    inherited: !mine && current !== null && current.authorId !== session.userId,
    revision: mine?.revision ?? 0,
    ticketState: t.state,
  };
}

/** Ground truth of each image (pure rule over the stored candidates). */
export function groundTruth(db: ReadableDB, datasetId: number, imageIds?: readonly number[]): ImageGroundTruthView[] {
  labelingDataset(db, datasetId);
  const ids = imageIds ?? versionImageIds(db, datasetId) ?? [];
  const byImage = new Map<number, StoredAnnotation[]>();
  for (const a of groundTruthCandidates(db, datasetId)) (byImage.get(a.imageId) ?? byImage.set(a.imageId, []).get(a.imageId))?.push(a);
  return ids.map((imageId) => {
    const gt = selectGroundTruth(byImage.get(imageId) ?? []);
    return { imageId, source: gt?.source ?? null, annotation: gt ? strip(gt.version) : null };
  });
}

export function reviewImage(db: ReadableDB, session: Session, req: { datasetId: number; imageId: number }): ReviewImageView {
  labelingDataset(db, req.datasetId);
  requireDatasetImage(db, req.datasetId, req.imageId);
  const { id: _id, ...summary } = newestSummary(db, req.datasetId);
  const { sopInstanceUid: _sop, ...image } = imageInfo(db, req.imageId);
  return {
    image,
    summary,
    versions: imageVersions(db, req.datasetId, req.imageId).map(strip),
    groundTruth: groundTruth(db, req.datasetId, [req.imageId])[0] as ImageGroundTruthView,
    goldRevision: latestOnTrack(db, tracks.gold(req.datasetId, req.imageId))?.revision ?? 0,
    reviewerRevision: isOverseer(session) ? (latestOnTrack(db, tracks.reviewer(req.datasetId, req.imageId, session.userId))?.revision ?? 0) : 0,
  };
}
