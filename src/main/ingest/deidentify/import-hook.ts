import { isJpeg, isPng } from '../png';
import type { QuarantineCode } from '../reasons';
import { DeidentifyError } from './binary';
import { deidentifyPart10, type DeidentifyOptions } from './deidentify';
import { stripJpegMetadata, stripPngMetadata } from './raster';

export type ImportDeidentification = { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false; readonly code: QuarantineCode; readonly reason: string };

/**
 * What the importer stores when de-identification is asked: the de-identified DICOM file, or
 * the PNG/JPEG without its text metadata. A file that cannot be de-identified is refused with
 * the reason (and its original is not kept: it may hold exactly what was to be removed).
 */
export function deidentifyForImport(bytes: Uint8Array, options: DeidentifyOptions): ImportDeidentification {
  try {
    if (isPng(bytes)) return { ok: true, bytes: stripPngMetadata(bytes) };
    if (isJpeg(bytes)) return { ok: true, bytes: stripJpegMetadata(bytes) };
    return { ok: true, bytes: deidentifyPart10(bytes, options).bytes };
  } catch (err) {
    const code = err instanceof DeidentifyError ? err.code : 'parse-error';
    return { ok: false, code, reason: `cannot be de-identified: ${(err as Error).message}; the original was not kept` };
  }
}
