import { Client, startTestApi, TestApi, TestResponse } from '../support/app';
import { parseExact } from '../support/exact-json';
import { newTenantId } from '../support/tenants';

// Thousands of rows written one request at a time: up to 164 s a test on MariaDB, and past 180 s on
// SQLite on two busy cores.
jest.setTimeout(900_000);

/**
 * Counters and rollups at the edge of what the schema held before: many facts at the largest
 * accepted amounts in one rollup cell (one subsource, one day), read back exactly from every route
 * that shows them, on the engine under test. DECIMAL(16,2) and DECIMAL(18,2) overflowed after 101
 * and 10,001 such leads on MySQL/MariaDB (a 500, then no more leads for that subsource or day), and
 * doubles lost the cents of sums above about 9 × 10^13 on both engines (9,100 leads at
 * 999,999,999,998.99 came to …990,900 instead of …990,809). Numbers are read as their JSON text.
 */
const A = '999999999998.99';
const MAX = '999999999999';
const DAY = '2026-01-05';

/** Cents of a decimal text, and back. */
function cents(text: string): bigint {
  const [whole, fraction = ''] = text.split('.');
  return BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
}
function money(c: bigint): string {
  const sign = c < 0n ? '-' : '';
  const abs = c < 0n ? -c : c;
  const fraction = (abs % 100n).toString().padStart(2, '0').replace(/0+$/, '');
  return sign + (abs / 100n).toString() + (fraction ? `.${fraction}` : '');
}
/** n / d to 2 decimals, half away from zero, with n in hundredths of the unit. */
function ratio(n: bigint, d: bigint): string | null {
  if (d === 0n) return null;
  const neg = n < 0n !== d < 0n;
  const [a, b] = [n < 0n ? -n : n, d < 0n ? -d : d];
  return money((neg ? -1n : 1n) * ((2n * a + b) / (2n * b)));
}

