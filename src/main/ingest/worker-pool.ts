import os from 'node:os';
import { Worker, type ResourceLimits } from 'node:worker_threads';

export interface PoolOptions {
  readonly size?: number;
  /** Wall-clock limit per task; the worker is terminated and replaced when it is exceeded. */
  readonly timeoutMs: number;
  readonly resourceLimits?: ResourceLimits;
  /**
   * Tasks sent ahead to each worker (default 16), so that a worker never waits for the main
   * thread between two files. The worker still runs them one at a time, in order.
   */
  readonly pipeline?: number;
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

interface Queued<Task> {
  readonly task: Task;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

interface Slot<Task> {
  worker: Worker;
  /** Tasks sent to this worker, in the order it runs them; the first one is running. */
  readonly inFlight: { id: number; job: Queued<Task> }[];
  /** Time limit of the running (first) task. */
  timer: NodeJS.Timeout | null;
}

/**
 * A small pool of worker threads for untrusted work: a time limit per task, a memory limit
 * per worker; a worker that hangs or dies is replaced and only its running task fails (the
 * tasks queued behind it are sent again to the new worker).
 *
 * Each worker gets several tasks ahead (pipelining) and answers each one as soon as it is done,
 * so the per-task round trip to the main thread never leaves a worker idle.
 */
export class WorkerPool<Task, Result> {
  private readonly slots: Slot<Task>[] = [];
  private readonly queue: Queued<Task>[] = [];
  private nextId = 1;
  private closed = false;
  private readonly pipeline: number;

  constructor(
    private readonly file: string,
    private readonly options: PoolOptions,
  ) {
    const size = options.size ?? Math.max(1, Math.min(4, os.availableParallelism()));
    this.pipeline = Math.max(1, options.pipeline ?? 16);
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  get size(): number {
    return this.slots.length;
  }

  run(task: Task): Promise<Result> {
    if (this.closed) return Promise.reject(new Error('the worker pool is closed'));
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ task, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const q of this.queue.splice(0)) q.reject(new Error('the worker pool is closed'));
    for (const slot of this.slots) {
      if (slot.timer) clearTimeout(slot.timer);
      for (const f of slot.inFlight.splice(0)) f.job.reject(new Error('the worker pool is closed'));
    }
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot<Task> {
    const worker = new Worker(this.file, this.options.resourceLimits ? { resourceLimits: this.options.resourceLimits } : {});
    const slot: Slot<Task> = { worker, inFlight: [], timer: null };
    worker.on('message', (msg: { id: number; ok: boolean; result?: unknown; error?: { message: string; code: string | null } }) => {
      const index = slot.inFlight.findIndex((f) => f.id === msg.id);
      if (index < 0) return;
      const [done] = slot.inFlight.splice(index, 1);
      if (index === 0) this.startTimer(slot);
      if (msg.ok) done?.job.resolve(msg.result);
      else done?.job.reject(new TaskError(msg.error?.message ?? 'task failed', msg.error?.code ?? null));
      this.pump();
    });
    const fail = (err: Error) => this.replace(slot, err);
    worker.on('error', (err) => fail(new WorkerCrashError(`import worker failed: ${err.message}`)));
    worker.on('exit', (code) => {
      if (!this.closed && code !== 0) fail(new WorkerCrashError(`import worker exited with code ${code}`));
    });
    return slot;
  }

  /** (Re)starts the time limit of the slot's running task, if it has one. */
  private startTimer(slot: Slot<Task>): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    if (slot.inFlight.length === 0) return;
    slot.timer = setTimeout(
      () => this.replace(slot, new TaskTimeoutError(`the file took longer than ${this.options.timeoutMs} ms to read`)),
      this.options.timeoutMs,
    );
  }

  /**
   * Fails the slot's running task and puts a fresh worker in its place; the tasks that were
   * waiting behind it in that worker go back to the front of the queue.
   */
  private replace(slot: Slot<Task>, err: Error): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    const [running, ...waiting] = slot.inFlight.splice(0);
    running?.job.reject(err);
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    if (this.closed) {
      for (const w of waiting) w.job.reject(new Error('the worker pool is closed'));
      return;
    }
    this.queue.unshift(...waiting.map((w) => w.job));
    this.slots[index] = this.spawn();
    this.pump();
  }

  private pump(): void {
    if (this.closed) return;
    // Fill the least busy worker first, so that the tasks spread over every worker.
    for (;;) {
      if (this.queue.length === 0) return;
      let best: Slot<Task> | undefined;
      for (const slot of this.slots) if (!best || slot.inFlight.length < best.inFlight.length) best = slot;
      if (!best || best.inFlight.length >= this.pipeline) return;
      const job = this.queue.shift() as Queued<Task>;
      const id = this.nextId++;
      best.inFlight.push({ id, job });
      if (best.inFlight.length === 1) this.startTimer(best);
      best.worker.postMessage({ id, task: job.task });
    }
  }
}
