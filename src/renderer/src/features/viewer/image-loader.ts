import type { ImageFile } from '../../../../shared/contract';
import { viewerApi } from './api';
import { decodeWithStandaloneCodec, needsStandaloneCodec } from './codecs';
import type { CornerstoneImage, Libraries } from './cornerstone-types';
import { parseImageId } from './image-id';

/** Why an image is not shown: each reason has its own translated message (viewer.unavailable.*). */
export type UnavailableReason = 'notViewable' | 'unsupported' | 'decodeFailed' | 'loadFailed';

/** The error our image loader rejects with; anything else is reported as `decodeFailed`. */
export class ImageUnavailable extends Error {
  constructor(
    readonly reason: UnavailableReason,
    readonly detail: string,
  ) {
    super(`${reason}: ${detail}`);
    this.name = 'ImageUnavailable';
  }
}

export function unavailableReasonOf(err: unknown): { reason: UnavailableReason; detail: string } {
  if (err instanceof ImageUnavailable) return { reason: err.reason, detail: err.detail };
  // The wado loader rejects with `{error, dataSet}` objects, not Errors.
  const inner = (err as { error?: unknown } | null)?.error ?? err;
  return { reason: 'decodeFailed', detail: inner instanceof Error ? inner.message : String(inner) };
}

/** Transfer syntaxes the wado loader decodes in its worker under our CSP (STACK-NOTES §3). */
const WADO_SYNTAXES = new Set([
  '1.2.840.10008.1.2', // implicit VR little endian
  '1.2.840.10008.1.2.1', // explicit VR little endian
  '1.2.840.10008.1.2.2', // explicit VR big endian
  '1.2.840.10008.1.2.1.99', // deflated
  '1.2.840.10008.1.2.5', // RLE
  '1.2.840.10008.1.2.4.50', // JPEG baseline
  '1.2.840.10008.1.2.4.51', // JPEG extended (12 bit)
  '1.2.840.10008.1.2.4.57', // JPEG lossless
  '1.2.840.10008.1.2.4.70', // JPEG lossless SV1
]);

/** Pixel spacing the image file states, kept for the metadata provider (tools measure in mm). */
const spacingByImageId = new Map<string, [number, number]>();

export function pixelSpacingOf(imageId: string): [number, number] | null {
  return spacingByImageId.get(imageId) ?? null;
}

async function fetchFile(id: number): Promise<ImageFile> {
  const result = await viewerApi.file(id);
  if (!result.ok) throw new ImageUnavailable('loadFailed', `${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** An ArrayBuffer holding exactly these bytes (IPC may hand us a view into a larger one). */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  // Already exactly its own buffer (the Chromium host's unpacked bytes): no copy needed.
  if (bytes.byteOffset === 0 && bytes.buffer instanceof ArrayBuffer && bytes.byteLength === bytes.buffer.byteLength) return bytes.buffer;
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}

/** PNG and JPEG files: decoded by the browser, shown as an RGBA colour image. */
async function loadBitmap(imageId: string, file: ImageFile): Promise<CornerstoneImage> {
  const blob = new Blob([ownBuffer(file.bytes)], { type: file.kind === 'png' ? 'image/png' : 'image/jpeg' });
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch (err) {
    throw new ImageUnavailable('decodeFailed', err instanceof Error ? err.message : String(err));
  }
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new ImageUnavailable('decodeFailed', 'no 2D canvas context');
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const rgba = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const [rowSpacing, columnSpacing] = file.pixelSpacing ?? [undefined, undefined];
  return {
    imageId,
    minPixelValue: 0,
    maxPixelValue: 255,
    slope: 1,
    intercept: 0,
    windowCenter: 128,
    windowWidth: 255,
    rows: canvas.height,
    columns: canvas.width,
    height: canvas.height,
    width: canvas.width,
    color: true,
    rgba: true,
    invert: false,
    sizeInBytes: rgba.byteLength,
    rowPixelSpacing: rowSpacing,
    columnPixelSpacing: columnSpacing,
    getPixelData: () => rgba,
    getCanvas: () => canvas,
  };
}

/**
 * DICOM through the wado loader's own parse, metadata and decode path, with our bytes
 * instead of its XHR (`options.loader`). JPEG 2000 and JPEG-LS frames are decoded here with
 * the standalone codecs and handed to `createImage` as native little-endian pixels.
 */
async function loadDicom(libs: Libraries, imageId: string, file: ImageFile): Promise<CornerstoneImage> {
  const wado = libs.wado;
  const buffer = ownBuffer(file.bytes);
  const loader = () => Promise.resolve(buffer);
  const ts = file.transferSyntax;
  if (ts !== null && !WADO_SYNTAXES.has(ts) && !needsStandaloneCodec(ts)) {
    throw new ImageUnavailable('unsupported', ts);
  }
  if (needsStandaloneCodec(ts)) {
    const parsed = wado.wadouri.parseImageId(imageId) as { url: string; frame?: number };
    const dataSet = await wado.wadouri.dataSetCacheManager.load(parsed.url, loader, imageId);
    const encoded: Uint8Array = wado.wadouri.getEncapsulatedImageFrame(dataSet, parsed.frame ?? 0);
    const decoded = await decodeWithStandaloneCodec(ts as string, encoded);
    const image = (await wado.createImage(imageId, decoded, '1.2.840.10008.1.2.1', {})) as CornerstoneImage;
    image.data = dataSet;
    return image;
  }
  return (await wado.wadouri.loadImage(imageId, { loader }).promise) as CornerstoneImage;
}

/**
 * The `midc:` image loader: bytes come through `images:file` (audited, hash-checked in main),
 * never from a URL. Files the import marked as not viewable (a SEG, an RT plan) are refused
 * before any decoding, with a reason the viewport shows.
 */
export function createMidcImageLoader(libs: Libraries) {
  return (imageId: string) => {
    const promise = (async (): Promise<CornerstoneImage> => {
      const parsed = parseImageId(imageId);
      if (!parsed) throw new ImageUnavailable('loadFailed', `not a MIDC image id: ${imageId}`);
      const file = await fetchFile(parsed.id);
      if (!file.viewable) throw new ImageUnavailable('notViewable', file.transferSyntax ?? file.kind);
      if (file.pixelSpacing) spacingByImageId.set(imageId, file.pixelSpacing);
      try {
        const image = file.kind === 'dicom' ? await loadDicom(libs, imageId, file) : await loadBitmap(imageId, file);
        // Tool state is keyed by `image.imageId`: it must be ours whatever the decoder set.
        image.imageId = imageId;
        if (file.pixelSpacing && !image.rowPixelSpacing) {
          image.rowPixelSpacing = file.pixelSpacing[0];
          image.columnPixelSpacing = file.pixelSpacing[1];
        }
        return image;
      } catch (err) {
        const { reason, detail } = unavailableReasonOf(err);
        throw new ImageUnavailable(reason, detail);
      }
    })();
    return { promise };
  };
}
