/**
 * CSV export of any grid, built in the renderer (RFC 4180: fields with a comma, quote or line
 * break are quoted, quotes doubled; CRLF between records). A UTF-8 byte-order mark leads the
 * file so that spreadsheet programs read Chinese class names and tags correctly.
 */

export type CsvValue = string | number | boolean | null | undefined;

/** A spreadsheet runs a cell starting with one of these as a formula (CSV injection, OWASP). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One field, escaped. Numbers are written as they are (a negative delta is not a formula). */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  // Text that a spreadsheet would evaluate is defused with a leading apostrophe.
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_BOM = '\uFEFF';

/** The whole file: a header record, then one record per row. */
export function toCsv(headers: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const lines = [headers, ...rows].map((r) => r.map(csvField).join(','));
  return `${CSV_BOM}${lines.join('\r\n')}\r\n`;
}

/** A file name without characters that file systems refuse, ending in .csv. */
export function csvFileName(base: string): string {
  // Control characters are dropped by code point (a regex range of them trips no-control-regex).
  const printable = [...base].filter((ch) => ch.charCodeAt(0) >= 0x20).join('');
  const clean = printable.replace(/[\\/:*?"<>|]+/g, '_').replace(/\s+/g, ' ').trim().slice(0, 120);
  return `${clean || 'export'}.csv`;
}
