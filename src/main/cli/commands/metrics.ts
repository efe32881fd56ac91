import fs from 'node:fs';
import { evaluateClassification, type ClassificationMetrics } from '../../../shared/metrics/classification';
import { evaluateDetection, type DetectionMetrics } from '../../../shared/metrics/detection';
import { scoreClassification, scoreDetection, type DetectionQuantSummary, type QuantSummary } from '../../../shared/quant/score';
import type { QuantMatrix } from '../../../shared/quant/matrix';
import {
  csvHeader,
  readClassificationCsv,
  readDetectionGroundTruth,
  readDetectionPredictions,
  readText,
} from '../../evaluation/read-inputs';
import { evaluateClassificationBytes, headerColumns } from '../../evaluation/fast-classification';
import { EXIT, UsageError, emit, type Command } from '../command';
import { metricsInfo } from './info';

/** A file's bytes, or null when it cannot be read (readText then names the file and the reason). */
function readBytes(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch {
    return null;
  }
}

interface MetricsArgs {
  gt: string;
  pred: string;
  task: 'classification' | 'detection' | null;
  iou: number | null;
  quant: string | null;
}

function parseArgs(args: readonly string[]): MetricsArgs {
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!['--gt', '--pred', '--task', '--iou', '--quant'].includes(name)) throw new UsageError(`unexpected argument "${arg}"`);
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
    if (values.has(name)) throw new UsageError(`${name} is given twice`);
    values.set(name, value);
  }
  const gt = values.get('--gt');
  const pred = values.get('--pred');
  if (!gt) throw new UsageError('--gt GT.csv is required');
  if (!pred) throw new UsageError('--pred PRED.csv is required');
  const task = values.get('--task') ?? null;
  if (task !== null && task !== 'classification' && task !== 'detection') throw new UsageError(`--task must be classification or detection, not "${task}"`);
  const iouText = values.get('--iou');
  let iou: number | null = null;
  if (iouText !== undefined) {
    iou = Number(iouText);
    if (!/^\d*\.?\d+$/.test(iouText) || !(iou > 0 && iou <= 1)) throw new UsageError(`--iou must be a number in (0, 1], not "${iouText}"`);
  }
  return { gt, pred, task, iou, quant: values.get('--quant') ?? null };
}

/** Gives the quantified-label matrix file reader (evaluation/read-quant.ts), loaded on demand. */
export type MatrixReaderLoader = () => Promise<(file: string) => QuantMatrix>;

export type MetricsResult = (ClassificationMetrics & { quant?: QuantSummary }) | (DetectionMetrics & { quant?: DetectionQuantSummary });

/**
 * `midc metrics`: reads the files, computes, and returns the JSON of DESIGN §7. No workspace.
 * The task is detection when `--task detection` is given or the ground truth has box columns.
 */
export async function computeMetrics(args: MetricsArgs, loadMatrixReader: MatrixReaderLoader): Promise<{ task: 'classification' | 'detection'; result: MetricsResult }> {
  // Bytes first: the classification fast path never decodes the files to one big string.
  const gtBytes = readBytes(args.gt);
  const fastHeader = gtBytes ? headerColumns(gtBytes) : null;
  let gtText: string | undefined;
  const gtTextOnce = () => (gtText ??= readText(args.gt));
  const header = fastHeader ?? csvHeader(gtTextOnce(), args.gt);
  const task = args.task ?? (['x', 'y', 'w', 'h'].every((c) => header.includes(c)) ? 'detection' : 'classification');
  if (task === 'classification' && args.iou !== null) throw new UsageError('--iou applies to detection only');
  // Read the matrix first: a typo in it should not cost a million-row computation. Its reader
  // is loaded only with --quant: the matrix schema needs zod.
  const matrix: QuantMatrix | null = args.quant ? (await loadMatrixReader())(args.quant) : null;
  if (task === 'classification') {
    const predBytes = gtBytes && fastHeader ? readBytes(args.pred) : null;
    // Null for anything but a well-formed file: the string path then refuses it with file, line and field.
    const fast = gtBytes && predBytes ? evaluateClassificationBytes(gtBytes, predBytes, matrix !== null) : null;
    const evaluation = fast ?? evaluateClassification(readClassificationCsv(args.gt, 'gt', gtTextOnce()), readClassificationCsv(args.pred, 'pred'));
    const quant = matrix ? scoreClassification(evaluation, matrix).summary : undefined;
    return { task, result: quant ? { ...evaluation.metrics, quant } : evaluation.metrics };
  }
  const evaluation = evaluateDetection(readDetectionGroundTruth(args.gt, gtTextOnce()), readDetectionPredictions(args.pred), { iou: args.iou ?? 0.5 });
  const quant = matrix ? scoreDetection(evaluation, matrix).summary : undefined;
  return { task, result: quant ? { ...evaluation.metrics, quant } : evaluation.metrics };
}

