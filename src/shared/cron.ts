/**
 * A small five-field cron parser (minute hour day-of-month month day-of-week) for backup
 * schedules (issue 8). Written here rather than taken from a library because the app needs
 * only this much, it must be pure (it runs in the renderer too, to validate the settings form)
 * and every rule it follows is listed below and tested.
 *
 * Syntax, as Vixie cron / POSIX crontab(5):
 * - each field is `*`, a number, a range `a-b`, or a comma-separated list of those;
 * - any of them may take a step: `*\/15`, `0-30/10`, `5/20` (= `5-max/20`);
 * - months may be written `jan`..`dec`, weekdays `sun`..`sat`; weekday 7 is Sunday too;
 * - when both day-of-month and day-of-week are restricted (neither starts with `*`), a day
 *   matches when EITHER matches (crontab(5)); otherwise both must.
 *
 * Times are local wall-clock times. Across a daylight-saving change, a time that does not
 * exist that day (02:30 when clocks jump from 02:00 to 03:00) fires at the moment JavaScript
 * maps it to (03:30), so a daily backup is not skipped; a time that exists twice (fall back)
 * fires once, at its first occurrence.
 */

export type CronFieldName = 'minute' | 'hour' | 'day-of-month' | 'month' | 'day-of-week';

/** A schedule string that does not parse; `field` names the part at fault. */
export class CronError extends Error {
  override readonly name = 'CronError';
  constructor(
    readonly field: CronFieldName | null,
    message: string,
  ) {
    super(message);
  }
}

