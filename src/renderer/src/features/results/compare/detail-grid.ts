import { DETAIL_STATUSES, type DetailStatus, type DetailView } from '../../../../../shared/contract';
import type { CsvValue } from '../csv';

/** A grid row of the detail table: the index of its image in the DetailView's columns. */
export interface DetailGridRow {
  readonly i: number;
}

/** One light row per image of the detail (the cells read the columns). */
export function detailGridRows(view: DetailView): DetailGridRow[] {
  const rows = new Array<DetailGridRow>(view.imageIds.length);
  for (let i = 0; i < rows.length; i++) rows[i] = { i };
  return rows;
}

/** Rows of a detail table that pass the status filter. */
export function filterDetail(view: DetailView, rows: readonly DetailGridRow[], filter: DetailStatus | 'all'): DetailGridRow[] {
  if (filter === 'all') return [...rows];
  const code = DETAIL_STATUSES.indexOf(filter);
  return rows.filter((r) => view.status[r.i] === code);
}

const textOf = (dictionary: readonly string[], code: number | undefined): string | null => (code === undefined || code < 0 ? null : (dictionary[code] ?? null));

/** The outcome of row i in the k-th run (null: not in that run). */
export const outcomeAt = (view: DetailView, k: number, i: number): string | null => textOf(view.outcomeNames, view.outcomes[k]?.[i]);
/** The prediction of row i in the k-th run (null: none). */
export const predictedAt = (view: DetailView, k: number, i: number): string | null => textOf(view.classes, view.predicted[k]?.[i]);
export const trueClassAt = (view: DetailView, i: number): string | null => textOf(view.classes, view.trueClass[i]);
export const statusAt = (view: DetailView, i: number): DetailStatus => DETAIL_STATUSES[view.status[i] as number] as DetailStatus;

/** The CSV of the rows shown: image, truth, outcome and prediction per run, status — every row. */
export function detailCsv(view: DetailView, rows: readonly DetailGridRow[], runName: (id: number) => string): { headers: string[]; rows: CsvValue[][] } {
  return {
    headers: ['image', 'truth', ...view.runIds.flatMap((id) => [`${runName(id)} outcome`, `${runName(id)} predicted`]), 'status'],
    rows: rows.map(({ i }) => [view.imageIds[i], trueClassAt(view, i), ...view.runIds.flatMap((_, k) => [outcomeAt(view, k, i), predictedAt(view, k, i)]), statusAt(view, i)]),
  };
}
