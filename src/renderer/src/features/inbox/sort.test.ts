import { describe, expect, it } from 'vitest';
import type { TicketView } from '../../../../shared/contract';
import { sortInbox } from './sort';

const ticket = (id: number, priority: TicketView['priority'], dueDate: string | null, createdAt = '2026-01-01T00:00:00.000Z'): TicketView => ({
  id,
  datasetId: 1,
  datasetName: 'd',
  name: `T${id}`,
  state: 'assigned',
  assigneeId: 1,
  assigneeName: 'a',
  priority,
  dueDate,
  createdAt,
  updatedAt: createdAt,
  images: 1,
  annotated: 0,
  lastEvent: null,
});

describe('inbox order', () => {
  it('puts urgent first, then the soonest due date, tickets without one last', () => {
    const sorted = sortInbox([
      ticket(1, 'normal', null),
      ticket(2, 'urgent', '2026-03-01'),
      ticket(3, 'normal', '2026-02-01'),
      ticket(4, 'high', null),
      ticket(5, 'urgent', '2026-02-15'),
      ticket(6, 'low', '2026-01-02'),
      ticket(7, 'normal', '2026-02-01', '2025-12-01T00:00:00.000Z'),
    ]);
    expect(sorted.map((t) => t.id)).toEqual([5, 2, 4, 7, 3, 1, 6]);
  });
});