function ok(res: TestResponse, status = 200): any {
  if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body.slice(0, 1000)}`);
  return res.body === '' ? undefined : parseExact(res.body);
}

describe('sums at scale', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  let c: Client;
  beforeEach(() => {
    c = api.as({ tenant: newTenantId('sum'), role: 'admin' });
  });

  const lead = (amount: string, i: number) => ({
    lead_code: `L${i}`,
    source_code: 'SOCIAL',
    sub_source_code: 'FACEBOOK',
    status: 'converted',
    expected_value: Number(amount),
    converted_value: Number(amount),
    acquisition_cost: Number(amount),
    created_at: `${DAY}T10:00:00Z`,
    converted_at: `${DAY}T12:00:00Z`,
  });
  async function bulk(amount: string, from: number, count: number): Promise<number[]> {
    const ids: number[] = [];
    for (let start = from; start < from + count; start += 5000) {
      const leads = Array.from({ length: Math.min(5000, from + count - start) }, (_, k) => lead(amount, start + k));
      ids.push(...ok(await c.post('/leads/bulk', { leads }), 201).data.map((l: { id: string }) => Number(l.id)));
    }
    return ids;
  }

  /** What every lead-source route answers for SOCIAL/FACEBOOK, against leads, Σ money and Σ cost in cents. */
  async function expectFigures(leads: number, value: bigint, cost: bigint) {
    const sub = ok(await c.get('/lead-sources/SOCIAL/subsources/FACEBOOK'));
    expect({ leads_generated: sub.leads_generated, total_cost: sub.total_cost }).toEqual({ leads_generated: String(leads), total_cost: money(cost) });
    const figures = {
      leads_generated: String(leads),
      leads_converted: String(leads),
      total_value: money(value),
      revenue: money(value),
      total_cost: money(cost),
      cost_per_lead: ratio(cost, BigInt(leads)),
      cost_per_conversion: ratio(cost, BigInt(leads)),
      roi: ratio((value - cost) * 10_000n, cost),
    };
    const pick = (f: Record<string, unknown>) => Object.fromEntries(Object.keys(figures).map((k) => [k, f[k]]));
    // One day (the daily rollup), and the whole month (the monthly rollup).
    for (const [start_date, end_date] of [
      [DAY, DAY],
      ['2026-01-01', '2026-01-31'],
      ['2025-12-15', '2026-02-15'],
    ]) {
      const query = { start_date, end_date };
      const source = ok(await c.get('/lead-sources/SOCIAL/performance', { query }));
      expect(pick(source)).toEqual(figures);
      expect(pick(source.sub_sources.find((s: { sub_source_code: string }) => s.sub_source_code === 'FACEBOOK'))).toEqual(figures);
      expect(pick(ok(await c.get('/lead-sources/SOCIAL/subsources/FACEBOOK/performance', { query })))).toEqual(figures);
      const all = ok(await c.get('/lead-sources/analytics/performance', { query })).data.find((s: { source_code: string }) => s.source_code === 'SOCIAL');
      expect(pick(all)).toEqual(figures);
      for (const interval of ['day', 'week', 'month']) {
        const trend = ok(await c.get('/lead-sources/analytics/trends', { query: { ...query, interval, source_code: 'SOCIAL' } }));
        const point = trend.data.find((p: { leads_generated: string }) => p.leads_generated !== '0');
        expect({ leads: point.leads_generated, revenue: point.revenue }).toEqual({ leads: String(leads), revenue: money(value) });
      }
    }
  }

  it('adds 10,100 leads at the largest amounts into one subsource and day, exactly, and takes updates and deletes', async () => {
    const ids = await bulk(A, 0, 9100);
    // 9,100 × 999,999,999,998.99 = 9,099,999,999,990,809 (a double sum: 9,099,999,999,990,900).
    await expectFigures(9100, cents(A) * 9100n, cents(A) * 9100n);

    // 1,000 more at the maximum: past the 10^16 DECIMAL(18,2) held, in one daily and one monthly cell.
    const more = await bulk(MAX, 9100, 1000);
    const total = cents(A) * 9100n + cents(MAX) * 1000n;
    expect(money(total)).toBe('10099999999989809');
    await expectFigures(10_100, total, total);

    // A PATCH moves one lead's cost down to a cent; a delete takes one lead at the maximum out.
    ok(await c.patch(`/leads/${ids[0]}`, { acquisition_cost: 0.01 }));
    ok(await c.delete(`/leads/${more[0]}`), 204);
    await expectFigures(10_099, total - cents(MAX), total - cents(MAX) - cents(A) + 1n);
  });

  it('sums 101 campaigns at the largest amounts in one day and channel, exactly', async () => {
    const count = 101;
    const impressions = 2_147_483_647;
    for (let i = 0; i < count; i++) {
      const code = `C${i}`;
      ok(
        await c.post('/campaigns', {
          campaign_code: code,
          campaign_name: code,
          campaign_type_code: 'EMAIL_BLAST',
          budget: Number(A),
          start_date: DAY,
          channels: [{ channel_code: 'EMAIL', allocated_budget: Number(A) }],
        }),
        201,
      );
      const row = {
        channel_code: 'EMAIL',
        metric_date: DAY,
        impressions,
        clicks: impressions,
        leads_generated: 3,
        conversions: 1,
        spend: Number(A),
        revenue: Number(MAX),
      };
      ok(await c.put(`/campaigns/${code}/metrics`, row), 201);
    }
    const n = BigInt(count);
    const spent = cents(A) * n;
    const revenue = cents(MAX) * n;
    const query = { start_date: DAY, end_date: DAY };
    expect(money(spent)).toBe('100999999999897.99'); // past 2^46: a double has no cent resolution there
    const channel = ok(await c.get('/campaigns/analytics/channel/EMAIL/performance', { query }));
    expect(channel).toMatchObject({
      campaign_count: String(count),
      total_budget: money(spent),
      total_spent: money(spent),
      total_revenue: money(revenue),
      total_impressions: String(BigInt(impressions) * n),
      total_leads: String(3n * n),
      cpl: ratio(spent, 3n * n),
      cpm: ratio(spent * 1000n, BigInt(impressions) * n),
      cpc: ratio(spent, BigInt(impressions) * n),
      roi: ratio((revenue - spent) * 10_000n, spent),
    });
    const type = ok(await c.get('/campaigns/analytics/type/EMAIL_BLAST/performance', { query }));
    expect(type).toMatchObject({ total_budget: money(spent), total_spent: money(spent), total_revenue: money(revenue), average_cpl: ratio(spent, 3n * n) });
    for (const channel_code of [undefined, 'EMAIL']) {
      const [point] = ok(await c.get('/campaigns/analytics/trends', { query: { ...query, ...(channel_code ? { channel_code } : {}) } })).data;
      expect(point).toMatchObject({ campaigns_launched: String(count), budget_allocated: money(spent), spend: money(spent), revenue: money(revenue) });
    }
  });

  it('adds 800 milestones planned 8,000 years after their leads into one day and type (their Σ days passes 2^31)', async () => {
    const leads = Array.from({ length: 800 }, (_, i) => ({ lead_code: `M${i}`, source_code: 'WEBSITE', created_at: '1900-01-01T00:00:00Z' }));
    const ids: string[] = ok(await c.post('/leads/bulk', { leads }), 201).data.map((l: { id: string }) => l.id);
    for (const id of ids) ok(await c.post(`/milestones/${id}`, { milestone_type_code: 'SITE_VISIT', achieved_date: '9998-12-31' }), 201);
    const days = (Date.parse('9998-12-31') - Date.parse('1900-01-01')) / 86_400_000;
    expect(days * 800).toBeGreaterThan(2 ** 31);
    const trends = ok(
      await c.get('/milestones/analytics/time-trends', { query: { start_date: '9998-12-31', end_date: '9998-12-31', type_code: 'SITE_VISIT' } }),
    );
    expect(trends.data).toEqual([
      expect.objectContaining({ date: '9998-12-31', type_code: 'SITE_VISIT', milestone_count: '800', average_time_to_hit: String(days) }),
    ]);
  });
});
