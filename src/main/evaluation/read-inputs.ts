import fs from 'node:fs';
import { AppError } from '../../shared/errors';
import type { ClassTable } from '../../shared/metrics/classification';
import type { DetectionGroundTruth, GtBox, PredBox } from '../../shared/metrics/detection';
import { inputError, type Sourced } from '../../shared/metrics/input';
import { parseCsv } from './csv';

/** Reads a file as UTF-8 text, refusing a missing file or bytes that are not UTF-8. */
export function readText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new AppError('VALIDATION', `${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { source: file });
  }
  try {
    // fatal: a binary or Latin-1 file must not turn into replacement characters silently.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AppError('VALIDATION', `${file}: is not UTF-8 text`, { source: file });
  }
}

/** The header's column names (for deciding the task from the ground-truth file). */
export function csvHeader(text: string, source: string): string[] {
  let header: string[] | null = null;
  try {
    parseCsv(text, source, (fields) => {
      header = fields.map((f) => f.trim());
      throw STOP;
    });
  } catch (err) {
    if (err !== STOP) throw err;
  }
  return header ?? [];
}
const STOP = Symbol('stop');

/**
 * Parses a CSV whose first record is a header with (at least) `required` columns, in any order;
 * other columns are ignored. `start` receives the header's column positions (-1 for an absent
 * optional column) and returns the handler of every data record; positions are resolved once,
 * not per row.
 */
function readTable(
  text: string,
  source: string,
  required: readonly string[],
  optional: readonly string[],
  start: (column: (name: string) => number) => (fields: string[], line: number) => void,
): void {
  let width = -1;
  let onRow: ((fields: string[], line: number) => void) | null = null;
  parseCsv(text, source, (fields, line) => {
    if (onRow) {
      if (fields.length !== width) throw inputError(source, { line }, null, null, `expected ${width} fields as in the header, found ${fields.length}`);
      onRow(fields, line);
      return;
    }
    const names = fields.map((f) => f.trim());
    const index = new Map<string, number>();
    names.forEach((name, i) => {
      if (index.has(name)) throw inputError(source, { line }, null, name, `column "${name}" appears twice in the header`);
      index.set(name, i);
    });
    for (const name of required) {
      if (!index.has(name)) {
        throw inputError(source, { line }, null, name, `the header has no "${name}" column (expected ${[...required, ...optional.map((o) => `[${o}]`)].join(',')}, found ${names.join(',')})`);
      }
    }
    width = names.length;
    onRow = start((name) => index.get(name) ?? -1);
  });
  if (!onRow) throw inputError(source, null, null, null, 'the file is empty (no header line)');
}

/**
 * A decimal number as people write it in CSV files. Number() alone would also take "", " 1",
 * "0x1f", "0b1" and "Infinity"; those are refused by looking at the first, second and last
 * character, which is several times faster than a regular expression on a million rows.
 */
function parseNumber(value: string, field: string, source: string, line: number): number {
  if (value === '') throw inputError(source, { line }, null, field, `${field} is empty`);
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  const second = value.length > 1 ? value.charCodeAt(1) | 0x20 : 0; // lower-cased
  const v =
    (isDigit(first) || first === 43 || first === 45 || first === 46) && (isDigit(last) || last === 46) && second !== 0x78 && second !== 0x62 && second !== 0x6f
      ? Number(value)
      : NaN;
  if (!Number.isFinite(v)) throw inputError(source, { line }, null, field, `${field} "${value}" is not a number`);
  return v;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * Classification ground truth (`image_key,class`) or predictions (`image_key,class[,score]`),
 * as columns. Checks only the file's shape here; empty keys or classes, duplicates and unknown
 * keys are refused by `evaluateClassification`, which names the same file and line.
 */
export function readClassificationCsv(file: string, kind: 'gt' | 'pred', text = readText(file)): ClassTable {
  const imageKeys: string[] = [];
  const classNames: string[] = [];
  const lines: number[] = [];
  // A plain array of numbers is stored unboxed (double elements), unlike a score property.
  const scores: number[] = [];
  let withScore = false;
  // One string per class instead of one per row: the row's copy dies young. Classes are few, so
  // a scan of the known ones beats a Map lookup.
  const known: string[] = [];
  const byName = new Map<string, string>();
  const intern = (name: string): string => {
    for (let k = 0; k < known.length && k < 16; k++) if (known[k] === name) return known[k] as string;
    let found = byName.get(name);
    if (found === undefined) {
      byName.set(name, (found = name));
      known.push(name);
    }
    return found;
  };
  readTable(text, file, ['image_key', 'class'], kind === 'pred' ? ['score'] : [], (column) => {
    const key = column('image_key');
    const cls = column('class');
    const score = kind === 'pred' ? column('score') : -1;
    withScore = score !== -1;
    return (f, line) => {
      imageKeys.push(f[key] as string);
      classNames.push(intern(f[cls] as string));
      lines.push(line);
      if (score !== -1) scores.push(parseNumber(f[score] as string, 'score', file, line));
    };
  });
  return { source: file, imageKeys, classNames, lines, ...(withScore ? { scores } : {}) };
}

const BOX = ['x', 'y', 'w', 'h'] as const;

/**
 * Detection ground truth (`image_key,class,x,y,w,h`). A row with an empty class and an empty
 * box (`img7,,,,,`) declares an image without objects, so predictions on it count as false
 * positives instead of being refused.
 */
export function readDetectionGroundTruth(file: string, text = readText(file)): DetectionGroundTruth {
  const rows: GtBox[] = [];
  const emptyImages: string[] = [];
  readTable(text, file, ['image_key', 'class', ...BOX], [], (column) => {
    const key = column('image_key');
    const cls = column('class');
    const box = BOX.map(column);
    return (f, line) => {
      const imageKey = f[key] as string;
      const className = f[cls] as string;
      if (className === '' && box.every((c) => f[c] === '')) {
        if (!imageKey) throw inputError(file, { line }, null, 'image_key', 'image_key is empty');
        emptyImages.push(imageKey);
        return;
      }
      const [x, y, w, h] = BOX.map((name, i) => parseNumber(f[box[i] as number] as string, name, file, line)) as [number, number, number, number];
      rows.push({ imageKey, className, x, y, w, h, line });
    };
  });
  return { source: file, rows, emptyImages };
}

/** Detection predictions (`image_key,class,score,x,y,w,h`). */
export function readDetectionPredictions(file: string, text = readText(file)): Sourced<PredBox> {
  const rows: PredBox[] = [];
  readTable(text, file, ['image_key', 'class', 'score', ...BOX], [], (column) => {
    const key = column('image_key');
    const cls = column('class');
    const score = column('score');
    const [xi, yi, wi, hi] = BOX.map(column) as [number, number, number, number];
    return (f, line) => {
      rows.push({
        imageKey: f[key] as string,
        className: f[cls] as string,
        score: parseNumber(f[score] as string, 'score', file, line),
        x: parseNumber(f[xi] as string, 'x', file, line),
        y: parseNumber(f[yi] as string, 'y', file, line),
        w: parseNumber(f[wi] as string, 'w', file, line),
        h: parseNumber(f[hi] as string, 'h', file, line),
        line,
      });
    };
  });
  return { source: file, rows };
}
