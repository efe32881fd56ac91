import zlib from 'node:zlib';
import dicomParser from 'dicom-parser';
import { readHeaderFast } from './dicom-header';
import { QuarantineError } from './reasons';

/** Transfer syntaxes by UID, with whether their pixel data is encapsulated (compressed). */
export const TRANSFER_SYNTAXES: Record<string, { name: string; encapsulated: boolean }> = {
  '1.2.840.10008.1.2': { name: 'Implicit VR Little Endian', encapsulated: false },
  '1.2.840.10008.1.2.1': { name: 'Explicit VR Little Endian', encapsulated: false },
  '1.2.840.10008.1.2.1.99': { name: 'Deflated Explicit VR Little Endian', encapsulated: false },
  '1.2.840.10008.1.2.2': { name: 'Explicit VR Big Endian', encapsulated: false },
  '1.2.840.10008.1.2.4.50': { name: 'JPEG Baseline', encapsulated: true },
  '1.2.840.10008.1.2.4.51': { name: 'JPEG Extended', encapsulated: true },
  '1.2.840.10008.1.2.4.57': { name: 'JPEG Lossless', encapsulated: true },
  '1.2.840.10008.1.2.4.70': { name: 'JPEG Lossless SV1', encapsulated: true },
  '1.2.840.10008.1.2.4.80': { name: 'JPEG-LS Lossless', encapsulated: true },
  '1.2.840.10008.1.2.4.81': { name: 'JPEG-LS Near-Lossless', encapsulated: true },
  '1.2.840.10008.1.2.4.90': { name: 'JPEG 2000 Lossless', encapsulated: true },
  '1.2.840.10008.1.2.4.91': { name: 'JPEG 2000', encapsulated: true },
  '1.2.840.10008.1.2.5': { name: 'RLE Lossless', encapsulated: true },
};

const IMPLICIT_LE = '1.2.840.10008.1.2';
/** Segmentation, RT structures and similar: stored and tagged, but not shown as images. */
const NON_VIEWABLE_SOP_CLASSES = new Set([
  '1.2.840.10008.5.1.4.1.1.66.4', // Segmentation
  '1.2.840.10008.5.1.4.1.1.66', // Raw data
  '1.2.840.10008.5.1.4.1.1.481.2', // RT Dose (a dose grid, not an image to label)
]);

export interface DicomInfo {
  readonly transferSyntax: string;
  readonly hasFileMeta: boolean;
  readonly sopClassUid: string | null;
  readonly sopInstanceUid: string | null;
  readonly seriesInstanceUid: string | null;
  readonly studyInstanceUid: string | null;
  readonly patientId: string | null;
  readonly modality: string | null;
  readonly rows: number;
  readonly columns: number;
  readonly frames: number;
  readonly samplesPerPixel: number;
  readonly bitsAllocated: number;
  readonly bitsStored: number;
  readonly pixelRepresentation: number;
  readonly photometric: string | null;
  readonly planarConfiguration: number;
  readonly rescaleSlope: number;
  readonly rescaleIntercept: number;
  readonly pixelSpacing: [number, number] | null;
  readonly encapsulated: boolean;
  /** Stored images the viewer can show; SEG/RT objects are kept but not offered for labeling. */
  readonly viewable: boolean;
  /** Source tags (DESIGN §2.1), only those present. */
  readonly tags: Record<string, string>;
}

export interface ParsedDicom {
  readonly info: DicomInfo;
  readonly dataSet: dicomParser.DataSet;
  readonly bytes: Uint8Array;
}

