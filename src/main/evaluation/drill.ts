import type { DrillBox, DrillCell, DrillSetName, DrillView } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { ReadableDB } from '../db/types';
import type { RunRow } from './runs-repository';

/**
 * Drill-down as a query over the stored outcomes (DESIGN §3: every number is a link). Each
 * set holds exactly the images its count counts; the sets match what the shared engine's
 * `classificationDrillDown` / `detectionDrillDown` return for the same cell (tested per cell).
 */
export function drill(db: ReadableDB, run: RunRow, cell: DrillCell): DrillView {
  if (cell.metric === 'quant') return quantDrill(db, run, cell.matrixId, cell.max);
  if (cell.metric === 'threshold') return thresholdDrill(db, run, cell.className, cell.minScore);
  return run.task === 'classification' ? classificationDrill(db, run.id, cell) : detectionDrill(db, run.id, cell);
}

const ids = (db: ReadableDB, sql: string, ...params: unknown[]): number[] => db.prepare(sql).pluck().all(...params) as number[];

function view(sets: Partial<Record<DrillSetName, number[]>>, numerator: DrillSetName[], denominator: DrillSetName[], boxes?: DrillView['boxes']): DrillView {
  const lists = Object.values(sets);
  // Classification sets come ascending and without repeats (run_id, image_id is the key), so
  // their union is a merge; other lists (detection boxes, quant ranking) are sorted first.
  const ascending = lists.every(isStrictlyAscending);
  const imageIds = ascending ? lists.reduce<number[]>((acc, list) => union(acc, list), []) : [...new Set(lists.flat())].sort((a, b) => a - b);
  return { sets, numerator, denominator, imageIds, ...(boxes ? { boxes } : {}) };
}

function isStrictlyAscending(list: readonly number[]): boolean {
  for (let i = 1; i < list.length; i++) if ((list[i] as number) <= (list[i - 1] as number)) return false;
  return true;
}

/** a ∪ b, both strictly ascending: ascending, without repeats. */
function union(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x <= y) {
      out.push(x);
      i++;
      if (x === y) j++;
    } else {
      out.push(y);
      j++;
    }
  }
  while (i < a.length) out.push(a[i++] as number);
  while (j < b.length) out.push(b[j++] as number);
  return out;
}

/** a ∩ b (keep = true) or a \ b (keep = false), both strictly ascending. */
function filterBy(a: readonly number[], b: readonly number[], keep: boolean): number[] {
  const out: number[] = [];
  let j = 0;
  for (const x of a) {
    while (j < b.length && (b[j] as number) < x) j++;
    if ((j < b.length && b[j] === x) === keep) out.push(x);
  }
  return out;
}

/**
 * The images of a run with a true class, a predicted class, or no prediction (className null),
 * ascending. Each is a scan of one secondary index of run_outcomes (run_id, true_class /
 * predicted_class), which holds image_id too: no table lookups, already in image order. The
 * class cells are then merges of these lists instead of a scan of the whole run.
 */
const withTrue = (db: ReadableDB, runId: number, className: string) =>
  idList(db, 'SELECT image_id FROM run_outcomes INDEXED BY run_outcomes_true WHERE run_id = ? AND true_class = ? ORDER BY image_id', runId, className);
const withPredicted = (db: ReadableDB, runId: number, className: string | null) =>
  className === null
    ? idList(db, 'SELECT image_id FROM run_outcomes INDEXED BY run_outcomes_pred WHERE run_id = ? AND predicted_class IS NULL ORDER BY image_id', runId)
    : idList(db, 'SELECT image_id FROM run_outcomes INDEXED BY run_outcomes_pred WHERE run_id = ? AND predicted_class = ? ORDER BY image_id', runId, className);

/**
 * The ids a query selects, as one JSON array built in SQLite: for tens of thousands of rows
 * that is cheaper than a JS value per row. The order of an aggregate over an ordered subquery
 * is not promised by SQL, so the list is checked and sorted if needed.
 */
function idList(db: ReadableDB, sql: string, ...params: unknown[]): number[] {
  const list = JSON.parse(db.prepare(`SELECT json_group_array(image_id) FROM (${sql})`).pluck().get(...params) as string) as number[];
  return isStrictlyAscending(list) ? list : list.sort((a, b) => a - b);
}

function requireClass(db: ReadableDB, runId: number, className: string, table: 'run_outcomes' | 'run_box_outcomes'): void {
  const sql =
    table === 'run_outcomes'
      ? 'SELECT 1 FROM run_outcomes WHERE run_id = ? AND (true_class = ? OR predicted_class = ?) LIMIT 1'
      : 'SELECT 1 FROM run_box_outcomes WHERE run_id = ? AND class_name = ? AND ? IS NOT NULL LIMIT 1';
  if (!db.prepare(sql).get(runId, className, className)) throw new AppError('NOT_FOUND', `Class "${className}" does not occur in this run.`, { field: 'cell.className' });
}

