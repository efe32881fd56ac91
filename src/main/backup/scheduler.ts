import type { BackupSchedule } from '../../shared/contract/backup';
import { nextRun, parseCron } from '../../shared/cron';

/**
 * When backups run (issue 8 item 1): a pure "what is due" function, a serial job queue (one
 * backup at a time, progress, cancel) and a small scheduler that ties them to a clock and a
 * timer. Both clock and timer are injected so the tests drive them by hand.
 */

// --- What is due (pure) -------------------------------------------------------------------

export interface DueRun {
  readonly schedule: string;
  /** The occurrence that is due (the first one missed, when several were). */
  readonly scheduledFor: Date;
  /** More than one occurrence passed since the last run (the app was closed): run once. */
  readonly missed: boolean;
}

/**
 * Schedules due at `now`. `lastFired` holds when each schedule last fired; a schedule that
 * never fired counts from `baseline` (when the configuration was saved), so saving a config
 * at 14:00 does not fire the 02:00 backup of that morning.
 *
 * However many occurrences were missed while the app was closed, a schedule is due ONCE:
 * the caller records `now` as its last firing, and the next occurrence is after `now`.
 * A last firing in the future (the clock was set back) counts as `now`.
 */
export function dueRuns(schedules: readonly BackupSchedule[], lastFired: Readonly<Record<string, string>>, baseline: Date, now: Date): DueRun[] {
  const due: DueRun[] = [];
  for (const s of schedules) {
    if (!s.enabled) continue;
    const recorded = lastFired[s.name];
    let last = recorded ? new Date(recorded) : baseline;
    if (Number.isNaN(last.getTime()) || last.getTime() > now.getTime()) last = now;
    const cron = parseCron(s.cron);
    const next = nextRun(cron, last);
    if (next === null || next.getTime() > now.getTime()) continue;
    const after = nextRun(cron, next);
    due.push({ schedule: s.name, scheduledFor: next, missed: after !== null && after.getTime() <= now.getTime() });
  }
  return due;
}

/** The earliest time any enabled schedule fires after `now` (null: none ever will). */
export function nextWake(schedules: readonly BackupSchedule[], now: Date): Date | null {
  let best: Date | null = null;
  for (const s of schedules) {
    if (!s.enabled) continue;
    const next = nextRun(s.cron, now);
    if (next && (!best || next.getTime() < best.getTime())) best = next;
  }
  return best;
}

// --- One job at a time --------------------------------------------------------------------

export interface JobContext<P> {
  readonly signal: AbortSignal;
  readonly progress: (p: P) => void;
}

export interface JobState<J, P> {
  readonly job: J;
  readonly startedAt: number | null;
  readonly progress: P | null;
}

/** Raised for a job cancelled while it waited in the queue (a running one gets AbortError). */
export class JobCancelledError extends Error {
  override readonly name = 'AbortError';
  constructor() {
    super('cancelled before it started');
  }
}

interface Entry<J, P, R> {
  readonly job: J;
  readonly onProgress: ((p: P) => void) | undefined;
  readonly controller: AbortController;
  readonly resolve: (r: R) => void;
  readonly reject: (e: unknown) => void;
  startedAt: number | null;
  progress: P | null;
}

/**
 * A serial queue: jobs run one after the other, never two at once (two backups would fight
 * over the disks and the backup lock). `cancelAll` aborts the running job through its
 * AbortSignal and rejects the waiting ones.
 */
