import { AppError } from '../errors';

/** A table of input rows and where it came from, so an error can name the file and line. */
export interface Sourced<R> {
  /** Named in error messages: a file name as the user gave it, or e.g. "ground truth". */
  readonly source: string;
  readonly rows: readonly R[];
}

/** Where a row came from. Without `line`, errors name the row's 1-based position instead. */
export interface Located {
  readonly line?: number;
}

/** What an input error carries as `details` (the CLI prints the message, IPC sends both). */
export interface InputErrorDetails {
  readonly source: string;
  readonly line: number | null;
  readonly field: string | null;
  readonly problem: string;
}

/** `pred.csv line 17: score "abc" is not a number` — a VALIDATION error (CLI exit 2). */
export function inputError(source: string, row: Located | null, index: number | null, field: string | null, problem: string): AppError {
  const line = row?.line ?? null;
  const where = line !== null ? `line ${line}` : index !== null ? `row ${index + 1}` : null;
  const details: InputErrorDetails = { source, line, field, problem };
  return new AppError('VALIDATION', where ? `${source} ${where}: ${problem}` : `${source}: ${problem}`, details);
}

/** Reports a row by its line when known, else its 1-based position. */
export function describeRow(row: Located, index: number): string {
  return row.line !== undefined ? `line ${row.line}` : `row ${index + 1}`;
}
