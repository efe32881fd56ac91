import type { TicketView } from '../../../../shared/contract';
import { PRIORITIES, type TicketPriority } from '../../../../shared/labeling';

/** Higher = more urgent (PRIORITIES runs low → urgent). */
const rank = (p: TicketPriority) => PRIORITIES.indexOf(p);

/**
 * The inbox order: priority (urgent first), then due date (soonest first, none last), then
 * the oldest ticket first. Main sorts the same way; the screen does not rely on it.
 */
export function sortInbox(tickets: readonly TicketView[]): TicketView[] {
  return [...tickets].sort((a, b) => {
    const p = rank(b.priority) - rank(a.priority);
    if (p !== 0) return p;
    if (a.dueDate !== b.dueDate) {
      if (a.dueDate === null) return 1;
      if (b.dueDate === null) return -1;
      return a.dueDate < b.dueDate ? -1 : 1;
    }
    return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id - b.id;
  });
}
