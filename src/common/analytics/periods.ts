import { addDays, weekday } from './dates';

export const INTERVALS = ['day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

/** The first day of the period holding `day`: itself, its week's Monday, or its month's 1st. */
export function periodStart(day: string, interval: Interval): string {
  if (interval === 'day') return day;
  if (interval === 'week') return addDays(day, -weekday(day));
  return `${day.slice(0, 7)}-01`;
}

function nextPeriod(start: string, interval: Interval): string {
  if (interval === 'day') return addDays(start, 1);
  if (interval === 'week') return addDays(start, 7);
  const [y, m] = start.split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** Every period touching [startDay, endDay], in order, each named by its first day. */
export function enumeratePeriods(startDay: string, endDay: string, interval: Interval): string[] {
  const out: string[] = [];
  for (let p = periodStart(startDay, interval); p <= endDay; p = nextPeriod(p, interval)) out.push(p);
  return out;
}
