import { isUtf8 } from 'node:buffer';
import { ClassEncoder } from '../../shared/metrics/class-encoder';
import { evaluateEncoded, type ClassificationEvaluation } from '../../shared/metrics/classification';

/**
 * The `midc metrics` classification fast path: both CSV files as bytes, never split into
 * per-row strings. Class names are interned over byte slices to small integers, image keys are
 * joined through a hash of their bytes, scores are parsed from bytes, and the counting is the
 * engine's own (`evaluateEncoded`), so the figures are the ones `evaluateClassification` gives.
 *
 * It handles the well-formed common case only. Anything else (a quote, a lone CR, bytes that
 * are not UTF-8, a missing or repeated column, a row of another width, an empty key or class,
 * a duplicate or unknown key, a score that is not a plain decimal) returns null, and the caller
 * runs the string path, which refuses the file with the exact message (file, line, field).
 */

const COMMA = 44;
const LF = 10;
const CR = 13;
const QUOTE = 34;
const MINUS = 45;
const DOT = 46;
const MISSED = -1;
/** Exact powers of ten as doubles (10^22 is the largest exact one). */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

interface Columns {
  readonly rows: number;
  /** Start and end byte offsets of each row's image key. */
  readonly keyStart: Int32Array;
  readonly keyEnd: Int32Array;
  /** Interned class id (order of first appearance over both files). */
  readonly classId: Int32Array;
  readonly scores: Float64Array | null;
}

/** Class names by their bytes: a scan of the few known ones, then a string Map for a new one. */
class ByteInterner {
  readonly encoder = new ClassEncoder();
  private readonly known: Buffer[] = [];
  private readonly ids: number[] = [];

