import { DeidentifyError } from './binary';

/**
 * PNG and JPEG carry no DICOM header, but may carry text: PNG tEXt/zTXt/iTXt (often "Author",
 * "Comment"), eXIf and tIME chunks; JPEG EXIF/XMP/ICC-free APPn segments and COM comments.
 * These are dropped whole; pixel data and everything needed to decode it are copied unchanged.
 */

const PNG_TEXT_CHUNKS = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME']);

export function stripPngMetadata(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kept: Uint8Array[] = [bytes.subarray(0, 8)];
  let p = 8;
  while (p < bytes.length) {
    if (p + 12 > bytes.length) throw new DeidentifyError(`the PNG file ends inside a chunk header at offset ${p}`, 'truncated');
    const length = view.getUint32(p);
    const type = String.fromCharCode(...bytes.subarray(p + 4, p + 8));
    const end = p + 12 + length;
    if (end > bytes.length) throw new DeidentifyError(`the PNG chunk ${type} at offset ${p} runs past the end of the file`, 'truncated');
    if (!PNG_TEXT_CHUNKS.has(type)) kept.push(bytes.subarray(p, end));
    p = end;
    if (type === 'IEND') break;
  }
  return concat(kept);
}

/** APP0 (JFIF) and APP14 (Adobe colour transform) are kept: decoders need them, they name nobody. */
function jpegSegmentDropped(marker: number): boolean {
  return (marker >= 0xe1 && marker <= 0xef && marker !== 0xee) || marker === 0xfe;
}

export function stripJpegMetadata(bytes: Uint8Array): Uint8Array {
  const kept: Uint8Array[] = [bytes.subarray(0, 2)];
  let p = 2;
  while (p < bytes.length) {
    if (bytes[p] !== 0xff) throw new DeidentifyError(`the JPEG file has no marker where one is expected (offset ${p})`);
    let q = p;
    while (bytes[q + 1] === 0xff) q++; // fill bytes
    const marker = bytes[q + 1];
    if (marker === undefined) throw new DeidentifyError('the JPEG file ends inside a marker', 'truncated');
    if (marker === 0xd9 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      kept.push(bytes.subarray(p, q + 2));
      p = q + 2;
      if (marker === 0xd9) break;
      continue;
    }
    if (q + 4 > bytes.length) throw new DeidentifyError(`the JPEG file ends inside a segment header at offset ${q}`, 'truncated');
    const length = ((bytes[q + 2] as number) << 8) | (bytes[q + 3] as number);
    const end = q + 2 + length;
    if (length < 2 || end > bytes.length) throw new DeidentifyError(`the JPEG segment at offset ${q} runs past the end of the file`, 'truncated');
    if (marker === 0xda) {
      // Start of scan: the compressed data and everything after it is copied as it is.
      kept.push(bytes.subarray(p));
      break;
    }
    if (!jpegSegmentDropped(marker)) kept.push(bytes.subarray(p, end));
    p = end;
  }
  return concat(kept);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
