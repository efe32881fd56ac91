import type { QuantMatrix } from '../../../../shared/quant/matrix';

/** The "missed" column of the editor (no prediction for an image of the row's class). */
export const MISSED_COLUMN = 'missed';

/**
 * The editor's state: text as typed, so that a half-typed "-0." is kept while the person types.
 * `cells[true][pred]` is '' for a pair that takes the default.
 */
export interface MatrixForm {
  readonly name: string;
  readonly description: string;
  /** Comma- or newline-separated class names, as typed. */
  readonly classesText: string;
  readonly defaultValue: string;
  readonly cells: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export type FormProblem =
  | { readonly kind: 'name' }
  | { readonly kind: 'classes' }
  | { readonly kind: 'duplicateClass'; readonly className: string }
  | { readonly kind: 'reservedClass'; readonly className: string }
  | { readonly kind: 'default' }
  | { readonly kind: 'cell'; readonly trueClass: string; readonly predicted: string };

export function parseClasses(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
}

/** A number as the matrix accepts it: finite, plain decimal notation; '' is "not a number". */
export function parseNumber(text: string): number | null {
  const t = text.trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

export function emptyForm(): MatrixForm {
  return { name: '', description: '', classesText: '', defaultValue: '0', cells: {} };
}

export function formFromMatrix(m: { name: string; description: string; classes: readonly string[]; definition: QuantMatrix }): MatrixForm {
  const cells: Record<string, Record<string, string>> = {};
  for (const [t, row] of Object.entries(m.definition.values)) {
    cells[t] = Object.fromEntries(Object.entries(row).map(([p, v]) => [p, String(v)]));
  }
  return { name: m.name, description: m.description, classesText: m.classes.join(', '), defaultValue: String(m.definition.default), cells };
}

export function cellText(form: MatrixForm, trueClass: string, predicted: string): string {
  const row = Object.hasOwn(form.cells, trueClass) ? form.cells[trueClass] : undefined;
  return row && Object.hasOwn(row, predicted) ? (row[predicted] as string) : '';
}

export function setCell(form: MatrixForm, trueClass: string, predicted: string, text: string): MatrixForm {
  const row = { ...(form.cells[trueClass] ?? {}), [predicted]: text };
  return { ...form, cells: { ...form.cells, [trueClass]: row } };
}

/** Every problem of the form; an empty list means it can be saved. */
export function formProblems(form: MatrixForm): FormProblem[] {
  const problems: FormProblem[] = [];
  if (form.name.trim() === '') problems.push({ kind: 'name' });
  const classes = parseClasses(form.classesText);
  if (classes.length === 0) problems.push({ kind: 'classes' });
  const seen = new Set<string>();
  for (const c of classes) {
    if (c === MISSED_COLUMN || c === 'spurious') problems.push({ kind: 'reservedClass', className: c });
    else if (seen.has(c)) problems.push({ kind: 'duplicateClass', className: c });
    seen.add(c);
  }
  if (parseNumber(form.defaultValue) === null) problems.push({ kind: 'default' });
  const usable = [...seen].filter((c) => c !== MISSED_COLUMN && c !== 'spurious');
  for (const t of usable) {
    for (const p of [...usable, MISSED_COLUMN]) {
      const text = cellText(form, t, p);
      if (text.trim() !== '' && parseNumber(text) === null) problems.push({ kind: 'cell', trueClass: t, predicted: p });
    }
  }
  return problems;
}

/**
 * The request of quant:create / quant:update. Only cells of the current classes are sent (a
 * class removed from the list takes its values with it); an empty cell takes the default.
 */
export function formToRequest(form: MatrixForm): { name: string; description: string; classes: string[]; definition: { default: number; values: Record<string, Record<string, number>> } } {
  const classes = [...new Set(parseClasses(form.classesText))];
  const values: Record<string, Record<string, number>> = {};
  for (const t of classes) {
    const row: Record<string, number> = {};
    for (const p of [...classes, MISSED_COLUMN]) {
      const n = parseNumber(cellText(form, t, p));
      if (n !== null) row[p] = n;
    }
    if (Object.keys(row).length > 0) values[t] = row;
  }
  return { name: form.name.trim(), description: form.description, classes, definition: { default: parseNumber(form.defaultValue) ?? 0, values } };
}

/** The value each cell takes (its own, else the default), for the heat-map preview; null where the text is not a number. */
export function effectiveGrid(form: MatrixForm): { classes: string[]; columns: string[]; values: (number | null)[][]; defaulted: boolean[][] } {
  const classes = [...new Set(parseClasses(form.classesText))];
  const columns = [...classes, MISSED_COLUMN];
  const def = parseNumber(form.defaultValue);
  const values: (number | null)[][] = [];
  const defaulted: boolean[][] = [];
  for (const t of classes) {
    values.push(columns.map((p) => (cellText(form, t, p).trim() === '' ? def : parseNumber(cellText(form, t, p)))));
    defaulted.push(columns.map((p) => cellText(form, t, p).trim() === ''));
  }
  return { classes, columns, values, defaulted };
}

/**
 * A diverging colour for a value between the lowest and highest of the matrix: low (costly) is
 * vermilion, high (valuable) blue, the middle near white. Colour-blind safe (Okabe–Ito ends).
 */
export function valueColour(value: number, min: number, max: number): string {
  const LOW: [number, number, number] = [213, 94, 0];
  const HIGH: [number, number, number] = [0, 114, 178];
  const MID: [number, number, number] = [247, 247, 247];
  const k = max === min ? 0.5 : (value - min) / (max - min);
  const [from, to, f] = k < 0.5 ? [LOW, MID, k * 2] : [MID, HIGH, (k - 0.5) * 2];
  const mix = from.map((c, i) => Math.round(c + ((to[i] as number) - c) * f));
  return `rgb(${mix.join(', ')})`;
}
