import os from 'node:os';
import { Worker, type ResourceLimits } from 'node:worker_threads';

export interface PoolOptions {
  readonly size?: number;
  /** Wall-clock limit per task; the worker is terminated and replaced when it is exceeded. */
  readonly timeoutMs: number;
  readonly resourceLimits?: ResourceLimits;
}

export class TaskTimeoutError extends Error {
  override readonly name = 'TaskTimeoutError';
}
export class WorkerCrashError extends Error {
  override readonly name = 'WorkerCrashError';
}
export class TaskError extends Error {
  override readonly name = 'TaskError';
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
  slot: Slot;
}

/**
 * A small pool of worker threads for untrusted work: one task per worker at a time, a time
 * limit per task, a memory limit per worker; a worker that hangs or dies is replaced and only
 * its own task fails.
 */
export class WorkerPool<Task, Result> {
  private readonly slots: Slot[] = [];
  private readonly queue: { task: Task; resolve(v: Result): void; reject(e: Error): void }[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly options: PoolOptions,
  ) {
    const size = options.size ?? Math.max(1, Math.min(4, os.availableParallelism()));
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  run(task: Task): Promise<Result> {
    if (this.closed) return Promise.reject(new Error('the worker pool is closed'));
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const q of this.queue.splice(0)) q.reject(new Error('the worker pool is closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = new Worker(this.file, this.options.resourceLimits ? { resourceLimits: this.options.resourceLimits } : {});
    const slot: Slot = { worker, busy: false };
    worker.on('message', (msg: { id: number; ok: boolean; result?: unknown; error?: { message: string; code: string | null } }) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      slot.busy = false;
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new TaskError(msg.error?.message ?? 'task failed', msg.error?.code ?? null));
      this.pump();
    });
    const fail = (err: Error) => this.replace(slot, err);
    worker.on('error', (err) => fail(new WorkerCrashError(`import worker failed: ${err.message}`)));
    worker.on('exit', (code) => {
      if (!this.closed && code !== 0) fail(new WorkerCrashError(`import worker exited with code ${code}`));
    });
    return slot;
  }

  /** Fails the slot's task (if any) and puts a fresh worker in its place. */
  private replace(slot: Slot, err: Error): void {
    for (const [id, p] of this.pending) {
      if (p.slot !== slot) continue;
      this.pending.delete(id);
      clearTimeout(p.timer);
      p.reject(err);
    }
    const index = this.slots.indexOf(slot);
    if (index < 0 || this.closed) return;
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    this.slots[index] = this.spawn();
    this.pump();
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.busy) continue;
      const next = this.queue.shift();
      if (!next) return;
      const id = this.nextId++;
      slot.busy = true;
      const timer = setTimeout(
        () => this.replace(slot, new TaskTimeoutError(`the file took longer than ${this.options.timeoutMs} ms to read`)),
        this.options.timeoutMs,
      );
      this.pending.set(id, { resolve: next.resolve as (v: unknown) => void, reject: next.reject, timer, slot });
      slot.worker.postMessage({ id, task: next.task });
    }
  }
}