const fmt = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : v.toFixed(4));

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] as number) : cell.padStart(widths[c] as number))).join('  ').trimEnd());
}

function humanReport(task: 'classification' | 'detection', result: MetricsResult): string {
  const lines: string[] = [];
  const withAuc = task === 'classification' && 'auc' in result.macro;
  const head = ['class', 'support', 'tp', 'fp', 'fn', 'precision', 'recall', task === 'classification' ? 'specificity' : null, 'f1', withAuc ? 'auc' : null, task === 'detection' ? 'AP' : null].filter(
    (h): h is string => h !== null,
  );
  const body = result.classes.map((c) => {
    // One row shape for both tasks: the fields a task lacks are read as undefined and skipped.
    const m = result.perClass[c] as Partial<Record<'tp' | 'fp' | 'fn' | 'support' | 'precision' | 'recall' | 'specificity' | 'f1' | 'auc' | 'ap', number | null>>;
    return [c, String(m.support), String(m.tp), String(m.fp), String(m.fn), fmt(m.precision), fmt(m.recall), task === 'classification' ? fmt(m.specificity) : null, fmt(m.f1), withAuc ? fmt(m.auc) : null, task === 'detection' ? fmt(m.ap) : null].filter(
      (v): v is string => v !== null,
    );
  });
  lines.push(task === 'detection' ? `detection at IoU >= ${(result as DetectionMetrics).iou}` : 'classification', '', ...table([head, ...body]), '');
  if (task === 'classification') {
    const r = result as ClassificationMetrics;
    lines.push(`accuracy  ${fmt(r.accuracy)}`);
  } else lines.push(`mAP       ${fmt((result as DetectionMetrics).mAP)}  (COCO 101-point, over classes with ground truth)`);
  lines.push(`macro     precision ${fmt(result.macro.precision)}  recall ${fmt(result.macro.recall)}  f1 ${fmt(result.macro.f1)}${withAuc ? `  auc ${fmt((result as ClassificationMetrics).macro.auc)}` : ''}`);
  lines.push(`micro     precision ${fmt(result.micro.precision)}  recall ${fmt(result.micro.recall)}  f1 ${fmt(result.micro.f1)}`);
  if (task === 'classification' && result.classes.length <= 30) {
    const r = result as ClassificationMetrics;
    lines.push('', 'confusion (rows: true class, columns: predicted class, then missed)');
    lines.push(...table([['', ...r.classes, 'missed'], ...r.confusion.map((row, t) => [r.classes[t] as string, ...row.map(String)])]));
  }
  if (result.quant) {
    const q = result.quant;
    lines.push('', `quantified label "${q.name}": score ${fmt(q.score)}`);
    lines.push(...table([['class', 'score'], ...result.classes.map((c) => [c, fmt(q.perClass[c]?.score)])]).map((l) => `  ${l}`));
    if ('spurious' in q) lines.push(`  spurious predictions: ${q.spurious.count}, mean value ${fmt(q.spurious.score)}`);
  }
  return lines.join('\n');
}

/** The command, given how to load the matrix reader (see commands/eager.ts). */
export function metricsCommandWith(loadMatrixReader: MatrixReaderLoader): Command {
  return {
    ...metricsInfo,
    async run(args, options, io) {
      const { task, result } = await computeMetrics(parseArgs(args), loadMatrixReader);
      emit(io, options, result, humanReport(task, result));
      return EXIT.OK;
    },
  };
}

/** For the built `midc`: zod and the matrix schema are loaded only with --quant. */
export const metricsCommand: Command = metricsCommandWith(async () => (await import('../../evaluation/read-quant')).readQuantMatrixFile);
