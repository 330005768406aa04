import { exactNumber, JsonNumber } from '../numbers/exact-json';

/**
 * Multi-touch attribution (docs/attribution.md): how one lead's credit is shared among the points of
 * its path (its origin, then its later touches, in time order).
 *
 * Exactness: a lead is worth CREDIT_UNITS whole units (a millionth of a lead each). A model gives each
 * point a weight; the weights become whole units by the largest-remainder rule (each point gets the
 * whole part of its share, and the units left over go one each to the points with the largest
 * fractions, the earlier point first on a tie), so a lead's units always sum to exactly
 * CREDIT_UNITS. Counts in answers are units / 10^6, written with their exact decimal digits. Amounts
 * (cents) and seconds are shared the same way over the units (`shareOf`), so a lead's credited
 * revenue, cost and close time add up to its own to the cent and second: sums never drift.
 */
export const ATTRIBUTION_MODELS = ['first', 'last', 'linear', 'position_based', 'time_decay'] as const;
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];
/** The model answers use when none is asked for: the lead's own codes, i.e. the answers before models existed. */
export const DEFAULT_ATTRIBUTION_MODEL: AttributionModel = 'first';
/** Stored model numbers (the rollups' `model` key column). */
export const MODEL_NUMBER: Record<AttributionModel, number> = { first: 0, last: 1, linear: 2, position_based: 3, time_decay: 4 };

export const CREDIT_UNITS = 1_000_000;
const UNITS = BigInt(CREDIT_UNITS);
/** time_decay: a touch this long before the conversion weighs half as much as one at the conversion. */
export const TIME_DECAY_HALF_LIFE_MS = 7 * 86_400_000;

/** position_based: first and last 40 % each, the middle points share 20 %; two points 50/50; one point 100 %. */
function positionWeights(n: number): number[] {
  if (n <= 2) return Array<number>(n).fill(1);
  // 0.4 : 0.2 / (n − 2) : … : 0.4, as whole numbers: 2(n − 2) : 1 : … : 2(n − 2).
  return Array.from({ length: n }, (_, i) => (i === 0 || i === n - 1 ? 2 * (n - 2) : 1));
}

/**
 * time_decay: 2^(−age / half-life), the age of a point being how long before the lead's conversion it
 * happened (for a lead not converted, before its latest point). A point after the conversion has age 0.
 */
function decayWeights(times: number[], convertedAt: number | null): number[] {
  const end = convertedAt ?? Math.max(...times);
  return times.map((t) => 2 ** (-Math.max(0, end - t) / TIME_DECAY_HALF_LIFE_MS));
}

/**
 * The whole parts of `total` shared in proportion to `weights` (non-negative, not all zero), summing
 * exactly to `total`: the largest-remainder rule, ties to the earlier index. Exact when the weights are
 * whole numbers (compared as bigints); for fractional weights (time_decay) the shares go through doubles.
 */
export function largestRemainder(total: number, weights: number[]): number[] {
  if (weights.every(Number.isInteger)) {
    const sum = weights.reduce((a, b) => a + b, 0);
    const shares = weights.map((w) => shareParts(BigInt(total), BigInt(w), BigInt(sum)));
    return settle(
      BigInt(total),
      shares.map((s) => s.whole),
      shares.map((s) => s.rest),
    ).map(Number);
  }
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const whole = exact.map(Math.floor);
  const order = exact.map((_, i) => i).sort((a, b) => exact[b] - whole[b] - (exact[a] - whole[a]) || a - b);
  let left = total - whole.reduce((a, b) => a + b, 0);
  for (const i of order) {
    if (left <= 0) break;
    whole[i] += 1;
    left -= 1;
  }
  return whole;
}

function shareParts(total: bigint, weight: bigint, sum: bigint): { whole: bigint; rest: bigint } {
  return { whole: (total * weight) / sum, rest: (total * weight) % sum };
}

/** Adds the units `total − Σ whole` one each to the largest `rest`s (the earlier index first on a tie). */
function settle(total: bigint, whole: bigint[], rest: bigint[]): bigint[] {
  let left = total - whole.reduce((a, b) => a + b, 0n);
  const order = rest.map((_, i) => i).sort((a, b) => (rest[b] > rest[a] ? 1 : rest[b] < rest[a] ? -1 : a - b));
  const out = [...whole];
  for (const i of order) {
    if (left <= 0n) break;
    out[i] += 1n;
    left -= 1n;
  }
  return out;
}

/**
 * The credit units of each point of a path under `model` (summing to CREDIT_UNITS). `times` are the
 * points' instants (ms) in path order; `convertedAt` the lead's conversion instant when it is converted.
 */
export function creditsOf(model: AttributionModel, times: number[], convertedAt: number | null): number[] {
  const n = times.length;
  if (n === 0) return [];
  switch (model) {
    case 'first':
      return times.map((_, i) => (i === 0 ? CREDIT_UNITS : 0));
    case 'last':
      return times.map((_, i) => (i === n - 1 ? CREDIT_UNITS : 0));
    case 'linear':
      return largestRemainder(CREDIT_UNITS, Array<number>(n).fill(1));
    case 'position_based':
      return largestRemainder(CREDIT_UNITS, positionWeights(n));
    case 'time_decay':
      return largestRemainder(CREDIT_UNITS, decayWeights(times, convertedAt));
  }
}

/**
 * An integer amount (cents, seconds) shared over credit units: each point's part of `amount` in
 * proportion to its units, the parts summing exactly to `amount` (largest remainder on exact integers).
 */
export function shareOf(amount: bigint, units: number[]): bigint[] {
  if (amount === 0n) return units.map(() => 0n);
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const shares = units.map((u) => shareParts(abs, BigInt(u), UNITS));
  const parts = settle(
    abs,
    shares.map((s) => s.whole),
    shares.map((s) => s.rest),
  );
  return negative ? parts.map((p) => -p) : parts;
}

/** A count in credit units as its JSON number: units / 10^6, exact (`1.5`, `0.333334`, `12`). */
export function creditJson(units: number | bigint): JsonNumber {
  const value = BigInt(units);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = (abs / UNITS).toString();
  const fraction = (abs % UNITS).toString().padStart(6, '0').replace(/0+$/, '');
  const text = fraction ? `${whole}.${fraction}` : whole;
  return exactNumber(negative && text !== '0' ? `-${text}` : text);
}
