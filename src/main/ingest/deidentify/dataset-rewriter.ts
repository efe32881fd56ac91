import {
  Cursor,
  DeidentifyError,
  IMPLICIT_LE,
  LONG_VRS,
  UNDEFINED,
  VALID_VRS,
  Writer,
  tagText,
  writeHeader,
  writeText,
  type Encoding,
} from './binary';
import { KEPT_UIDS, PROFILE, dummyValue, isRemovedRepeatingGroup, type ProfileAction } from './profile';
import { mapUidValue } from './uid-map';

const ITEM = 0xfffee000;
const ITEM_END = 0xfffee00d;
const SEQUENCE_END = 0xfffee0dd;
const PIXEL_DATA = 0x7fe00010;
const BURNED_IN_ANNOTATION = 0x00280301;
const MAX_DEPTH = 32;

/** What one run did, by rule (keyword of the attribute or the general rule's name). */
export interface RewriteCounts {
  removed: number;
  emptied: number;
  dummied: number;
  uidsReplaced: number;
  privateRemoved: number;
  /** keyword (or rule) → action, for every attribute acted upon. */
  readonly applied: Record<string, ProfileAction>;
}

/** An element MIDC adds at the top level (written in tag order among the others). */
export interface AddedElement {
  readonly tag: number;
  readonly write: (out: Writer, enc: Encoding) => void;
}

export interface RewriteContext {
  readonly secret: string;
  readonly counts: RewriteCounts;
  /** Top-level values MIDC needs for the File Meta group. */
  sopClassUid: string | null;
  sopInstanceUid: string | null;
}

type Decision = { action: 'keep' } | { action: ProfileAction; rule: string; vr?: string };

function decide(tag: number, vr: string): Decision {
  const group = tag >>> 16;
  const element = tag & 0xffff;
  if (group % 2 === 1) return { action: 'X', rule: 'private' };
  if (element === 0 || group === 0x0002) return { action: 'X', rule: 'group length / meta in data set' };
  if (isRemovedRepeatingGroup(group, element)) return { action: 'X', rule: 'curve / overlay' };
  const entry = PROFILE.get(tag);
  if (entry) return { action: entry.action, rule: entry.keyword, vr: entry.vr };
  if (vr === 'PN') return { action: 'Z', rule: 'other person name' };
  if (vr === 'UI' && !KEPT_UIDS.has(tag)) return { action: 'U', rule: 'other UID' };
  return { action: 'keep' };
}

/** The VR of an implicit VR element: from the profile table, else unknown (kept as it is). */
function implicitVr(tag: number): string {
  if (tag === PIXEL_DATA) return 'OW';
  return PROFILE.get(tag)?.vr ?? (KEPT_UIDS.has(tag) ? 'UI' : 'UN');
}

function count(ctx: RewriteContext, d: Decision): void {
  if (d.action === 'keep') return;
  const c = ctx.counts;
  if (d.rule === 'private') c.privateRemoved++;
  else if (d.action === 'X') c.removed++;
  else if (d.action === 'Z') c.emptied++;
  else if (d.action === 'D') c.dummied++;
  else c.uidsReplaced++;
  c.applied[d.rule] = d.action;
}

/**
 * Rewrites the elements from the cursor up to `end` (or up to an item delimiter when `end` is
 * null), applying the profile, into `out` in the same encoding. `added` elements are merged in
 * tag order (top level only).
 */
export function rewriteElements(c: Cursor, end: number | null, enc: Encoding, out: Writer, ctx: RewriteContext, depth: number, added: AddedElement[] = []): void {
  if (depth > MAX_DEPTH) throw new DeidentifyError(`sequences are nested more than ${MAX_DEPTH} deep`);
  const pending = [...added].sort((a, b) => a.tag - b.tag);
  const limit = end ?? c.buf.length;
  while (c.pos < limit) {
    const start = c.pos;
    const group = c.u16(enc.little);
    const element = c.u16(enc.little);
    const tag = ((group << 16) | element) >>> 0;
    if (tag === ITEM_END && end === null) {
      c.u32(enc.little);
      flush(pending, Infinity, out, enc);
      return;
    }
    if (group === 0xfffe) throw new DeidentifyError(`unexpected item tag ${tagText(tag)} at offset ${start}`);
    let vr: string;
    let length: number;
    if (enc.explicit) {
      vr = c.ascii(2);
      if (!VALID_VRS.has(vr)) throw new DeidentifyError(`invalid VR "${printable(vr)}" in ${tagText(tag)} at offset ${start}`);
      if (LONG_VRS.has(vr)) {
        c.u16(enc.little);
        length = c.u32(enc.little);
      } else length = c.u16(enc.little);
    } else {
      vr = implicitVr(tag);
      length = c.u32(enc.little);
    }
    flush(pending, tag, out, enc);
    if (length !== UNDEFINED && c.pos + length > limit) {
      throw new DeidentifyError(`the value of ${tagText(tag)} (${length} bytes at offset ${c.pos}) runs past the end of its data set; the file is probably truncated`, 'truncated');
    }
    const decision = decide(tag, vr);
    count(ctx, decision);

    if (length === UNDEFINED && tag === PIXEL_DATA) {
      // Encapsulated pixel data: copied byte for byte.
      skipEncapsulated(c, enc);
      if (decision.action === 'keep') out.bytes(c.buf.subarray(start, c.pos));
      continue;
    }
    // Explicit UN holding a sequence: its items are implicit VR little endian (PS3.5 6.2.2).
    const itemEnc = enc.explicit && vr === 'UN' ? IMPLICIT_LE : enc;
    if (vr === 'SQ' || (vr === 'UN' && (length === UNDEFINED || looksLikeSequence(c, length, itemEnc)))) {
      const target = decision.action === 'keep' ? out : new Writer();
      rewriteSequence(c, tag, vr, length, enc, itemEnc, target, ctx, depth, decision.action === 'Z');
      continue;
    }
    if (length === UNDEFINED) throw new DeidentifyError(`${tagText(tag)} (VR ${vr}) has an undefined length, which only sequences and pixel data may have`);
    const value = c.take(length, `the value of ${tagText(tag)}`);
    if (decision.action === 'X') continue;
    if (decision.action === 'Z') writeHeader(out, enc, tag, vr, 0);
    else if (decision.action === 'D') writeText(out, enc, tag, vr, dummyValue(decision.vr ?? vr));
    else if (decision.action === 'U') {
      const mapped = mapUidValue(ctx.secret, latin1(value));
      writeText(out, enc, tag, vr, mapped);
      if (depth === 0 && tag === 0x00080018) ctx.sopInstanceUid = mapped;
    } else {
      if (tag === BURNED_IN_ANNOTATION && /^\s*YES/i.test(latin1(value))) {
        throw new DeidentifyError('Burned In Annotation (0028,0301) is YES: the pixels may show identifying text, and MIDC does not clean pixel data', 'unsupported');
      }
      writeHeader(out, enc, tag, vr, length);
      out.bytes(value);
      if (depth === 0 && tag === 0x00080016) ctx.sopClassUid = latin1(value).replace(/[\0 ]+$/g, '');
    }
  }
  if (end === null) throw new DeidentifyError('an item of undefined length has no item delimiter; the file is probably truncated', 'truncated');
  if (c.pos !== limit) throw new DeidentifyError(`an element runs past the end of its item at offset ${c.pos}`);
  flush(pending, Infinity, out, enc);
}

