/**
 * Import worker (built to out/main/ingest-worker.js): parses and stores untrusted files off
 * the main thread, and makes the background pixel data (thumbnail, perceptual hash) of stored
 * images. Tasks arrive several at a time and run one after another, each answered as soon as
 * it is done. The pool kills the worker when a task takes too long or the worker runs out of
 * its memory limit (RELIABILITY target 24).
 */
import { parentPort } from 'node:worker_threads';
import { processFile, processPixels, type FileTask, type PixelTask } from './process-file';

parentPort?.on('message', (message: { id: number; task: FileTask | PixelTask }) => {
  try {
    const { task } = message;
    const result = 'op' in task && task.op === 'pixels' ? processPixels(task) : processFile(task as FileTask);
    parentPort?.postMessage({ id: message.id, ok: true, result });
  } catch (err) {
    // AppError (STORAGE_IO...) and Node errors (ENOSPC...) both carry a string code.
    const e = err as { message?: string; code?: unknown };
    parentPort?.postMessage({ id: message.id, ok: false, error: { message: String(e.message ?? err), code: typeof e.code === 'string' ? e.code : null } });
  }
});
