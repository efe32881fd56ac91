import type { TicketView } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { transition, type RefusalKind, type TicketAction, type TicketPriority } from '../../shared/labeling/tickets';
import type { Session } from '../auth/sessions';
import { versionImageIds } from '../datasets/datasets-repository';
import type { ReadableDB, WritableDB } from '../db/types';
import type { CallContext } from '../ipc/registry';
import { labelingDataset } from './access';
import {
  acceptAnnotation,
  activeAnnotators,
  addTicketImages,
  annotatedImagesOfTicket,
  appendEvent,
  countTickets,
  imageInfos,
  insertTicket,
  latestPerImageInTicket,
  latestSummary,
  liveHoldings,
  liveTicketImages,
  reclaimableImages,
  releaseTicketImages,
  ticketRow,
  ticketView,
  updateTicketFields,
} from './labeling-repository';

const REFUSAL_CODES: Record<RefusalKind, 'CONFLICT' | 'FORBIDDEN' | 'VALIDATION'> = {
  invalid_state: 'CONFLICT',
  role: 'FORBIDDEN',
  not_assignee: 'FORBIDDEN',
  reason_required: 'VALIDATION',
  assignee_required: 'VALIDATION',
  same_assignee: 'CONFLICT',
};

function nowIso(ctx: CallContext): string {
  return new Date(ctx.app.clock.now()).toISOString();
}

function requireAnnotator(db: ReadableDB, userId: number): void {
  if (!activeAnnotators(db).some((a) => a.id === userId)) {
    throw new AppError('VALIDATION', `User ${userId} is not an active annotator.`, { field: 'assigneeId', userId });
  }
}

/** Images of `imageIds` that `userId` already holds in another live ticket of the dataset (one annotator per image copy). */
function heldElsewhere(db: ReadableDB, datasetId: number, ticketId: number, userId: number, imageIds: readonly number[]): number[] {
  const ids = new Set(imageIds);
  return liveHoldings(db, datasetId)
    .filter((h) => h.assigneeId === userId && h.ticketId !== ticketId && ids.has(h.imageId))
    .map((h) => h.imageId);
}

// ---------------------------------------------------------------- split

export interface SplitRequest {
  datasetId: number;
  by: 'count' | 'study';
  perTicket: number;
  annotatorIds: number[];
  overlap: number;
  priority: TicketPriority;
  dueDate: string | null;
}

/** Consecutive chunks of `perTicket` images; by study, whole studies packed up to `perTicket`. */
export function chunk(images: readonly { id: number; studyInstanceUid: string | null }[], by: 'count' | 'study', perTicket: number): number[][] {
  const out: number[][] = [];
  if (by === 'count') {
    for (let i = 0; i < images.length; i += perTicket) out.push(images.slice(i, i + perTicket).map((x) => x.id));
    return out;
  }
  // Images arrive ordered by study; an image without a Study Instance UID is a study of its own.
  const studies: number[][] = [];
  let key: string | null = null;
  for (const img of images) {
    const k = img.studyInstanceUid ?? `image:${img.id}`;
    if (k !== key || studies.length === 0) studies.push([]);
    (studies[studies.length - 1] as number[]).push(img.id);
    key = k;
  }
  let current: number[] = [];
  for (const s of studies) {
    if (current.length > 0 && current.length + s.length > perTicket) {
      out.push(current);
      current = [];
    }
    current.push(...s);
  }
  if (current.length > 0) out.push(current);
  return out;
}

