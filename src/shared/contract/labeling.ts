/**
 * Labeling channels (DESIGN §2.2, issue 4): labeling datasets and their summary (guidelines +
 * label schema, versioned), tickets and their state machine, annotation versions with
 * autosave, expert review, quality and export.
 *
 * Who may call what (DESIGN §1), checked in main:
 * - labeling_admin: builds labeling datasets, writes the summary, splits/assigns/reassigns
 *   tickets, watches progress, exports;
 * - annotator: only their own tickets (the handler answers FORBIDDEN for a ticket assigned
 *   to someone else) and only their own annotation versions (blind to other annotators);
 * - expert: reviews submitted tickets, accepts or rejects them, saves gold/reviewer versions
 *   on any image of a labeling dataset, may edit the guidelines (not the schema).
 *
 * Events reach only the window that made the call (see EventBus): `tickets:assigned` tells
 * the admin's own window that its assignment landed. The annotator's inbox does not get a
 * push: it calls `tickets:inbox` on window focus and every 60 s while open.
 */
import { z } from 'zod';
import { annotationDoc, type AnnotationDoc, type PixelSpacing } from '../labeling/marks';
import type { AnnotationKind, GroundTruthSource } from '../labeling/ground-truth';
import type { GoldScore, Kappa } from '../labeling/quality';
import { labelSchema, type LabelSchema } from '../labeling/schema';
import { PRIORITIES, TICKET_STATES, type TicketAction, type TicketPriority, type TicketState } from '../labeling/tickets';
import { channel, event } from './channel';
import { empty, id, isoDate } from './common';
import type { DatasetSummary } from './datasets';

/** One version of the guidelines + label schema of a labeling dataset. */
export interface LabelingSummaryView {
  readonly datasetId: number;
  /** The schema version annotations refer to; 1, 2, 3... */
  readonly version: number;
  /** Markdown. */
  readonly guidelines: string;
  readonly schema: LabelSchema;
  readonly createdAt: string;
  readonly createdBy: string | null;
}

/** Images of the latest dataset version, and how many have reached each stage. */
export interface ProgressCounts {
  readonly images: number;
  /** Images held by a ticket (not in the pool). */
  readonly inTickets: number;
  /** Images with at least one saved annotator version (an empty one counts: "nothing found"). */
  readonly annotated: number;
  /** Images with an accepted annotation. */
  readonly accepted: number;
  /** Images with a gold-standard version. */
  readonly gold: number;
}

export interface LabelingDatasetView {
  readonly dataset: DatasetSummary;
  /** Null until the labeling admin saves the first summary (a dataset made by datasets:create). */
  readonly summaryVersion: number | null;
  readonly progress: ProgressCounts;
}

export interface TicketEventView {
  readonly id: number;
  readonly ticketId: number;
  /** A state-machine action, `create`, or `update` (priority / due date changed). */
  readonly action: TicketAction | 'create' | 'update';
  readonly fromState: TicketState | null;
  readonly toState: TicketState;
  /** The assignee after the event. */
  readonly assigneeId: number | null;
  readonly assigneeName: string | null;
  readonly actorId: number | null;
  readonly actorName: string | null;
  readonly reason: string | null;
  readonly at: string;
  /** e.g. `{released: [imageIds]}` on return, `{reclaimed: [...]}` on reassign. */
  readonly details: Record<string, unknown>;
}

export interface TicketView {
  readonly id: number;
  readonly datasetId: number;
  readonly datasetName: string;
  readonly name: string;
  readonly state: TicketState;
  readonly assigneeId: number | null;
  readonly assigneeName: string | null;
  readonly priority: TicketPriority;
  /** ISO date or date-time, or null. */
  readonly dueDate: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Images the ticket holds now. */
  readonly images: number;
  /** Of those, images with a saved annotator version in this ticket. */
  readonly annotated: number;
  /** The newest event (shows "returned: reason" / "rejected: reason" in the inbox). */
  readonly lastEvent: TicketEventView | null;
}

export interface ImageInfoView {
  readonly id: number;
  readonly fileName: string;
  readonly kind: 'dicom' | 'png' | 'jpeg';
  readonly viewable: boolean;
  readonly width: number | null;
  readonly height: number | null;
  readonly frames: number;
  /** DICOM Pixel Spacing: mm between rows (y) and between columns (x); null = measure in px. */
  readonly pixelSpacing: PixelSpacing | null;
  readonly studyInstanceUid: string | null;
  readonly seriesInstanceUid: string | null;
}

