/** UTC calendar-day arithmetic on `YYYY-MM-DD` strings (no time zones, no Date surprises). */

export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export function isValidDate(s: string): boolean {
  if (!DATE_PATTERN.test(s)) return false;
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

/** First instant of `day` and first instant of the day after it: a half-open range for timestamps. */
export function dayBounds(startDay: string, endDay: string): { from: Date; to: Date } {
  return { from: new Date(ms(startDay)), to: new Date(ms(addDays(endDay, 1))) };
}