function hasPreamble(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const VR_CODES = new Set('AE AS AT CS DA DS DT FL FD IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(' '));

/**
 * Finds a DICOM data set written without File Meta (as old modalities and some tools do): it
 * starts with a group 0008 element in little endian, possibly after a few stray bytes. Tells
 * whether the VR is explicit (two VR letters after the tag) or implicit.
 */
export function findRawDataSet(bytes: Uint8Array): { offset: number; transferSyntax: string } | null {
  for (let offset = 0; offset <= 4 && offset + 8 <= bytes.length; offset++) {
    if (bytes[offset] !== 0x08 || bytes[offset + 1] !== 0x00) continue;
    const vr = String.fromCharCode(bytes[offset + 4] as number, bytes[offset + 5] as number);
    return { offset, transferSyntax: VR_CODES.has(vr) ? EXPLICIT_LE : IMPLICIT_LE };
  }
  return null;
}

function inflate(byteArray: Uint8Array, position: number): Uint8Array {
  const inflated = zlib.inflateRawSync(byteArray.subarray(position));
  const full = new Uint8Array(position + inflated.length);
  full.set(byteArray.subarray(0, position), 0);
  full.set(inflated, position);
  return full;
}

/**
 * Parses a DICOM Part 10 file (or a bare data set without File Meta, read as implicit VR
 * little endian) and checks that it holds a complete image. Everything that is wrong with the
 * file becomes a QuarantineError with a sentence a person understands.
 */
export function parseDicom(file: Uint8Array): ParsedDicom {
  const withMeta = hasPreamble(file);
  const raw = withMeta ? null : findRawDataSet(file);
  if (!withMeta && !raw) {
    throw new QuarantineError('not-dicom', 'not a DICOM file (no "DICM" marker and no DICOM data set at the start)');
  }
  const bytes = raw ? file.subarray(raw.offset) : file;
  let dataSet: dicomParser.DataSet;
  try {
    dataSet = raw
      ? dicomParser.parseDicom(bytes, { TransferSyntaxUID: raw.transferSyntax } as dicomParser.ParseDicomOptions)
      : dicomParser.parseDicom(bytes, { inflater: inflate } as dicomParser.ParseDicomOptions);
  } catch (err) {
    const message = describeParserError(err);
    if (/overrun|beyond|truncat|end of buffer/i.test(message)) {
      throw new QuarantineError('truncated', `the file ends before its data set does (${message}); it is probably truncated`);
    }
    throw new QuarantineError('parse-error', `the DICOM data set cannot be read: ${message}`);
  }
  // For deflated files the parser inflates into a new array; element offsets point into it.
  const data = dataSet.byteArray;
  return { bytes: data, dataSet, info: describeDataSet(readerOf(dataSet), data, withMeta, raw?.transferSyntax ?? null) };
}

/**
 * What parseDicom needs of a data set: dicom-parser's DataSet, or the fast header reader's
 * (dicom-header.ts), which answers `string` and `uint16` exactly as dicom-parser does.
 */
export interface ElementReader {
  element(tag: string): { readonly dataOffset: number; readonly length: number; readonly fragments?: readonly unknown[] } | undefined;
  string(tag: string): string | undefined;
  uint16(tag: string): number | undefined;
}

/** dicom-parser's DataSet as an ElementReader. */
function readerOf(dataSet: dicomParser.DataSet): ElementReader {
  return { element: (tag) => dataSet.elements[tag], string: (tag) => dataSet.string(tag), uint16: (tag) => dataSet.uint16(tag) };
}

/**
 * Reads an import's facts from a file: through the fast header reader when it can vouch for
 * the file (native little-endian Part 10, every length defined: dicom-header.ts), else
 * through dicom-parser. Both end in the same checks and the same facts (the fast reader is
 * tested to give exactly dicom-parser's answer on every file it accepts).
 */
export function readDicomInfo(file: Uint8Array): DicomInfo {
  const fast = readHeaderFast(file);
  return fast ? describeDataSet(fast, file, true, null) : parseDicom(file).info;
}

/** Checks that a parsed data set holds a complete image and reads its facts (DicomInfo). */
function describeDataSet(dataSet: ElementReader, data: Uint8Array, withMeta: boolean, rawTransferSyntax: string | null): DicomInfo {
  const raw = rawTransferSyntax !== null ? { transferSyntax: rawTransferSyntax } : null;
  const str = (tag: string): string | null => {
    try {
      const v = dataSet.string(tag);
      return v === undefined || v === '' ? null : v.replace(/\0/g, '').trim() || null;
    } catch {
      return null;
    }
  };
  const num = (tag: string): number | null => {
    try {
      const v = dataSet.uint16(tag);
      return v === undefined ? null : v;
    } catch {
      return null;
    }
  };
  if (raw && !str('x00080016') && !str('x00080018')) {
    throw new QuarantineError('not-dicom', 'not a DICOM file (no File Meta, and no SOP Class or Instance UID in what looks like a data set)');
  }
  const transferSyntax = raw ? raw.transferSyntax : (str('x00020010') ?? IMPLICIT_LE);
  const syntax = TRANSFER_SYNTAXES[transferSyntax];
  if (!syntax) {
    throw new QuarantineError('unsupported', `transfer syntax ${transferSyntax} is not supported`);
  }
  const pixel = dataSet.element('x7fe00010');
  if (!pixel) {
    const modality = str('x00080060');
    throw new QuarantineError('no-pixel-data', `no image: the object has no pixel data${modality ? ` (modality ${modality})` : ''}`);
  }
  const rows = num('x00280010') ?? 0;
  const columns = num('x00280011') ?? 0;
  const samplesPerPixel = num('x00280002') ?? 1;
  const bitsAllocated = num('x00280100') ?? 0;
  const frames = Math.max(1, Number.parseInt(str('x00280008') ?? '1', 10) || 1);
  if (rows === 0 || columns === 0 || bitsAllocated === 0) {
    throw new QuarantineError('parse-error', 'the image has no size (Rows, Columns or Bits Allocated missing or zero)');
  }
  if (!syntax.encapsulated) {
    // YBR_FULL_422 stores two samples per pixel on average (chroma subsampled horizontally).
    const samplesStored = str('x00280004') === 'YBR_FULL_422' ? 2 : samplesPerPixel;
    const expected = Math.ceil((rows * columns * frames * samplesStored * bitsAllocated) / 8);
    const available = Math.min(pixel.length, data.length - pixel.dataOffset);
    if (pixel.dataOffset + pixel.length > data.length || available < expected) {
      throw new QuarantineError(
        'truncated',
        `pixel data is cut short: ${Math.max(0, available)} of ${expected} bytes (${rows}x${columns}x${frames}, ${bitsAllocated} bits)`,
      );
    }
  } else if (!pixel.fragments || pixel.fragments.length === 0) {
    throw new QuarantineError('truncated', 'compressed pixel data has no fragments');
  }
  const sopClassUid = str('x00080016');
  const spacing = str('x00280030') ?? str('x00181164');
  const pixelSpacing = parseSpacing(spacing);
  const tags: Record<string, string> = {};
  const put = (key: string, value: string | null) => {
    if (value) tags[key] = value;
  };
  const date = str('x00080022') ?? str('x00080023') ?? str('x00080021') ?? str('x00080020');
  const time = str('x00080032') ?? str('x00080033') ?? str('x00080031') ?? str('x00080030');
  put('acquisition_datetime', date ? formatDicomDateTime(date, time) : null);
  put('manufacturer', str('x00080070'));
  put('model', str('x00081090'));
  put('institution', str('x00080080'));
  put('operator', str('x00081070'));
  put('modality', str('x00080060'));
  put('body_part', str('x00180015'));
  put('patient_id', str('x00100020'));
  put('study_instance_uid', str('x0020000d'));
  put('series_instance_uid', str('x0020000e'));
  put('sop_instance_uid', str('x00080018'));
  put('sop_class_uid', sopClassUid);
  put('rows', String(rows));
  put('columns', String(columns));
  put('frames', String(frames));
  put('transfer_syntax', transferSyntax);
  return {
      transferSyntax,
      hasFileMeta: withMeta,
      sopClassUid,
      sopInstanceUid: str('x00080018'),
      seriesInstanceUid: str('x0020000e'),
      studyInstanceUid: str('x0020000d'),
      patientId: str('x00100020'),
      modality: str('x00080060'),
      rows,
      columns,
      frames,
      samplesPerPixel,
      bitsAllocated,
      bitsStored: num('x00280101') ?? bitsAllocated,
      pixelRepresentation: num('x00280103') ?? 0,
      photometric: str('x00280004'),
      planarConfiguration: num('x00280006') ?? 0,
      rescaleSlope: Number.parseFloat(str('x00281053') ?? '1') || 1,
      rescaleIntercept: Number.parseFloat(str('x00281052') ?? '0') || 0,
      pixelSpacing,
      encapsulated: syntax.encapsulated,
      viewable: !NON_VIEWABLE_SOP_CLASSES.has(sopClassUid ?? '') && bitsAllocated >= 8,
      tags,
  };
}

function parseSpacing(value: string | null): [number, number] | null {
  if (!value) return null;
  const parts = value.split('\\').map(Number);
  const [a, b] = parts;
  return a && b && Number.isFinite(a) && Number.isFinite(b) ? [a, b] : null;
}

/** DICOM DA (YYYYMMDD) + TM (HHMMSS.frac) → ISO-like `YYYY-MM-DDTHH:MM:SS`, as stored (no zone). */
export function formatDicomDateTime(date: string, time: string | null): string {
  const d = date.replace(/[^0-9]/g, '');
  if (d.length < 8) return date;
  const iso = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
  const t = (time ?? '').replace(/[^0-9.]/g, '');
  if (t.length < 4) return iso;
  return `${iso}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.length >= 6 ? t.slice(4, 6) : '00'}`;
}

function describeParserError(err: unknown): string {
  if (typeof err === 'string') return err;
  if (err && typeof err === 'object') {
    const e = err as { exception?: unknown; message?: unknown };
    if (typeof e.exception === 'string') return e.exception;
    if (typeof e.message === 'string') return e.message;
  }
  return String(err);
}