export interface TicketImageView {
  readonly image: ImageInfoView;
  /** Order of the images in the workspace (study, series, file name). */
  readonly position: number;
  /** Replica slot (0 unless the split asked for overlap). */
  readonly slot: number;
  /** A version by anyone in this ticket exists. */
  readonly saved: boolean;
  readonly latestAnnotationId: number | null;
}

export interface TicketDetail {
  readonly ticket: TicketView;
  readonly images: TicketImageView[];
  /** Oldest first. */
  readonly events: TicketEventView[];
}

/** One stored annotation version; `doc.marks[].measurements` are main's values. */
export interface AnnotationVersionView {
  readonly id: number;
  readonly datasetId: number;
  readonly imageId: number;
  readonly ticketId: number | null;
  readonly kind: AnnotationKind;
  readonly authorId: number;
  readonly authorName: string;
  /** The client's autosave revision on this version's track. */
  readonly revision: number;
  /** The version before this one on the same track (same ticket, image, author, kind). */
  readonly previousId: number | null;
  /** The version this one started from on another track (a correction's annotator version, an inherited version). */
  readonly basedOnId: number | null;
  /** Labeling summary version the marks were made with. */
  readonly schemaVersion: number;
  readonly createdAt: string;
  readonly accepted: boolean;
  readonly doc: AnnotationDoc;
}

/** What the workspace needs to show one image of a ticket. */
export interface WorkspaceImageView {
  readonly image: ImageInfoView;
  /** The newest summary: the schema to draw with. */
  readonly summary: LabelingSummaryView;
  /**
   * The state to show: the caller's newest version in this ticket; else (a reassigned
   * ticket) the newest version a previous assignee saved, with `inherited` true; else null.
   */
  readonly current: AnnotationVersionView | null;
  readonly inherited: boolean;
  /** Newest revision on the caller's track (0 = none): the next save sends a higher number. */
  readonly revision: number;
  readonly ticketState: TicketState;
}

export interface SaveAnnotationResult {
  readonly annotation: AnnotationVersionView;
  /** False when the same revision with the same content was saved before (a retried autosave). */
  readonly created: boolean;
  readonly ticketState: TicketState;
}

export interface ImageGroundTruthView {
  readonly imageId: number;
  readonly source: GroundTruthSource | null;
  readonly annotation: AnnotationVersionView | null;
}

/** Everything an expert sees about one image of a labeling dataset. */
export interface ReviewImageView {
  readonly image: ImageInfoView;
  readonly summary: LabelingSummaryView;
  /** Every version on every track, oldest first. */
  readonly versions: AnnotationVersionView[];
  readonly groundTruth: ImageGroundTruthView;
  /** Newest revision of the image's gold track (0 = none) and of the caller's reviewer track. */
  readonly goldRevision: number;
  readonly reviewerRevision: number;
}

export interface ProgressView {
  readonly datasetId: number;
  readonly totals: ProgressCounts;
  readonly byTicket: {
    readonly ticketId: number;
    readonly name: string;
    readonly state: TicketState;
    readonly assigneeId: number | null;
    readonly assigneeName: string | null;
    readonly images: number;
    readonly annotated: number;
  }[];
  readonly byAnnotator: {
    readonly annotatorId: number;
    readonly name: string;
    readonly tickets: number;
    readonly images: number;
    readonly annotated: number;
    readonly submittedTickets: number;
    readonly acceptedTickets: number;
  }[];
}

export interface PairAgreementView {
  readonly imageId: number;
  readonly a: { readonly annotationId: number; readonly authorId: number; readonly authorName: string };
  readonly b: { readonly annotationId: number; readonly authorId: number; readonly authorName: string };
  readonly meanIoU: number | null;
  readonly meanDice: number | null;
  readonly matchedMeanIoU: number | null;
  readonly matched: number;
  readonly onlyA: number;
  readonly onlyB: number;
}

export interface AnnotatorPairView {
  readonly a: { readonly id: number; readonly name: string };
  readonly b: { readonly id: number; readonly name: string };
  /** Images both annotated. */
  readonly images: number;
  /** Mean over those images of the per-image meanIoU / meanDice (images without area marks skipped). */
  readonly meanIoU: number | null;
  readonly meanDice: number | null;
  /** Cohen's kappa of the image class, over images where both gave one. */
  readonly imageClassKappa: Kappa;
  /** Per lesion class: Cohen's kappa of "the image has a mark of this class" (yes/no). */
  readonly presenceKappa: Record<string, Kappa>;
}

