import { CREDIT_UNITS, creditJson, creditsOf, largestRemainder, shareOf, TIME_DECAY_HALF_LIFE_MS } from './attribution';

const DAY = 86_400_000;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('attribution credits (worked by hand)', () => {
  const t = [0, 3 * DAY, 10 * DAY];

  it('first and last give the whole lead to one point', () => {
    expect(creditsOf('first', t, null)).toEqual([1_000_000, 0, 0]);
    expect(creditsOf('last', t, null)).toEqual([0, 0, 1_000_000]);
  });

  it('linear: A, B, C a third each; the odd unit goes to the earliest point', () => {
    expect(creditsOf('linear', t, null)).toEqual([333_334, 333_333, 333_333]);
    expect(creditsOf('linear', [0, 1, 2, 3, 4, 5, 6], null)).toEqual([142_858, 142_857, 142_857, 142_857, 142_857, 142_857, 142_857]);
  });

  it('position_based: 40/20/40; four points 40/10/10/40; five 40/6.6667…/40; two 50/50; one 100', () => {
    expect(creditsOf('position_based', t, null)).toEqual([400_000, 200_000, 400_000]);
    expect(creditsOf('position_based', [0, 1, 2, 3], null)).toEqual([400_000, 100_000, 100_000, 400_000]);
    // 0.2 / 3 = 66,666.67 units: two middles get the two units left over, the earlier first.
    expect(creditsOf('position_based', [0, 1, 2, 3, 4], null)).toEqual([400_000, 66_667, 66_667, 66_666, 400_000]);
    expect(creditsOf('position_based', [0, 1], null)).toEqual([500_000, 500_000]);
    expect(creditsOf('position_based', [0], null)).toEqual([1_000_000]);
  });

  it('time_decay: half weight per 7 days before the conversion', () => {
    // Converted at day 14: ages 14, 7 and 0 days weigh 1/4, 1/2 and 1 (sum 7/4):
    // 142,857.14 / 285,714.29 / 571,428.57 units → 142,857 / 285,714 / 571,429 (the unit left goes to .57).
    expect(creditsOf('time_decay', [0, 7 * DAY, 14 * DAY], 14 * DAY)).toEqual([142_857, 285_714, 571_429]);
    // Not converted: ages run to the latest point (day 14), the same weights.
    expect(creditsOf('time_decay', [0, 7 * DAY, 14 * DAY], null)).toEqual([142_857, 285_714, 571_429]);
    // A point after the conversion weighs as one at the conversion: 1/2, 1, 1 (sum 5/2) → 200,000 / 400,000 / 400,000.
    expect(creditsOf('time_decay', [0, 7 * DAY, 9 * DAY], 7 * DAY)).toEqual([200_000, 400_000, 400_000]);
    expect(TIME_DECAY_HALF_LIFE_MS).toBe(7 * DAY);
  });

  it('every model sums to exactly one lead for any path', () => {
    for (let n = 1; n <= 40; n++) {
      const times = Array.from({ length: n }, (_, i) => i * 37_000_000 + (i % 3) * 11);
      for (const model of ['first', 'last', 'linear', 'position_based', 'time_decay'] as const) {
        const c = creditsOf(model, times, n % 2 ? times[n - 1] + 5 * DAY : null);
        expect(sum(c)).toBe(CREDIT_UNITS);
        expect(c.every((u) => Number.isInteger(u) && u >= 0)).toBe(true);
      }
    }
  });

  it('largestRemainder keeps whole parts and settles the rest, ties to the earlier index', () => {
    expect(largestRemainder(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(largestRemainder(2, [1, 1, 1])).toEqual([1, 1, 0]);
    expect(largestRemainder(10, [0.5, 0.25, 0.25])).toEqual([5, 3, 2]);
  });

  it('shareOf splits cents and seconds over the units, summing to the amount', () => {
    // 100.00 over a third each: 33.34 + 33.33 + 33.33.
    expect(shareOf(10_000n, [333_334, 333_333, 333_333])).toEqual([3_334n, 3_333n, 3_333n]);
    expect(shareOf(1n, [333_334, 333_333, 333_333])).toEqual([1n, 0n, 0n]);
    expect(shareOf(-7n, [500_000, 500_000])).toEqual([-4n, -3n]);
    expect(shareOf(99_999_999_999_999n, [142_857, 285_714, 571_429]).reduce((a, b) => a + b, 0n)).toBe(99_999_999_999_999n);
    expect(shareOf(0n, [1_000_000])).toEqual([0n]);
  });

  it('creditJson writes units as exact lead counts', () => {
    expect(creditJson(1_000_000)).toBe(1);
    expect(creditJson(333_334)).toBe(0.333334);
    expect(creditJson(12_500_000)).toBe(12.5);
    expect(creditJson(0)).toBe(0);
    expect(String(creditJson(123_456_789_012_345_678_901n))).toBe('123456789012345.678901');
  });
});
