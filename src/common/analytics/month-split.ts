import { addDays } from './dates';

/** First day of the month after the one holding `day`. */
const nextMonth = (day: string) => {
  const [y, m] = day.split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
};

export interface RangeParts {
  /** Day ranges (inclusive) to read from the daily table: the partial months at either end. */
  days: [string, string][];
  /** First days of the first and last whole month inside the range, if any. */
  months: [string, string] | null;
}

/** Splits [start, end] into the whole calendar months it covers and the days around them. */
export function splitByMonths(start: string, end: string): RangeParts {
  const firstWhole = start.endsWith('-01') ? start : nextMonth(start);
  const afterEnd = addDays(end, 1);
  const afterLastWhole = afterEnd.endsWith('-01') ? afterEnd : `${end.slice(0, 7)}-01`;
  if (firstWhole >= afterLastWhole) return { days: [[start, end]], months: null };
  const days: [string, string][] = [];
  if (start < firstWhole) days.push([start, addDays(firstWhole, -1)]);
  if (afterLastWhole <= end) days.push([afterLastWhole, end]);
  return { days, months: [firstWhole, `${addDays(afterLastWhole, -1).slice(0, 7)}-01`] };
}
