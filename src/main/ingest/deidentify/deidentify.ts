import zlib from 'node:zlib';
import { findRawDataSet, TRANSFER_SYNTAXES } from '../dicom-info';
import { Cursor, DeidentifyError, EXPLICIT_LE, IMPLICIT_LE, LONG_VRS, Writer, writeHeader, writeText, type Encoding } from './binary';
import { rewriteElements, type AddedElement, type RewriteContext, type RewriteCounts } from './dataset-rewriter';
import { METHOD_CODES, METHOD_TEXT, type ProfileAction } from './profile';
import { mapUidValue } from './uid-map';

export { DeidentifyError } from './binary';

export interface DeidentifyOptions {
  /** The workspace's secret for UID replacement (uid-map.ts). */
  readonly secret: string;
}

/** What was done to one file. */
export interface DeidentifySummary {
  readonly transferSyntax: string;
  readonly sopInstanceUid: string | null;
  readonly removed: number;
  readonly emptied: number;
  readonly dummied: number;
  readonly uidsReplaced: number;
  readonly privateRemoved: number;
  readonly applied: Readonly<Record<string, ProfileAction>>;
}

export interface DeidentifyResult {
  readonly bytes: Uint8Array;
  readonly summary: DeidentifySummary;
}

const IMPLICIT_LE_UID = '1.2.840.10008.1.2';
const DEFLATED_UID = '1.2.840.10008.1.2.1.99';
const BIG_ENDIAN_UID = '1.2.840.10008.1.2.2';
/** MIDC's Implementation Class UID and version name in the File Meta of the files it writes. */
export const IMPLEMENTATION_CLASS_UID = '2.25.163283795425366617434713958233398761771';
export const IMPLEMENTATION_VERSION = 'MIDC_DEID_1';

/**
 * De-identifies one DICOM file (Part 10, or a bare data set without File Meta): returns a new
 * Part 10 file in the same transfer syntax with the profile of profile.ts applied, pixel data
 * untouched, Patient Identity Removed = YES and the method recorded, and a new File Meta group.
 * Throws DeidentifyError, naming the problem, for anything it cannot rewrite with certainty.
 */
export function deidentifyPart10(input: Uint8Array, options: DeidentifyOptions): DeidentifyResult {
  const { dataSetStart, transferSyntax, meta } = locateDataSet(input);
  if (!TRANSFER_SYNTAXES[transferSyntax]) throw new DeidentifyError(`transfer syntax ${transferSyntax} is not supported for de-identification`, 'unsupported');
  const deflated = transferSyntax === DEFLATED_UID;
  const enc: Encoding = transferSyntax === IMPLICIT_LE_UID ? IMPLICIT_LE : transferSyntax === BIG_ENDIAN_UID ? { explicit: true, little: false } : EXPLICIT_LE;
  let dataSet = input.subarray(dataSetStart);
  if (deflated) {
    try {
      dataSet = new Uint8Array(zlib.inflateRawSync(dataSet));
    } catch (err) {
      throw new DeidentifyError(`the deflated data set cannot be inflated: ${(err as Error).message}`);
    }
  }
  const counts: RewriteCounts = { removed: 0, emptied: 0, dummied: 0, uidsReplaced: 0, privateRemoved: 0, applied: {} };
  const ctx: RewriteContext = { secret: options.secret, counts, sopClassUid: null, sopInstanceUid: null };
  const body = new Writer();
  rewriteElements(new Cursor(dataSet, 0), dataSet.length, enc, body, ctx, 0, addedElements());
  let bodyBytes = body.result();
  if (deflated) bodyBytes = new Uint8Array(zlib.deflateRawSync(bodyBytes));

  const sopClassUid = ctx.sopClassUid ?? meta.get(0x0002) ?? null;
  const sopInstanceUid = ctx.sopInstanceUid ?? (meta.get(0x0003) ? mapUidValue(options.secret, meta.get(0x0003) as string) : null);
  if (!sopClassUid || !sopInstanceUid) throw new DeidentifyError('the object has no SOP Class or SOP Instance UID');
  const metaBytes = fileMeta(sopClassUid, sopInstanceUid, transferSyntax);
  const out = new Uint8Array(132 + metaBytes.length + bodyBytes.length);
  out.set([0x44, 0x49, 0x43, 0x4d], 128);
  out.set(metaBytes, 132);
  out.set(bodyBytes, 132 + metaBytes.length);
  return { bytes: out, summary: { transferSyntax, sopInstanceUid, ...counts } };
}

