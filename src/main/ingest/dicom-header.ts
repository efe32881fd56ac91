import type { ElementReader } from './dicom-info';

/**
 * A fast reader for the common case of an import: a Part 10 file in Explicit or Implicit VR
 * Little Endian whose every length is defined. It walks the elements once, keeps the offset
 * and length of the top-level ones in a Map keyed by tag number, and answers `string` and
 * `uint16` exactly as dicom-parser's DataSet does. dicom-parser builds an object and a tag
 * string per element (266 in a CT slice), which was the largest single cost of an import
 * worker (issue 3 benchmark).
 *
 * It only vouches for files it understands completely: on anything else (big endian,
 * deflate, encapsulated pixel data, an undefined length, a sequence item that does not end
 * where its sequence ends, bytes past an element's end, an implicit-VR value that could be a
 * sequence...) it returns null and the caller uses dicom-parser, whose answer and checks
 * then decide. dicom-header.test.ts proves it: on every fixture and on random mutations of
 * them, whatever this reader accepts gets exactly the facts and errors of the dicom-parser path.
 */
export function readHeaderFast(bytes: Uint8Array): ElementReader | null {
  if (bytes.length < 144 || bytes[128] !== 0x44 || bytes[129] !== 0x49 || bytes[130] !== 0x43 || bytes[131] !== 0x4d) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const elements = new Map<number, Found>();
  // File Meta: explicit VR little endian, read until the first tag past group 0002 (as
  // dicom-parser does, which reads that first data set element explicitly before it looks).
  let pos = 132;
  let transferSyntax: string | null = null;
  for (;;) {
    const e = explicitElement(bytes, view, pos, bytes.length);
    if (!e || e.sequence) return null;
    if (e.tag > 0x0002ffff) break;
    elements.set(e.tag, { dataOffset: e.dataOffset, length: e.length });
    if (e.tag === 0x00020010) transferSyntax = fixedString(bytes, e.dataOffset, e.length);
    pos = e.dataOffset + e.length;
    if (pos >= bytes.length) return null;
  }
  const meta = new Map(elements);
  let end: number;
  if (transferSyntax === EXPLICIT_LE) end = walkExplicit(bytes, view, pos, bytes.length, 0, elements);
  else if (transferSyntax === IMPLICIT_LE) end = walkImplicit(bytes, view, pos, bytes.length, elements);
  else return null;
  if (end !== bytes.length) return null;
  // dicom-parser merges the File Meta over the data set: group 0002 answers come from the meta.
  for (const [tag, found] of meta) elements.set(tag, found);
  return new FastDataSet(bytes, view, elements);
}

const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const IMPLICIT_LE = '1.2.840.10008.1.2';
const UNDEFINED_LENGTH = 0xffffffff;
const ITEM = 0xfffee000;
const SEQUENCE_DELIMITER = 0xfffee0dd;
const MAX_DEPTH = 16;

interface Found {
  readonly dataOffset: number;
  readonly length: number;
}

const char = (c: string): number => c.charCodeAt(0);
const vrCode = (vr: string): number => (char(vr[0] as string) << 8) | char(vr[1] as string);
/** The VRs dicom-parser 1.8 reads with a 4-byte length (getDataLengthSizeInBytesForVR). */
const LONG_VRS = new Set(['OB', 'OD', 'OL', 'OW', 'SQ', 'OF', 'UC', 'UR', 'UT', 'UN'].map(vrCode));
/** 4-byte lengths in the standard that dicom-parser 1.8 reads as 2: such files go to it. */
const MISREAD_VRS = new Set(['OV', 'SV', 'UV'].map(vrCode));
const SQ = vrCode('SQ');

interface Header {
  readonly tag: number;
  readonly dataOffset: number;
  readonly length: number;
  readonly sequence: boolean;
}

/** One explicit VR LE element header at `pos` whose value ends by `end`, or null. */
function explicitElement(bytes: Uint8Array, view: DataView, pos: number, end: number): Header | null {
  if (pos + 8 > end) return null;
  const tag = ((view.getUint16(pos, true) << 16) | view.getUint16(pos + 2, true)) >>> 0;
  const vr = ((bytes[pos + 4] as number) << 8) | (bytes[pos + 5] as number);
  if (MISREAD_VRS.has(vr)) return null;
  let dataOffset: number;
  let length: number;
  if (LONG_VRS.has(vr)) {
    if (pos + 12 > end) return null;
    length = view.getUint32(pos + 8, true);
    dataOffset = pos + 12;
  } else {
    length = view.getUint16(pos + 6, true);
    dataOffset = pos + 8;
  }
  if (length === UNDEFINED_LENGTH || dataOffset + length > end) return null;
  return { tag, dataOffset, length, sequence: vr === SQ };
}

