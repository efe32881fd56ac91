import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CronError, cronProblem, nextRun, parseCron } from './cron';

/** Local wall-clock dates, so the tests read like the schedules. */
const at = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(y, mo - 1, d, h, mi, 0, 0);
const fmt = (d: Date | null) =>
  d === null
    ? null
    : `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;

describe('parseCron', () => {
  it('expands stars, lists, ranges and steps', () => {
    const s = parseCron('*/15 0-6/3 1,15 jan-mar mon-fri');
    expect(s.minutes).toEqual([0, 15, 30, 45]);
    expect(s.hours).toEqual([0, 3, 6]);
    expect(s.daysOfMonth).toEqual([1, 15]);
    expect(s.months).toEqual([1, 2, 3]);
    expect(s.daysOfWeek).toEqual([1, 2, 3, 4, 5]);
  });

  it('reads a start with a step as "from there to the end" and 7 as Sunday', () => {
    expect(parseCron('5/20 * * * *').minutes).toEqual([5, 25, 45]);
    expect(parseCron('0 0 * * 7').daysOfWeek).toEqual([0]);
    expect(parseCron('0 0 * * 0,7,SUN').daysOfWeek).toEqual([0]);
  });

  it.each([
    ['0 2 * *', null, /5 fields/],
    ['60 2 * * *', 'minute', /60 is out of range 0-59/],
    ['0 24 * * *', 'hour', /24 is out of range 0-23/],
    ['0 2 0 * *', 'day-of-month', /0 is out of range 1-31/],
    ['0 2 * 13 *', 'month', /13 is out of range 1-12/],
    ['0 2 * * 8', 'day-of-week', /8 is out of range 0-7/],
    ['0 2 * * mon-', 'day-of-week', /"" is not a number/],
    ['*/0 * * * *', 'minute', /step must be at least 1/],
    ['0 5-2 * * *', 'hour', /runs backwards/],
    ['0,,1 * * * *', 'minute', /empty list item/],
    ['0 2 * foo *', 'month', /"foo" is not a number or a name/],
    ['0 0 31 2 *', 'day-of-month', /never occurs/],
  ])('refuses "%s", naming the %s field', (text, field, message) => {
    let error: unknown;
    try {
      parseCron(text);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CronError);
    expect((error as CronError).field).toBe(field);
    expect((error as CronError).message).toMatch(message);
    expect(cronProblem(text)).toMatch(message);
  });
});

describe('nextRun', () => {
  it('fires a daily 02:00 schedule at the next 02:00, strictly after the given time', () => {
    expect(fmt(nextRun('0 2 * * *', at(2026, 11, 22, 1, 59)))).toBe('2026-11-22 02:00');
    expect(fmt(nextRun('0 2 * * *', at(2026, 11, 22, 2, 0)))).toBe('2026-11-23 02:00');
    expect(fmt(nextRun('0 2 * * *', new Date(at(2026, 11, 22, 2, 0).getTime() + 30_000)))).toBe('2026-11-23 02:00');
  });

  it('rolls over month and year ends', () => {
    expect(fmt(nextRun('30 23 * * *', at(2026, 12, 31, 23, 30)))).toBe('2027-01-01 23:30');
    expect(fmt(nextRun('0 0 1 * *', at(2026, 1, 31, 12)))).toBe('2026-02-01 00:00');
    expect(fmt(nextRun('0 0 29 2 *', at(2026, 3, 1)))).toBe('2028-02-29 00:00');
  });

  it('fires a weekly Sunday 03:00 schedule on Sundays only', () => {
    // 22 November 2026 is a Sunday.
    expect(fmt(nextRun('0 3 * * 0', at(2026, 11, 19, 12)))).toBe('2026-11-22 03:00');
    expect(fmt(nextRun('0 3 * * 0', at(2026, 11, 22, 3)))).toBe('2026-11-29 03:00');
  });

  it('matches either day field when both are restricted, as crontab(5) says', () => {
    // The 1st of the month or any Monday: from Tue 24 Nov 2026 the next is Mon 30 Nov.
    expect(fmt(nextRun('0 0 1 * mon', at(2026, 11, 24)))).toBe('2026-11-30 00:00');
    // Only the day-of-week restricted: every Monday, whatever the date.
    expect(fmt(nextRun('0 0 * * mon', at(2026, 11, 24)))).toBe('2026-11-30 00:00');
    // Only the day of month restricted.
    expect(fmt(nextRun('0 0 1 * *', at(2026, 11, 24)))).toBe('2026-12-01 00:00');
  });

  it('fires "30 February or Monday" on the Mondays of February (either day rule), never on a 30th', () => {
    expect(fmt(nextRun('0 0 30 2 mon', at(2026, 1, 1)))).toBe('2026-02-02 00:00');
    expect(cronProblem('0 0 30 2 *')).toMatch(/never occurs/);
  });

  it('always returns a later time that matches every field, and no matching minute lies between (property)', () => {
    const exprs = ['*/7 * * * *', '0 2 * * *', '0 3 * * 0', '15 4 1,15 * *', '0 */6 * * 1-5', '30 1 1 1,7 *', '0 0 13 * fri'];
    fc.assert(
      fc.property(fc.constantFrom(...exprs), fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }), (expr, t) => {
        const s = parseCron(expr);
        const after = new Date(t);
        const next = nextRun(s, after);
        expect(next).not.toBeNull();
        const n = next as Date;
        expect(n.getTime()).toBeGreaterThan(t);
        expect(s.minutes).toContain(n.getMinutes());
        expect(s.hours).toContain(n.getHours());
        expect(s.months).toContain(n.getMonth() + 1);
        const dom = s.daysOfMonth.includes(n.getDate());
        const dow = s.daysOfWeek.includes(n.getDay());
        expect(s.domRestricted && s.dowRestricted ? dom || dow : dom && dow).toBe(true);
        // Nothing earlier: the minute before `next` (if after `after`) has no run after `after` before it.
        const again = nextRun(s, new Date(n.getTime() - 60_000));
        if (n.getTime() - 60_000 >= t) expect(again?.getTime()).toBe(n.getTime());
      }),
      { numRuns: 300 },
    );
  });
});

// Daylight-saving behaviour needs process.env.TZ, so it is tested in src/main/backup/scheduler.test.ts.