export function split(ctx: CallContext, session: Session, req: SplitRequest): TicketView[] {
  const db = ctx.app.db;
  const dataset = labelingDataset(db, req.datasetId);
  if (!latestSummary(db, dataset.id)) {
    throw new AppError('VALIDATION', 'Write the labeling summary (guidelines and label schema) before splitting into tickets.', { field: 'datasetId' });
  }
  for (const a of req.annotatorIds) requireAnnotator(db, a);
  const at = nowIso(ctx);
  const ids = ctx.write(
    (created: number[]) => ({ type: 'dataset', id: dataset.id, details: { tickets: created, by: req.by, perTicket: req.perTicket, overlap: req.overlap } }),
    (w) => {
      const members = imageInfos(w, versionImageIds(w, dataset.id) ?? []);
      const held = liveHoldings(w, dataset.id);
      const holders = new Map<number, Set<number>>(); // image -> annotators holding it
      const taken = new Set(held.map((h) => `${h.imageId}:${h.slot}`));
      for (const h of held) if (h.assigneeId !== null) (holders.get(h.imageId) ?? holders.set(h.imageId, new Set()).get(h.imageId))?.add(h.assigneeId);
      let seq = countTickets(w, dataset.id);
      const created: number[] = [];
      for (let slot = 0; slot < req.overlap; slot++) {
        const pool = members.filter((m) => !taken.has(`${m.id}:${slot}`));
        chunk(pool, req.by, req.perTicket).forEach((imageIds, i) => {
          const n = req.annotatorIds.length;
          let assignee: number | null = null;
          for (let k = 0; k < n; k++) {
            const candidate = req.annotatorIds[(i + slot + k) % n] as number;
            if (imageIds.every((img) => !holders.get(img)?.has(candidate))) {
              assignee = candidate;
              break;
            }
          }
          seq += 1;
          const ticketId = insertTicket(w, { datasetId: dataset.id, name: `${dataset.name} #${seq}`, priority: req.priority, dueDate: req.dueDate, createdBy: session.userId, createdAt: at });
          const createEvent = appendEvent(w, {
            ticketId,
            action: 'create',
            from: null,
            to: 'open',
            assigneeId: null,
            actorId: session.userId,
            actorName: session.username,
            reason: null,
            details: { by: req.by, slot, images: imageIds.length },
            at,
          });
          addTicketImages(w, ticketId, dataset.id, imageIds.map((imageId, position) => ({ imageId, slot, position })), createEvent);
          if (assignee !== null) {
            appendEvent(w, { ticketId, action: 'assign', from: 'open', to: 'assigned', assigneeId: assignee, actorId: session.userId, actorName: session.username, reason: null, at });
            for (const img of imageIds) (holders.get(img) ?? holders.set(img, new Set()).get(img))?.add(assignee);
          }
          created.push(ticketId);
        });
      }
      return created;
    },
  );
  const views = ids.map((id) => ticketView(db, id) as TicketView);
  const assigned = views.filter((t) => t.assigneeId !== null);
  if (assigned.length > 0) {
    ctx.emit('tickets:assigned', { ticketIds: assigned.map((t) => t.id), assigneeIds: [...new Set(assigned.map((t) => t.assigneeId as number))] });
  }
  return views;
}

// ---------------------------------------------------------------- transitions

export interface TransitionOptions {
  newAssigneeId?: number;
  reason?: string;
}

/**
 * One state-machine step in one transaction: the pure rule decides, the event is appended,
 * the ticket follows, and the action's side effects on images and annotations happen.
 */
export function act(ctx: CallContext, session: Session, ticketId: number, action: TicketAction, opts: TransitionOptions = {}): TicketView {
  ctx.write(
    { type: 'ticket', id: ticketId, details: { action, ...(opts.newAssigneeId ? { assigneeId: opts.newAssigneeId } : {}), ...(opts.reason ? { reason: opts.reason } : {}) } },
    (w) => applyAction(w, session, ticketId, action, opts, nowIso(ctx)),
  );
  const view = ticketView(ctx.app.db, ticketId) as TicketView;
  if ((action === 'assign' || action === 'reassign') && view.assigneeId !== null) {
    ctx.emit('tickets:assigned', { ticketIds: [ticketId], assigneeIds: [view.assigneeId] });
  }
  return view;
}

