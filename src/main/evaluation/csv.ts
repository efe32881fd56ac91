import { inputError } from '../../shared/metrics/input';

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Splits CSV text into records (RFC 4180 plus the usual tolerances) and hands each to
 * `onRecord` with the line it starts on. A hand-written scanner over one string: a generic CSV
 * library allocates per cell and per row and is several times slower on a million rows.
 *
 * - a leading BOM is skipped; lines end with LF, CRLF or a lone CR;
 * - a field starting with `"` is quoted: it may hold commas, line breaks and `""` for a quote;
 *   anything but a comma or line end after its closing quote is an error;
 * - a `"` inside an unquoted field is kept as is;
 * - blank lines are skipped.
 *
 * `fields` is reused between calls: copy what you keep. Throws AppError VALIDATION naming
 * `source` and the line.
 */
export function parseCsv(text: string, source: string, onRecord: (fields: string[], line: number) => void): void {
  const n = text.length;
  const state = { i: text.charCodeAt(0) === 0xfeff ? 1 : 0, line: 1 };
  const fields: string[] = [];
  // Positions of the next quote and carriage return, found once and reused until passed: most
  // files have none, or one CR per line, and indexOf is much faster than a charCodeAt loop.
  let nextQuote = -2;
  let nextCr = -2;
  while (state.i < n) {
    const i = state.i;
    const recordLine = state.line;
    fields.length = 0;
    let end = text.indexOf('\n', i);
    if (end < 0) end = n;
    if (nextQuote !== -1 && nextQuote < i) nextQuote = text.indexOf('"', i);
    if (nextCr !== -1 && nextCr < i) nextCr = text.indexOf('\r', i);
    const contentEnd = end > i && text.charCodeAt(end - 1) === CR ? end - 1 : end;
    if ((nextQuote === -1 || nextQuote >= end) && (nextCr === -1 || nextCr >= contentEnd)) {
      // Fast path: a line without quotes or lone CRs is just its comma-separated parts.
      let start = i;
      for (;;) {
        const comma = text.indexOf(',', start);
        if (comma < 0 || comma >= contentEnd) break;
        fields.push(text.slice(start, comma));
        start = comma + 1;
      }
      fields.push(text.slice(start, contentEnd));
      state.i = end + 1;
      state.line++;
    } else {
      slowRecord(text, state, fields, source);
    }
    if (fields.length === 1 && fields[0] === '') continue;
    onRecord(fields, recordLine);
  }
}

/** One record with quotes or lone CRs, char by char; leaves `state` after its line end. */
function slowRecord(text: string, state: { i: number; line: number }, fields: string[], source: string): void {
  const n = text.length;
  let i = state.i;
  for (;;) {
    if (text.charCodeAt(i) === QUOTE) {
      const fieldLine = state.line;
      let value = '';
      let start = ++i;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw inputError(source, { line: fieldLine }, null, null, 'a quoted field is not closed');
        state.line += countLineBreaks(text, i, q);
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += text.slice(start, q + 1);
          i = start = q + 2;
          continue;
        }
        value += text.slice(start, q);
        i = q + 1;
        break;
      }
      fields.push(value);
      const c = i < n ? text.charCodeAt(i) : LF;
      if (c === COMMA) {
        i++;
        continue;
      }
      if (c !== LF && c !== CR) throw inputError(source, { line: state.line }, null, null, `unexpected "${text[i]}" after a closing quote`);
    } else {
      let j = i;
      let c = 0;
      while (j < n && (c = text.charCodeAt(j)) !== COMMA && c !== LF && c !== CR) j++;
      fields.push(text.slice(i, j));
      i = j;
      if (j < n && c === COMMA) {
        i++;
        continue;
      }
    }
    break;
  }
  // i is at a line end or the end of the text.
  if (i < n) {
    if (text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF) i++;
    i++;
    state.line++;
  }
  state.i = i;
}

function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === LF || (c === CR && text.charCodeAt(k + 1) !== LF)) count++;
  }
  return count;
}
