import { addDays, DATE_PATTERN, weekday } from './dates';

export const INTERVALS = ['day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

/** Monday of the week of each day seen: trends fold thousands of rollup rows of a few hundred days. */
const mondays = new Map<string, string>();

/** The first day of the period holding `day`: itself, its week's Monday, or its month's 1st. */
export function periodStart(day: string, interval: Interval): string {
  if (interval === 'day') return day;
  if (interval === 'month') return `${day.slice(0, 7)}-01`;
  let monday = mondays.get(day);
  if (monday === undefined) {
    if (mondays.size >= 100_000) mondays.clear();
    monday = addDays(day, -weekday(day));
    mondays.set(day, monday);
  }
  return monday;
}

function nextPeriod(start: string, interval: Interval): string {
  if (interval === 'day') return addDays(start, 1);
  if (interval === 'week') return addDays(start, 7);
  const [y, m] = start.split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** More periods than any accepted range has (3,660 days): reaching it means a caller skipped validation. */
const MAX_PERIODS = 4000;

/** Every period touching [startDay, endDay], in order, each named by its first day. */
export function enumeratePeriods(startDay: string, endDay: string, interval: Interval): string[] {
  const out: string[] = [];
  for (let p = periodStart(startDay, interval); p <= endDay; p = nextPeriod(p, interval)) {
    if (out.length === MAX_PERIODS || !DATE_PATTERN.test(p)) {
      // A synchronous loop that never ends would stall every request of the process: fail this one instead.
      throw new Error(`period enumeration out of bounds: ${startDay}..${endDay} by ${interval}`);
    }
    out.push(p);
  }
  return out;
}
