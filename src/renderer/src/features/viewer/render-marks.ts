/**
 * A production-safe measurement hook: every image Cornerstone renders leaves a User Timing
 * mark (`performance.mark`) with the image id and its index in the stack, so the time from a
 * click to the first rendered image and the scroll rate can be read from the page
 * (`performance.getEntriesByName(RENDERED_MARK)`, bench/viewer.js) without a debug build. At
 * most MAX_MARKS are kept: the buffer never grows with a long session.
 */
export const RENDERED_MARK = 'midc:viewer:image-rendered';
const MAX_MARKS = 1000;
let kept = 0;

export function markRendered(imageId: string | null, index: number): void {
  if (typeof performance === 'undefined' || typeof performance.mark !== 'function') return;
  if (++kept > MAX_MARKS) {
    performance.clearMarks(RENDERED_MARK);
    kept = 1;
  }
  performance.mark(RENDERED_MARK, { detail: { imageId, index } });
}

/** Left when the background loading of a stack has nothing more to do (see prefetch.ts). */
export const PREFETCH_IDLE_MARK = 'midc:viewer:prefetch-idle';

export function markPrefetchIdle(): void {
  if (typeof performance === 'undefined' || typeof performance.mark !== 'function') return;
  performance.clearMarks(PREFETCH_IDLE_MARK);
  performance.mark(PREFETCH_IDLE_MARK);
}

/** Left once, when the Cornerstone libraries are loaded and initialised (viewer-service load()). */
export const LIBRARIES_READY_MARK = 'midc:viewer:libraries-ready';

export function markLibrariesReady(): void {
  if (typeof performance === 'undefined' || typeof performance.mark !== 'function') return;
  performance.mark(LIBRARIES_READY_MARK);
}

/** Left each time a warm-up of the images likely to open next has finished (viewer-service warm()). */
export const WARM_IDLE_MARK = 'midc:viewer:warm-idle';

export function markWarmIdle(): void {
  if (typeof performance === 'undefined' || typeof performance.mark !== 'function') return;
  performance.clearMarks(WARM_IDLE_MARK);
  performance.mark(WARM_IDLE_MARK);
}
