import { zeroMeasures } from './lead-contribution';
import { sourceFigures } from './source-metrics';

describe('sourceFigures', () => {
  it('computes every ratio from sums (worked by hand)', () => {
    // 8 leads, 6 contacted, 4 qualified, 3 converted, 1 lost; closes of 2, 3 and 4.5 days;
    // values 1000, revenue 900, cost 120 (sums in cents).
    const f = sourceFigures({
      ...zeroMeasures(),
      leads: 8,
      contacted: 6,
      qualified: 4,
      converted: 3,
      lost: 1,
      closeSeconds: (2 + 3 + 4.5) * 86_400,
      expectedValue: 100_000n,
      revenue: 90_000n,
      cost: 12_000n,
    });
    expect(f).toEqual({
      leads_generated: 8,
      leads_contacted: 6,
      leads_qualified: 4,
      leads_converted: 3,
      leads_lost: 1,
      conversion_rate: 37.5, // 3 / 8
      qualification_rate: 50, // 4 / 8
      average_days_to_close: 3.17, // 9.5 / 3 = 3.1666…
      total_value: 1000,
      revenue: 900,
      total_cost: 120,
      cost_per_lead: 15, // 120 / 8
      cost_per_conversion: 40, // 120 / 3
      roi: 650, // (900 − 120) / 120
    });
  });

  it('answers null for every ratio whose denominator is 0', () => {
    const f = sourceFigures(zeroMeasures());
    expect(f.conversion_rate).toBeNull();
    expect(f.qualification_rate).toBeNull();
    expect(f.average_days_to_close).toBeNull();
    expect(f.cost_per_lead).toBeNull();
    expect(f.cost_per_conversion).toBeNull();
    expect(f.roi).toBeNull();
  });

  it('gives a negative roi when cost exceeds revenue, and null roi with free leads', () => {
    expect(sourceFigures({ ...zeroMeasures(), leads: 2, cost: 5000n, revenue: 2000n, converted: 1 }).roi).toBe(-60);
    expect(sourceFigures({ ...zeroMeasures(), leads: 2, cost: 0n, revenue: 2000n, converted: 1 }).roi).toBeNull();
  });

  it('keeps money sums and the rates made of them exact past what a double holds', () => {
    // 9,100 leads at 999,999,999,998.99: 9,099,999,999,990,809 (doubles gave …990,900).
    const cents = 99_999_999_999_899n * 9100n;
    const f = sourceFigures({ ...zeroMeasures(), leads: 9100, converted: 9100, expectedValue: cents, revenue: cents + 1n, cost: cents });
    expect(String(f.total_value)).toBe('9099999999990809');
    expect(String(f.revenue)).toBe('9099999999990809.01');
    expect(f.cost_per_lead).toBe(999_999_999_998.99);
    expect(String(f.roi)).toBe('0'); // 0.01 / 9.1e15 × 100 rounds to 0
  });
});