/**
 * Walks explicit VR LE elements from `pos` to `end`; records top-level ones (`record` given).
 * Returns where it stopped (must be `end`), or -1 for anything it does not vouch for.
 */
function walkExplicit(bytes: Uint8Array, view: DataView, pos: number, end: number, depth: number, record: Map<number, Found> | null): number {
  while (pos < end) {
    const e = explicitElement(bytes, view, pos, end);
    if (!e) return -1;
    if (e.sequence && !itemsEndExactly(bytes, view, e.dataOffset, e.dataOffset + e.length, depth)) return -1;
    record?.set(e.tag, { dataOffset: e.dataOffset, length: e.length });
    pos = e.dataOffset + e.length;
  }
  return pos;
}

/** A defined-length sequence whose items (all of defined length) exactly fill it. */
function itemsEndExactly(bytes: Uint8Array, view: DataView, pos: number, end: number, depth: number): boolean {
  if (depth >= MAX_DEPTH) return false;
  while (pos < end) {
    if (pos + 8 > end) return false;
    const tag = ((view.getUint16(pos, true) << 16) | view.getUint16(pos + 2, true)) >>> 0;
    const length = view.getUint32(pos + 4, true);
    if (tag !== ITEM || length === UNDEFINED_LENGTH || pos + 8 + length > end) return false;
    if (walkExplicit(bytes, view, pos + 8, pos + 8 + length, depth + 1, null) !== pos + 8 + length) return false;
    pos += 8 + length;
  }
  return pos === end;
}

/** Walks implicit VR LE top-level elements; -1 where dicom-parser could see a sequence. */
function walkImplicit(bytes: Uint8Array, view: DataView, pos: number, end: number, record: Map<number, Found>): number {
  while (pos < end) {
    if (pos + 8 > end) return -1;
    const tag = ((view.getUint16(pos, true) << 16) | view.getUint16(pos + 2, true)) >>> 0;
    const length = view.getUint32(pos + 4, true);
    const dataOffset = pos + 8;
    if (length === UNDEFINED_LENGTH || dataOffset + length > end) return -1;
    // dicom-parser peeks at the next tag to guess a sequence (there is no VR to say so).
    if (dataOffset + 4 <= bytes.length) {
      const next = ((view.getUint16(dataOffset, true) << 16) | view.getUint16(dataOffset + 2, true)) >>> 0;
      if (next === ITEM || next === SEQUENCE_DELIMITER) return -1;
    }
    record.set(tag, { dataOffset, length });
    pos = dataOffset + length;
  }
  return pos;
}

/** dicom-parser's readFixedString: Latin-1 characters up to the first NUL. */
function fixedString(bytes: Uint8Array, offset: number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) {
    const c = bytes[offset + i] as number;
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

const tagNumber = (tag: string): number => Number.parseInt(tag.slice(1), 16);

class FastDataSet implements ElementReader {
  constructor(
    private readonly bytes: Uint8Array,
    private readonly view: DataView,
    private readonly found: Map<number, Found>,
  ) {}

  element(tag: string): Found | undefined {
    return this.found.get(tagNumber(tag));
  }

  /** As dicom-parser's DataSet.string(tag): undefined when absent or empty, else trimmed. */
  string(tag: string): string | undefined {
    const e = this.element(tag);
    return e && e.length > 0 ? fixedString(this.bytes, e.dataOffset, e.length).trim() : undefined;
  }

  /** As dicom-parser's DataSet.uint16(tag), which reads 2 bytes even from a 1-byte value. */
  uint16(tag: string): number | undefined {
    const e = this.element(tag);
    if (!e || e.length === 0) return undefined;
    if (e.dataOffset + 2 > this.bytes.length) throw new Error('attempt to read past end of buffer');
    return this.view.getUint16(e.dataOffset, true);
  }
}
