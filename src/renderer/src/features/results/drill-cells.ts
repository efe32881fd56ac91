import type { DrillCell, DrillSetName } from '../../../../shared/contract';

/**
 * Which number of which grid opens which image set (DESIGN §3 "every number is a link"). Pure:
 * the grids ask here whether a cell is a link and what to send to `runs:drill`.
 */

export const CLASS_METRICS = ['tp', 'fp', 'fn', 'tn', 'support', 'precision', 'recall', 'specificity', 'f1', 'auc', 'ap'] as const;
export type ClassMetric = (typeof CLASS_METRICS)[number];
const AVERAGED = ['precision', 'recall', 'f1'] as const;
type Averaged = (typeof AVERAGED)[number];

/** A row of the run results grid: a class, a macro/micro average, or the run as a whole. */
export type ResultScope = { readonly kind: 'class'; readonly className: string } | { readonly kind: 'macro' | 'micro' | 'overall' };

/** The column of the run results grid a figure sits in. */
export type ResultColumn = ClassMetric | 'accuracy' | 'mAP' | { readonly quantMatrixId: number };

const isClassMetric = (m: string): m is ClassMetric => (CLASS_METRICS as readonly string[]).includes(m);
const isAveraged = (m: string): m is Averaged => (AVERAGED as readonly string[]).includes(m);

/** The drill request behind one cell of the run results grid, or null when the cell is no link. */
export function resultCellDrill(scope: ResultScope, column: ResultColumn): DrillCell | null {
  if (typeof column === 'object') return scope.kind === 'overall' ? { metric: 'quant', matrixId: column.quantMatrixId } : null;
  if (scope.kind === 'class') return isClassMetric(column) ? { metric: column, className: scope.className } : null;
  if (scope.kind === 'overall') {
    if (column === 'accuracy') return { metric: 'accuracy' };
    // mAP is the macro mean of the classes' AP: its images are those of every class.
    if (column === 'mAP') return { metric: 'mAP', average: 'macro' };
    return null;
  }
  return isAveraged(column) ? { metric: column, average: scope.kind } : null;
}

/**
 * The drill request behind one row of the comparison grid (the backend's names: `accuracy`,
 * `mAP`, `macro precision`, `micro f1`, per-class `precision`, `tp`, ...), or null. Quantified
 * rows and macro AUC are not links there (no matrix id / no image set of their own).
 */
export function compareRowDrill(metric: string, className: string | null): DrillCell | null {
  if (className !== null) return isClassMetric(metric) ? { metric, className } : null;
  if (metric === 'accuracy') return { metric: 'accuracy' };
  if (metric === 'mAP') return { metric: 'mAP', average: 'macro' };
  const [avg, name] = metric.split(' ');
  if ((avg === 'macro' || avg === 'micro') && name !== undefined && isAveraged(name)) return { metric: name, average: avg };
  return null;
}

/** The confusion heat map: true class × predicted class, `null` prediction = missed. */
export function confusionDrill(trueClass: string, predictedClass: string | null): DrillCell {
  return { metric: 'confusion', trueClass, predictedClass };
}

/** A stable identifier of a cell, for test ids and caches. */
export function drillKey(cell: DrillCell): string {
  switch (cell.metric) {
    case 'confusion':
      return `confusion:${cell.trueClass}:${cell.predictedClass ?? '∅'}`;
    case 'accuracy':
      return 'accuracy';
    case 'quant':
      return `quant:${cell.matrixId}${cell.max === undefined ? '' : `:${cell.max}`}`;
    default:
      return 'average' in cell ? `${cell.average}:${cell.metric}` : `${cell.metric}:${cell.className}`;
  }
}

/** The sets a drill result names, numerator first, each once. */
export function orderedSets(numerator: readonly DrillSetName[], denominator: readonly DrillSetName[], present: readonly DrillSetName[]): DrillSetName[] {
  const out: DrillSetName[] = [];
  for (const s of [...numerator, ...denominator, ...present]) if (!out.includes(s)) out.push(s);
  return out.filter((s) => present.includes(s));
}

/** For each image, the named sets it belongs to (an image can be in several, e.g. a detection image with a TP and an FP box). */
export function membership(sets: Partial<Record<DrillSetName, readonly number[]>>): Map<number, DrillSetName[]> {
  const out = new Map<number, DrillSetName[]>();
  for (const [name, ids] of Object.entries(sets) as [DrillSetName, readonly number[]][]) {
    for (const id of ids) {
      const list = out.get(id) ?? [];
      if (!list.includes(name)) list.push(name);
      out.set(id, list);
    }
  }
  return out;
}
