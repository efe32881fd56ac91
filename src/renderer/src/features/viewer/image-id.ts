/**
 * Image ids of the viewer: `midc:<image id>` for single-frame images and
 * `midc:<image id>?frame=<n>` (0-based) for a frame of a multi-frame image. The scheme picks
 * our image loader (image-loader.ts); the rest is parsed by the DICOM loader's own
 * `parseImageId`, which reads `?frame=` the same way.
 */
export const IMAGE_ID_SCHEME = 'midc';

export function toImageId(imageId: number, frame = 0): string {
  return frame > 0 ? `${IMAGE_ID_SCHEME}:${imageId}?frame=${frame}` : `${IMAGE_ID_SCHEME}:${imageId}`;
}

export interface ParsedImageId {
  readonly id: number;
  readonly frame: number;
}

export function parseImageId(value: string): ParsedImageId | null {
  const m = /^midc:(\d+)(?:\?frame=(\d+))?$/.exec(value);
  if (!m) return null;
  return { id: Number(m[1]), frame: m[2] ? Number(m[2]) : 0 };
}
