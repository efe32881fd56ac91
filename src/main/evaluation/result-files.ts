import crypto from 'node:crypto';
import path from 'node:path';
import type { FileSource, ImportProblem } from '../../shared/contract';
import type { ModelTask } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { Box } from '../../shared/metrics/geometry';
import { parseCsv } from './csv';
import { readText } from './read-inputs';

/**
 * Tolerant readers for ground-truth and prediction files. The `midc metrics` readers
 * (read-inputs.ts) stop at the first bad row, which is right for a one-shot computation; an
 * import must instead name every problem (file, line, field) so that the user can fix the file
 * in one pass, or accept the good rows. So this module reuses the CSV scanner and collects.
 *
 * Formats (the same columns as `midc metrics`, DESIGN §7):
 * - CSV with a header: `image_key,class[,score]` (classification), `image_key,class,x,y,w,h`
 *   (detection ground truth; a row with an empty class and box declares an image without
 *   objects), `image_key,class,score,x,y,w,h` (detection predictions);
 * - JSON: an array of objects `{image_key, class, score?, x?, y?, w?, h?}` (or `imageKey`,
 *   `className`), optionally wrapped as `{rows: [...]}`; detection rows may instead carry
 *   `boxes: [{class, score?, x, y, w, h}]`. A JSON row's "line" is its 1-based position.
 */

export interface RawRow {
  readonly line: number;
  readonly key: string;
  /** null: a detection ground-truth row declaring an image without objects. */
  readonly className: string | null;
  readonly score: number | null;
  readonly box: Box | null;
}

export interface ReadResult {
  readonly file: string;
  readonly contentHash: string;
  readonly rowsTotal: number;
  readonly rows: RawRow[];
  readonly problems: ImportProblem[];
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const BOX = ['x', 'y', 'w', 'h'] as const;

export function loadSource(source: FileSource): { file: string; text: string } {
  if ('path' in source) return { file: path.basename(source.path), text: readText(source.path) };
  return { file: source.name, text: source.text };
}

/** Reads one file; never throws for a bad row, only collects. */
export function readRows(source: FileSource, task: ModelTask, kind: 'gt' | 'pred'): ReadResult {
  const { file, text } = loadSource(source);
  const contentHash = crypto.createHash('sha256').update(text).digest('hex');
  const problems: ImportProblem[] = [];
  const rows: RawRow[] = [];
  let rowsTotal = 0;
  const problem = (line: number | null, field: string | null, message: string) => problems.push({ file, line, field, problem: message });
  const looksJson = /\.json$/i.test(file) || /^\s*[[{]/.test(text);
  try {
    if (looksJson) rowsTotal = readJson(text, task, kind, rows, problem);
    else rowsTotal = readCsv(text, file, task, kind, rows, problem);
  } catch (err) {
    if (err instanceof AppError) {
      const d = err.details as { line?: number | null; field?: string | null } | undefined;
      problem(d?.line ?? null, d?.field ?? null, err.message);
    } else throw err;
  }
  return { file, contentHash, rowsTotal, rows, problems };
}

type Problem = (line: number | null, field: string | null, message: string) => void;

function requiredColumns(task: ModelTask, kind: 'gt' | 'pred'): { required: string[]; optional: string[] } {
  if (task === 'classification') return { required: ['image_key', 'class'], optional: kind === 'pred' ? ['score'] : [] };
  return { required: kind === 'pred' ? ['image_key', 'class', 'score', ...BOX] : ['image_key', 'class', ...BOX], optional: [] };
}

function readCsv(text: string, file: string, task: ModelTask, kind: 'gt' | 'pred', rows: RawRow[], problem: Problem): number {
  const { required, optional } = requiredColumns(task, kind);
  let index: Map<string, number> | null = null;
  let width = 0;
  let total = 0;
  let headerOk = true;
  parseCsv(text, file, (fields, line) => {
    if (!index) {
      index = new Map();
      fields.forEach((f, i) => (index as Map<string, number>).set(f.trim(), i));
      width = fields.length;
      for (const column of required) {
        if (!index.has(column)) {
          headerOk = false;
          problem(line, column, `the header has no "${column}" column (expected ${[...required, ...optional.map((o) => `[${o}]`)].join(',')})`);
        }
      }
      return;
    }
    total++;
    if (!headerOk) return;
    if (fields.length !== width) {
      problem(line, null, `expected ${width} fields as in the header, found ${fields.length}`);
      return;
    }
    const cols = index;
    const get = (c: string): string | undefined => {
      const i = cols.get(c);
      return i === undefined ? undefined : (fields[i] as string).trim();
    };
    const row = toRow(line, { key: get('image_key'), className: get('class'), score: get('score'), x: get('x'), y: get('y'), w: get('w'), h: get('h') }, task, kind, problem);
    if (row) rows.push(row);
  });
  if (!index) problem(null, null, 'the file is empty (no header line)');
  return total;
}

type Cell = string | number | null | undefined;

function readJson(text: string, task: ModelTask, kind: 'gt' | 'pred', rows: RawRow[], problem: Problem): number {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    problem(null, null, `is not valid JSON (${(err as Error).message})`);
    return 0;
  }
  const list = Array.isArray(json) ? json : json !== null && typeof json === 'object' && Array.isArray((json as { rows?: unknown }).rows) ? (json as { rows: unknown[] }).rows : null;
  if (!list) {
    problem(null, null, 'expected an array of rows (or {"rows": [...]})');
    return 0;
  }
  let total = 0;
  list.forEach((item, i) => {
    const line = i + 1;
    total++;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      problem(line, null, 'a row must be an object');
      return;
    }
    const o = item as Record<string, unknown>;
    const key = cell(o.image_key ?? o.imageKey);
    if (task === 'detection' && Array.isArray(o.boxes)) {
      if (o.boxes.length === 0 && kind === 'gt') {
        const row = toRow(line, { key, className: '', x: '', y: '', w: '', h: '' }, task, kind, problem);
        if (row) rows.push(row);
      }
      for (const b of o.boxes as unknown[]) {
        const box = (b ?? {}) as Record<string, unknown>;
        const row = toRow(line, { key, className: cell(box.class ?? box.className), score: cell(box.score), x: cell(box.x), y: cell(box.y), w: cell(box.w), h: cell(box.h) }, task, kind, problem);
        if (row) rows.push(row);
      }
      return;
    }
    const row = toRow(line, { key, className: cell(o.class ?? o.className), score: cell(o.score), x: cell(o.x), y: cell(o.y), w: cell(o.w), h: cell(o.h) }, task, kind, problem);
    if (row) rows.push(row);
  });
  return total;
}

function cell(v: unknown): Cell {
  if (v === undefined || v === null) return v;
  if (typeof v === 'string' || typeof v === 'number') return v;
  return String(JSON.stringify(v));
}

function num(v: Cell, field: string, line: number, problem: Problem, required: boolean): number | null | undefined {
  if (v === undefined || v === null || v === '') {
    if (required) problem(line, field, `${field} is empty`);
    return required ? undefined : null;
  }
  const n = typeof v === 'number' ? v : NUMBER.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isFinite(n)) {
    problem(line, field, `${field} "${String(v)}" is not a number`);
    return undefined;
  }
  return n;
}

