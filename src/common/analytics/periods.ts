import { addDays, DATE_PATTERN, weekday } from './dates';

export const INTERVALS = ['day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

/** The first day of the week of each (day, week start) seen: trends fold thousands of rollup rows of a few hundred days. */
const weekStarts = new Map<string, string>();

/**
 * The first day of the period holding `day`: itself, its week's first day (weeks start on
 * `weekStart`: Monday = 0 … Sunday = 6), or its month's 1st.
 */
export function periodStart(day: string, interval: Interval, weekStart = 0): string {
  if (interval === 'day') return day;
  if (interval === 'month') return `${day.slice(0, 7)}-01`;
  const key = weekStart === 0 ? day : `${day}|${weekStart}`;
  let first = weekStarts.get(key);
  if (first === undefined) {
    if (weekStarts.size >= 100_000) weekStarts.clear();
    first = addDays(day, -((weekday(day) - weekStart + 7) % 7));
    weekStarts.set(key, first);
  }
  return first;
}

function nextPeriod(start: string, interval: Interval): string {
  if (interval === 'day') return addDays(start, 1);
  if (interval === 'week') return addDays(start, 7);
  const [y, m] = start.split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** More periods than any accepted range has (3,660 days): reaching it means a caller skipped validation. */
const MAX_PERIODS = 4000;

/** Every period touching [startDay, endDay], in order, each named by its first day (weeks from `weekStart`). */
export function enumeratePeriods(startDay: string, endDay: string, interval: Interval, weekStart = 0): string[] {
  const out: string[] = [];
  for (let p = periodStart(startDay, interval, weekStart); p <= endDay; p = nextPeriod(p, interval)) {
    if (out.length === MAX_PERIODS || !DATE_PATTERN.test(p)) {
      // A synchronous loop that never ends would stall every request of the process: fail this one instead.
      throw new Error(`period enumeration out of bounds: ${startDay}..${endDay} by ${interval}`);
    }
    out.push(p);
  }
  return out;
}
