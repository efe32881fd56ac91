import type { RunMetrics, StandardResult } from '../../../../shared/contract';
import type { ResultScope } from './drill-cells';

/** The figure columns of a run results grid, in display order. */
export const COUNT_COLUMNS = ['tp', 'fp', 'fn', 'tn', 'support'] as const;
export const RATIO_COLUMNS = ['precision', 'recall', 'specificity', 'f1'] as const;
export type FigureColumn = (typeof COUNT_COLUMNS)[number] | (typeof RATIO_COLUMNS)[number] | 'auc' | 'ap' | 'accuracy' | 'mAP';

/** One row of the run results grid: a class, an average, or the whole run. */
export interface ResultRow {
  readonly key: string;
  readonly scope: ResultScope;
  readonly figures: Partial<Record<FigureColumn, number | null>>;
  /** Quantified score per matrix id (per class, or the mean on the overall row). */
  readonly quant: Record<number, number | null>;
}

/** The columns a run's task has: a detector has no TN or specificity and has AP instead of AUC. */
export function figureColumns(metrics: RunMetrics): FigureColumn[] {
  if (metrics.task === 'detection') return ['tp', 'fp', 'fn', 'support', 'precision', 'recall', 'f1', 'ap', 'mAP'];
  const hasAuc = metrics.macro.auc !== undefined || Object.values(metrics.perClass).some((c) => c.auc !== undefined);
  return [...COUNT_COLUMNS, ...RATIO_COLUMNS, ...(hasAuc ? (['auc'] as const) : []), 'accuracy'];
}

/** Every metric per class and overall (DESIGN §3), as grid rows. */
export function resultRows(metrics: RunMetrics): ResultRow[] {
  const rows: ResultRow[] = metrics.classes.map((className) => {
    const c = metrics.perClass[className];
    const figures: Partial<Record<FigureColumn, number | null>> = c
      ? {
          tp: c.tp,
          fp: c.fp,
          fn: c.fn,
          support: c.support,
          precision: c.precision,
          recall: c.recall,
          f1: c.f1,
          ...(metrics.task === 'classification'
            ? { tn: c.tn, specificity: c.specificity, ...('auc' in c && c.auc !== undefined ? { auc: c.auc } : {}) }
            : { ap: 'ap' in c ? c.ap : null }),
        }
      : {};
    const quant: Record<number, number | null> = {};
    for (const q of metrics.quant) quant[q.matrixId] = q.perClass[className]?.score ?? null;
    return { key: `class:${className}`, scope: { kind: 'class', className }, figures, quant };
  });
  for (const avg of ['macro', 'micro'] as const) {
    const a = metrics[avg];
    const figures: Partial<Record<FigureColumn, number | null>> = { precision: a.precision, recall: a.recall, f1: a.f1 };
    if (avg === 'macro' && metrics.task === 'classification' && metrics.macro.auc !== undefined) figures.auc = metrics.macro.auc;
    rows.push({ key: avg, scope: { kind: avg }, figures, quant: {} });
  }
  const overallQuant: Record<number, number | null> = {};
  for (const q of metrics.quant) overallQuant[q.matrixId] = q.score;
  rows.push({
    key: 'overall',
    scope: { kind: 'overall' },
    figures: metrics.task === 'classification' ? { accuracy: metrics.accuracy } : { mAP: metrics.mAP },
    quant: overallQuant,
  });
  return rows;
}

/**
 * The standard that judges a cell, if any: a class-level standard sits on its class row, a
 * run-level accuracy / AUC / mAP / quantified standard on the overall or macro row.
 */
export function standardFor(standards: readonly StandardResult[], scope: ResultScope, column: FigureColumn | 'quant'): StandardResult | undefined {
  return standards.find((s) => {
    if (s.disabled) return false;
    if (scope.kind === 'class') return s.className === scope.className && s.metric === column;
    if (s.className !== null) return false;
    if (scope.kind === 'overall') return (s.metric === 'accuracy' && column === 'accuracy') || (s.metric === 'ap' && column === 'mAP') || (s.metric === 'quant' && column === 'quant');
    if (scope.kind === 'macro') return s.metric === column && ['precision', 'recall', 'f1', 'auc', 'specificity'].includes(s.metric);
    return false;
  });
}

/** The largest count of a confusion matrix, for the heat map's scale (at least 1). */
export function confusionMax(confusion: readonly (readonly number[])[]): number {
  let max = 1;
  for (const row of confusion) for (const v of row) if (v > max) max = v;
  return max;
}

/** Whether any image of the run was missed: the heat map then shows a "missed" column. */
export function hasMissed(confusion: readonly (readonly number[])[], classCount: number): boolean {
  return confusion.some((row) => (row[classCount] ?? 0) > 0);
}