function classificationDrill(db: ReadableDB, runId: number, cell: Exclude<DrillCell, { metric: 'quant' | 'threshold' }>): DrillView {
  const base = 'SELECT image_id FROM run_outcomes WHERE run_id = ?';
  if (cell.metric === 'confusion') {
    requireClass(db, runId, cell.trueClass, 'run_outcomes');
    // true_class = ? AND predicted_class = ? (or IS NULL): the two index lists intersected.
    const images = filterBy(withTrue(db, runId, cell.trueClass), withPredicted(db, runId, cell.predictedClass), true);
    return view({ images }, ['images'], []);
  }
  if (cell.metric === 'accuracy') {
    const of = (o: string) => ids(db, `${base} AND outcome = ? ORDER BY image_id`, runId, o);
    return view({ correct: of('correct'), wrong: of('wrong'), missed: of('missed') }, ['correct'], ['correct', 'wrong', 'missed']);
  }
  if (cell.metric === 'mAP' || cell.metric === 'ap') throw new AppError('VALIDATION', `${cell.metric} applies to detection runs.`, { field: 'cell.metric' });
  if ('average' in cell) {
    const wanted: DrillSetName[] = cell.metric === 'precision' ? ['tp', 'fp'] : cell.metric === 'recall' ? ['tp', 'fn'] : ['tp', 'fp', 'fn'];
    const sql: Record<string, string> = {
      tp: `${base} AND outcome = 'correct' ORDER BY image_id`,
      fp: `${base} AND outcome = 'wrong' ORDER BY image_id`,
      fn: `${base} AND outcome IN ('wrong', 'missed') ORDER BY image_id`,
    };
    return view(Object.fromEntries(wanted.map((s) => [s, ids(db, sql[s] as string, runId)])), ['tp'], wanted);
  }
  requireClass(db, runId, cell.className, 'run_outcomes');
  const c = cell.className;
  // true_class is never NULL, so with T = (true_class = c) and P = (predicted_class = c):
  // tp = T ∩ P, fp = P \ T (true_class <> c), fn = T \ P (predicted_class IS NOT c).
  let truth: number[] | undefined;
  let predicted: number[] | undefined;
  const t = () => (truth ??= withTrue(db, runId, c));
  const p = () => (predicted ??= withPredicted(db, runId, c));
  const sets: Record<'tp' | 'fp' | 'fn' | 'tn', () => number[]> = {
    tp: () => filterBy(t(), p(), true),
    fp: () => filterBy(p(), t(), false),
    fn: () => filterBy(t(), p(), false),
    tn: () => ids(db, `${base} AND true_class <> ? AND predicted_class IS NOT ? ORDER BY image_id`, runId, c, c),
  };
  const shape: Record<string, [DrillSetName[], DrillSetName[]]> = {
    tp: [['tp'], []],
    fp: [['fp'], []],
    fn: [['fn'], []],
    tn: [['tn'], []],
    support: [['tp', 'fn'], []],
    precision: [['tp'], ['tp', 'fp']],
    recall: [['tp'], ['tp', 'fn']],
    specificity: [['tn'], ['tn', 'fp']],
    f1: [['tp'], ['tp', 'fp', 'fn']],
    auc: [['tp', 'fn'], ['tp', 'fn', 'fp', 'tn']],
  };
  const [numerator, denominator] = shape[cell.metric] as [DrillSetName[], DrillSetName[]];
  const names = [...new Set([...numerator, ...denominator])] as ('tp' | 'fp' | 'fn' | 'tn')[];
  return view(Object.fromEntries(names.map((n) => [n, sets[n]()])), numerator, denominator);
}

function detectionDrill(db: ReadableDB, runId: number, cell: Exclude<DrillCell, { metric: 'quant' | 'threshold' }>): DrillView {
  if (cell.metric === 'confusion' || cell.metric === 'accuracy' || cell.metric === 'tn' || cell.metric === 'specificity' || cell.metric === 'auc') {
    throw new AppError('VALIDATION', `${cell.metric} does not apply to detection runs.`, { field: 'cell.metric' });
  }
  const className = 'className' in cell ? cell.className : null;
  if (className !== null) requireClass(db, runId, className, 'run_box_outcomes');
  const shapes: Record<string, [('tp' | 'fp' | 'fn')[], ('tp' | 'fp' | 'fn')[]]> = {
    tp: [['tp'], []],
    fp: [['fp'], []],
    fn: [['fn'], []],
    support: [['tp', 'fn'], []],
    precision: [['tp'], ['tp', 'fp']],
    recall: [['tp'], ['tp', 'fn']],
    f1: [['tp'], ['tp', 'fp', 'fn']],
    ap: [['tp'], ['tp', 'fp', 'fn']],
    mAP: [['tp'], ['tp', 'fp', 'fn']],
  };
  const [numerator, denominator] = shapes[cell.metric] as [('tp' | 'fp' | 'fn')[], ('tp' | 'fp' | 'fn')[]];
  const names = [...new Set([...numerator, ...denominator])];
  const boxes: Partial<Record<'tp' | 'fp' | 'fn', DrillBox[]>> = {};
  const sets: Partial<Record<DrillSetName, number[]>> = {};
  for (const name of names) {
    const rows = (
      className === null
        ? db.prepare('SELECT image_id, class_name, outcome, iou, score FROM run_box_outcomes WHERE run_id = ? AND outcome = ? ORDER BY seq').all(runId, name)
        : db.prepare('SELECT image_id, class_name, outcome, iou, score FROM run_box_outcomes WHERE run_id = ? AND outcome = ? AND class_name = ? ORDER BY seq').all(runId, name, className)
    ) as { image_id: number; class_name: string; outcome: 'tp' | 'fp' | 'fn'; iou: number | null; score: number | null }[];
    boxes[name] = rows.map((r) => ({ imageId: r.image_id, className: r.class_name, outcome: r.outcome, iou: r.iou, score: r.score }));
    sets[name] = rows.map((r) => r.image_id);
  }
  return view(sets, numerator, denominator, boxes);
}