/** One row's shape checks; returns null (after reporting) when the row is refused. */
function toRow(
  line: number,
  raw: { key: Cell; className: Cell; score?: Cell; x?: Cell; y?: Cell; w?: Cell; h?: Cell },
  task: ModelTask,
  kind: 'gt' | 'pred',
  problem: Problem,
): RawRow | null {
  let ok = true;
  const key = raw.key === undefined || raw.key === null ? '' : String(raw.key).trim();
  if (!key) {
    problem(line, 'image_key', 'image_key is empty');
    ok = false;
  }
  const className = raw.className === undefined || raw.className === null ? '' : String(raw.className).trim();
  const boxEmpty = BOX.every((f) => raw[f] === undefined || raw[f] === null || raw[f] === '');
  if (task === 'detection' && kind === 'gt' && className === '' && boxEmpty) {
    return ok ? { line, key, className: null, score: null, box: null } : null;
  }
  if (!className) {
    problem(line, 'class', 'class is empty');
    ok = false;
  }
  let score: number | null = null;
  if (kind === 'pred') {
    const s = num(raw.score, 'score', line, problem, task === 'detection');
    if (s === undefined) ok = false;
    else score = s;
  }
  let box: Box | null = null;
  if (task === 'detection') {
    const values: number[] = [];
    for (const f of BOX) {
      const v = num(raw[f], f, line, problem, true);
      if (v === undefined || v === null) ok = false;
      else if ((f === 'w' || f === 'h') && v < 0) {
        problem(line, f, `${f} ${v} is negative`);
        ok = false;
      } else values.push(v);
    }
    if (ok) box = { x: values[0] as number, y: values[1] as number, w: values[2] as number, h: values[3] as number };
  }
  return ok ? { line, key, className, score, box } : null;
}
