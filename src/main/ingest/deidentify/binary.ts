import type { QuarantineCode } from '../reasons';

/** Byte cursor and growable writer for the element-level DICOM rewriter. */

/** A file that cannot be de-identified with certainty, with the import's quarantine code. */
export class DeidentifyError extends Error {
  override readonly name = 'DeidentifyError';
  constructor(
    message: string,
    readonly code: QuarantineCode = 'parse-error',
  ) {
    super(message);
  }
}

export interface Encoding {
  readonly explicit: boolean;
  readonly little: boolean;
}

export const IMPLICIT_LE: Encoding = { explicit: false, little: true };
export const EXPLICIT_LE: Encoding = { explicit: true, little: true };

/** Reads a buffer from a position, in one byte order, never past `buf.length`. */
export class Cursor {
  private readonly view: DataView;
  constructor(
    readonly buf: Uint8Array,
    public pos: number,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  need(n: number, what: string): void {
    if (this.pos + n > this.buf.length) {
      throw new DeidentifyError(`the data set ends inside ${what} (offset ${this.pos}, ${n} bytes needed, ${this.buf.length - this.pos} left); the file is probably truncated`, 'truncated');
    }
  }

  u16(little: boolean): number {
    this.need(2, 'an element header');
    const v = this.view.getUint16(this.pos, little);
    this.pos += 2;
    return v;
  }

  u32(little: boolean): number {
    this.need(4, 'an element header');
    const v = this.view.getUint32(this.pos, little);
    this.pos += 4;
    return v;
  }

  ascii(n: number): string {
    this.need(n, 'an element header');
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(this.buf[this.pos + i] as number);
    this.pos += n;
    return s;
  }

  take(n: number, what: string): Uint8Array {
    this.need(n, what);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
}

/** An append-only byte buffer that grows, with in-place patching of length fields. */
export class Writer {
  private buf = new Uint8Array(1 << 16);
  length = 0;

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  u16(v: number, little: boolean): void {
    this.ensure(2);
    new DataView(this.buf.buffer).setUint16(this.length, v, little);
    this.length += 2;
  }

  u32(v: number, little: boolean): void {
    this.ensure(4);
    new DataView(this.buf.buffer).setUint32(this.length, v, little);
    this.length += 4;
  }

  ascii(s: string): void {
    this.ensure(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.length + i] = s.charCodeAt(i) & 0xff;
    this.length += s.length;
  }

  patchU32(at: number, v: number, little: boolean): void {
    new DataView(this.buf.buffer).setUint32(at, v, little);
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** VRs whose explicit header has two reserved bytes and a 32-bit length (PS3.5 7.1.2). */
export const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
export const VALID_VRS = new Set('AE AS AT CS DA DS DT FL FD IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(' '));

export const UNDEFINED = 0xffffffff;

export function tagText(tag: number): string {
  const hex = (tag >>> 0).toString(16).toUpperCase().padStart(8, '0');
  return `(${hex.slice(0, 4)},${hex.slice(4)})`;
}

/** Writes an element header in the given encoding. */
export function writeHeader(out: Writer, enc: Encoding, tag: number, vr: string, length: number): void {
  out.u16(tag >>> 16, enc.little);
  out.u16(tag & 0xffff, enc.little);
  if (!enc.explicit) {
    out.u32(length, enc.little);
  } else if (LONG_VRS.has(vr)) {
    out.ascii(vr);
    out.u16(0, enc.little);
    out.u32(length, enc.little);
  } else {
    if (length > 0xffff) throw new DeidentifyError(`a value of ${length} bytes does not fit VR ${vr} at ${tagText(tag)}`);
    out.ascii(vr);
    out.u16(length, enc.little);
  }
}

/** A text value padded to even length (UIDs with NUL, other text with a space). */
export function padded(text: string, vr: string): string {
  return text.length % 2 === 0 ? text : text + (vr === 'UI' ? '\0' : ' ');
}

export function writeText(out: Writer, enc: Encoding, tag: number, vr: string, text: string): void {
  const value = padded(text, vr);
  writeHeader(out, enc, tag, vr, value.length);
  out.ascii(value);
}
