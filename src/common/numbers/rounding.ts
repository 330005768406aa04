/**
 * Rounds a rate or an average to 2 decimals, half away from zero, without binary drift (1.005 → 1.01).
 * Goes through a double and 15 significant digits: right for figures below 10^13 (rates of counts,
 * average days), never for money, whose sums and rates are exact on integers (money.ts).
 */
export function round2(value: number): number {
  if (!Number.isFinite(value)) throw new Error(`round2: ${value} is not a finite number`);
  const sign = value < 0 ? -1 : 1;
  return (sign * Math.round(Number((Math.abs(value) * 100).toPrecision(15)))) / 100;
}

/** numerator / denominator, rounded; null when the denominator is 0 (never 0, NaN or Infinity). */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : round2(numerator / denominator);
}

/** numerator / denominator × 100 on the 0–100 scale, rounded; null when the denominator is 0. */
export function percent(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : round2((numerator / denominator) * 100);
}
