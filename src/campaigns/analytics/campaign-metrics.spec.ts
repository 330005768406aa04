import { ExactNumber } from '../../common/numbers/exact-json';
import { addSums, channelRates, countOf, cpm, moneyOf, num, roi, sumsJson, typeRates, ZERO_SUMS } from './campaign-metrics';

const sums = (s: Partial<Record<keyof typeof ZERO_SUMS, bigint>>) => ({ ...ZERO_SUMS, ...s });

describe('campaign formulas (API.md §5)', () => {
  it("reproduces the original design's example to the cent", () => {
    // spend 48,500, 5,000,000 impressions, 125,000 clicks, 3,500 leads, 700 conversions
    const rates = channelRates({ spent: 4_850_000n, impressions: 5_000_000n, clicks: 125_000n, leads: 3500n, conversions: 700n, revenue: 9_700_000n });
    expect(rates).toEqual({
      cpm: 9.7, // 48,500 / 5,000,000 × 1000
      ctr: 2.5, // 125,000 / 5,000,000 × 100
      cpc: 0.39, // 48,500 / 125,000 = 0.388
      cpl: 13.86, // 48,500 / 3,500 = 13.857…
      conversion_rate: 20, // 700 / 3,500 × 100
      roi: 100, // (97,000 − 48,500) / 48,500 × 100
    });
  });

  it('answers null, never 0, NaN or Infinity, when a denominator is 0', () => {
    expect(channelRates(ZERO_SUMS)).toEqual({ cpl: null, cpm: null, ctr: null, cpc: null, conversion_rate: null, roi: null });
    expect(typeRates(sums({ revenue: 1000n, conversions: 3n }))).toEqual({ average_cpl: null, roi: null, conversion_rate: null });
    expect(cpm(1000n, 0n)).toBeNull();
  });

  it('gives a negative ROI for a loss and −100 for no revenue', () => {
    expect(roi(5000n, 20000n)).toBe(-75);
    expect(roi(0n, 12345n)).toBe(-100);
  });

  it('rounds half away from zero to 2 decimals, on integers', () => {
    expect(typeRates(sums({ spent: 101n, leads: 2n })).average_cpl).toBe(0.51); // 0.505
    expect(roi(30n, 20n)).toBe(50);
    expect(roi(-1n, 200n)).toBe(-100.5); // (−0.01 − 2) / 2 × 100 = −100.5
    expect(cpm(1n, 3n)).toBe(3.33); // 0.01 × 1000 / 3
  });

  it('keeps sums and rates exact past what a double holds', () => {
    // 9,100 rows of 999,999,999,998.99: 9,099,999,999,990,809.00 (a double sum gives …990,900).
    const spent = 99_999_999_999_899n * 9100n;
    const out = sumsJson(sums({ spent, impressions: 2n ** 60n + 1n }));
    expect(out.spent).toEqual(new ExactNumber('9099999999990809'));
    expect(out.impressions).toEqual(new ExactNumber('1152921504606846977'));
    expect(channelRates(sums({ spent, leads: 3n })).cpl).toEqual(new ExactNumber('3033333333330269.67'));
  });

  it('reads SQL aggregates from either engine', () => {
    expect(num('48500')).toBe(48500);
    expect(num(null)).toBe(0);
    expect(countOf('9223372036854775807')).toBe(9_223_372_036_854_775_807n);
    expect(countOf(7)).toBe(7n);
    expect(moneyOf('12.30')).toBe(1230n);
    expect(moneyOf('9099999999990809.00')).toBe(909_999_999_999_080_900n);
    expect(moneyOf('909999999:9990809')).toBe(909_999_999n * 10_000_000n + 9_990_809n);
  });

  it('adds sums exactly', () => {
    const a = sums({ spent: 10n, revenue: 70n, impressions: 5n });
    expect(addSums(a, sums({ spent: 20n, revenue: 10n, clicks: 2n }))).toEqual(sums({ spent: 30n, revenue: 80n, impressions: 5n, clicks: 2n }));
  });
});
