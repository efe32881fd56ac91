import { describe, expect, it } from 'vitest';
import { progressRows } from './progress-rows';

describe('progress chart rows', () => {
  it('lists dataset stages, annotators and tickets with done of total', () => {
    const rows = progressRows({
      datasetId: 1,
      totals: { images: 10, inTickets: 8, annotated: 5, accepted: 3, gold: 1 },
      byTicket: [
        { ticketId: 2, name: 'T2', state: 'in_progress', assigneeId: 7, assigneeName: 'Ben', images: 4, annotated: 1 },
        { ticketId: 1, name: 'T1', state: 'submitted', assigneeId: 6, assigneeName: 'Anna', images: 4, annotated: 4 },
      ],
      byAnnotator: [{ annotatorId: 6, name: 'Anna', tickets: 1, images: 4, annotated: 4, submittedTickets: 1, acceptedTickets: 0 }],
    });
    expect(rows.map((r) => [r.key, r.done, r.total])).toEqual([
      ['dataset-inTickets', 8, 10],
      ['dataset-annotated', 5, 10],
      ['dataset-accepted', 3, 10],
      ['dataset-gold', 1, 10],
      ['annotator-6', 4, 4],
      ['ticket-1', 4, 4],
      ['ticket-2', 1, 4],
    ]);
  });
});
