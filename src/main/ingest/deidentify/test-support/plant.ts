/**
 * Tests only: plants elements (PHI strings, sequences, private tags) into a real DICOM file, in
 * its own encoding and in tag order, so the de-identifier is tested on realistic files.
 */
import { findRawDataSet } from '../../dicom-info';
import { Cursor, IMPLICIT_LE, LONG_VRS, UNDEFINED, Writer, writeHeader, type Encoding } from '../binary';

/** Text (UTF-8), a sequence, or raw value bytes. */
export type PlantValue = string | PlantItem[] | Uint8Array;
/** One item of a planted sequence: its elements, and whether it is written with undefined length. */
export interface PlantItem {
  readonly elements: PlantElement[];
  readonly undefinedLength?: boolean;
}
export interface PlantElement {
  readonly tag: number;
  readonly vr: string;
  readonly value: PlantValue;
  /** Sequences only: written with undefined length and a delimiter. */
  readonly undefinedLength?: boolean;
}

export interface FileLayout {
  readonly dataSetStart: number;
  readonly enc: Encoding;
  readonly transferSyntax: string;
}

export function layoutOf(bytes: Uint8Array): FileLayout {
  if (bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d) {
    const c = new Cursor(bytes, 132);
    let ts = '1.2.840.10008.1.2';
    while (c.pos < bytes.length) {
      const start = c.pos;
      if (c.u16(true) !== 2) {
        c.pos = start;
        break;
      }
      const element = c.u16(true);
      const vr = c.ascii(2);
      const length = LONG_VRS.has(vr) ? (c.u16(true), c.u32(true)) : c.u16(true);
      const value = c.take(length, 'meta');
      if (element === 0x10) ts = Buffer.from(value).toString('latin1').replace(/[\0 ]+$/, '');
    }
    return { dataSetStart: c.pos, enc: encodingOf(ts), transferSyntax: ts };
  }
  const raw = findRawDataSet(bytes);
  if (!raw) throw new Error('not DICOM');
  return { dataSetStart: raw.offset, enc: encodingOf(raw.transferSyntax), transferSyntax: raw.transferSyntax };
}

function encodingOf(ts: string): Encoding {
  if (ts === '1.2.840.10008.1.2') return IMPLICIT_LE;
  return { explicit: true, little: ts !== '1.2.840.10008.1.2.2' };
}

/** Top-level elements: tag and byte range (header included). */
export function topLevel(bytes: Uint8Array, layout: FileLayout): { tag: number; start: number; end: number }[] {
  const c = new Cursor(bytes, layout.dataSetStart);
  const out: { tag: number; start: number; end: number }[] = [];
  while (c.pos < bytes.length) {
    const start = c.pos;
    const tag = readElement(c, layout.enc);
    out.push({ tag, start, end: c.pos });
  }
  return out;
}

/** Skips one element (any nesting); returns its tag. */
function readElement(c: Cursor, enc: Encoding): number {
  const tag = ((c.u16(enc.little) << 16) | c.u16(enc.little)) >>> 0;
  let length: number;
  let vr = 'UN';
  if (enc.explicit && tag >>> 16 !== 0xfffe) {
    vr = c.ascii(2);
    length = LONG_VRS.has(vr) ? (c.u16(enc.little), c.u32(enc.little)) : c.u16(enc.little);
  } else length = c.u32(enc.little);
  if (length !== UNDEFINED) {
    c.take(length, 'value');
    return tag;
  }
  const itemEnc = enc.explicit && vr === 'UN' ? IMPLICIT_LE : enc;
  // Undefined length: items up to the sequence delimiter; undefined-length items up to theirs.
  for (;;) {
    const itemTag = ((c.u16(itemEnc.little) << 16) | c.u16(itemEnc.little)) >>> 0;
    const itemLength = c.u32(itemEnc.little);
    if (itemTag === 0xfffee0dd) return tag;
    if (itemLength !== UNDEFINED) {
      c.take(itemLength, 'item');
      continue;
    }
    for (;;) {
      const at = c.pos;
      const t = ((c.u16(itemEnc.little) << 16) | c.u16(itemEnc.little)) >>> 0;
      if (t === 0xfffee00d) {
        c.u32(itemEnc.little);
        break;
      }
      c.pos = at;
      readElement(c, itemEnc);
    }
  }
}

export function encodeElement(out: Writer, enc: Encoding, e: PlantElement): void {
  if (e.value instanceof Uint8Array) {
    writeHeader(out, enc, e.tag, e.vr, e.undefinedLength ? UNDEFINED : e.value.length);
    out.bytes(e.value);
    return;
  }
  if (typeof e.value === 'string') {
    const bytes = Buffer.from(e.value, 'utf8');
    const value = bytes.length % 2 === 0 ? bytes : Buffer.concat([bytes, Buffer.from(e.vr === 'UI' ? [0] : [0x20])]);
    writeHeader(out, enc, e.tag, e.vr, value.length);
    out.bytes(value);
    return;
  }
  const body = new Writer();
  for (const item of [...e.value]) {
    const content = new Writer();
    for (const child of [...item.elements].sort((a, b) => a.tag - b.tag)) encodeElement(content, enc, child);
    const bytes = content.result();
    body.u16(0xfffe, enc.little);
    body.u16(0xe000, enc.little);
    body.u32(item.undefinedLength ? UNDEFINED : bytes.length, enc.little);
    body.bytes(bytes);
    if (item.undefinedLength) {
      body.u16(0xfffe, enc.little);
      body.u16(0xe00d, enc.little);
      body.u32(0, enc.little);
    }
  }
  const bodyBytes = body.result();
  writeHeader(out, enc, e.tag, 'SQ', e.undefinedLength ? UNDEFINED : bodyBytes.length);
  out.bytes(bodyBytes);
  if (e.undefinedLength) {
    out.u16(0xfffe, enc.little);
    out.u16(0xe0dd, enc.little);
    out.u32(0, enc.little);
  }
}

/** The file with the elements planted at the top level (replacing those with the same tag). */
export function plant(bytes: Uint8Array, elements: readonly PlantElement[]): Uint8Array {
  const layout = layoutOf(bytes);
  const existing = topLevel(bytes, layout);
  const byTag = new Map(elements.map((e) => [e.tag, e]));
  const tags = [...new Set([...existing.map((e) => e.tag), ...byTag.keys()])].sort((a, b) => a - b);
  const out = new Writer();
  out.bytes(bytes.subarray(0, layout.dataSetStart));
  for (const tag of tags) {
    const planted = byTag.get(tag);
    if (planted) encodeElement(out, layout.enc, planted);
    else {
      const e = existing.find((x) => x.tag === tag) as { start: number; end: number };
      out.bytes(bytes.subarray(e.start, e.end));
    }
  }
  return out.result();
}
