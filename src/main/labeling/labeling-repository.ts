import type {
  AnnotationVersionView,
  ImageInfoView,
  LabelingSummaryView,
  TicketEventView,
  TicketView,
} from '../../shared/contract';
import type { AnnotationKind } from '../../shared/labeling/ground-truth';
import { parsePixelSpacing, type AnnotationDoc } from '../../shared/labeling/marks';
import type { LabelSchema } from '../../shared/labeling/schema';
import type { TicketPriority, TicketState } from '../../shared/labeling/tickets';
import type { ReadableDB, WritableDB } from '../db/types';

/** SQL of the labeling domain (tables of migration 0005). Values are always bound. */

// ---------------------------------------------------------------- summaries

interface SummaryRow {
  id: number;
  dataset_id: number;
  version: number;
  guidelines: string;
  label_schema: string;
  created_at: string;
  created_by: string | null;
}

const SUMMARY_SQL = `SELECT s.id, s.dataset_id, s.version, s.guidelines, s.label_schema, s.created_at, u.username AS created_by
  FROM labeling_summaries s LEFT JOIN users u ON u.id = s.created_by`;

export interface StoredSummary extends LabelingSummaryView {
  readonly id: number;
}

function toSummary(r: SummaryRow): StoredSummary {
  return {
    id: r.id,
    datasetId: r.dataset_id,
    version: r.version,
    guidelines: r.guidelines,
    schema: JSON.parse(r.label_schema) as LabelSchema,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

export function latestSummary(db: ReadableDB, datasetId: number): StoredSummary | undefined {
  const r = db.prepare(`${SUMMARY_SQL} WHERE s.dataset_id = ? ORDER BY s.version DESC LIMIT 1`).get(datasetId) as SummaryRow | undefined;
  return r && toSummary(r);
}

export function summaryByVersion(db: ReadableDB, datasetId: number, version: number): StoredSummary | undefined {
  const r = db.prepare(`${SUMMARY_SQL} WHERE s.dataset_id = ? AND s.version = ?`).get(datasetId, version) as SummaryRow | undefined;
  return r && toSummary(r);
}

export function summaryById(db: ReadableDB, id: number): StoredSummary | undefined {
  const r = db.prepare(`${SUMMARY_SQL} WHERE s.id = ?`).get(id) as SummaryRow | undefined;
  return r && toSummary(r);
}

export function insertSummary(
  db: WritableDB,
  s: { datasetId: number; version: number; guidelines: string; schema: LabelSchema; createdBy: number | null; createdAt: string },
): number {
  return Number(
    db
      .prepare('INSERT INTO labeling_summaries (dataset_id, version, guidelines, label_schema, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(s.datasetId, s.version, s.guidelines, JSON.stringify(s.schema), s.createdBy, s.createdAt).lastInsertRowid,
  );
}

// ---------------------------------------------------------------- users and images

export function activeAnnotators(db: ReadableDB): { id: number; username: string; displayName: string }[] {
  return (
    db
      .prepare(
        `SELECT u.id, u.username, u.display_name FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'annotator'
         WHERE u.disabled = 0 ORDER BY u.display_name, u.id`,
      )
      .all() as { id: number; username: string; display_name: string }[]
  ).map((r) => ({ id: r.id, username: r.username, displayName: r.display_name }));
}

export function displayName(db: ReadableDB, userId: number): string | null {
  return (db.prepare('SELECT display_name FROM users WHERE id = ?').get(userId) as { display_name: string } | undefined)?.display_name ?? null;
}

interface ImageInfoRow {
  id: number;
  original_name: string;
  kind: 'dicom' | 'png' | 'jpeg';
  viewable: number;
  width: number | null;
  height: number | null;
  frames: number;
  pixel_spacing: string | null;
  study_instance_uid: string | null;
  series_instance_uid: string | null;
  sop_instance_uid: string | null;
}

export interface ImageInfo extends ImageInfoView {
  readonly sopInstanceUid: string | null;
}

/** Image facts for the given ids, in workspace order: study, series, file name, id. */
export function imageInfos(db: ReadableDB, ids: readonly number[]): ImageInfo[] {
  if (ids.length === 0) return [];
  const rows = db
    .prepare(
      `SELECT id, original_name, kind, viewable, width, height, frames, pixel_spacing, study_instance_uid, series_instance_uid, sop_instance_uid
       FROM images WHERE id IN (SELECT value FROM json_each(?))
       ORDER BY study_instance_uid NULLS LAST, series_instance_uid NULLS LAST, original_name, id`,
    )
    .all(JSON.stringify(ids)) as ImageInfoRow[];
  return rows.map((r) => ({
    id: r.id,
    fileName: r.original_name,
    kind: r.kind,
    viewable: r.viewable === 1,
    width: r.width,
    height: r.height,
    frames: r.frames,
    pixelSpacing: parsePixelSpacing(r.pixel_spacing),
    studyInstanceUid: r.study_instance_uid,
    seriesInstanceUid: r.series_instance_uid,
    sopInstanceUid: r.sop_instance_uid,
  }));
}

// ---------------------------------------------------------------- tickets

export interface TicketRow {
  id: number;
  dataset_id: number;
  name: string;
  state: TicketState;
  assignee_id: number | null;
  priority: TicketPriority;
  due_date: string | null;
}

export function ticketRow(db: ReadableDB, id: number): TicketRow | undefined {
  return db.prepare('SELECT id, dataset_id, name, state, assignee_id, priority, due_date FROM tickets WHERE id = ?').get(id) as TicketRow | undefined;
}

export function countTickets(db: ReadableDB, datasetId: number): number {
  return (db.prepare('SELECT count(*) AS n FROM tickets WHERE dataset_id = ?').get(datasetId) as { n: number }).n;
}

export function insertTicket(
  db: WritableDB,
  t: { datasetId: number; name: string; priority: TicketPriority; dueDate: string | null; createdBy: number; createdAt: string },
): number {
  return Number(
    db
      .prepare(
        "INSERT INTO tickets (dataset_id, name, state, assignee_id, priority, due_date, created_by, created_at, updated_at) VALUES (?, ?, 'open', NULL, ?, ?, ?, ?, ?)",
      )
      .run(t.datasetId, t.name, t.priority, t.dueDate, t.createdBy, t.createdAt, t.createdAt).lastInsertRowid,
  );
}

export interface NewEvent {
  ticketId: number;
  action: string;
  from: TicketState | null;
  to: TicketState;
  assigneeId: number | null;
  actorId: number;
  actorName: string;
  reason: string | null;
  details?: Record<string, unknown>;
  at: string;
}

/** Appends the event, then moves the ticket to it (the trigger insists on that order). */
export function appendEvent(db: WritableDB, e: NewEvent): number {
  const id = Number(
    db
      .prepare(
        'INSERT INTO ticket_events (ticket_id, action, from_state, to_state, assignee_id, actor_id, actor_name, reason, details, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(e.ticketId, e.action, e.from, e.to, e.assigneeId, e.actorId, e.actorName, e.reason, JSON.stringify(e.details ?? {}), e.at).lastInsertRowid,
  );
  db.prepare('UPDATE tickets SET state = ?, assignee_id = ?, updated_at = ? WHERE id = ?').run(e.to, e.assigneeId, e.at, e.ticketId);
  return id;
}

export function updateTicketFields(db: WritableDB, id: number, f: { priority: TicketPriority; dueDate: string | null; at: string }): void {
  db.prepare('UPDATE tickets SET priority = ?, due_date = ?, updated_at = ? WHERE id = ?').run(f.priority, f.dueDate, f.at, id);
}

export function addTicketImages(db: WritableDB, ticketId: number, datasetId: number, items: readonly { imageId: number; slot: number; position: number }[], eventId: number): void {
  const add = db.prepare('INSERT INTO ticket_images (ticket_id, dataset_id, image_id, slot, position, added_event_id) VALUES (?, ?, ?, ?, ?, ?)');
  for (const it of items) add.run(ticketId, datasetId, it.imageId, it.slot, it.position, eventId);
}

export function releaseTicketImages(db: WritableDB, ticketId: number, imageIds: readonly number[], eventId: number): void {
  db.prepare(
    'UPDATE ticket_images SET released_event_id = ? WHERE ticket_id = ? AND released_event_id IS NULL AND image_id IN (SELECT value FROM json_each(?))',
  ).run(eventId, ticketId, JSON.stringify(imageIds));
}

export interface LiveImage {
  imageId: number;
  slot: number;
  position: number;
}

export function liveTicketImages(db: ReadableDB, ticketId: number): LiveImage[] {
  return (
    db
      .prepare('SELECT image_id, slot, position FROM ticket_images WHERE ticket_id = ? AND released_event_id IS NULL ORDER BY position, image_id')
      .all(ticketId) as { image_id: number; slot: number; position: number }[]
  ).map((r) => ({ imageId: r.image_id, slot: r.slot, position: r.position }));
}

/** Images this ticket released that no ticket holds in the same slot now (a reassign may take them back). */
export function reclaimableImages(db: ReadableDB, ticketId: number): LiveImage[] {
  return (
    db
      .prepare(
        `SELECT ti.image_id, ti.slot, max(ti.position) AS position FROM ticket_images ti
         WHERE ti.ticket_id = ? AND ti.released_event_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM ticket_images h WHERE h.dataset_id = ti.dataset_id AND h.image_id = ti.image_id
                           AND h.slot = ti.slot AND h.released_event_id IS NULL)
         GROUP BY ti.image_id, ti.slot ORDER BY position, ti.image_id`,
      )
      .all(ticketId) as { image_id: number; slot: number; position: number }[]
  ).map((r) => ({ imageId: r.image_id, slot: r.slot, position: r.position }));
}

/** Live (image, slot) holdings of a dataset, with the holding ticket's assignee. */
export function liveHoldings(db: ReadableDB, datasetId: number): { imageId: number; slot: number; ticketId: number; assigneeId: number | null }[] {
  return (
    db
      .prepare(
        `SELECT ti.image_id, ti.slot, ti.ticket_id, t.assignee_id FROM ticket_images ti JOIN tickets t ON t.id = ti.ticket_id
         WHERE ti.dataset_id = ? AND ti.released_event_id IS NULL`,
      )
      .all(datasetId) as { image_id: number; slot: number; ticket_id: number; assignee_id: number | null }[]
  ).map((r) => ({ imageId: r.image_id, slot: r.slot, ticketId: r.ticket_id, assigneeId: r.assignee_id }));
}

/** Images of `ticketId` that have a saved annotator version in that ticket. */
export function annotatedImagesOfTicket(db: ReadableDB, ticketId: number): Set<number> {
  return new Set(
    (db.prepare("SELECT DISTINCT image_id FROM annotations WHERE ticket_id = ? AND kind = 'annotator'").all(ticketId) as { image_id: number }[]).map((r) => r.image_id),
  );
}

interface TicketViewRow extends TicketRow {
  dataset_name: string;
  assignee_name: string | null;
  created_at: string;
  updated_at: string;
  images: number;
  annotated: number;
}

const TICKET_SQL = `
  SELECT t.id, t.dataset_id, t.name, t.state, t.assignee_id, t.priority, t.due_date, t.created_at, t.updated_at,
         d.name AS dataset_name, u.display_name AS assignee_name,
         (SELECT count(*) FROM ticket_images ti WHERE ti.ticket_id = t.id AND ti.released_event_id IS NULL) AS images,
         (SELECT count(*) FROM ticket_images ti WHERE ti.ticket_id = t.id AND ti.released_event_id IS NULL
            AND EXISTS (SELECT 1 FROM annotations a WHERE a.ticket_id = t.id AND a.image_id = ti.image_id AND a.kind = 'annotator')) AS annotated
  FROM tickets t JOIN datasets d ON d.id = t.dataset_id LEFT JOIN users u ON u.id = t.assignee_id`;

export interface TicketFilter {
  ids?: readonly number[] | undefined;
  datasetId?: number | undefined;
  state?: TicketState | undefined;
  states?: readonly TicketState[] | undefined;
  assigneeId?: number | undefined;
}

export function listTickets(db: ReadableDB, f: TicketFilter): TicketView[] {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (f.ids) {
    clauses.push('t.id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(f.ids));
  }
  if (f.datasetId !== undefined) {
    clauses.push('t.dataset_id = ?');
    params.push(f.datasetId);
  }
  if (f.state !== undefined) {
    clauses.push('t.state = ?');
    params.push(f.state);
  }
  if (f.states) {
    clauses.push('t.state IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(f.states));
  }
  if (f.assigneeId !== undefined) {
    clauses.push('t.assignee_id = ?');
    params.push(f.assigneeId);
  }
  const rows = db.prepare(`${TICKET_SQL} ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''} ORDER BY t.id DESC`).all(...params) as TicketViewRow[];
  const last = lastEvents(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    datasetId: r.dataset_id,
    datasetName: r.dataset_name,
    name: r.name,
    state: r.state,
    assigneeId: r.assignee_id,
    assigneeName: r.assignee_name,
    priority: r.priority,
    dueDate: r.due_date,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    images: r.images,
    annotated: r.annotated,
    lastEvent: last.get(r.id) ?? null,
  }));
}

export function ticketView(db: ReadableDB, id: number): TicketView | undefined {
  return listTickets(db, { ids: [id] })[0];
}

interface EventRow {
  id: number;
  ticket_id: number;
  action: TicketEventView['action'];
  from_state: TicketState | null;
  to_state: TicketState;
  assignee_id: number | null;
  assignee_name: string | null;
  actor_id: number | null;
  actor_name: string | null;
  reason: string | null;
  details: string;
  at: string;
}

const EVENT_SQL = `SELECT e.id, e.ticket_id, e.action, e.from_state, e.to_state, e.assignee_id, u.display_name AS assignee_name,
    e.actor_id, e.actor_name, e.reason, e.details, e.at
  FROM ticket_events e LEFT JOIN users u ON u.id = e.assignee_id`;

function toEvent(r: EventRow): TicketEventView {
  return {
    id: r.id,
    ticketId: r.ticket_id,
    action: r.action,
    fromState: r.from_state,
    toState: r.to_state,
    assigneeId: r.assignee_id,
    assigneeName: r.assignee_name,
    actorId: r.actor_id,
    actorName: r.actor_name,
    reason: r.reason,
    at: r.at,
    details: JSON.parse(r.details) as Record<string, unknown>,
  };
}

export function ticketEvents(db: ReadableDB, ticketId: number): TicketEventView[] {
  return (db.prepare(`${EVENT_SQL} WHERE e.ticket_id = ? ORDER BY e.id`).all(ticketId) as EventRow[]).map(toEvent);
}

function lastEvents(db: ReadableDB, ticketIds: number[]): Map<number, TicketEventView> {
  if (ticketIds.length === 0) return new Map();
  const rows = db
    .prepare(
      `${EVENT_SQL} WHERE e.id IN (SELECT max(id) FROM ticket_events WHERE ticket_id IN (SELECT value FROM json_each(?)) GROUP BY ticket_id)`,
    )
    .all(JSON.stringify(ticketIds)) as EventRow[];
  return new Map(rows.map((r) => [r.ticket_id, toEvent(r)]));
}

/** Datasets in which the user holds (or held) a ticket. */
export function datasetsOfAssignee(db: ReadableDB, userId: number): Set<number> {
  return new Set(
    (
      db
        .prepare('SELECT DISTINCT t.dataset_id FROM tickets t WHERE t.assignee_id = ? OR EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.assignee_id = ?)')
        .all(userId, userId) as { dataset_id: number }[]
    ).map((r) => r.dataset_id),
  );
}

// ---------------------------------------------------------------- annotations

interface AnnotationRow {
  id: number;
  dataset_id: number;
  image_id: number;
  ticket_id: number | null;
  kind: AnnotationKind;
  author_id: number;
  author_name: string;
  track: string;
  revision: number;
  previous_id: number | null;
  based_on_id: number | null;
  schema_version: number;
  content: string;
  content_hash: string;
  created_at: string;
  accepted: number;
}

const ANNOTATION_SQL = `
  SELECT a.id, a.dataset_id, a.image_id, a.ticket_id, a.kind, a.author_id, u.display_name AS author_name, a.track, a.revision,
         a.previous_id, a.based_on_id, s.version AS schema_version, a.content, a.content_hash, a.created_at,
         EXISTS (SELECT 1 FROM annotation_acceptances x WHERE x.annotation_id = a.id) AS accepted
  FROM annotations a JOIN users u ON u.id = a.author_id JOIN labeling_summaries s ON s.id = a.summary_id`;

export interface StoredAnnotation extends AnnotationVersionView {
  readonly track: string;
  readonly contentHash: string;
}

function toAnnotation(r: AnnotationRow): StoredAnnotation {
  return {
    id: r.id,
    datasetId: r.dataset_id,
    imageId: r.image_id,
    ticketId: r.ticket_id,
    kind: r.kind,
    authorId: r.author_id,
    authorName: r.author_name,
    revision: r.revision,
    previousId: r.previous_id,
    basedOnId: r.based_on_id,
    schemaVersion: r.schema_version,
    createdAt: r.created_at,
    accepted: r.accepted === 1,
    doc: JSON.parse(r.content) as AnnotationDoc,
    track: r.track,
    contentHash: r.content_hash,
  };
}

/** Track keys: one chain of versions each (see migration 0005). */
export const tracks = {
  annotator: (ticketId: number, imageId: number, authorId: number) => `annotator:${ticketId}:${imageId}:${authorId}`,
  gold: (datasetId: number, imageId: number) => `gold:${datasetId}:${imageId}`,
  reviewer: (datasetId: number, imageId: number, authorId: number) => `reviewer:${datasetId}:${imageId}:${authorId}`,
};

export function latestOnTrack(db: ReadableDB, track: string): StoredAnnotation | undefined {
  const r = db.prepare(`${ANNOTATION_SQL} WHERE a.track = ? ORDER BY a.revision DESC LIMIT 1`).get(track) as AnnotationRow | undefined;
  return r && toAnnotation(r);
}

export function annotationById(db: ReadableDB, id: number): StoredAnnotation | undefined {
  const r = db.prepare(`${ANNOTATION_SQL} WHERE a.id = ?`).get(id) as AnnotationRow | undefined;
  return r && toAnnotation(r);
}

/** Newest annotator version of an image in a ticket, by anyone (optionally: not by `exceptAuthor`). */
export function latestInTicket(db: ReadableDB, ticketId: number, imageId: number, exceptAuthor?: number): StoredAnnotation | undefined {
  const r = db
    .prepare(`${ANNOTATION_SQL} WHERE a.ticket_id = ? AND a.image_id = ? AND a.kind = 'annotator' AND a.author_id IS NOT ? ORDER BY a.id DESC LIMIT 1`)
    .get(ticketId, imageId, exceptAuthor ?? null) as AnnotationRow | undefined;
  return r && toAnnotation(r);
}

export function latestPerImageInTicket(db: ReadableDB, ticketId: number): Map<number, number> {
  const rows = db
    .prepare("SELECT image_id, max(id) AS id FROM annotations WHERE ticket_id = ? AND kind = 'annotator' GROUP BY image_id")
    .all(ticketId) as { image_id: number; id: number }[];
  return new Map(rows.map((r) => [r.image_id, r.id]));
}

export function imageVersions(db: ReadableDB, datasetId: number, imageId: number): StoredAnnotation[] {
  return (db.prepare(`${ANNOTATION_SQL} WHERE a.dataset_id = ? AND a.image_id = ? ORDER BY a.id`).all(datasetId, imageId) as AnnotationRow[]).map(toAnnotation);
}

/** Versions of a dataset that can be ground truth: gold ones and accepted annotator ones. */
export function groundTruthCandidates(db: ReadableDB, datasetId: number): StoredAnnotation[] {
  return (
    db
      .prepare(
        `${ANNOTATION_SQL} WHERE a.dataset_id = ? AND (a.kind = 'gold' OR EXISTS (SELECT 1 FROM annotation_acceptances x WHERE x.annotation_id = a.id)) ORDER BY a.id`,
      )
      .all(datasetId) as AnnotationRow[]
  ).map(toAnnotation);
}

/** The newest annotator version per (image, author) in a dataset. */
export function latestAnnotatorVersions(db: ReadableDB, datasetId: number): StoredAnnotation[] {
  return (
    db
      .prepare(
        `${ANNOTATION_SQL} WHERE a.id IN (SELECT max(id) FROM annotations WHERE dataset_id = ? AND kind = 'annotator' GROUP BY image_id, author_id) ORDER BY a.id`,
      )
      .all(datasetId) as AnnotationRow[]
  ).map(toAnnotation);
}

export function insertAnnotation(
  db: WritableDB,
  a: {
    datasetId: number;
    imageId: number;
    ticketId: number | null;
    kind: AnnotationKind;
    authorId: number;
    track: string;
    revision: number;
    previousId: number | null;
    basedOnId: number | null;
    summaryId: number;
    content: string;
    contentHash: string;
    createdAt: string;
  },
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO annotations (dataset_id, image_id, ticket_id, kind, author_id, track, revision, previous_id, based_on_id, summary_id, content, content_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(a.datasetId, a.imageId, a.ticketId, a.kind, a.authorId, a.track, a.revision, a.previousId, a.basedOnId, a.summaryId, a.content, a.contentHash, a.createdAt)
      .lastInsertRowid,
  );
}

export function acceptAnnotation(db: WritableDB, annotationId: number, ticketId: number, eventId: number, at: string): void {
  db.prepare('INSERT INTO annotation_acceptances (annotation_id, ticket_id, event_id, accepted_at) VALUES (?, ?, ?, ?)').run(annotationId, ticketId, eventId, at);
}

// ---------------------------------------------------------------- progress

export function datasetCounts(db: ReadableDB, datasetId: number): { inTickets: number; annotated: number; accepted: number; gold: number } {
  return db
    .prepare(
      `SELECT
         (SELECT count(DISTINCT image_id) FROM ticket_images WHERE dataset_id = ? AND released_event_id IS NULL) AS inTickets,
         (SELECT count(DISTINCT image_id) FROM annotations WHERE dataset_id = ? AND kind = 'annotator') AS annotated,
         (SELECT count(DISTINCT a.image_id) FROM annotations a JOIN annotation_acceptances x ON x.annotation_id = a.id WHERE a.dataset_id = ?) AS accepted,
         (SELECT count(DISTINCT image_id) FROM annotations WHERE dataset_id = ? AND kind = 'gold') AS gold`,
    )
    .get(datasetId, datasetId, datasetId, datasetId) as { inTickets: number; annotated: number; accepted: number; gold: number };
}
