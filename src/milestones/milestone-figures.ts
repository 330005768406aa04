import { percent, ratio } from '../common/numbers/rounding';

/** One cell of a duration histogram: `count` transitions lasted exactly `days` whole days. */
export interface HistogramCell {
  days: number;
  count: number;
}

export interface DurationFigures {
  count: number;
  sum: number;
  average: number | null;
  /** Exact median: the middle value, or the mean of the two middle values. */
  median: number | null;
  /** Nearest-rank 90th percentile: the value at rank ⌈0.9 n⌉ (1-based). */
  p90: number | null;
}

/**
 * Mean, exact median and nearest-rank p90 of whole-day durations from their histogram (cells may
 * repeat a `days` value and come in any order). Exact because every duration is a whole number: the
 * value at rank r is the first `days` whose cumulative count reaches r.
 */
export function durationFigures(cells: HistogramCell[]): DurationFigures {
  const merged = new Map<number, number>();
  for (const c of cells) if (c.count !== 0) merged.set(c.days, (merged.get(c.days) ?? 0) + c.count);
  const sorted = [...merged.entries()].filter(([, n]) => n > 0).sort(([a], [b]) => a - b);
  const count = sorted.reduce((s, [, n]) => s + n, 0);
  const sum = sorted.reduce((s, [d, n]) => s + d * n, 0);
  if (count === 0) return { count: 0, sum: 0, average: null, median: null, p90: null };
  const at = (rank: number) => {
    let seen = 0;
    for (const [days, n] of sorted) {
      seen += n;
      if (seen >= rank) return days;
    }
    throw new Error(`rank ${rank} beyond ${count}`);
  };
  // Integer arithmetic: 0.9 × n in floating point is 63.00000000000001 for n = 70.
  const p90Rank = Math.ceil((9 * count) / 10);
  const median = count % 2 === 1 ? at((count + 1) / 2) : (at(count / 2) + at(count / 2 + 1)) / 2;
  return { count, sum, average: ratio(sum, count), median, p90: at(p90Rank) };
}

/** Transitions whose duration exceeds `slaDays`; null when the target type has no SLA. */
export function breaches(cells: HistogramCell[], slaDays: number | null): number | null {
  if (slaDays === null) return null;
  return cells.filter((c) => c.days > slaDays).reduce((s, c) => s + c.count, 0);
}

/**
 * Where a lead stands against a template: the first code of the sequence it has not completed
 * (null when it completed them all) and the share of the sequence's codes it has completed.
 */
export function progressAgainst(sequence: string[], completedCodes: Set<string>): { nextExpected: string | null; progressPercent: number | null } {
  const done = sequence.filter((code) => completedCodes.has(code)).length;
  return {
    nextExpected: sequence.find((code) => !completedCodes.has(code)) ?? null,
    progressPercent: percent(done, sequence.length),
  };
}

/** SLA rule of a lead milestone: longer since the previous milestone than the type's SLA allows. */
export const slaBreached = (daysFromPrevious: number | null, slaDays: number | null): boolean =>
  daysFromPrevious !== null && slaDays !== null && daysFromPrevious > slaDays;

// Whole months and the days around them: shared with the lead-source rollups.
export { splitByMonths } from '../common/analytics/month-split';
export type { RangeParts } from '../common/analytics/month-split';
