import type { CompareRow } from '../../../../shared/contract';

/** Whether a delta is an improvement, a regression, or no change (within rounding). */
export type Tone = 'better' | 'worse' | 'same';

/** Figures are ratios in [0, 1] or counts: a change below this is display noise, not a change. */
export const DELTA_EPSILON = 1e-9;

/** The colour rule of the comparison grid: the sign of the delta read against the metric's direction. */
export function deltaTone(delta: number | null | undefined, higherIsBetter: boolean, epsilon = DELTA_EPSILON): Tone | null {
  if (delta === null || delta === undefined || !Number.isFinite(delta)) return null;
  if (Math.abs(delta) <= epsilon) return 'same';
  return delta > 0 === higherIsBetter ? 'better' : 'worse';
}

/** Deltas of one row against another baseline run than the one the server used (no round trip). */
export function deltasAgainst(row: Pick<CompareRow, 'values'>, baselineId: number): Record<number, number | null> {
  const base = row.values[baselineId] ?? null;
  const out: Record<number, number | null> = {};
  for (const [key, value] of Object.entries(row.values)) {
    out[Number(key)] = value === null || base === null ? null : value - base;
  }
  return out;
}

/** Counts are integers; everything else is a ratio or a score shown with 3 decimals. */
export const COUNT_METRICS: ReadonlySet<string> = new Set(['tp', 'fp', 'fn', 'tn', 'support']);

export function formatFigure(value: number | null | undefined, metric: string): string {
  if (value === null || value === undefined) return '—';
  return COUNT_METRICS.has(metric) ? String(value) : value.toFixed(3);
}

/** A delta with its sign always written, so +0.000 and −0.000 never look alike to a reader. */
export function formatDelta(delta: number | null | undefined, metric: string): string {
  if (delta === null || delta === undefined) return '—';
  const body = COUNT_METRICS.has(metric) ? String(Math.abs(delta)) : Math.abs(delta).toFixed(3);
  if (Math.abs(delta) <= DELTA_EPSILON) return `±${body}`;
  return `${delta > 0 ? '+' : '−'}${body}`;
}

/** How many rows got better / worse for a run against the baseline: the header summary. */
export function toneCounts(rows: readonly CompareRow[], runId: number, baselineId: number): Record<Tone, number> {
  const counts: Record<Tone, number> = { better: 0, worse: 0, same: 0 };
  if (runId === baselineId) return counts;
  for (const row of rows) {
    const tone = deltaTone(deltasAgainst(row, baselineId)[runId], row.higherIsBetter);
    if (tone) counts[tone] += 1;
  }
  return counts;
}
