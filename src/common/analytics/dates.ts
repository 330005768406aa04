/** UTC calendar-day arithmetic on `YYYY-MM-DD` strings (no time zones, no Date surprises). */

export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The calendar days the API takes. Every day the service derives from one (a range's other end, the day
 * after, a week's Monday, a month's first) then still has four year digits, so day strings compare in
 * calendar order and `Date` arithmetic never leaves ISO's four-digit years: 9999-12-31 plus one day would
 * be `+010000-01-01`, which sorts before it.
 */
export const MIN_DATE = '1900-01-01';
export const MAX_DATE = '9998-12-31';

export function isValidDate(s: string): boolean {
  if (!DATE_PATTERN.test(s) || s < MIN_DATE || s > MAX_DATE) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export const toDay = (d: Date): string => d.toISOString().slice(0, 10);
export const utcToday = (): string => toDay(new Date());

const ms = (day: string) => Date.parse(`${day}T00:00:00Z`);

export function addDays(day: string, n: number): string {
  return toDay(new Date(ms(day) + n * 86_400_000));
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((ms(b) - ms(a)) / 86_400_000);
}

/** Monday = 0 … Sunday = 6. */
export function weekday(day: string): number {
  return (new Date(ms(day)).getUTCDay() + 6) % 7;
}
