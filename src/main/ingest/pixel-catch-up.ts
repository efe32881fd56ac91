import type { AppServices } from '../app-services';
import { countPendingPixels } from './ingest-repository';
import { computePendingPixels } from './ingest-service';
import { ingestWorkerFile } from './worker-file';

/**
 * At start-up, the images still waiting for their thumbnail and perceptual hash (an import
 * made with `--defer-pixels`, or one cut short by a crash) are finished in the background.
 * Returns a stop function that cancels the pass and waits for it (before the database closes).
 */
export function startPendingPixels(app: AppServices, workerFile: () => string = ingestWorkerFile): () => Promise<void> {
  if (countPendingPixels(app.db) === 0) return () => Promise.resolve();
  const abort = new AbortController();
  const pass = Promise.resolve()
    .then(() => computePendingPixels(app, { workerFile: workerFile(), signal: abort.signal }))
    .then(
      (report) => console.info(`[startup] pixel data of ${report.processed} pending images made in ${report.ms} ms`),
      (err: unknown) => {
        if (!abort.signal.aborted) console.error('[startup] pending pixel data:', (err as Error).message);
      },
    );
  return async () => {
    abort.abort();
    await pass;
  };
}
