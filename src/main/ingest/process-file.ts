import fs from 'node:fs';
import path from 'node:path';
import { BlobStore, BlobIntegrityError } from '../storage/blob-store';
import { sha256 } from '../storage/durable-fs';
import { deidentifyForImport } from './deidentify/import-hook';
import { parseDicom, readDicomInfo } from './dicom-info';
import { decodePngLuminance, encodeGreyPng, isJpeg, isPng, readPngHeader } from './png';
import { decodeFirstFrame, differenceHash, thumbnail, type Luminance } from './pixels';
import { QuarantineError, type QuarantineCode } from './reasons';

/** What the importer needs to know about one file, computed off the main thread. */
export interface FileTask {
  readonly path: string;
  readonly storageRoot: string;
  readonly maxBytes: number;
  /** De-identification on import (wt-deid): the workspace secret for new UIDs, when asked. */
  readonly deidentify?: { readonly secret: string };
}

export type ImageKind = 'dicom' | 'png' | 'jpeg';

export interface StoredFile {
  readonly status: 'stored';
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  readonly kind: ImageKind;
  readonly viewable: boolean;
  readonly width: number | null;
  readonly height: number | null;
  readonly frames: number;
  readonly sopInstanceUid: string | null;
  readonly seriesInstanceUid: string | null;
  readonly studyInstanceUid: string | null;
  readonly patientId: string | null;
  readonly modality: string | null;
  readonly transferSyntax: string | null;
  readonly pixelSpacing: [number, number] | null;
  /** Source tags read from the file (DESIGN §2.1). */
  readonly tags: Record<string, string>;
  /**
   * Whether the background pass should try to make a thumbnail and perceptual hash (the kind
   * may be decodable in Node); the import itself never decodes pixels.
   */
  readonly pixelsPending: boolean;
  /** The blob's path, for the group's durability step (`syncStoreGroup`). */
  readonly file: string;
}

export interface QuarantinedFile {
  readonly status: 'quarantined';
  readonly path: string;
  readonly code: QuarantineCode;
  readonly reason: string;
  /** The original is kept in the store for inspection (not for files too large to keep). */
  readonly sha256: string | null;
  readonly size: number;
  /** The kept original's blob path, when there is one. */
  readonly file?: string;
}

export type FileResult = StoredFile | QuarantinedFile;

/**
 * Reads, checks, hashes and stores one file. Runs inside an import worker, so a file that
 * makes the parser loop or allocate without end is killed with its worker, not the app.
 * Never throws for a bad file: the answer is a quarantine with a reason.
 */
export function processFile(task: FileTask): FileResult {
  const read = readSource(task);
  if ('quarantined' in read) return read.quarantined;
  let bytes: Uint8Array = read.bytes;
  const size = bytes.length;
  // De-identification hook (wt-deid): from here on the file is the de-identified copy.
  if (task.deidentify) {
    const deidentified = deidentifyForImport(bytes, task.deidentify);
    if (!deidentified.ok) return quarantine(task, deidentified.code, deidentified.reason, null, size);
    bytes = deidentified.bytes;
  }
  const store = new BlobStore(task.storageRoot);
  const digest = sha256(bytes);
  try {
    if (isPng(bytes) || isJpeg(bytes)) return storeRasterImage(task, store, bytes, digest);
    const info = readDicomInfo(bytes);
    const put = store.putDeferred(bytes, digest);
    return {
      status: 'stored',
      path: task.path,
      sha256: put.sha256,
      size: put.size,
      kind: 'dicom',
      viewable: info.viewable,
      width: info.columns,
      height: info.rows,
      frames: info.frames,
      sopInstanceUid: info.sopInstanceUid,
      seriesInstanceUid: info.seriesInstanceUid,
      studyInstanceUid: info.studyInstanceUid,
      patientId: info.patientId,
      modality: info.modality,
      transferSyntax: info.transferSyntax,
      pixelSpacing: info.pixelSpacing,
      tags: info.tags,
      pixelsPending: info.viewable,
      file: put.file,
    };
  } catch (err) {
    if (err instanceof QuarantineError) {
      // Keep the original for inspection, under its hash like everything else.
      const kept = store.putDeferred(bytes, digest);
      return { ...quarantine(task, err.code, err.message, kept.sha256, size), file: kept.file };
    }
    throw err;
  }
}

/**
 * The one place where a file's bytes are read: open, check what it is and its size on the
 * open file (no separate stat by name), read it whole. O_NONBLOCK so that a FIFO among the
 * inputs is refused instead of waiting for a writer.
 */
