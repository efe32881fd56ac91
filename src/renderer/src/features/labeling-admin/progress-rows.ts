import type { ProgressView } from '../../../../shared/contract';

/** One bar of the progress chart: `done` of `total` images. */
export interface ProgressRow {
  readonly key: string;
  readonly group: 'dataset' | 'annotator' | 'ticket';
  /** A message key (dataset stages) or a name (annotators, tickets). */
  readonly label: string;
  readonly done: number;
  readonly total: number;
}

/** The chart's rows: the dataset's stages, then each annotator, then each ticket (oldest first). */
export function progressRows(p: ProgressView): ProgressRow[] {
  const n = p.totals.images;
  return [
    { key: 'dataset-inTickets', group: 'dataset', label: 'inTickets', done: p.totals.inTickets, total: n },
    { key: 'dataset-annotated', group: 'dataset', label: 'annotated', done: p.totals.annotated, total: n },
    { key: 'dataset-accepted', group: 'dataset', label: 'accepted', done: p.totals.accepted, total: n },
    { key: 'dataset-gold', group: 'dataset', label: 'gold', done: p.totals.gold, total: n },
    ...p.byAnnotator.map((a) => ({ key: `annotator-${a.annotatorId}`, group: 'annotator' as const, label: a.name, done: a.annotated, total: a.images })),
    ...[...p.byTicket].reverse().map((tk) => ({ key: `ticket-${tk.ticketId}`, group: 'ticket' as const, label: tk.name, done: tk.annotated, total: tk.images })),
  ];
}
