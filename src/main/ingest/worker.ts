/**
 * Import worker (built to out/main/ingest-worker.js): parses and stores untrusted files off
 * the main thread, one task at a time. The pool kills it when a file takes too long or the
 * worker runs out of its memory limit (RELIABILITY target 24).
 */
import { parentPort } from 'node:worker_threads';
import { processFile, type FileTask } from './process-file';

parentPort?.on('message', (message: { id: number; task: FileTask }) => {
  try {
    parentPort?.postMessage({ id: message.id, ok: true, result: processFile(message.task) });
  } catch (err) {
    // AppError (STORAGE_IO...) and Node errors (ENOSPC...) both carry a string code.
    const e = err as { message?: string; code?: unknown };
    parentPort?.postMessage({ id: message.id, ok: false, error: { message: String(e.message ?? err), code: typeof e.code === 'string' ? e.code : null } });
  }
});