export class JobQueue<J, P, R> {
  private readonly waiting: Entry<J, P, R>[] = [];
  private current: Entry<J, P, R> | null = null;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly work: (job: J, ctx: JobContext<P>) => Promise<R>,
    private readonly now: () => number = Date.now,
  ) {}

  enqueue(job: J, onProgress?: (p: P) => void): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ job, onProgress, controller: new AbortController(), resolve, reject, startedAt: null, progress: null });
      this.pump();
    });
  }

  /** Aborts the running job and drops the queued ones; returns how many were affected. */
  cancelAll(): number {
    const dropped = this.waiting.splice(0);
    for (const e of dropped) e.reject(new JobCancelledError());
    if (this.current && !this.current.controller.signal.aborted) {
      this.current.controller.abort();
      return dropped.length + 1;
    }
    return dropped.length;
  }

  get running(): JobState<J, P> | null {
    const c = this.current;
    return c ? { job: c.job, startedAt: c.startedAt, progress: c.progress } : null;
  }

  get queued(): JobState<J, P>[] {
    return this.waiting.map((e) => ({ job: e.job, startedAt: null, progress: null }));
  }

  /** Whether a job matching `test` is waiting (not running). */
  isQueued(test: (job: J) => boolean): boolean {
    return this.waiting.some((e) => test(e.job));
  }

  /** Resolves when nothing runs and nothing waits. */
  whenIdle(): Promise<void> {
    if (!this.current && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    if (this.current) return;
    const next = this.waiting.shift();
    if (!next) {
      const waiters = this.idleWaiters.splice(0);
      for (const w of waiters) w();
      return;
    }
    this.current = next;
    next.startedAt = this.now();
    const progress = (p: P) => {
      next.progress = p;
      next.onProgress?.(p);
    };
    let promise: Promise<R>;
    try {
      promise = this.work(next.job, { signal: next.controller.signal, progress });
    } catch (err) {
      promise = Promise.reject(err);
    }
    promise.then(next.resolve, next.reject).finally(() => {
      this.current = null;
      this.pump();
    });
  }
}

// --- The scheduler ------------------------------------------------------------------------

export interface Timer {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Real timers, unref'd: a pending backup timer never keeps a closing process alive. */
export const systemTimer: Timer = {
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

export interface SchedulerDeps {
  readonly now: () => number;
  readonly timer: Timer;
  /** The current schedules, their last firings and the baseline (read fresh on every tick). */
  readonly load: () => { schedules: readonly BackupSchedule[]; lastFired: Readonly<Record<string, string>>; baseline: Date };
  /** Records the firings BEFORE the runs are queued: at most once per occurrence, even if the app dies mid-backup. */
  readonly markFired: (names: readonly string[], at: Date) => void;
  /** Queues the work of the due runs (the service coalesces them per destination). */
  readonly fire: (due: readonly DueRun[]) => void;
  readonly onError?: (err: unknown) => void;
}

/**
 * Wakes at the next occurrence of any schedule (and at least every `maxSleepMs`, so a changed
 * configuration or a clock jump is picked up), asks what is due, records it and fires it.
 * `start()` ticks at once: that is the catch-up of runs missed while the app was closed.
 */
export class BackupScheduler {
  private handle: unknown = null;
  private stopped = true;

  constructor(
    private readonly deps: SchedulerDeps,
    private readonly maxSleepMs = 60_000,
  ) {}

  start(): void {
    this.stopped = false;
    this.wake();
  }

  stop(): void {
    this.stopped = true;
    if (this.handle !== null) this.deps.timer.clearTimeout(this.handle);
    this.handle = null;
  }

  /** Checks now (also after the configuration changed). Returns what fired. */
  tick(): DueRun[] {
    const now = new Date(this.deps.now());
    const { schedules, lastFired, baseline } = this.deps.load();
    const due = dueRuns(schedules, lastFired, baseline, now);
    if (due.length) {
      this.deps.markFired(
        due.map((d) => d.schedule),
        now,
      );
      this.deps.fire(due);
    }
    return due;
  }

  private wake(): void {
    if (this.stopped) return;
    this.handle = null;
    let sleep = this.maxSleepMs;
    try {
      this.tick();
      const { schedules } = this.deps.load();
      const now = this.deps.now();
      const next = nextWake(schedules, new Date(now));
      if (next) sleep = Math.max(1_000, Math.min(this.maxSleepMs, next.getTime() - now));
    } catch (err) {
      this.deps.onError?.(err);
    }
    if (!this.stopped) this.handle = this.deps.timer.setTimeout(() => this.wake(), sleep);
  }
}
