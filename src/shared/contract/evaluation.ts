import { z } from 'zod';
import type { ClassificationMetrics } from '../metrics/classification';
import type { BinaryCurve } from '../metrics/curves';
import type { DetectionMetrics } from '../metrics/detection';
import type { QuantSummary } from '../quant/score';
import { channel, event } from './channel';
import { empty, id } from './common';
import type { DatasetSummary } from './datasets';
import type { ModelTask, StandardMetric } from './registries';

/**
 * Evaluation (DESIGN §2.3, §3, §4.1): ground truth, training plans, leakage check, test runs,
 * result import, comparison and drill-down. Image sets always come back as image ids, which
 * `images:list` (filter `ids`) and `images:thumbnail` open.
 */

/** A file the main process reads (chosen in a file dialog) or text the renderer already holds. */
export const fileSource = z.union([
  z.strictObject({ path: z.string().min(1).max(4096) }),
  z.strictObject({ name: z.string().trim().min(1).max(500), text: z.string().max(200 * 1024 * 1024) }),
]);
export type FileSource = z.input<typeof fileSource>;

/** One refused row or file-level problem: `file line 17 score: "abc" is not a number`. */
export interface ImportProblem {
  readonly file: string;
  /** 1-based line of a CSV file, or 1-based row of a JSON array; null for the whole file. */
  readonly line: number | null;
  readonly field: string | null;
  readonly problem: string;
}

/** The outcome of importing a file: refused as a whole (nothing stored) or stored with the rows listed as refused. */
export interface ImportReport {
  readonly file: string;
  readonly rowsTotal: number;
  readonly rowsAccepted: number;
  /** Every problem found; with `acceptPartial` the rows named here were left out. */
  readonly problems: ImportProblem[];
}

export interface GroundTruthView {
  readonly id: number;
  readonly datasetId: number;
  readonly task: ModelTask;
  readonly sourceName: string;
  readonly mode: 'replace' | 'merge' | 'copy';
  readonly imageCount: number;
  /** Classification: images; detection: boxes. */
  readonly itemCount: number;
  readonly classes: string[];
  readonly contentHash: string;
  readonly createdAt: string;
  readonly refused: ImportProblem[];
}

export type GroundTruthImportResult =
  | { readonly imported: true; readonly groundTruth: GroundTruthView; readonly report: ImportReport }
  | { readonly imported: false; readonly report: ImportReport };

export interface PlanView {
  readonly id: number;
  readonly name: string;
  readonly modelId: number;
  readonly modelName: string;
  readonly parameterValues: Record<string, string | number>;
  readonly datasets: { readonly datasetId: number; readonly name: string; readonly version: number }[];
  readonly notes: string;
  readonly createdAt: string;
  readonly createdBy: string | null;
}

export type LeakageReason = 'identical' | 'sopInstance' | 'series' | 'patient' | 'nearDuplicate';

/** One test image overlapping one training image for one reason. */
export interface LeakagePair {
  readonly testImageId: number;
  readonly trainingImageId: number;
  readonly trainingDatasetId: number;
  /** The shared UID or patient id; the Hamming distance for near duplicates. */
  readonly detail: string;
}

export interface LeakageReport {
  readonly trainingSets: { readonly datasetId: number; readonly name: string; readonly version: number; readonly planId: number }[];
  readonly reasons: Record<LeakageReason, LeakagePair[]>;
  /** Distinct test images with at least one overlap. */
  readonly testImageIds: number[];
  readonly clean: boolean;
}

export interface StandardResult {
  readonly standardId: number;
  readonly name: string;
  readonly metric: StandardMetric;
  readonly className: string | null;
  readonly comparison: '>=' | '<=';
  readonly threshold: number;
  readonly iou: number | null;
  /** null when the metric is undefined (0/0) or not available for the task. */
  readonly value: number | null;
  /** null when the value is null or the standard is disabled. */
  readonly pass: boolean | null;
  readonly disabled: boolean;
  readonly note?: string;
}

/** The figures of a run: the shared engine's output, plus quantified scores per linked matrix. */
export type RunMetrics =
  | ({ readonly task: 'classification' } & ClassificationMetrics & { readonly quant: QuantSummaryWithId[] })
  | ({ readonly task: 'detection' } & DetectionMetrics & { readonly quant: QuantSummaryWithId[] });

export type QuantSummaryWithId = QuantSummary & { readonly matrixId: number; readonly version: number };