interface FieldSpec {
  readonly name: CronFieldName;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  // 0-7: both 0 and 7 are Sunday; folded to 0 after parsing.
  { name: 'day-of-week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

export interface CronSchedule {
  readonly source: string;
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly daysOfMonth: readonly number[];
  readonly months: readonly number[];
  /** 0 = Sunday ... 6 = Saturday. */
  readonly daysOfWeek: readonly number[];
  /** Whether the field was restricted (did not start with `*`): decides the day rule. */
  readonly domRestricted: boolean;
  readonly dowRestricted: boolean;
}

/** Parses a five-field cron expression; throws CronError naming the field at fault. */
export function parseCron(expression: string): CronSchedule {
  const source = expression.trim();
  const parts = source.split(/\s+/).filter(Boolean);
  if (parts.length !== 5) {
    throw new CronError(null, `a schedule has 5 fields (minute hour day-of-month month day-of-week), "${expression}" has ${parts.length}`);
  }
  const values = FIELDS.map((spec, i) => parseField(parts[i] as string, spec));
  const dow = [...new Set((values[4] as number[]).map((d) => (d === 7 ? 0 : d)))].sort((a, b) => a - b);
  const schedule: CronSchedule = {
    source,
    minutes: values[0] as number[],
    hours: values[1] as number[],
    daysOfMonth: values[2] as number[],
    months: values[3] as number[],
    daysOfWeek: dow,
    domRestricted: !(parts[2] as string).startsWith('*'),
    dowRestricted: !(parts[4] as string).startsWith('*'),
  };
  if (!schedule.dowRestricted && !canEverMatchDay(schedule)) {
    throw new CronError('day-of-month', `"${parts[2]}" never occurs in month(s) "${parts[3]}"`);
  }
  return schedule;
}

function parseField(text: string, spec: FieldSpec): number[] {
  const fail = (why: string) => new CronError(spec.name, `${spec.name} field "${text}": ${why}`);
  const out = new Set<number>();
  for (const item of text.split(',')) {
    if (item === '') throw fail('empty list item');
    const [range, stepText, extra] = item.split('/');
    if (extra !== undefined) throw fail(`"${item}" has more than one "/"`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText)) throw fail(`step "${stepText}" is not a whole number`);
      step = Number(stepText);
      if (step < 1) throw fail('a step must be at least 1');
      if (step > spec.max) throw fail(`step ${step} is larger than ${spec.max}`);
    }
    let lo: number;
    let hi: number;
    if (range === '*') {
      lo = spec.min;
      hi = spec.name === 'day-of-week' ? 6 : spec.max;
    } else {
      const bounds = (range as string).split('-');
      if (bounds.length > 2) throw fail(`"${range}" is not a range`);
      lo = value(bounds[0] as string, spec, fail);
      // `5/20` means "from 5 to the end, every 20" (Vixie cron).
      hi = bounds.length === 2 ? value(bounds[1] as string, spec, fail) : stepText !== undefined ? spec.max : lo;
      if (lo > hi) throw fail(`range ${lo}-${hi} runs backwards`);
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

function value(text: string, spec: FieldSpec, fail: (why: string) => CronError): number {
  const lower = text.toLowerCase();
  const named = spec.names?.indexOf(lower) ?? -1;
  if (named >= 0) return spec.name === 'month' ? named + 1 : named;
  if (!/^\d+$/.test(text)) throw fail(`"${text}" is not a number${spec.names ? ' or a name' : ''}`);
  const n = Number(text);
  if (n < spec.min || n > spec.max) throw fail(`${n} is out of range ${spec.min}-${spec.max}`);
  return n;
}

const MAX_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `0 0 31 2 *` (Feb 31st) can never fire: refuse it instead of silently never running. */
function canEverMatchDay(s: CronSchedule): boolean {
  return s.months.some((m) => s.daysOfMonth.some((d) => d <= (MAX_DAYS[m - 1] as number)));
}

function daysInMonth(year: number, month: number): number {
  return new Date(year, month, 0).getDate();
}

function dayMatches(s: CronSchedule, year: number, month: number, day: number): boolean {
  const dom = s.daysOfMonth.includes(day);
  const dow = s.daysOfWeek.includes(new Date(year, month - 1, day).getDay());
  if (s.domRestricted && s.dowRestricted) return dom || dow;
  return dom && dow;
}

/** How far ahead `nextRun` looks before deciding a schedule never fires (29 Feb on a Monday...). */
const SEARCH_YEARS = 30;

/**
 * The first time strictly after `after` at which the schedule fires (local time), or null if
 * it does not fire within the next 30 years. Walks the fields from the largest (year) down,
 * so it takes a few hundred steps at most, never one per minute.
 */
export function nextRun(schedule: CronSchedule | string, after: Date): Date | null {
  const s = typeof schedule === 'string' ? parseCron(schedule) : schedule;
  // Start one whole minute after `after`, in wall-clock fields.
  const start = new Date(after.getTime());
  start.setSeconds(0, 0);
  start.setMinutes(start.getMinutes() + 1);
  const y0 = start.getFullYear();
  const mo0 = start.getMonth() + 1;
  const d0 = start.getDate();
  const h0 = start.getHours();
  const mi0 = start.getMinutes();
  for (let y = y0; y <= y0 + SEARCH_YEARS; y++) {
    const yStart = y === y0;
    for (const mo of s.months) {
      if (yStart && mo < mo0) continue;
      const moStart = yStart && mo === mo0;
      const last = daysInMonth(y, mo);
      for (let d = moStart ? d0 : 1; d <= last; d++) {
        if (!dayMatches(s, y, mo, d)) continue;
        const dStart = moStart && d === d0;
        for (const h of s.hours) {
          if (dStart && h < h0) continue;
          const hStart = dStart && h === h0;
          for (const mi of s.minutes) {
            if (hStart && mi < mi0) continue;
            const candidate = new Date(y, mo - 1, d, h, mi, 0, 0);
            if (candidate.getTime() > after.getTime()) return candidate;
          }
        }
      }
    }
  }
  return null;
}

/** The cron text if it parses, else the error message: for form validation. */
export function cronProblem(expression: string): string | null {
  try {
    const s = parseCron(expression);
    if (nextRun(s, new Date(2000, 0, 1)) === null) return `"${expression}" never fires`;
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