  intern(buf: Buffer, start: number, end: number): number {
    const len = end - start;
    for (let k = 0; k < this.known.length; k++) {
      const b = this.known[k] as Buffer;
      if (b.length !== len) continue;
      let same = true;
      for (let i = 0; i < len; i++) {
        if (b[i] !== buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return this.ids[k] as number;
    }
    const id = this.encoder.encode(buf.toString('utf8', start, end));
    this.known.push(Buffer.from(buf.subarray(start, end)));
    this.ids.push(id);
    return id;
  }
}

/** A plain decimal (`-?digits[.[digits]]`, at most 15 digits) as Number() reads it, or NaN to give up. */
function parseDecimal(buf: Buffer, start: number, end: number): number {
  let i = start;
  const negative = buf[i] === MINUS;
  if (negative) i++;
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (; i < end; i++) {
    const c = buf[i] as number;
    if (c === DOT) {
      if (fraction !== -1 || digits === 0) return NaN;
      fraction = 0;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9) return NaN;
    mantissa = mantissa * 10 + d;
    digits++;
    if (fraction !== -1) fraction++;
  }
  if (digits === 0 || digits > 15) return NaN;
  // Both operands are exact doubles, so the one division rounds correctly, as Number() does.
  const value = fraction > 0 ? mantissa / (POW10[fraction] as number) : mantissa;
  return negative ? -value : value;
}

/** The trimmed names of a header line, or null when it holds a quote or a lone CR (the string path decides). */
function headerNames(buf: Buffer, start: number, end: number): string[] | null {
  for (let p = start; p < end; p++) if (buf[p] === CR || buf[p] === QUOTE) return null;
  return buf.toString('utf8', start, end).split(',').map((f) => f.trim());
}

/**
 * The column names of a CSV file's first non-blank line as `csvHeader` gives them, or null when
 * that takes the string path (a quote or lone CR in the line, bytes that are not UTF-8).
 */
export function headerColumns(buf: Buffer): string[] | null {
  if (!isUtf8(buf)) return null;
  let pos = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  while (pos < buf.length) {
    let end = buf.indexOf(LF, pos);
    if (end < 0) end = buf.length;
    const contentEnd = end > pos && buf[end - 1] === CR ? end - 1 : end;
    if (contentEnd > pos) return headerNames(buf, pos, contentEnd);
    pos = end + 1;
  }
  return [];
}

function grow(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

/** True when every CR is followed by LF (a lone CR ends a line in the string path: it decides those files). */
function onlyCrlf(buf: Buffer): boolean {
  for (let p = buf.indexOf(CR); p !== -1; p = buf.indexOf(CR, p + 1)) if (buf[p + 1] !== LF) return false;
  return true;
}

function readColumns(buf: Buffer, kind: 'gt' | 'pred', interner: ByteInterner): Columns | null {
  if (buf.indexOf(QUOTE) !== -1 || !onlyCrlf(buf) || !isUtf8(buf)) return null;
  const n = buf.length;
  let pos = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  let keyCol = -1;
  let classCol = -1;
  let scoreCol = -1;
  let width = -1;
  let capacity = Math.max(16, Math.ceil(n / 24));
  let keyStart = new Int32Array(capacity);
  let keyEnd = new Int32Array(capacity);
  let classId = new Int32Array(capacity);
  let scores: Float64Array | null = null;
  let rows = 0;
  while (pos < n) {
    let end = buf.indexOf(LF, pos);
    if (end < 0) end = n;
    const contentEnd = end > pos && buf[end - 1] === CR ? end - 1 : end;
    const lineStart = pos;
    pos = end + 1;
    if (contentEnd === lineStart) continue; // blank line
    if (width === -1) {
      const names = headerNames(buf, lineStart, contentEnd);
      if (!names || new Set(names).size !== names.length) return null;
      keyCol = names.indexOf('image_key');
      classCol = names.indexOf('class');
      scoreCol = kind === 'pred' ? names.indexOf('score') : -1;
      if (keyCol === -1 || classCol === -1) return null;
      width = names.length;
      if (scoreCol !== -1) scores = new Float64Array(capacity);
      continue;
    }
    let field = 0;
    let fieldStart = lineStart;
    let ks = -1;
    let ke = -1;
    let cs = -1;
    let ce = -1;
    let ss = -1;
    let se = -1;
    for (;;) {
      // Commas found natively; the last field ends at the line end.
      let p = buf.indexOf(COMMA, fieldStart);
      if (p === -1 || p > contentEnd) p = contentEnd;
      if (field === keyCol) {
        ks = fieldStart;
        ke = p;
      } else if (field === classCol) {
        cs = fieldStart;
        ce = p;
      } else if (field === scoreCol) {
        ss = fieldStart;
        se = p;
      }
      field++;
      fieldStart = p + 1;
      if (p === contentEnd) break;
    }
    if (field !== width || ke === ks || ce === cs) return null;
    if (rows === capacity) {
      capacity *= 2;
      keyStart = grow(keyStart, capacity);
      keyEnd = grow(keyEnd, capacity);
      classId = grow(classId, capacity);
      if (scores) {
        const s = new Float64Array(capacity);
        s.set(scores);
        scores = s;
      }
    }
    keyStart[rows] = ks;
    keyEnd[rows] = ke;
    classId[rows] = interner.intern(buf, cs, ce);
    if (scores) {
      const v = parseDecimal(buf, ss, se);
      if (Number.isNaN(v)) return null;
      scores[rows] = v;
    }
    rows++;
  }
  if (width === -1) return null;
  return { rows, keyStart, keyEnd, classId, scores };
}

function hashBytes(buf: Buffer, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ (buf[i] as number), 0x01000193);
  return h | 0;
}

function sameBytes(a: Buffer, as: number, ae: number, b: Buffer, bs: number, be: number): boolean {
  if (ae - as !== be - bs) return false;
  // Keys usually differ at the end (numbered UIDs): compare from there.
  for (let i = ae - as - 1; i >= 0; i--) if (a[as + i] !== b[bs + i]) return false;
  return true;
}

/**
 * Classification metrics from the two files' bytes, or null when the string path must decide.
 * `withImageKeys`: also decode the image keys (the quantified-label scoring needs them).
 */
export function evaluateClassificationBytes(gtBuf: Buffer, predBuf: Buffer, withImageKeys: boolean): ClassificationEvaluation | null {
  const interner = new ByteInterner();
  const gt = readColumns(gtBuf, 'gt', interner);
  if (!gt) return null;
  const pred = readColumns(predBuf, 'pred', interner);
  if (!pred) return null;
  const n = gt.rows;
  let size = 1;
  while (size < n * 2) size <<= 1;
  const mask = size - 1;
  const slots = new Int32Array(size).fill(-1);
  const slotHash = new Int32Array(size);
  for (let i = 0; i < n; i++) {
    const s0 = gt.keyStart[i] as number;
    const e0 = gt.keyEnd[i] as number;
    const h = hashBytes(gtBuf, s0, e0);
    let slot = h & mask;
    for (;;) {
      const row = slots[slot] as number;
      if (row === -1) break;
      if (slotHash[slot] === h && sameBytes(gtBuf, gt.keyStart[row] as number, gt.keyEnd[row] as number, gtBuf, s0, e0)) return null; // duplicate key
      slot = (slot + 1) & mask;
    }
    slots[slot] = i;
    slotHash[slot] = h;
  }
  const lookup = (s0: number, e0: number): number => {
    const h = hashBytes(predBuf, s0, e0);
    let slot = h & mask;
    for (;;) {
      const row = slots[slot] as number;
      if (row === -1) return -1;
      if (slotHash[slot] === h && sameBytes(gtBuf, gt.keyStart[row] as number, gt.keyEnd[row] as number, predBuf, s0, e0)) return row;
      slot = (slot + 1) & mask;
    }
  };
  const predictedClass = new Int32Array(n).fill(MISSED);
  const scores = pred.scores ? new Float64Array(n).fill(NaN) : null;
  let next = 0;
  for (let j = 0; j < pred.rows; j++) {
    const s0 = pred.keyStart[j] as number;
    const e0 = pred.keyEnd[j] as number;
    const i = next < n && sameBytes(gtBuf, gt.keyStart[next] as number, gt.keyEnd[next] as number, predBuf, s0, e0) ? next : lookup(s0, e0);
    if (i === -1 || predictedClass[i] !== MISSED) return null; // unknown or duplicate key
    next = i + 1;
    predictedClass[i] = pred.classId[j] as number;
    if (scores) scores[i] = (pred.scores as Float64Array)[j] as number;
  }
  const { classes, renumber } = interner.encoder.sorted();
  const trueClass = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    trueClass[i] = renumber[gt.classId[i] as number] as number;
    const p = predictedClass[i] as number;
    if (p !== MISSED) predictedClass[i] = renumber[p] as number;
  }
  const imageKeys = withImageKeys ? Array.from({ length: n }, (_, i) => gtBuf.toString('utf8', gt.keyStart[i], gt.keyEnd[i])) : [];
  return evaluateEncoded(classes, imageKeys, trueClass, predictedClass, scores);
}