export interface RunSummary {
  readonly id: number;
  readonly name: string;
  readonly modelId: number;
  readonly modelName: string;
  readonly task: ModelTask;
  readonly planId: number | null;
  readonly datasetId: number;
  readonly datasetName: string;
  readonly datasetVersion: number;
  readonly iou: number | null;
  readonly parameterValues: Record<string, string | number>;
  readonly standardIds: number[];
  readonly status: 'awaiting_results' | 'computed';
  readonly leakageConfirmed: boolean;
  readonly createdAt: string;
  readonly createdBy: string | null;
  /** Accuracy (classification) or mAP (detection) of the current snapshot. */
  readonly headline: number | null;
}

export interface SnapshotInfo {
  readonly id: number;
  readonly seq: number;
  readonly hash: string;
  readonly reason: string;
  readonly createdAt: string;
}

/** Why the stored snapshot no longer matched its inputs, and what regenerating changed. */
export interface StaleReport {
  readonly reasons: string[];
  readonly previous: SnapshotInfo;
  /** Figures that changed: `accuracy`, `perClass.X.precision`, ... with old and new value. */
  readonly changes: { readonly figure: string; readonly before: number | null; readonly after: number | null }[];
  /** Images whose true class (or boxes) changed. */
  readonly changedImageIds: number[];
}

export interface RunView extends RunSummary {
  readonly metrics: RunMetrics | null;
  readonly standards: StandardResult[];
  readonly snapshot: SnapshotInfo | null;
  readonly history: SnapshotInfo[];
  /** Set when this call found the snapshot stale and regenerated it. */
  readonly stale: StaleReport | null;
  readonly lastImport: (ImportReport & { readonly importedAt: string }) | null;
  /** E.g. a parameter of the run that is now disabled. */
  readonly warnings: string[];
  readonly leakage: LeakageReport | null;
  /** Ground-truth images of the dataset version without a prediction / without ground truth. */
  readonly coverage: { readonly evaluated: number; readonly withoutGroundTruth: number };
}

export type RunImportResult =
  | { readonly imported: true; readonly run: RunView; readonly report: ImportReport }
  | { readonly imported: false; readonly report: ImportReport };

export const DRILL_SETS = ['tp', 'fp', 'fn', 'tn', 'correct', 'wrong', 'missed', 'images'] as const;
export type DrillSetName = (typeof DRILL_SETS)[number];

/** A clickable number of a results grid (DESIGN §3). */
export const drillCell = z.union([
  z.strictObject({
    metric: z.enum(['tp', 'fp', 'fn', 'tn', 'support', 'precision', 'recall', 'specificity', 'f1', 'auc', 'ap']),
    className: z.string().min(1).max(200),
  }),
  z.strictObject({ metric: z.literal('accuracy') }),
  z.strictObject({ metric: z.enum(['precision', 'recall', 'f1', 'mAP']), average: z.enum(['micro', 'macro']) }),
  z.strictObject({ metric: z.literal('confusion'), trueClass: z.string().min(1).max(200), predictedClass: z.string().min(1).max(200).nullable() }),
  /** The images of a run whose value under a matrix is at most `max` (ranking by cost). */
  z.strictObject({ metric: z.literal('quant'), matrixId: id, max: z.number().finite().optional() }),
  /**
   * A point of a ROC/PR curve of `className`: its TP and FP at the threshold. Classification
   * (one-vs-rest): the images predicted as the class with a score ≥ `minScore`; `minScore: null`
   * is the curve's last point, where every image counts as predicted positive. Detection: the
   * predicted boxes of the class with a score ≥ `minScore` (null: all of them).
   */
  z.strictObject({ metric: z.literal('threshold'), className: z.string().min(1).max(200), minScore: z.number().finite().nullable() }),
]);
export type DrillCell = z.infer<typeof drillCell>;

/** A box behind a detection count. */
export interface DrillBox {
  readonly imageId: number;
  readonly className: string;
  readonly outcome: 'tp' | 'fp' | 'fn';
  readonly iou: number | null;
  readonly score: number | null;
}

export interface DrillView {
  /** Image ids per named set; each holds exactly what its count counts (classification). */
  readonly sets: Partial<Record<DrillSetName, number[]>>;
  readonly numerator: DrillSetName[];
  readonly denominator: DrillSetName[];
  /** The union of the sets, ascending. */
  readonly imageIds: number[];
  /** Detection only: the boxes of each set (a set's image ids repeat an image once per box). */
  readonly boxes?: Partial<Record<'tp' | 'fp' | 'fn', DrillBox[]>>;
}

/** Per-class ROC and PR curves of a classification run (src/shared/metrics/curves.ts). */
export interface RunCurves {
  readonly runId: number;
  /** Empty for a detection run or when the predictions carry no scores. */
  readonly classes: Record<string, BinaryCurve>;
}