/** Images by their value under a matrix, cheapest (most costly errors) first. */
function quantDrill(db: ReadableDB, run: RunRow, matrixId: number, max: number | undefined): DrillView {
  if (!db.prepare('SELECT 1 FROM quant_matrices WHERE id = ?').get(matrixId)) throw new AppError('NOT_FOUND', `Quantified label ${matrixId} does not exist.`);
  const images = ids(
    db,
    `SELECT image_id FROM run_quant_values WHERE run_id = ? AND matrix_id = ? ${max === undefined ? '' : 'AND value <= ?'} ORDER BY value, image_id`,
    ...(max === undefined ? [run.id, matrixId] : [run.id, matrixId, max]),
  );
  // sets.images keeps the ranking; imageIds is ascending like every other drill.
  return view({ images }, ['images'], []);
}

/**
 * A point of a class's ROC/PR curve (shared/metrics/curves.ts): the images counted as predicted
 * positive at that threshold. tp: true class and predicted as it with score ≥ minScore; fp: another
 * true class, predicted as it with score ≥ minScore. `minScore: null` is the curve's last point,
 * where every image counts (tp: every image of the class, fp: every other image).
 * Detection: see `detectionThresholdDrill`.
 */
function thresholdDrill(db: ReadableDB, run: RunRow, className: string, minScore: number | null): DrillView {
  if (run.task === 'detection') return detectionThresholdDrill(db, run.id, className, minScore);
  requireClass(db, run.id, className, 'run_outcomes');
  const base = 'SELECT image_id FROM run_outcomes WHERE run_id = ?';
  const sets =
    minScore === null
      ? {
          tp: ids(db, `${base} AND true_class = ? ORDER BY image_id`, run.id, className),
          fp: ids(db, `${base} AND true_class <> ? ORDER BY image_id`, run.id, className),
        }
      : {
          tp: ids(db, `${base} AND true_class = ? AND predicted_class = ? AND score >= ? ORDER BY image_id`, run.id, className, className, minScore),
          fp: ids(db, `${base} AND true_class <> ? AND predicted_class = ? AND score >= ? ORDER BY image_id`, run.id, className, className, minScore),
        };
  return view(sets, ['tp'], ['tp', 'fp']);
}

/**
 * A point of a detection run's precision–recall curve: the predicted boxes of the class with a
 * score ≥ minScore, as matched (tp) or unmatched (fp). Boxes are matched in descending score
 * order, so a box's outcome does not depend on the boxes scored below it and the stored outcomes
 * are exactly those at the threshold. `minScore: null`: every predicted box of the class.
 */
function detectionThresholdDrill(db: ReadableDB, runId: number, className: string, minScore: number | null): DrillView {
  requireClass(db, runId, className, 'run_box_outcomes');
  const boxes: Partial<Record<'tp' | 'fp', DrillBox[]>> = {};
  const sets: Partial<Record<DrillSetName, number[]>> = {};
  for (const name of ['tp', 'fp'] as const) {
    const rows = db
      .prepare(
        `SELECT image_id, class_name, outcome, iou, score FROM run_box_outcomes WHERE run_id = ? AND outcome = ? AND class_name = ? ${minScore === null ? '' : 'AND score >= ?'} ORDER BY seq`,
      )
      .all(...(minScore === null ? [runId, name, className] : [runId, name, className, minScore])) as { image_id: number; class_name: string; outcome: 'tp' | 'fp'; iou: number | null; score: number | null }[];
    boxes[name] = rows.map((r) => ({ imageId: r.image_id, className: r.class_name, outcome: r.outcome, iou: r.iou, score: r.score }));
    sets[name] = rows.map((r) => r.image_id);
  }
  return view(sets, ['tp'], ['tp', 'fp'], boxes);
}
