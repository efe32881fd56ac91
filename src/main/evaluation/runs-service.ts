import type {
  CompareRow,
  CompareView,
  DetailStatus,
  DetailView,
  FileSource,
  ImportProblem,
  ImportReport,
  LeakageReport,
  RunSummary,
  RunView,
  StaleReport,
} from '../../shared/contract';
import { DETAIL_STATUSES, Dictionary } from '../../shared/contract/detail-columns';
import { AppError } from '../../shared/errors';
import type { Box } from '../../shared/metrics/geometry';
import { canonicalJson } from '../audit/canonical';
import type { ReadableDB } from '../db/types';
import { resolveGroundTruth } from './ground-truth';
import { ImageKeyIndex } from './image-keys';
import { readRows } from './result-files';
import { getRun, latestImport, latestSnapshot, runStandardIds, snapshotHistory, toSnapshotInfo, type RunRow, type SnapshotRow } from './runs-repository';
import { parameterStates, versionImageIds, type SnapshotFigures } from './snapshots';

export function mustRun(db: ReadableDB, id: number): RunRow {
  const run = getRun(db, id);
  if (!run) throw new AppError('NOT_FOUND', `Run ${id} does not exist.`, { field: 'runId' });
  return run;
}

export interface PreparedResults {
  readonly file: string;
  readonly contentHash: string;
  readonly rowsTotal: number;
  readonly rows: { imageId: number; className: string; score: number | null; box: Box | null }[];
  readonly problems: ImportProblem[];
}

/**
 * Reads a predictions file for a run and checks every row against the run's test set and its
 * current ground truth: unknown or ambiguous images, images without ground truth, classes the
 * ground truth does not have, duplicate rows, and (classification) a score column only some
 * rows fill. Nothing is stored here.
 */