export interface AgreementView {
  readonly datasetId: number;
  readonly pairs: AnnotatorPairView[];
  /** Drill-down: one row per image and pair of annotators. */
  readonly images: PairAgreementView[];
}

export interface AnnotatorScoreView {
  readonly annotatorId: number;
  readonly name: string;
  /** Images of this annotator that have a gold version. */
  readonly images: number;
  readonly matched: number;
  readonly missing: number;
  readonly extra: number;
  readonly wrongClass: number;
  readonly lowOverlap: number;
  readonly unscored: number;
  readonly accuracy: number | null;
  readonly precision: number | null;
  readonly recall: number | null;
  readonly meanIoU: number | null;
  /** Share of images whose image class equals gold's (images where gold gives one). */
  readonly imageClassAccuracy: number | null;
}

export interface ImageScoreView {
  readonly imageId: number;
  readonly fileName: string;
  readonly annotatorId: number;
  readonly annotatorName: string;
  readonly ticketId: number;
  readonly annotationId: number;
  readonly goldId: number;
  readonly score: GoldScore;
}

export interface ScoresView {
  readonly datasetId: number;
  readonly threshold: number;
  readonly annotators: AnnotatorScoreView[];
  readonly images: ImageScoreView[];
}

export interface ExportView {
  readonly fileName: string;
  readonly mimeType: 'application/json' | 'text/csv';
  readonly text: string;
  /** Images written / left out for having no ground truth. */
  readonly images: number;
  readonly withoutGroundTruth: number;
}

/** The current ground truth as DICOM SR TID 1500: one Comprehensive SR file per DICOM image. */
export interface SrExportView {
  readonly files: {
    readonly imageId: number;
    readonly fileName: string;
    /** The Part 10 file, base64. */
    readonly base64: string;
    readonly sopInstanceUid: string;
    readonly measurementGroups: number;
    /** Marks without an SR form (probe, arrow). */
    readonly leftOut: number;
  }[];
  readonly images: number;
  readonly withoutGroundTruth: number;
  /** Images with ground truth that are PNG/JPEG (an SR references DICOM instances only). */
  readonly notDicom: number;
}

/** A labeling dataset's ground truth as published in the core data (labeling:submitToCore). */
export interface CoreDataStatusView {
  readonly datasetId: number;
  /** Images carrying this dataset's ground truth in the core data; of those, gold and accepted. */
  readonly images: number;
  readonly gold: number;
  readonly accepted: number;
  /** The newest change of the published labels (a submission or a later gold correction). */
  readonly updatedAt: string;
  readonly updatedBy: string | null;
}

export interface AnnotatorView {
  readonly id: number;
  readonly username: string;
  readonly displayName: string;
}

const ADMIN = ['labeling_admin'] as const;
const EXPERT = ['expert'] as const;
const ANNOTATOR = ['annotator'] as const;
/** Annotators see only datasets and tickets they work on (checked in the handler). */
const LABELING = ['labeling_admin', 'expert', 'annotator'] as const;
const OVERSEERS = ['labeling_admin', 'expert'] as const;
const GROUND_TRUTH_READERS = ['labeling_admin', 'expert', 'algo_engineer'] as const;

