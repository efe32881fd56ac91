import { markPrefetchIdle } from './render-marks';

/** How many images after the shown one are loaded in the background, and before it. */
export const PREFETCH_AHEAD = 100;
export const PREFETCH_BEHIND = 4;
/**
 * Loads in flight at once in the viewer. The decode runs in two web workers; the rest of a
 * load is waiting on the host for the file, so more than two in flight keeps both busy.
 */
export const PREFETCH_CONCURRENCY = 4;

/** The images to load around `index`, nearest first after it, then the few before it. */
export function prefetchOrder(imageIds: readonly string[], index: number, ahead = PREFETCH_AHEAD, behind = PREFETCH_BEHIND): string[] {
  const out: string[] = [];
  for (let i = index + 1; i < imageIds.length && i <= index + ahead; i++) out.push(imageIds[i] as string);
  for (let i = index - 1; i >= 0 && i >= index - behind; i--) out.push(imageIds[i] as string);
  return [...new Set(out)];
}

/**
 * Loads the images of a stack around the shown one in the background (into Cornerstone's
 * cache, through the same loader as the viewport), so the next-image key finds them decoded:
 * fetching and decoding a 512x512 CT file costs far more than drawing it. At most
 * `concurrency` loads run at once, over every start; a new start (the person moved on, or
 * opened another stack) replaces the queue, and `stop` empties it.
 */
export class StackPrefetcher {
  private queue: string[] = [];
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly load: (imageId: string) => Promise<unknown>,
    private readonly isCached: (imageId: string) => boolean,
    private readonly concurrency = 2,
  ) {}

  start(imageIds: readonly string[], index: number): void {
    this.queue = prefetchOrder(imageIds, index).filter((id) => !this.isCached(id) && !this.inFlight.has(id));
    this.pump();
  }

  stop(): void {
    this.queue = [];
  }

  private pump(): void {
    while (this.inFlight.size < this.concurrency && this.queue.length > 0) {
      const id = this.queue.shift() as string;
      if (this.isCached(id)) continue;
      this.inFlight.add(id);
      // A failure is the viewport's to report when the image is shown; here it only ends the load.
      void this.load(id)
        .catch(() => undefined)
        .finally(() => {
          this.inFlight.delete(id);
          this.pump();
        });
    }
    if (this.inFlight.size === 0 && this.queue.length === 0) markPrefetchIdle();
  }
}