/** Inside a write transaction; also used by autosave to start an assigned ticket. */
export function applyAction(w: WritableDB, session: Session, ticketId: number, action: TicketAction, opts: TransitionOptions, at: string): number {
  const t = ticketRow(w, ticketId);
  if (!t) throw new AppError('NOT_FOUND', `No ticket ${ticketId}.`);
  const r = transition({
    state: t.state,
    action,
    actor: { userId: session.userId, roles: session.roles },
    assigneeId: t.assignee_id,
    newAssigneeId: opts.newAssigneeId ?? null,
    reason: opts.reason ?? null,
  });
  if (!r.ok) throw new AppError(REFUSAL_CODES[r.refusal], r.message, { refusal: r.refusal, state: t.state, action });
  const live = liveTicketImages(w, ticketId);
  const base = { ticketId, action, from: t.state, to: r.to, assigneeId: r.assigneeId, actorId: session.userId, actorName: session.username, reason: opts.reason?.trim() ?? null, at };

  switch (action) {
    case 'assign':
    case 'reassign': {
      const assignee = r.assigneeId as number;
      requireAnnotator(w, assignee);
      const clash = heldElsewhere(w, t.dataset_id, ticketId, assignee, live.map((l) => l.imageId));
      if (clash.length > 0) {
        throw new AppError('CONFLICT', 'This annotator already has some of these images in another ticket (overlapping copies need different annotators).', { imageIds: clash });
      }
      // A returned ticket takes back the images it released that nobody claimed meanwhile.
      const reclaim = t.state === 'returned' ? reclaimableImages(w, ticketId).filter((x) => heldElsewhere(w, t.dataset_id, ticketId, assignee, [x.imageId]).length === 0) : [];
      const eventId = appendEvent(w, { ...base, details: reclaim.length ? { reclaimed: reclaim.map((x) => x.imageId) } : {} });
      addTicketImages(w, ticketId, t.dataset_id, reclaim, eventId);
      return eventId;
    }
    case 'submit': {
      const done = annotatedImagesOfTicket(w, ticketId);
      const missing = live.filter((l) => !done.has(l.imageId)).map((l) => l.imageId);
      if (missing.length > 0) {
        throw new AppError('VALIDATION', `${missing.length} image(s) have no saved annotation yet (save an empty one for "nothing found").`, { imageIds: missing });
      }
      return appendEvent(w, base);
    }
    case 'return': {
      // Unfinished = no saved annotator version in this ticket; those go back to the pool.
      const done = annotatedImagesOfTicket(w, ticketId);
      const released = live.filter((l) => !done.has(l.imageId)).map((l) => l.imageId);
      const eventId = appendEvent(w, { ...base, details: { released, kept: live.length - released.length } });
      releaseTicketImages(w, ticketId, released, eventId);
      return eventId;
    }
    case 'accept': {
      const eventId = appendEvent(w, base);
      const latest = latestPerImageInTicket(w, ticketId);
      for (const l of live) {
        const annotationId = latest.get(l.imageId);
        if (annotationId !== undefined) acceptAnnotation(w, annotationId, ticketId, eventId, at);
      }
      return eventId;
    }
    default:
      return appendEvent(w, base);
  }
}

export function updateTicket(ctx: CallContext, session: Session, req: { id: number; priority?: TicketPriority | undefined; dueDate?: string | null | undefined }): TicketView {
  ctx.write({ type: 'ticket', id: req.id, details: { priority: req.priority, dueDate: req.dueDate } }, (w) => {
    const t = ticketRow(w, req.id);
    if (!t) throw new AppError('NOT_FOUND', `No ticket ${req.id}.`);
    const priority = req.priority ?? t.priority;
    const dueDate = req.dueDate === undefined ? t.due_date : req.dueDate;
    const at = nowIso(ctx);
    appendEvent(w, {
      ticketId: t.id,
      action: 'update',
      from: t.state,
      to: t.state,
      assigneeId: t.assignee_id,
      actorId: session.userId,
      actorName: session.username,
      reason: null,
      details: { priority: [t.priority, priority], dueDate: [t.due_date, dueDate] },
      at,
    });
    updateTicketFields(w, t.id, { priority, dueDate, at });
  });
  return ticketView(ctx.app.db, req.id) as TicketView;
}

const PRIORITY_RANK: Record<TicketPriority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

/** Inbox order: urgent first, then the earliest due date (none last), then the oldest ticket. */
export function inboxOrder(a: TicketView, b: TicketView): number {
  return (
    PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] ||
    (a.dueDate ?? '\uffff').localeCompare(b.dueDate ?? '\uffff') ||
    a.id - b.id
  );
}