function flush(pending: AddedElement[], before: number, out: Writer, enc: Encoding): void {
  while (pending.length > 0 && (pending[0] as AddedElement).tag < before) (pending.shift() as AddedElement).write(out, enc);
}

function rewriteSequence(c: Cursor, tag: number, vr: string, length: number, enc: Encoding, itemEnc: Encoding, out: Writer, ctx: RewriteContext, depth: number, empty: boolean): void {
  const end = length === UNDEFINED ? null : c.pos + length;
  if (empty) {
    writeHeader(out, enc, tag, vr, 0);
    readItems(c, end, itemEnc, new Writer(), ctx, depth);
    return;
  }
  writeHeader(out, enc, tag, vr, length === UNDEFINED ? UNDEFINED : 0);
  const lengthAt = out.length - 4;
  const bodyStart = out.length;
  readItems(c, end, itemEnc, out, ctx, depth);
  if (length === UNDEFINED) {
    writeHeaderRaw(out, itemEnc, SEQUENCE_END, 0);
  } else out.patchU32(lengthAt, out.length - bodyStart, enc.little);
}

function readItems(c: Cursor, end: number | null, enc: Encoding, out: Writer, ctx: RewriteContext, depth: number): void {
  for (;;) {
    if (end !== null && c.pos >= end) {
      if (c.pos > end) throw new DeidentifyError(`an item runs past the end of its sequence at offset ${c.pos}`);
      return;
    }
    const at = c.pos;
    const group = c.u16(enc.little);
    const element = c.u16(enc.little);
    const tag = ((group << 16) | element) >>> 0;
    const length = c.u32(enc.little);
    if (tag === SEQUENCE_END && end === null) return;
    if (tag !== ITEM) throw new DeidentifyError(`expected a sequence item at offset ${at}, found ${tagText(tag)}`);
    const itemEnd = length === UNDEFINED ? null : c.pos + length;
    if (itemEnd !== null && itemEnd > (end ?? c.buf.length)) throw new DeidentifyError(`an item of ${length} bytes at offset ${at} runs past the end of its sequence`);
    writeHeaderRaw(out, enc, ITEM, length === UNDEFINED ? UNDEFINED : 0);
    const lengthAt = out.length - 4;
    const bodyStart = out.length;
    rewriteElements(c, itemEnd, enc, out, ctx, depth + 1);
    if (length === UNDEFINED) writeHeaderRaw(out, enc, ITEM_END, 0);
    else out.patchU32(lengthAt, out.length - bodyStart, enc.little);
  }
}

/** Item and delimiter tags have no VR in any encoding. */
function writeHeaderRaw(out: Writer, enc: Encoding, tag: number, length: number): void {
  out.u16(tag >>> 16, enc.little);
  out.u16(tag & 0xffff, enc.little);
  out.u32(length, enc.little);
}

/** Moves the cursor past encapsulated pixel data (items up to the sequence delimiter). */
function skipEncapsulated(c: Cursor, enc: Encoding): void {
  for (;;) {
    const at = c.pos;
    const tag = ((c.u16(enc.little) << 16) | c.u16(enc.little)) >>> 0;
    const length = c.u32(enc.little);
    if (tag === SEQUENCE_END) return;
    if (tag !== ITEM || length === UNDEFINED) throw new DeidentifyError(`compressed pixel data: expected a fragment at offset ${at}, found ${tagText(tag)}`);
    c.take(length, 'a compressed pixel data fragment');
  }
}

/** An implicit VR or UN value that starts with an item tag holds a sequence. */
function looksLikeSequence(c: Cursor, length: number, enc: Encoding): boolean {
  if (length < 8 || c.pos + 8 > c.buf.length) return false;
  const view = new DataView(c.buf.buffer, c.buf.byteOffset + c.pos, 4);
  return view.getUint16(0, enc.little) === 0xfffe && view.getUint16(2, enc.little) === 0xe000;
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?');
}
