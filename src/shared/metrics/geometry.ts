/** An axis-aligned box in COCO's convention: top-left corner and size, in pixels. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** Area of the overlap of two boxes (0 when they only touch or are apart). */
export function intersectionArea(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Intersection over union, as pycocotools computes it for boxes (no +1 pixel convention).
 * Two boxes of zero area have no defined IoU; it is 0 here so that they never match.
 */
export function iou(a: Box, b: Box): number {
  const inter = intersectionArea(a, b);
  const union = a.w * a.h + b.w * b.h - inter;
  return union > 0 ? inter / union : 0;
}

/** Dice coefficient 2|A∩B| / (|A| + |B|) of two boxes; 0 for two boxes of zero area, like iou. */
export function dice(a: Box, b: Box): number {
  const sum = a.w * a.h + b.w * b.h;
  return sum > 0 ? (2 * intersectionArea(a, b)) / sum : 0;
}
