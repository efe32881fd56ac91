import type { DatasetSummary } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { Session } from '../auth/sessions';
import { getDataset } from '../datasets/datasets-repository';
import type { ReadableDB } from '../db/types';
import { datasetsOfAssignee, ticketRow, type TicketRow } from './labeling-repository';

/**
 * Row-level access of the labeling domain, on top of the registry's role check: an
 * annotator (without an overseeing role) reaches only tickets assigned to them now, and
 * only datasets in which they hold or held a ticket.
 */
export function isOverseer(session: Session): boolean {
  return session.roles.includes('labeling_admin') || session.roles.includes('expert');
}

export function requireSession(session: Session | null): Session {
  if (!session) throw new AppError('UNAUTHENTICATED', 'Please log in first.');
  return session;
}

export function labelingDataset(db: ReadableDB, datasetId: number): DatasetSummary {
  const d = getDataset(db, datasetId);
  if (!d) throw new AppError('NOT_FOUND', `No dataset ${datasetId}.`);
  if (d.purpose !== 'labeling') throw new AppError('VALIDATION', `"${d.name}" is a ${d.purpose.replace('_', '-')} dataset, not a labeling dataset.`, { field: 'datasetId' });
  return d;
}

export function datasetForCaller(db: ReadableDB, session: Session, datasetId: number): DatasetSummary {
  const d = labelingDataset(db, datasetId);
  if (!isOverseer(session) && !datasetsOfAssignee(db, session.userId).has(datasetId)) {
    throw new AppError('FORBIDDEN', 'You have no ticket in this dataset.');
  }
  return d;
}

export function ticketForCaller(db: ReadableDB, session: Session, ticketId: number): TicketRow {
  const t = ticketRow(db, ticketId);
  if (!t) throw new AppError('NOT_FOUND', `No ticket ${ticketId}.`);
  if (!isOverseer(session) && t.assignee_id !== session.userId) throw new AppError('FORBIDDEN', 'This ticket is not assigned to you.');
  return t;
}