/** Where the data set starts, its transfer syntax, and the File Meta text values by element. */
function locateDataSet(input: Uint8Array): { dataSetStart: number; transferSyntax: string; meta: Map<number, string> } {
  const meta = new Map<number, string>();
  const hasPreamble = input.length >= 132 && input[128] === 0x44 && input[129] === 0x49 && input[130] === 0x43 && input[131] === 0x4d;
  if (!hasPreamble) {
    const raw = findRawDataSet(input);
    if (!raw) throw new DeidentifyError('not a DICOM file (no "DICM" marker and no DICOM data set at the start)', 'not-dicom');
    return { dataSetStart: raw.offset, transferSyntax: raw.transferSyntax, meta };
  }
  // File Meta: explicit VR little endian, group 0002, whatever its group length says.
  const c = new Cursor(input, 132);
  while (c.pos + 8 <= input.length) {
    const start = c.pos;
    const group = c.u16(true);
    if (group !== 0x0002) {
      c.pos = start;
      break;
    }
    const element = c.u16(true);
    const vr = c.ascii(2);
    const length = LONG_VRS.has(vr) ? (c.u16(true), c.u32(true)) : c.u16(true);
    const value = c.take(length, 'the File Meta group');
    meta.set(element, Buffer.from(value).toString('latin1').replace(/[\0 ]+$/g, ''));
  }
  return { dataSetStart: c.pos, transferSyntax: meta.get(0x0010) || IMPLICIT_LE_UID, meta };
}

/** Group 0002 with a correct group length; Media Storage SOP Instance UID = the new SOP Instance UID. */
function fileMeta(sopClassUid: string, sopInstanceUid: string, transferSyntax: string): Uint8Array {
  const rest = new Writer();
  writeHeader(rest, EXPLICIT_LE, 0x00020001, 'OB', 2);
  rest.bytes(new Uint8Array([0, 1]));
  writeText(rest, EXPLICIT_LE, 0x00020002, 'UI', sopClassUid);
  writeText(rest, EXPLICIT_LE, 0x00020003, 'UI', sopInstanceUid);
  writeText(rest, EXPLICIT_LE, 0x00020010, 'UI', transferSyntax);
  writeText(rest, EXPLICIT_LE, 0x00020012, 'UI', IMPLEMENTATION_CLASS_UID);
  writeText(rest, EXPLICIT_LE, 0x00020013, 'SH', IMPLEMENTATION_VERSION);
  const restBytes = rest.result();
  const out = new Writer();
  writeHeader(out, EXPLICIT_LE, 0x00020000, 'UL', 4);
  out.u32(restBytes.length, true);
  out.bytes(restBytes);
  return out.result();
}

/** Patient Identity Removed, the method (text and codes) and the temporal option's flag. */
function addedElements(): AddedElement[] {
  return [
    { tag: 0x00120062, write: (out, enc) => writeText(out, enc, 0x00120062, 'CS', 'YES') },
    { tag: 0x00120063, write: (out, enc) => writeText(out, enc, 0x00120063, 'LO', METHOD_TEXT.join('\\')) },
    { tag: 0x00120064, write: writeMethodCodes },
    { tag: 0x00280303, write: (out, enc) => writeText(out, enc, 0x00280303, 'CS', 'UNMODIFIED') },
  ];
}

function writeMethodCodes(out: Writer, enc: Encoding): void {
  const items = new Writer();
  for (const code of METHOD_CODES) {
    const item = new Writer();
    writeText(item, enc, 0x00080100, 'SH', code.value);
    writeText(item, enc, 0x00080102, 'SH', 'DCM');
    writeText(item, enc, 0x00080104, 'LO', code.meaning);
    const itemBytes = item.result();
    items.u16(0xfffe, enc.little);
    items.u16(0xe000, enc.little);
    items.u32(itemBytes.length, enc.little);
    items.bytes(itemBytes);
  }
  const itemsBytes = items.result();
  writeHeader(out, enc, 0x00120064, 'SQ', itemsBytes.length);
  out.bytes(itemsBytes);
}
