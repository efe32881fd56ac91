import { describe, expect, it } from 'vitest';
import type { BackupSchedule } from '../../shared/contract/backup';
import { nextRun } from '../../shared/cron';
import { BackupScheduler, JobQueue, dueRuns, type Timer } from './scheduler';

const HOUR = 3_600_000;
const at = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(y, mo - 1, d, h, mi);
const fmt = (d: Date | null) =>
  d === null
    ? null
    : `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
const daily: BackupSchedule = { name: 'daily', cron: '0 2 * * *', enabled: true };
const weekly: BackupSchedule = { name: 'weekly', cron: '0 3 * * 0', enabled: true };

/** A clock and timer driven by hand: `advance` fires every timer that falls due, in order. */
class FakeTime implements Timer {
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private ids = 0;
  constructor(public t: number) {}
  now = () => this.t;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.ids;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }
}

/** A scheduler over an in-memory "settings table". */
function harness(start: Date, schedules: BackupSchedule[], lastFired: Record<string, string> = {}, baseline = start) {
  const time = new FakeTime(start.getTime());
  const state = { ...lastFired };
  const fired: { at: Date; schedules: string[] }[] = [];
  const scheduler = new BackupScheduler({
    now: time.now,
    timer: time,
    load: () => ({ schedules, lastFired: state, baseline }),
    markFired: (names, when) => names.forEach((n) => (state[n] = when.toISOString())),
    fire: (due) => fired.push({ at: new Date(time.now()), schedules: due.map((d) => d.schedule) }),
  });
  return { time, state, fired, scheduler };
}

describe('dueRuns', () => {
  it('is due once the next occurrence after the last firing has passed', () => {
    const last = { daily: at(2026, 11, 21, 2).toISOString() };
    expect(dueRuns([daily], last, at(2026, 1, 1), at(2026, 11, 22, 1, 59))).toEqual([]);
    expect(dueRuns([daily], last, at(2026, 1, 1), at(2026, 11, 22, 2, 0))).toEqual([{ schedule: 'daily', scheduledFor: at(2026, 11, 22, 2), missed: false }]);
  });

  it('counts a schedule that never fired from the baseline (when the configuration was saved)', () => {
    // Saved at 14:00: this morning's 02:00 is not "missed".
    expect(dueRuns([daily], {}, at(2026, 11, 22, 14), at(2026, 11, 22, 15))).toEqual([]);
    expect(dueRuns([daily], {}, at(2026, 11, 22, 14), at(2026, 11, 23, 2))).toHaveLength(1);
  });

  it('reports five missed days as one due run, marked missed', () => {
    const due = dueRuns([daily], { daily: at(2026, 11, 17, 2).toISOString() }, at(2026, 1, 1), at(2026, 11, 22, 9));
    expect(due).toEqual([{ schedule: 'daily', scheduledFor: at(2026, 11, 18, 2), missed: true }]);
  });

  it('ignores disabled schedules and treats a last firing in the future (clock set back) as now', () => {
    expect(dueRuns([{ ...daily, enabled: false }], {}, at(2020, 1, 1), at(2026, 11, 22, 9))).toEqual([]);
    expect(dueRuns([daily], { daily: at(2027, 1, 1).toISOString() }, at(2020, 1, 1), at(2026, 11, 22, 9))).toEqual([]);
  });
});

describe('BackupScheduler with a fake clock', () => {
  it('fires a daily schedule once per day over a week of running', () => {
    const h = harness(at(2026, 11, 22, 9), [daily]);
    h.scheduler.start();
    h.time.advance(7 * 24 * HOUR);
    h.scheduler.stop();
    expect(h.fired.map((f) => f.at.getDate())).toEqual([23, 24, 25, 26, 27, 28, 29]);
    for (const f of h.fired) expect([f.at.getHours(), f.at.getMinutes()]).toEqual([2, 0]);
  });

  it('runs a backup missed while the app was closed once at start, not once per missed day', () => {
    const h = harness(at(2026, 11, 22, 9), [daily], { daily: at(2026, 11, 15, 2).toISOString() }, at(2026, 1, 1));
    h.scheduler.start();
    expect(h.fired).toHaveLength(1);
    expect(h.fired[0]?.at).toEqual(at(2026, 11, 22, 9));
    // ...and then the normal rhythm: next at 02:00 tomorrow, not earlier.
    h.time.advance(16 * HOUR);
    expect(h.fired).toHaveLength(1);
    h.time.advance(2 * HOUR);
    expect(h.fired).toHaveLength(2);
    h.scheduler.stop();
  });

  it('fires daily and weekly together in one tick when both are due (the service coalesces them)', () => {
    const h = harness(at(2026, 11, 21, 12), [daily, { ...weekly, cron: '0 2 * * 0' }]);
    h.scheduler.start();
    h.time.advance(24 * HOUR); // Sunday 22 November 2026, 02:00
    expect(h.fired).toEqual([{ at: at(2026, 11, 22, 2), schedules: ['daily', 'weekly'] }]);
    h.scheduler.stop();
  });

  it('stops firing after stop()', () => {
    const h = harness(at(2026, 11, 22, 9), [daily]);
    h.scheduler.start();
    h.scheduler.stop();
    h.time.advance(3 * 24 * HOUR);
    expect(h.fired).toEqual([]);
  });
});

describe('JobQueue', () => {
  it('never runs two jobs at once, in the order queued', async () => {
    let active = 0;
    let maxActive = 0;
    const order: number[] = [];
    const queue = new JobQueue<number, number, number>(async (job, ctx) => {
      active++;
      maxActive = Math.max(maxActive, active);
      ctx.progress(job);
      await new Promise((r) => setTimeout(r, 5 + (job % 3) * 5));
      order.push(job);
      active--;
      return job * 2;
    });
    const results = await Promise.all([1, 2, 3, 4, 5].map((j) => queue.enqueue(j)));
    expect(results).toEqual([2, 4, 6, 8, 10]);
    expect(order).toEqual([1, 2, 3, 4, 5]);
    expect(maxActive).toBe(1);
  });

  it('cancels the running job through its signal and drops the waiting ones', async () => {
    const queue = new JobQueue<string, never, string>(
      (job, ctx) =>
        new Promise((resolve, reject) => {
          const t = setTimeout(() => resolve(job), 10_000);
          ctx.signal.addEventListener('abort', () => {
            clearTimeout(t);
            reject(ctx.signal.reason);
          });
        }),
    );
    const first = queue.enqueue('a');
    const second = queue.enqueue('b');
    await new Promise((r) => setTimeout(r, 5));
    expect(queue.running?.job).toBe('a');
    expect(queue.queued.map((q) => q.job)).toEqual(['b']);
    expect(queue.cancelAll()).toBe(2);
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    await expect(second).rejects.toMatchObject({ name: 'AbortError' });
    await queue.whenIdle();
    expect(queue.running).toBeNull();
  });

  it('keeps going after a job fails', async () => {
    const queue = new JobQueue<number, never, number>(async (job) => {
      if (job === 1) throw new Error('boom');
      return job;
    });
    await expect(queue.enqueue(1)).rejects.toThrow('boom');
    await expect(queue.enqueue(2)).resolves.toBe(2);
  });
});

describe('nextRun across daylight-saving changes (Europe/Berlin)', () => {
  it('fires a 02:30 daily schedule on the spring-forward day (at 03:30) and once on the fall-back day', () => {
    const saved = process.env.TZ;
    process.env.TZ = 'Europe/Berlin';
    try {
      // 29 March 2026: clocks jump 02:00 → 03:00, so 02:30 does not exist.
      const spring = nextRun('30 2 * * *', at(2026, 3, 28, 12));
      expect(fmt(spring)).toBe('2026-03-29 03:30');
      expect(fmt(nextRun('30 2 * * *', spring as Date))).toBe('2026-03-30 02:30');
      // 25 October 2026: 02:00-03:00 happens twice; the schedule fires at the first 02:30 only.
      const fall = nextRun('30 2 * * *', at(2026, 10, 24, 12)) as Date;
      expect(fmt(fall)).toBe('2026-10-25 02:30');
      expect(fmt(nextRun('30 2 * * *', fall))).toBe('2026-10-26 02:30');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});