/** A box drawn over an image, in image pixel coordinates (x, y: top-left corner). */
export interface OverlayBox {
  /** Ground truth, or a prediction of the run. */
  readonly kind: 'truth' | 'prediction';
  readonly className: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  /** tp: matched pair; fp: unmatched prediction; fn: unmatched ground-truth box. */
  readonly outcome: 'tp' | 'fp' | 'fn';
  readonly score: number | null;
  readonly iou: number | null;
}

export interface RunImageBoxes {
  readonly runId: number;
  readonly task: ModelTask;
  /** Detection runs only (a classification run has no boxes). */
  readonly boxes: OverlayBox[];
}

export interface ImageBoxesView {
  readonly imageId: number;
  readonly runs: RunImageBoxes[];
}

export interface CompareRun {
  readonly id: number;
  readonly name: string;
  readonly modelName: string;
  readonly task: ModelTask;
  readonly datasetId: number;
  readonly datasetVersion: number;
  /** This call regenerated the run's stale snapshot (reasons in `flags`). */
  readonly regenerated: boolean;
  /** Why this column is not like-for-like with the baseline. */
  readonly flags: string[];
}

export interface CompareRow {
  readonly metric: string;
  /** null for an overall figure. */
  readonly className: string | null;
  readonly values: Record<number, number | null>;
  /** value − baseline value; null when either is null. */
  readonly deltas: Record<number, number | null>;
  /** Which direction is better for this metric. */
  readonly higherIsBetter: boolean;
}

export interface CompareView {
  readonly baselineId: number;
  readonly runs: CompareRun[];
  readonly rows: CompareRow[];
}

export type DetailStatus = 'fixed' | 'broken' | 'still_wrong' | 'always_right' | 'mixed';

/** One image of a detail table, decoded from the columns of a DetailView (see detail-columns.ts). */
export interface DetailRow {
  readonly imageId: number;
  readonly trueClass: string | null;
  /** Per run: its outcome on this image for the metric ('tp', 'fp', 'fn', 'tn', 'correct', 'wrong', 'missed', or null when the image is not in that run). */
  readonly outcomes: Record<number, string | null>;
  readonly predicted: Record<number, string | null>;
  readonly status: DetailStatus;
}

/**
 * The per-image detail, columnar: row i is image imageIds[i] (ascending). Strings are sent once,
 * in dictionaries, and the columns hold their indexes (-1 = null), so 100k rows travel as a few
 * number arrays instead of 100k objects with repeated strings. Decode with detailRowAt /
 * decodeDetail (src/shared/contract/detail-columns.ts).
 */
export interface DetailView {
  readonly runIds: number[];
  readonly imageIds: number[];
  /** Class names: `trueClass` and `predicted` index it (-1 = none). */
  readonly classes: string[];
  /** Outcome labels: `outcomes` index it (-1 = the image is not in that run). */
  readonly outcomeNames: string[];
  readonly trueClass: number[];
  /** One column per run, in runIds order. */
  readonly outcomes: number[][];
  readonly predicted: number[][];
  /** Index into DETAIL_STATUSES. */
  readonly status: number[];
  readonly counts: Record<DetailStatus, number>;
}

export interface RunnerView {
  readonly id: number;
  readonly modelId: number;
  /** argv, run without a shell; `{manifest}` and `{output}` are replaced by file paths. */
  readonly argv: string[];
  readonly timeoutSeconds: number;
  readonly createdAt: string;
}

export interface RunnerResult {
  readonly status: 'done' | 'failed' | 'timeout' | 'cancelled';
  readonly exitCode: number | null;
  /** The last lines of the command's output. */
  readonly logTail: string[];
  /** The import of the predictions the command wrote (only when it exited 0). */
  readonly import: RunImportResult | null;
}

/** One chunk of a runner's output, as it arrives. */
export interface RunnerLogEvent {
  readonly runId: number;
  readonly stream: 'stdout' | 'stderr' | 'system';
  readonly text: string;
}

/** One result file a drop folder has processed (or refused). */
export interface DropFileView {
  readonly id: number;
  readonly fileName: string;
  readonly outcome: 'imported' | 'refused';
  readonly runId: number | null;
  readonly report: ImportReport;
  readonly processedAt: string;
}

/**
 * A watched folder (DESIGN §2.3, issue 5): result files arriving there are imported into the
 * run (`into_run`) or into a new run per file copying the inputs of the run (`new_run`).
 */
