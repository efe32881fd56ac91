import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/workspace';
import { TaskTimeoutError, WorkerCrashError, WorkerPool } from './worker-pool';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** A worker that doubles numbers, loops forever on 'hang' and dies on 'exit'; it logs the order it runs tasks in. */
function workerFile(): string {
  const { dir, cleanup } = tempDir('midc-pool-');
  cleanups.push(cleanup);
  const file = path.join(dir, 'worker.cjs');
  fs.writeFileSync(
    file,
    `const { parentPort, threadId } = require('node:worker_threads');
     parentPort.on('message', ({ id, task }) => {
       if (task === 'hang') for (;;) {}
       if (task === 'exit') process.exit(3);
       parentPort.postMessage({ id, ok: true, result: { value: task * 2, thread: threadId } });
     });`,
  );
  return file;
}

describe('WorkerPool with tasks sent ahead', () => {
  it('runs every task and spreads them over the workers', async () => {
    const pool = new WorkerPool<number, { value: number; thread: number }>(workerFile(), { size: 2, timeoutMs: 5000, pipeline: 4 });
    try {
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => pool.run(i)));
      expect(results.map((r) => r.value)).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
      expect(new Set(results.map((r) => r.thread)).size).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('fails only the task that hangs; the tasks queued behind it in that worker still run', async () => {
    const pool = new WorkerPool<number | string, { value: number }>(workerFile(), { size: 1, timeoutMs: 300, pipeline: 8 });
    try {
      const runs = [pool.run(1), pool.run('hang'), pool.run(3), pool.run(4)].map((p) => p.then((r) => r.value, (e: Error) => e));
      const [a, hang, c, d] = await Promise.all(runs);
      expect(a).toBe(2);
      expect(hang).toBeInstanceOf(TaskTimeoutError);
      expect(c).toBe(6);
      expect(d).toBe(8);
    } finally {
      await pool.close();
    }
  });

  it('fails only the task whose worker dies and replaces the worker', async () => {
    const pool = new WorkerPool<number | string, { value: number }>(workerFile(), { size: 1, timeoutMs: 5000, pipeline: 8 });
    try {
      const runs = [pool.run('exit'), pool.run(5), pool.run(6)].map((p) => p.then((r) => r.value, (e: Error) => e));
      const [dead, b, c] = await Promise.all(runs);
      expect(dead).toBeInstanceOf(WorkerCrashError);
      expect([b, c]).toEqual([10, 12]);
    } finally {
      await pool.close();
    }
  });
});