const name = z.string().trim().min(1).max(200);
const reason = z.string().trim().min(3, 'say why (at least 3 characters)').max(2000);
const guidelines = z.string().max(200_000);
const dueDate = z.union([z.iso.date(), isoDate]).nullable();
const revision = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const labelingChannels = {
  /** Admins with the annotator role for splitting and assigning (users:list is the system admin's). */
  'labeling:annotators': channel<AnnotatorView[]>()({ request: empty, access: ADMIN, mutates: false }),
  /**
   * A labeling dataset (version 1) with the image set of a to-label dataset's latest version,
   * and its first summary. (A labeling dataset may also come from datasets:create with purpose
   * `labeling`; it then needs labeling:saveSummary with basedOnVersion 0 before tickets.)
   */
  'labeling:createFromToLabel': channel<LabelingDatasetView>()({
    request: z.strictObject({
      sourceDatasetId: id,
      name,
      description: z.string().max(10_000).default(''),
      guidelines,
      schema: labelSchema,
    }),
    access: ADMIN,
    mutates: true,
  }),
  /** Labeling datasets with progress; an annotator sees those holding one of their tickets. */
  'labeling:list': channel<LabelingDatasetView[]>()({ request: empty, access: LABELING, mutates: false }),
  /** A summary version (default: the newest). */
  'labeling:summary': channel<LabelingSummaryView>()({
    request: z.strictObject({ datasetId: id, version: z.number().int().positive().optional() }),
    access: LABELING,
    mutates: false,
  }),
  /**
   * A new summary version. `basedOnVersion` is the version the editor started from (0 for the
   * first); CONFLICT when someone saved a newer one meanwhile. `schema` omitted = unchanged.
   * An expert without the labeling-admin role may change the guidelines only.
   */
  'labeling:saveSummary': channel<LabelingSummaryView>()({
    request: z.strictObject({ datasetId: id, basedOnVersion: z.number().int().min(0), guidelines, schema: labelSchema.optional() }),
    access: OVERSEERS,
    mutates: true,
  }),
  /** The current ground truth as DICOM SR TID 1500 Measurement Reports (one file per DICOM image). */
  'labeling:exportSr': channel<SrExportView>()({
    request: z.strictObject({ datasetId: id }),
    access: GROUND_TRUTH_READERS,
    mutates: false,
    auditRead: true,
  }),
  /**
   * Publishes the dataset's current ground truth (newest gold, else accepted) into the core
   * data: labeling tags on each image (namespace `labeling`: dataset, type, object, truth) and,
   * from then on, a live ground-truth source of evaluation (later gold corrections count, so
   * dependent run snapshots turn stale). VALIDATION when no image has ground truth yet.
   */
  'labeling:submitToCore': channel<CoreDataStatusView>()({ request: z.strictObject({ datasetId: id }), access: ADMIN, mutates: true }),
  /** What of the dataset is published in the core data; null before the first submission. */
  'labeling:coreStatus': channel<CoreDataStatusView | null>()({ request: z.strictObject({ datasetId: id }), access: OVERSEERS, mutates: false }),
  'labeling:progress': channel<ProgressView>()({ request: z.strictObject({ datasetId: id }), access: OVERSEERS, mutates: false }),
  /** The current ground truth as COCO JSON or CSV text; the renderer saves it. DICOM SR: labeling:exportSr. */
  'labeling:export': channel<ExportView>()({
    request: z.strictObject({ datasetId: id, format: z.enum(['coco', 'csv']) }),
    access: GROUND_TRUTH_READERS,
    mutates: false,
    auditRead: true,
  }),

  /**
   * Splits the dataset's pool into tickets. Pool = (image, slot) pairs with slot < overlap that
   * no ticket holds (never split, or released by a return). `by: 'count'`: `perTicket` images
   * each; `by: 'study'`: whole studies packed up to `perTicket` images (a larger study gets a
   * ticket of its own). Tickets go round-robin to `annotatorIds` (empty: left open); with
   * overlap k each image lands in k tickets of k different annotators.
   */
  'tickets:split': channel<TicketView[]>()({
    request: z
      .strictObject({
        datasetId: id,
        by: z.enum(['count', 'study']),
        perTicket: z.number().int().min(1).max(10_000),
        annotatorIds: z.array(id).max(500).default([]),
        overlap: z.number().int().min(1).max(10).default(1),
        priority: z.enum(PRIORITIES).default('normal'),
        dueDate: dueDate.default(null),
      })
      .refine((r) => new Set(r.annotatorIds).size === r.annotatorIds.length, { message: 'annotators must be distinct', path: ['annotatorIds'] })
      .refine((r) => r.overlap === 1 || r.annotatorIds.length >= r.overlap, {
        message: 'overlap k needs at least k annotators',
        path: ['overlap'],
      }),
    access: ADMIN,
    mutates: true,
  }),
  /** Tickets, newest first. An annotator gets only their own, whatever the filter says. */
  'tickets:list': channel<TicketView[]>()({
    request: z.strictObject({ datasetId: id.optional(), state: z.enum(TICKET_STATES).optional(), assigneeId: id.optional() }),
    access: LABELING,
    mutates: false,
  }),
  /** My open work: assigned and in-progress tickets, by priority (urgent first), then due date. */
  'tickets:inbox': channel<TicketView[]>()({ request: empty, access: ANNOTATOR, mutates: false }),
  'tickets:get': channel<TicketDetail>()({ request: z.strictObject({ id }), access: LABELING, mutates: false }),
  'tickets:assign': channel<TicketView>()({ request: z.strictObject({ id, assigneeId: id }), access: ADMIN, mutates: true }),
  /** Moves an assigned, in-progress or returned ticket to another annotator; a returned one takes back its released images nobody claimed. */
  'tickets:reassign': channel<TicketView>()({ request: z.strictObject({ id, assigneeId: id, reason }), access: ADMIN, mutates: true }),
  /** The assignee opens the ticket (saving a first annotation does it too). */
  'tickets:start': channel<TicketView>()({ request: z.strictObject({ id }), access: ANNOTATOR, mutates: true }),
  /** The assignee completes the ticket; VALIDATION lists the images without a saved version. */
  'tickets:submit': channel<TicketView>()({ request: z.strictObject({ id }), access: ANNOTATOR, mutates: true }),
  /** The assignee gives the ticket back; images without a saved version go back to the pool. */
  'tickets:return': channel<TicketView>()({ request: z.strictObject({ id, reason }), access: ANNOTATOR, mutates: true }),
  /** The expert accepts a submitted ticket: the newest annotator version of each image becomes accepted. */
  'tickets:accept': channel<TicketView>()({ request: z.strictObject({ id }), access: EXPERT, mutates: true }),
  /** The expert sends a submitted ticket back to its annotator (in progress again). */
  'tickets:reject': channel<TicketView>()({ request: z.strictObject({ id, reason }), access: EXPERT, mutates: true }),
  'tickets:update': channel<TicketView>()({
    request: z
      .strictObject({ id, priority: z.enum(PRIORITIES).optional(), dueDate: dueDate.optional() })
      .refine((r) => r.priority !== undefined || r.dueDate !== undefined, 'nothing to change'),
    access: ADMIN,
    mutates: true,
  }),

  /** Opens one image of a ticket in the workspace. */
  'annotations:load': channel<WorkspaceImageView>()({
    request: z.strictObject({ ticketId: id, imageId: id }),
    access: LABELING,
    mutates: false,
  }),
  /**
   * Autosave: the full state of the image with the client's revision (start at
   * `WorkspaceImageView.revision + 1`, add 1 per change). The same revision and content
   * again returns the stored version (created: false); a revision not above the newest is
   * refused with CONFLICT (details.latestRevision), as is the same revision with other
   * content. VALIDATION details.issues point at offending marks (path `marks.3.attributes.size`).
   * A mark deleted = a save without it. `schemaVersion` is the summary version the marks were
   * drawn with (any existing one: a guideline edit must not break autosave; the marks are
   * validated against that version). Saving the first version of an assigned ticket starts it.
   */
  'annotations:save': channel<SaveAnnotationResult>()({
    request: z.strictObject({ ticketId: id, imageId: id, revision, schemaVersion: z.number().int().positive(), doc: annotationDoc }),
    access: ANNOTATOR,
    mutates: true,
  }),
  /** An image of a labeling dataset with every version, for review (expert) or inspection (admin). */
  'annotations:review': channel<ReviewImageView>()({
    request: z.strictObject({ datasetId: id, imageId: id }),
    access: OVERSEERS,
    mutates: false,
    auditRead: true,
  }),
  /**
   * An expert's version: `gold` (a correction: the image's new ground truth) or `reviewer`
   * (a review note that is never ground truth). Revision rules as annotations:save, on the
   * image's gold track or the expert's reviewer track. `basedOnId`: the version corrected.
   */
  'annotations:saveReview': channel<SaveAnnotationResult>()({
    request: z.strictObject({
      datasetId: id,
      imageId: id,
      kind: z.enum(['gold', 'reviewer']),
      revision,
      schemaVersion: z.number().int().positive(),
      basedOnId: id.nullable().default(null),
      doc: annotationDoc,
    }),
    access: EXPERT,
    mutates: true,
  }),
  /** Ground truth per image (newest gold, else accepted); all images of the latest dataset version by default. */
  'annotations:groundTruth': channel<ImageGroundTruthView[]>()({
    request: z.strictObject({ datasetId: id, imageIds: z.array(id).max(100_000).optional() }),
    access: GROUND_TRUTH_READERS,
    mutates: false,
  }),

  /** Agreement between annotators who annotated the same images (their newest versions). */
  'quality:agreement': channel<AgreementView>()({ request: z.strictObject({ datasetId: id }), access: OVERSEERS, mutates: false }),
  /** Each annotator's newest version per image against the image's newest gold version. */
  'quality:scores': channel<ScoresView>()({
    request: z.strictObject({ datasetId: id, iouThreshold: z.number().gt(0).max(1).default(0.5) }),
    access: OVERSEERS,
    mutates: false,
  }),
} as const;

export const labelingEvents = {
  /** To the assigning admin's window only (events go to the calling window); inboxes poll. */
  'tickets:assigned': event<{ ticketIds: number[]; assigneeIds: number[] }>(),
} as const;