export interface DropFolderView {
  readonly id: number;
  readonly path: string;
  readonly mode: 'into_run' | 'new_run';
  readonly runId: number;
  readonly runName: string;
  readonly acceptPartial: boolean;
  readonly createdAt: string;
  readonly createdBy: string | null;
  /** `watching`; `missing`: the folder does not exist (now); `idle`: no watcher runs in this process (CLI). */
  readonly state: 'watching' | 'missing' | 'idle';
  /** The newest processed files first (at most 20). */
  readonly files: DropFileView[];
}

/** A drop folder saw a file arrive, imported it or refused it (to windows that listed the folders). */
export interface DropFolderEvent {
  readonly folderId: number;
  readonly fileName: string;
  readonly stage: 'arrived' | 'imported' | 'refused' | 'failed';
  readonly runId: number | null;
  readonly message: string | null;
}

export const evaluationEvents = {
  'runner:log': event<RunnerLogEvent>(),
  'dropFolder:file': event<DropFolderEvent>(),
} as const;

const ENGINEER = ['algo_engineer'] as const;
/** Engineers build; the algorithm admin may read; experts and quantified-label users read results. */
const RESULT_READERS = ['algo_engineer', 'algo_admin', 'expert', 'quant_user'] as const;
const PLAN_READERS = ['algo_engineer', 'algo_admin'] as const;
const name = z.string().trim().min(1).max(200);
const parameterValues = z.record(z.string().min(1).max(200), z.union([z.string().max(1000), z.number().finite()]));
const runIds = z.array(id).min(1).max(50);

