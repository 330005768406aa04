import { exactNumber, JsonNumber } from './exact-json';

/**
 * Exact money: amounts as whole cents in a bigint, sums and rates computed on integers, answered as
 * exact JSON numbers (exact-json.ts). A double holds cents exactly only below about 9 × 10^13 and
 * rounds sums past that (9,100 leads at 999,999,999,998.99 summed to …990,900 instead of …990,809);
 * a bigint has no limit. One amount the API accepts (at most 999,999,999,999.99) is exact as a JS
 * number, so inputs and stored rows stay numbers and become cents here (`centsOf`).
 */

/** Cents of an amount: a JS number with at most 2 decimals, or a decimal text (DECIMAL columns, SUMs). */
export function centsOf(value: number | string | null | undefined): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`centsOf: ${value} is not a finite number`);
    // toFixed(2) gives the decimal digits of any amount up to 10^21, rounding the double's binary
    // noise away (0.1 + 0.2 → "0.30"); the API's amounts have at most 2 decimals and 15 digits.
    return decimalToCents(value.toFixed(2));
  }
  return decimalToCents(value.trim());
}

/** A decimal text (`-12`, `12.5`, `12.3456`) as cents, rounded half away from zero past the cents. */
function decimalToCents(text: string): bigint {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) throw new Error(`centsOf: ${text} is not a decimal`);
  const [, sign, whole, fraction = ''] = match;
  let cents = BigInt(whole || '0') * 100n + BigInt((fraction + '00').slice(0, 2));
  if (fraction.length > 2 && fraction[2] >= '5') cents += 1n;
  return sign === '-' ? -cents : cents;
}

/** The decimal digits of `units / 100`, canonical (no trailing zeros, no `-0`). */
function hundredthsText(units: bigint): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const whole = (abs / 100n).toString();
  const fraction = (abs % 100n).toString().padStart(2, '0').replace(/0+$/, '');
  const text = fraction ? `${whole}.${fraction}` : whole;
  return negative && text !== '0' ? `-${text}` : text;
}

/** An amount in cents as its JSON number. */
export const moneyJson = (cents: bigint): JsonNumber => exactNumber(hundredthsText(cents));

/** A count as its JSON number (exact past 2^53 − 1 too). */
export const countJson = (n: bigint): JsonNumber => exactNumber(n.toString());

/** n / d rounded half away from zero to an integer (d ≠ 0). */
export function divRound(n: bigint, d: bigint): bigint {
  if (d === 0n) throw new Error('divRound: division by zero');
  const negative = n < 0n !== d < 0n;
  const [a, b] = [n < 0n ? -n : n, d < 0n ? -d : d];
  const q = (2n * a + b) / (2n * b);
  return negative ? -q : q;
}

/**
 * `numerator / denominator` as a JSON number with 2 decimals, rounded half away from zero; null when
 * the denominator is 0 (API.md: never 0, NaN or Infinity). `numerator` is in hundredths of the
 * answer's unit: cents for money per lead (`cents / leads`), percentage points × 100 for a rate.
 */
export function hundredths(numerator: bigint, denominator: bigint): JsonNumber | null {
  return denominator === 0n ? null : exactNumber(hundredthsText(divRound(numerator, denominator)));
}

/** Money per unit (cost per lead, per conversion, per click): cents / count, to the cent. */
export const perUnit = (cents: bigint, count: bigint | number): JsonNumber | null => hundredths(cents, BigInt(count));

/** part / whole × 100 on the 0–100 scale, 2 decimals (whole and part in the same unit). */
export const percentOf = (part: bigint | number, whole: bigint | number): JsonNumber | null => hundredths(BigInt(part) * 10_000n, BigInt(whole));

/** Orders JSON numbers (exact ones included) as their values. */
export function compareJsonNumbers(a: JsonNumber, b: JsonNumber): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const [x, y] = [centsOf(String(a)), centsOf(String(b))];
  return x < y ? -1 : x > y ? 1 : 0;
}