export function prepareResults(db: ReadableDB, run: RunRow, source: FileSource): PreparedResults {
  const read = readRows(source, run.task, 'pred');
  const problems = [...read.problems];
  const images = versionImageIds(db, run.version_id);
  const index = new ImageKeyIndex(db, images);
  const gt = resolveGroundTruth(db, { datasetId: run.dataset_id, imageIds: images, task: run.task });
  if (gt.labels.size === 0) throw new AppError('CONFLICT', `The dataset "${run.dataset_name}" has no ${run.task} ground truth yet: import it before the results.`);
  const classes = new Set<string>();
  for (const labels of gt.labels.values()) for (const l of labels) if (l.className !== null) classes.add(l.className);
  const withScore = read.rows.filter((r) => r.score !== null).length;
  const mixedScores = run.task === 'classification' && withScore > 0 && withScore < read.rows.length;
  const rows: PreparedResults['rows'] = [];
  const firstLine = new Map<string, number>();
  const report = (line: number, field: string, problem: string) => problems.push({ file: read.file, line, field, problem });
  for (const row of read.rows) {
    const match = index.resolve(row.key);
    if ('problem' in match) {
      report(row.line, 'image_key', match.problem);
      continue;
    }
    if (!gt.labels.has(match.imageId)) {
      report(row.line, 'image_key', `image "${row.key}" has no ground truth`);
      continue;
    }
    const className = row.className as string;
    if (!classes.has(className)) {
      report(row.line, 'class', `unknown class "${className}" (the ground truth has ${[...classes].sort().join(', ')})`);
      continue;
    }
    if (mixedScores && row.score === null) {
      report(row.line, 'score', 'score is missing (other rows have one)');
      continue;
    }
    const dupKey = run.task === 'classification' ? String(match.imageId) : `${match.imageId}|${canonicalJson([className, row.box, row.score])}`;
    const first = firstLine.get(dupKey);
    if (first !== undefined) {
      report(row.line, 'image_key', run.task === 'classification' ? `duplicate prediction for image "${row.key}" (first on line ${first})` : `duplicate box (same as line ${first})`);
      continue;
    }
    firstLine.set(dupKey, row.line);
    rows.push({ imageId: match.imageId, className, score: row.score, box: row.box });
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { file: read.file, contentHash: read.contentHash, rowsTotal: read.rowsTotal, rows, problems };
}

export function importReport(p: PreparedResults, accepted: number): ImportReport {
  return { file: p.file, rowsTotal: p.rowsTotal, rowsAccepted: accepted, problems: p.problems };
}

function figuresOf(s: SnapshotRow | undefined): SnapshotFigures | null {
  return s ? (JSON.parse(s.metrics) as SnapshotFigures) : null;
}

export function runSummary(db: ReadableDB, run: RunRow, snapshot = latestSnapshot(db, run.id)): RunSummary {
  const figures = figuresOf(snapshot);
  const m = figures?.metrics;
  return {
    id: run.id,
    name: run.name,
    modelId: run.model_id,
    modelName: run.model_name,
    task: run.task,
    planId: run.plan_id,
    datasetId: run.dataset_id,
    datasetName: run.dataset_name,
    datasetVersion: run.version,
    iou: run.iou,
    parameterValues: JSON.parse(run.parameter_values) as Record<string, string | number>,
    standardIds: runStandardIds(db, run.id),
    status: snapshot ? 'computed' : 'awaiting_results',
    leakageConfirmed: run.leakage !== null,
    createdAt: run.created_at,
    createdBy: run.created_by,
    headline: !m ? null : m.task === 'classification' ? m.accuracy : m.mAP,
  };
}

/** Warnings about a run's inputs as they are now (shown beside its figures and in comparisons). */
export function parameterWarnings(db: ReadableDB, run: RunRow): string[] {
  return parameterStates(db, JSON.parse(run.parameter_values) as Record<string, string | number>)
    .filter((p) => p.state !== 'enabled')
    .map((p) =>
      p.state === 'disabled'
        ? `parameter "${p.name}" is disabled`
        : p.state === 'option-disabled'
          ? `option "${String(p.value)}" of parameter "${p.name}" is disabled`
          : `parameter "${p.name}" no longer exists`,
    );
}

export function runView(db: ReadableDB, run: RunRow, stale: StaleReport | null): RunView {
  const snapshot = latestSnapshot(db, run.id);
  const figures = figuresOf(snapshot);
  const imp = latestImport(db, run.id);
  return {
    ...runSummary(db, run, snapshot),
    metrics: figures?.metrics ?? null,
    standards: figures?.standards ?? [],
    snapshot: snapshot ? toSnapshotInfo(snapshot) : null,
    history: snapshotHistory(db, run.id),
    stale,
    lastImport: imp
      ? {
          file: imp.source_name,
          rowsTotal: imp.rows_total,
          rowsAccepted: imp.rows_accepted,
          problems: JSON.parse(imp.refused) as ImportProblem[],
          importedAt: imp.imported_at,
        }
      : null,
    warnings: [...parameterWarnings(db, run), ...(figures?.warnings ?? [])],
    leakage: run.leakage ? (JSON.parse(run.leakage) as LeakageReport) : null,
    coverage: figures?.coverage ?? { evaluated: 0, withoutGroundTruth: 0 },
  };
}

const LOWER_IS_BETTER = new Set(['fp', 'fn']);

/** The comparison grid: rows metric × class, columns runs, deltas against the baseline. */
export function compareRuns(db: ReadableDB, runs: readonly RunRow[], baselineId: number, regenerated: ReadonlyMap<number, string[]>): CompareView {
  const baseline = runs.find((r) => r.id === baselineId);
  if (!baseline) throw new AppError('VALIDATION', 'The baseline must be one of the compared runs.', { field: 'baselineId' });
  const figures = new Map(runs.map((r) => [r.id, figuresOf(latestSnapshot(db, r.id))]));
  const rows = new Map<string, { metric: string; className: string | null; values: Record<number, number | null> }>();
  const put = (metric: string, className: string | null, runId: number, value: number | null | undefined) => {
    if (value === undefined) return;
    const key = `${metric}\u0000${className ?? ''}`;
    const row = rows.get(key) ?? { metric, className, values: {} };
    row.values[runId] = value;
    rows.set(key, row);
  };
  for (const run of runs) {
    const m = figures.get(run.id)?.metrics;
    if (!m) continue;
    if (m.task === 'classification') put('accuracy', null, run.id, m.accuracy);
    else put('mAP', null, run.id, m.mAP);
    for (const avg of ['macro', 'micro'] as const) for (const [k, v] of Object.entries(m[avg])) put(`${avg} ${k}`, null, run.id, v as number | null);
    for (const [c, values] of Object.entries(m.perClass)) {
      for (const [k, v] of Object.entries(values)) {
        if (typeof v !== 'number' && v !== null) continue;
        // A detector has no true negatives: tn and specificity are always null there.
        if (m.task === 'detection' && (k === 'tn' || k === 'specificity')) continue;
        put(k, c, run.id, v);
      }
    }
    for (const q of m.quant) {
      put(`quant ${q.name}`, null, run.id, q.score);
      for (const [c, v] of Object.entries(q.perClass)) put(`quant ${q.name}`, c, run.id, v.score);
    }
  }
  const base = (row: { values: Record<number, number | null> }) => row.values[baselineId] ?? null;
  const out: CompareRow[] = [...rows.values()].map((row) => {
    const deltas: Record<number, number | null> = {};
    for (const run of runs) {
      const v = row.values[run.id];
      const b = base(row);
      deltas[run.id] = v === undefined || v === null || b === null ? null : v - b;
      if (v === undefined) row.values[run.id] = null;
    }
    return { metric: row.metric, className: row.className, values: row.values, deltas, higherIsBetter: !LOWER_IS_BETTER.has(row.metric) };
  });
  out.sort((a, b) => (a.className === null ? 0 : 1) - (b.className === null ? 0 : 1) || (a.className ?? '').localeCompare(b.className ?? '') || a.metric.localeCompare(b.metric));
  const baseValues = JSON.parse(baseline.parameter_values) as Record<string, string | number>;
  return {
    baselineId,
    runs: runs.map((run) => {
      const flags: string[] = [];
      if (run.task !== baseline.task) flags.push(`a ${run.task} run compared with a ${baseline.task} baseline`);
      if (run.version_id !== baseline.version_id) {
        flags.push(run.dataset_id === baseline.dataset_id ? `dataset version ${run.version}, the baseline uses version ${baseline.version}` : `another dataset ("${run.dataset_name}" v${run.version}) than the baseline`);
      }
      flags.push(...parameterWarnings(db, run));
      if (!figures.get(run.id)) flags.push('no results imported yet');
      const values = JSON.parse(run.parameter_values) as Record<string, string | number>;
      for (const name of new Set([...Object.keys(values), ...Object.keys(baseValues)])) {
        if (run.id !== baselineId && values[name] !== baseValues[name]) flags.push(`parameter "${name}": ${String(values[name] ?? '—')} (baseline ${String(baseValues[name] ?? '—')})`);
      }
      const reasons = regenerated.get(run.id);
      if (reasons) flags.push(`regenerated now: ${reasons.join('; ')}`);
      return { id: run.id, name: run.name, modelName: run.model_name, task: run.task, datasetId: run.dataset_id, datasetVersion: run.version, regenerated: reasons !== undefined, flags };
    }),
    rows: out,
  };
}

/**
 * Per image, the outcome in each run for one metric (DESIGN §3 "accuracy detail", "precision
 * detail"). An outcome is right or wrong per run: accuracy — correct vs wrong/missed; precision
 * of X — an fp (predicted X, is not X) is wrong; recall of X — an fn (is X, not predicted X)
 * is wrong. The status compares the first run (the baseline) with the last: fixed, broken,
 * still wrong (wrong in every run), always right, or mixed (in between).
 */
export function detailRuns(db: ReadableDB, runs: readonly RunRow[], metric: 'accuracy' | 'precision' | 'recall', className: string | undefined): DetailView {
  if (runs.some((r) => r.task !== 'classification')) {
    return detectionDetail(db, runs, metric, className);
  }
  const cols = new DetailColumns(runs.length);
  const select = db.prepare('SELECT image_id, true_class, predicted_class, outcome FROM run_outcomes WHERE run_id = ? ORDER BY image_id').raw(true);
  runs.forEach((run, k) => {
    for (const raw of select.iterate(run.id)) {
      const [imageId, trueClass, predictedClass, stored] = raw as [number, string, string | null, string];
      let outcome: string;
      let right: boolean;
      if (metric === 'accuracy') {
        outcome = stored;
        right = stored === 'correct';
      } else {
        const isX = trueClass === className;
        const predX = predictedClass === className;
        outcome = isX ? (predX ? 'tp' : 'fn') : predX ? 'fp' : 'tn';
        right = metric === 'precision' ? outcome !== 'fp' : outcome !== 'fn';
      }
      cols.set(k, imageId, trueClass, outcome, predictedClass, right);
    }
  });
  const tp = cols.outcomeCode('tp');
  const fp = cols.outcomeCode('fp');
  const wantedClass = cols.classCode(className);
  return cols.finish(
    runs,
    (i) =>
      metric === 'accuracy' ||
      (metric === 'precision' ? cols.outcomes.some((col) => col[i] === tp || col[i] === fp) : cols.trueClass[i] === wantedClass),
    UNKNOWN,
  );
}

/** Right (1), wrong (0) or not in the run (-1), per run and row. */
const UNKNOWN = -1;

/**
 * The columns of a detail table being built run by run: one row per image (in order of first
 * sight), strings as dictionary codes; finish() sorts by image, filters and computes statuses.
 */
class DetailColumns {
  readonly imageIds: number[] = [];
  readonly trueClass: number[] = [];
  readonly outcomes: number[][];
  readonly predicted: number[][];
  readonly right: number[][];
  private readonly rowOf = new Map<number, number>();
  private readonly classes = new Dictionary();
  private readonly outcomeNames = new Dictionary();

  constructor(runCount: number) {
    this.outcomes = Array.from({ length: runCount }, () => []);
    this.predicted = Array.from({ length: runCount }, () => []);
    this.right = Array.from({ length: runCount }, () => []);
  }

  classCode(name: string | null | undefined): number {
    return this.classes.code(name);
  }

  outcomeCode(name: string): number {
    return this.outcomeNames.code(name);
  }

  set(k: number, imageId: number, trueClass: string | null, outcome: string, predicted: string | null, right: boolean): void {
    let i = this.rowOf.get(imageId);
    if (i === undefined) {
      i = this.imageIds.length;
      this.rowOf.set(imageId, i);
      this.imageIds.push(imageId);
      this.trueClass.push(this.classes.code(trueClass));
      for (let r = 0; r < this.outcomes.length; r++) {
        (this.outcomes[r] as number[]).push(-1);
        (this.predicted[r] as number[]).push(-1);
        (this.right[r] as number[]).push(UNKNOWN);
      }
    }
    (this.outcomes[k] as number[])[i] = this.outcomeNames.code(outcome);
    (this.predicted[k] as number[])[i] = this.classes.code(predicted);
    (this.right[k] as number[])[i] = right ? 1 : 0;
  }

  /** The rows kept (ascending image id), with each one's status; `missing` is what a run without the image counts as. */
  finish(runs: readonly RunRow[], keep: (i: number) => boolean, missing: number): DetailView {
    let order = this.imageIds.map((_, i) => i);
    if (this.imageIds.some((id, i) => i > 0 && id < (this.imageIds[i - 1] as number))) order.sort((a, b) => (this.imageIds[a] as number) - (this.imageIds[b] as number));
    order = order.filter(keep);
    const counts: Record<DetailStatus, number> = { fixed: 0, broken: 0, still_wrong: 0, always_right: 0, mixed: 0 };
    const known: boolean[] = [];
    const status = order.map((i) => {
      known.length = 0;
      for (const col of this.right) {
        const r = (col[i] as number) === UNKNOWN ? missing : (col[i] as number);
        if (r !== UNKNOWN) known.push(r === 1);
      }
      const s = statusOf(known);
      counts[s]++;
      return DETAIL_STATUSES.indexOf(s);
    });
    return {
      runIds: runs.map((r) => r.id),
      imageIds: order.map((i) => this.imageIds[i] as number),
      classes: this.classes.values,
      outcomeNames: this.outcomeNames.values,
      trueClass: order.map((i) => this.trueClass[i] as number),
      outcomes: this.outcomes.map((col) => order.map((i) => col[i] as number)),
      predicted: this.predicted.map((col) => order.map((i) => col[i] as number)),
      status,
      counts,
    };
  }
}

function statusOf(known: readonly boolean[]): DetailStatus {
  if (known.length === 0) return 'mixed';
  if (known.every((r) => r)) return 'always_right';
  if (known.every((r) => !r)) return 'still_wrong';
  const first = known[0] as boolean;
  const last = known[known.length - 1] as boolean;
  if (!first && last) return 'fixed';
  if (first && !last) return 'broken';
  return 'mixed';
}

/** Detection detail per image: right when the image has no fp (precision), no fn (recall), neither (accuracy); a run without the image counts as right. */
function detectionDetail(db: ReadableDB, runs: readonly RunRow[], metric: 'accuracy' | 'precision' | 'recall', className: string | undefined): DetailView {
  const cols = new DetailColumns(runs.length);
  const select = db
    .prepare(
      `SELECT image_id, sum(outcome = 'tp') AS tp, sum(outcome = 'fp') AS fp, sum(outcome = 'fn') AS fn FROM run_box_outcomes
       WHERE run_id = ? ${className ? 'AND class_name = ?' : ''} GROUP BY image_id ORDER BY image_id`,
    )
    .raw(true);
  runs.forEach((run, k) => {
    for (const raw of select.iterate(...(className ? [run.id, className] : [run.id]))) {
      const [imageId, tp, fp, fn] = raw as [number, number, number, number];
      const right = metric === 'precision' ? fp === 0 : metric === 'recall' ? fn === 0 : fp === 0 && fn === 0;
      cols.set(k, imageId, null, `tp ${tp} fp ${fp} fn ${fn}`, null, right);
    }
  });
  return cols.finish(runs, () => true, 1);
}
