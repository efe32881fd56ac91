import crypto from 'node:crypto';

/**
 * A minimal DICOM Part 10 writer: Explicit VR Little Endian, defined lengths everywhere
 * (sequences and items), elements sorted by tag. Enough for structured reports; no pixel data.
 */
export type Vr = 'AE' | 'CS' | 'DA' | 'DS' | 'DT' | 'FL' | 'LO' | 'OB' | 'PN' | 'SH' | 'SQ' | 'TM' | 'UI' | 'UL' | 'US' | 'UT' | 'IS';

export interface El {
  readonly tag: number;
  readonly vr: Vr;
  /** Strings (joined with `\`), numbers (FL/UL/US/DS/IS), bytes (OB) or items (SQ). */
  readonly value: string | readonly string[] | readonly number[] | Uint8Array | readonly (readonly El[])[];
}

export const EXPLICIT_VR_LE = '1.2.840.10008.1.2.1';
const LONG_VRS = new Set<Vr>(['OB', 'SQ', 'UT']);
const MAX_LEN: Partial<Record<Vr, number>> = { AE: 16, CS: 16, DA: 8, DS: 16, IS: 12, LO: 64, SH: 16, TM: 16, UI: 64, PN: 324 };

/** A new UID under 2.25 (ITU-T X.667: a UUID as a decimal integer): no registered root needed. */
export function newUid(): string {
  return `2.25.${BigInt(`0x${crypto.randomUUID().replace(/-/g, '')}`).toString(10)}`;
}

/** A decimal string of at most 16 characters (DS), as precise as fits. */
export function ds(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  for (let digits = 15; digits >= 1; digits--) {
    const s = String(Number(n.toPrecision(digits)));
    if (s.length <= 16) return s;
  }
  for (let digits = 10; digits >= 0; digits--) {
    const s = n.toExponential(digits);
    if (s.length <= 16) return s;
  }
  throw new Error(`cannot write ${n} as a DICOM decimal string`);
}

function textBytes(el: El, text: string): Buffer {
  const limit = MAX_LEN[el.vr];
  for (const part of text.split('\\')) {
    if (limit !== undefined && part.length > limit) throw new Error(`(${hex(el.tag)}) ${el.vr} value "${part.slice(0, 40)}…" is longer than ${limit} characters`);
  }
  const raw = Buffer.from(text, el.vr === 'UI' || el.vr === 'DA' || el.vr === 'TM' || el.vr === 'CS' || el.vr === 'DS' || el.vr === 'IS' ? 'latin1' : 'utf8');
  return raw.length % 2 === 0 ? raw : Buffer.concat([raw, Buffer.from([el.vr === 'UI' ? 0 : 0x20])]);
}

function hex(tag: number): string {
  return `${(tag >>> 16).toString(16).padStart(4, '0')},${(tag & 0xffff).toString(16).padStart(4, '0')}`.toUpperCase();
}

function valueBytes(el: El): Buffer {
  const v = el.value;
  if (el.vr === 'SQ') {
    const items = (v as readonly (readonly El[])[]).map((item) => {
      const body = encodeDataset(item);
      const head = Buffer.alloc(8);
      head.writeUInt16LE(0xfffe, 0);
      head.writeUInt16LE(0xe000, 2);
      head.writeUInt32LE(body.length, 4);
      return Buffer.concat([head, body]);
    });
    return Buffer.concat(items);
  }
  if (el.vr === 'OB') {
    const b = Buffer.from(v as Uint8Array);
    return b.length % 2 === 0 ? b : Buffer.concat([b, Buffer.from([0])]);
  }
  if (el.vr === 'FL' || el.vr === 'UL' || el.vr === 'US') {
    const nums = v as readonly number[];
    const size = el.vr === 'US' ? 2 : 4;
    const b = Buffer.alloc(nums.length * size);
    nums.forEach((n, i) => (el.vr === 'FL' ? b.writeFloatLE(n, i * 4) : el.vr === 'UL' ? b.writeUInt32LE(n, i * 4) : b.writeUInt16LE(n, i * 2)));
    return b;
  }
  if (typeof v === 'string') return textBytes(el, v);
  const list = v as readonly (string | number)[];
  return textBytes(el, list.map((x) => (typeof x === 'number' ? (el.vr === 'DS' ? ds(x) : String(x)) : x)).join('\\'));
}

export function encodeElement(el: El): Buffer {
  const value = valueBytes(el);
  const long = LONG_VRS.has(el.vr);
  const head = Buffer.alloc(long ? 12 : 8);
  head.writeUInt16LE(el.tag >>> 16, 0);
  head.writeUInt16LE(el.tag & 0xffff, 2);
  head.write(el.vr, 4, 'latin1');
  if (long) head.writeUInt32LE(value.length, 8);
  else {
    if (value.length > 0xffff) throw new Error(`(${hex(el.tag)}) ${el.vr} value is too long`);
    head.writeUInt16LE(value.length, 6);
  }
  return Buffer.concat([head, value]);
}

export function encodeDataset(elements: readonly El[]): Buffer {
  const sorted = [...elements].sort((a, b) => a.tag - b.tag);
  for (let i = 1; i < sorted.length; i++) {
    if ((sorted[i] as El).tag === (sorted[i - 1] as El).tag) throw new Error(`duplicate element (${hex((sorted[i] as El).tag)})`);
  }
  return Buffer.concat(sorted.map(encodeElement));
}

/** A Part 10 file: 128-byte preamble, "DICM", the file meta group, then the dataset. */
export function part10(sopClassUid: string, sopInstanceUid: string, dataset: readonly El[]): Buffer {
  const meta = encodeDataset([
    { tag: 0x00020001, vr: 'OB', value: new Uint8Array([0, 1]) },
    { tag: 0x00020002, vr: 'UI', value: sopClassUid },
    { tag: 0x00020003, vr: 'UI', value: sopInstanceUid },
    { tag: 0x00020010, vr: 'UI', value: EXPLICIT_VR_LE },
    { tag: 0x00020012, vr: 'UI', value: IMPLEMENTATION_CLASS_UID },
    { tag: 0x00020013, vr: 'SH', value: 'MIDC_SR_1' },
  ]);
  const groupLength = encodeElement({ tag: 0x00020000, vr: 'UL', value: [meta.length] });
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), groupLength, meta, encodeDataset(dataset)]);
}

/** A fixed 2.25 UID naming this writer (generated once for MIDC). */
export const IMPLEMENTATION_CLASS_UID = '2.25.180925843755208214722542766208063151107';