function readSource(task: FileTask): { bytes: Uint8Array } | { quarantined: QuarantinedFile } {
  let fd: number;
  try {
    fd = fs.openSync(task.path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (err) {
    return { quarantined: quarantine(task, 'unreadable', `cannot read the file: ${(err as Error).message}`, null, 0) };
  }
  try {
    const stat = fs.fstatSync(fd);
    const size = stat.size;
    if (!stat.isFile()) return { quarantined: quarantine(task, 'unreadable', 'not a regular file', null, size) };
    if (size === 0) return { quarantined: quarantine(task, 'empty', 'the file is empty', null, 0) };
    if (size > task.maxBytes) {
      return { quarantined: quarantine(task, 'too-large', `the file is ${size} bytes, over the limit of ${task.maxBytes}`, null, size) };
    }
    // Not zero-filled: every byte is read over before it is used.
    const buffer = Buffer.allocUnsafeSlow(size);
    const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, size);
    let offset = 0;
    while (offset < size) {
      const n = fs.readSync(fd, bytes, offset, size - offset, offset);
      if (n === 0) break;
      offset += n;
    }
    // A file that shrank while it was read is stored as what was read (its hash says so).
    return { bytes: offset === size ? bytes : bytes.subarray(0, offset) };
  } catch (err) {
    return { quarantined: quarantine(task, 'unreadable', `cannot read the file: ${(err as Error).message}`, null, 0) };
  } finally {
    fs.closeSync(fd);
  }
}

/** Background pixel work for one stored image (`pixels_pending`). */
export interface PixelTask {
  readonly op: 'pixels';
  readonly imageId: number;
  readonly sha256: string;
  readonly kind: ImageKind;
  readonly storageRoot: string;
}

export interface PixelResult {
  readonly imageId: number;
  /** Difference hash of the first frame where Node can decode it; null otherwise. */
  readonly phash: string | null;
  readonly thumbnailSha256: string | null;
  /** The thumbnail's blob path, for the group's durability step. */
  readonly thumbnailFile: string | null;
  readonly thumbnailSize: number;
  /** Pixel data Node cannot decode (or a damaged blob): nothing to make, nothing to retry. */
  readonly reason?: string;
}

/**
 * Makes the thumbnail and perceptual hash of a stored image: reads its blob (verified against
 * its name), decodes the first frame where Node can, stores the thumbnail PNG (deferred: the
 * caller syncs the group before registering it). Runs in an import worker.
 */
export function processPixels(task: PixelTask): PixelResult {
  const store = new BlobStore(task.storageRoot);
  let bytes: Uint8Array;
  try {
    bytes = store.get(task.sha256, { verify: true });
  } catch (err) {
    if (err instanceof BlobIntegrityError) return { imageId: task.imageId, phash: null, thumbnailSha256: null, thumbnailFile: null, thumbnailSize: 0, reason: err.message };
    throw err;
  }
  const luminance =
    task.kind === 'dicom'
      ? safeDecode(() => decodeFirstFrame(parseDicom(bytes)))
      : task.kind === 'png'
        ? safeDecode(() => decodePngLuminance(bytes))
        : null;
  if (!luminance) return { imageId: task.imageId, phash: null, thumbnailSha256: null, thumbnailFile: null, thumbnailSize: 0 };
  const thumb = thumbnail(luminance);
  const png = encodeGreyPng(thumb.width, thumb.height, thumb.pixels);
  const put = store.putDeferred(png, sha256(png));
  return { imageId: task.imageId, phash: differenceHash(luminance), thumbnailSha256: put.sha256, thumbnailFile: put.file, thumbnailSize: png.length };
}

function storeRasterImage(task: FileTask, store: BlobStore, bytes: Uint8Array, digest: string): FileResult {
  const kind: ImageKind = isPng(bytes) ? 'png' : 'jpeg';
  const size = kind === 'png' ? pngSize(bytes) : jpegSize(bytes);
  const width = size?.width ?? null;
  const height = size?.height ?? null;
  const put = store.putDeferred(bytes, digest);
  return {
    status: 'stored',
    path: task.path,
    sha256: put.sha256,
    size: put.size,
    kind,
    viewable: true,
    width,
    height,
    frames: 1,
    sopInstanceUid: null,
    seriesInstanceUid: null,
    studyInstanceUid: null,
    patientId: null,
    modality: null,
    transferSyntax: null,
    pixelSpacing: null,
    tags: { data_type: kind.toUpperCase(), ...(width && height ? { rows: String(height), columns: String(width) } : {}) },
    pixelsPending: kind === 'png',
    file: put.file,
  };
}

/** A decoder failure on a file that parsed is not a reason to refuse it: the hash is just missing. */
function safeDecode(fn: () => Luminance | null): Luminance | null {
  try {
    return fn();
  } catch {
    return null;
  }
}

function pngSize(bytes: Uint8Array): { width: number; height: number } {
  try {
    return readPngHeader(bytes);
  } catch (err) {
    throw new QuarantineError('parse-error', `the PNG file is malformed: ${(err as Error).message}`);
  }
}

/** Width and height from the first SOFn marker of a JPEG. */
function jpegSize(bytes: Uint8Array): { width: number; height: number } | null {
  let p = 2;
  while (p + 9 < bytes.length) {
    if (bytes[p] !== 0xff) return null;
    const marker = bytes[p + 1] as number;
    const len = ((bytes[p + 2] as number) << 8) | (bytes[p + 3] as number);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: ((bytes[p + 5] as number) << 8) | (bytes[p + 6] as number), width: ((bytes[p + 7] as number) << 8) | (bytes[p + 8] as number) };
    }
    p += 2 + len;
  }
  return null;
}

function quarantine(task: FileTask, code: QuarantineCode, reason: string, sha256: string | null, size: number): QuarantinedFile {
  return { status: 'quarantined', path: task.path, code, reason: `${path.basename(task.path)}: ${reason}`, sha256, size };
}