export const evaluationChannels = {
  /**
   * Ground truth for a dataset from a CSV/JSON file, rows matched to the dataset's images by
   * SOP Instance UID, SHA-256 or original file name. `replace` makes the file the whole ground
   * truth; `merge` replaces only the images the file names (a correction).
   */
  'groundTruth:import': channel<GroundTruthImportResult>()({
    request: z.strictObject({
      datasetId: id,
      task: z.enum(['classification', 'detection']),
      source: fileSource,
      mode: z.enum(['replace', 'merge']).default('replace'),
      acceptPartial: z.boolean().default(false),
    }),
    access: ENGINEER,
    mutates: true,
  }),
  'groundTruth:get': channel<GroundTruthView | null>()({
    request: z.strictObject({ datasetId: id, task: z.enum(['classification', 'detection']) }),
    access: RESULT_READERS,
    mutates: false,
  }),
  'plans:create': channel<PlanView>()({
    request: z.strictObject({
      name,
      modelId: id,
      parameterValues: parameterValues.default({}),
      /** Training sets; `version` defaults to the newest. */
      datasets: z.array(z.strictObject({ datasetId: id, version: z.number().int().positive().optional() })).max(100).default([]),
      notes: z.string().max(20_000).default(''),
    }),
    access: ENGINEER,
    mutates: true,
  }),
  'plans:list': channel<PlanView[]>()({
    request: z.strictObject({ modelId: id.optional() }),
    access: PLAN_READERS,
    mutates: false,
  }),
  /** The test set against the training sets of the model's plans. */
  'leakage:check': channel<LeakageReport>()({
    request: z.strictObject({ modelId: id, datasetId: id, version: z.number().int().positive().optional() }),
    access: PLAN_READERS,
    mutates: false,
  }),
  /**
   * Records a test run. Parameter values are checked against the registry; the dataset version
   * is frozen; when the leakage check finds overlaps the call is refused (CONFLICT, details:
   * the LeakageReport) unless `confirmLeakage` is true.
   */
  'runs:create': channel<RunView>()({
    request: z.strictObject({
      name,
      modelId: id,
      planId: id.nullable().default(null),
      datasetId: id,
      version: z.number().int().positive().optional(),
      parameterValues: parameterValues.default({}),
      standardIds: z.array(id).max(200).default([]),
      /** Detection: the IoU at which boxes match (default 0.5). */
      iou: z.number().gt(0).max(1).nullable().default(null),
      notes: z.string().max(20_000).default(''),
      confirmLeakage: z.boolean().default(false),
    }),
    access: ENGINEER,
    mutates: true,
  }),
  'runs:list': channel<RunSummary[]>()({
    request: z.strictObject({ modelId: id.optional(), datasetId: id.optional() }),
    access: RESULT_READERS,
    mutates: false,
  }),
  /** A run with its metrics; a stale snapshot is regenerated first (DESIGN §4.1) and `stale` says why. */
  'runs:get': channel<RunView>()({
    request: z.strictObject({ id }),
    access: RESULT_READERS,
    mutates: false,
  }),
  /** Predictions (CSV/JSON) into a run; the metrics are computed at once. */
  'runs:importResults': channel<RunImportResult>()({
    request: z.strictObject({ runId: id, source: fileSource, acceptPartial: z.boolean().default(false) }),
    access: ENGINEER,
    mutates: true,
  }),
  'runs:compare': channel<CompareView>()({
    request: z.strictObject({ runIds, baselineId: id }),
    access: RESULT_READERS,
    mutates: false,
  }),
  /** The images behind one number of a run's results grid. */
  'runs:drill': channel<DrillView>()({
    request: z.strictObject({ runId: id, cell: drillCell }),
    access: RESULT_READERS,
    mutates: false,
  }),
  /** Per-class ROC and PR curves of a classification run (points thinned for drawing; areas exact). */
  'runs:curves': channel<RunCurves>()({
    request: z.strictObject({ runId: id }),
    access: RESULT_READERS,
    mutates: false,
  }),
  /** The ground-truth and predicted boxes of one image in each run, with their outcomes (detection overlays). */
  'runs:imageBoxes': channel<ImageBoxesView>()({
    request: z.strictObject({ imageId: id, runIds }),
    access: RESULT_READERS,
    mutates: false,
  }),
  /** Per image, the outcome in each run for one metric (the "accuracy detail", "precision detail" tables). */
  'runs:detail': channel<DetailView>()({
    request: z
      .strictObject({
        runIds,
        metric: z.enum(['accuracy', 'precision', 'recall']),
        className: z.string().min(1).max(200).optional(),
      })
      .refine((r) => r.metric === 'accuracy' || r.className !== undefined, { message: 'precision and recall detail need a class', path: ['className'] }),
    access: RESULT_READERS,
    mutates: false,
  }),
  /** The algorithm admin registers the local command that trains/tests a model (replaces the previous one). */
  'runner:register': channel<RunnerView>()({
    request: z.strictObject({
      modelId: id,
      argv: z.array(z.string().min(1).max(4096)).min(1).max(100),
      timeoutSeconds: z.number().int().min(1).max(7 * 24 * 3600).default(3600),
    }),
    access: ['algo_admin'],
    mutates: true,
  }),
  'runner:list': channel<RunnerView[]>()({ request: empty, access: PLAN_READERS, mutates: false }),
  /**
   * Runs the model's command for a run: writes the dataset manifest (training images with
   * labels from the run's plan, test images without), streams the log as `runner:log` events,
   * and imports the predictions file the command writes. Resolves when the command ends.
   */
  'runner:start': channel<RunnerResult>()({
    request: z.strictObject({ runId: id }),
    access: ENGINEER,
    mutates: true,
  }),
  'runner:cancel': channel<{ cancelled: boolean }>()({
    request: z.strictObject({ runId: id }),
    access: ENGINEER,
    mutates: true,
  }),
  /**
   * Splits a dataset into new datasets (training / training-test / application-test), grouped so
   * that one patient (else study, else image) is never in two parts; deterministic for a seed.
   * The current ground truth is copied to each part.
   */
  'datasets:split': channel<DatasetSummary[]>()({
    request: z.strictObject({
      datasetId: id,
      version: z.number().int().positive().optional(),
      seed: z.string().min(1).max(200),
      parts: z
        .array(
          z.strictObject({
            name,
            purpose: z.enum(['training', 'training_test', 'application_test']),
            fraction: z.number().gt(0).max(1),
          }),
        )
        .min(2)
        .max(10)
        .refine((parts) => Math.abs(parts.reduce((s, p) => s + p.fraction, 0) - 1) < 1e-9, { message: 'the fractions must add up to 1' }),
    }),
    access: ENGINEER,
    mutates: true,
  }),
  /** The configured drop folders with their recent files; the calling window then gets `dropFolder:file` events. */
  'dropFolders:list': channel<DropFolderView[]>()({ request: empty, access: PLAN_READERS, mutates: false }),
  /** Watches a folder (absolute path of an existing directory) for result files of a run. */
  'dropFolders:create': channel<DropFolderView>()({
    request: z.strictObject({
      path: z.string().trim().min(1).max(4096),
      runId: id,
      mode: z.enum(['into_run', 'new_run']).default('into_run'),
      acceptPartial: z.boolean().default(false),
    }),
    access: ['algo_engineer', 'algo_admin'],
    mutates: true,
  }),
  /** Stops watching a folder (the configuration is kept, disabled). */
  'dropFolders:disable': channel<{ disabled: boolean }>()({
    request: z.strictObject({ id }),
    access: ['algo_engineer', 'algo_admin'],
    mutates: true,
  }),
} as const;
