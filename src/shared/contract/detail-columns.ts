import type { DetailRow, DetailStatus, DetailView } from './evaluation';

/** The status codes of DetailView.status, in this order. */
export const DETAIL_STATUSES: readonly DetailStatus[] = ['fixed', 'broken', 'still_wrong', 'always_right', 'mixed'];

const entry = (dictionary: readonly string[], code: number | undefined): string | null => (code === undefined || code < 0 ? null : (dictionary[code] ?? null));

/** Row i of a columnar detail as the object a person reads (image, truth, outcome and prediction per run, status). */
export function detailRowAt(view: DetailView, i: number): DetailRow {
  const outcomes: Record<number, string | null> = {};
  const predicted: Record<number, string | null> = {};
  view.runIds.forEach((runId, k) => {
    outcomes[runId] = entry(view.outcomeNames, view.outcomes[k]?.[i]);
    predicted[runId] = entry(view.classes, view.predicted[k]?.[i]);
  });
  return {
    imageId: view.imageIds[i] as number,
    trueClass: entry(view.classes, view.trueClass[i]),
    outcomes,
    predicted,
    status: DETAIL_STATUSES[view.status[i] as number] as DetailStatus,
  };
}

/** Every row of a columnar detail, decoded. */
export function decodeDetail(view: DetailView): DetailRow[] {
  return view.imageIds.map((_, i) => detailRowAt(view, i));
}

/** Assigns each distinct string a small integer code, in order of first use. */
export class Dictionary {
  readonly values: string[] = [];
  private readonly codes = new Map<string, number>();

  code(value: string | null | undefined): number {
    if (value === null || value === undefined) return -1;
    let c = this.codes.get(value);
    if (c === undefined) {
      c = this.values.length;
      this.values.push(value);
      this.codes.set(value, c);
    }
    return c;
  }
}
