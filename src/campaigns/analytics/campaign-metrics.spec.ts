import { addSums, channelRates, cpm, money, num, roi, typeRates, ZERO_SUMS } from './campaign-metrics';

describe('campaign formulas (API.md §5)', () => {
  it("reproduces the original design's example to the cent", () => {
    // spend 48,500, 5,000,000 impressions, 125,000 clicks, 3,500 leads, 700 conversions
    const rates = channelRates({ spent: 48500, impressions: 5_000_000, clicks: 125_000, leads: 3500, conversions: 700, revenue: 97_000 });
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
    expect(typeRates({ ...ZERO_SUMS, revenue: 10, conversions: 3 })).toEqual({ average_cpl: null, roi: null, conversion_rate: null });
    expect(cpm(10, 0)).toBeNull();
  });

  it('gives a negative ROI for a loss and −100 for no revenue', () => {
    expect(roi(50, 200)).toBe(-75);
    expect(roi(0, 123.45)).toBe(-100);
  });

  it('rounds half away from zero to 2 decimals, without binary drift', () => {
    expect(typeRates({ ...ZERO_SUMS, spent: 1.01, leads: 2 }).average_cpl).toBe(0.51); // 0.505
    expect(roi(0.3, 0.1 + 0.1)).toBe(50); // 0.30 vs 0.2000…04: drift is cut at the cent
  });

  it('reads SQL aggregates from either engine', () => {
    expect(num('48500.00')).toBe(48500);
    expect(num(null)).toBe(0);
    expect(num(7)).toBe(7);
    expect(money(0.1 + 0.2)).toBe(0.3);
    expect(money('12.30')).toBe(12.3);
  });

  it('adds sums in cents', () => {
    const a = { ...ZERO_SUMS, spent: 0.1, revenue: 0.7, impressions: 5 };
    expect(addSums(a, { ...ZERO_SUMS, spent: 0.2, revenue: 0.1, clicks: 2 })).toEqual({ ...ZERO_SUMS, spent: 0.3, revenue: 0.8, impressions: 5, clicks: 2 });
  });
});
