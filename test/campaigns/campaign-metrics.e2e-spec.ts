import { startTestApi, TestApi } from '../support/app';
import { newTenantId } from '../support/tenants';
import { bulkMetrics, createCampaign, expectStatus, fields, putMetric } from './campaign-builders';

/** Daily per-channel metrics: upsert, last write wins, the row rules, bulk all-or-nothing, totals. */
describe('campaign metrics', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  const setUp = async () => {
    const a = api.as({ tenant: newTenantId(), role: 'admin' });
    await createCampaign(a, { channels: [{ channel_code: 'EMAIL' }, { channel_code: 'FACEBOOK' }] });
    return a;
  };
  const campaign = (a: ReturnType<TestApi['as']>) => a.get('/campaigns/SPRING').then((r) => expectStatus(r, 200));

  it('PUT creates a row (201), then replaces it whole (200): last write wins', async () => {
    const a = await setUp();
    const first = await a.put('/campaigns/SPRING/metrics', {
      channel_code: 'EMAIL',
      metric_date: '2026-03-02',
      impressions: 1000,
      clicks: 50,
      leads_generated: 10,
      conversions: 2,
      spend: 99.99,
      revenue: 300,
    });
    expect(first.statusCode).toBe(201);
    expect(first.headers.etag).toBe('"1"');
    expect(first.json()).toMatchObject({
      campaign_code: 'SPRING',
      channel_code: 'EMAIL',
      metric_date: '2026-03-02',
      impressions: 1000,
      clicks: 50,
      leads_generated: 10,
      conversions: 2,
      spend: 99.99,
      revenue: 300,
      version: 1,
    });
    const second = await a.put('/campaigns/SPRING/metrics', { channel_code: 'EMAIL', metric_date: '2026-03-02', impressions: 7, spend: 1.5 });
    expect(second.statusCode).toBe(200);
    // The body is the whole row: omitted figures are 0, not kept.
    expect(second.json()).toMatchObject({
      id: first.json().id,
      impressions: 7,
      clicks: 0,
      leads_generated: 0,
      conversions: 0,
      spend: 1.5,
      revenue: 0,
      version: 2,
    });
    expect(expectStatus(await a.get('/campaigns/SPRING/metrics'), 200).total).toBe(1);
    expect(await campaign(a)).toMatchObject({ total_spent: 1.5, total_leads: 0, total_conversions: 0, total_revenue: 0, version: 1 });

    const audit = expectStatus(await a.get('/audit-log', { query: { entity_type: 'campaign_metric', entity_key: 'SPRING/EMAIL/2026-03-02' } }), 200).data;
    expect(audit.map((e: any) => e.action)).toEqual(['update', 'create']);
    expect(audit[0].changes).toMatchObject({ impressions: [1000, 7], spend: [99.99, 1.5] });
  });

  it('keeps the totals equal to the sums of the rows, across channels and days', async () => {
    const a = await setUp();
    await putMetric(a, 'SPRING', { channel_code: 'EMAIL', metric_date: '2026-03-01', leads_generated: 3, conversions: 1, spend: 10.1, revenue: 20 });
    await putMetric(a, 'SPRING', { channel_code: 'FACEBOOK', metric_date: '2026-03-01', leads_generated: 4, conversions: 2, spend: 0.2, revenue: 0.1 });
    await putMetric(a, 'SPRING', { channel_code: 'EMAIL', metric_date: '2026-03-05', leads_generated: 5, spend: 100 });
    // 10.10 + 0.20 + 100 = 110.30 spent; 3 + 4 + 5 = 12 leads; 1 + 2 = 3 conversions; 20 + 0.10 = 20.10 revenue.
    expect(await campaign(a)).toMatchObject({ total_spent: 110.3, total_leads: 12, total_conversions: 3, total_revenue: 20.1 });
    await putMetric(a, 'SPRING', { channel_code: 'EMAIL', metric_date: '2026-03-05', leads_generated: 1, spend: 0 });
    expect(await campaign(a)).toMatchObject({ total_spent: 10.3, total_leads: 8 });
  });

  it('refuses clicks over impressions and a channel the campaign does not have (400)', async () => {
    const a = await setUp();
    const over = await a.put('/campaigns/SPRING/metrics', { channel_code: 'EMAIL', metric_date: '2026-03-01', impressions: 10, clicks: 11 });
    expect(over.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'clicks', message: 'clicks (11) must not exceed impressions (10)' }] });
    expect(fields(await a.put('/campaigns/SPRING/metrics', { channel_code: 'GOOGLE_ADS', metric_date: '2026-03-01' }))).toEqual(['channel_code']);
    expect(fields(await a.put('/campaigns/SPRING/metrics', { channel_code: 'TIKTOK', metric_date: '2026-03-01' }))).toEqual(['channel_code']);
    expect(fields(await a.put('/campaigns/SPRING/metrics', { channel_code: 'EMAIL', metric_date: '2026-03-01', impressions: -1 }))).toEqual(['impressions']);
    expect(fields(await a.put('/campaigns/SPRING/metrics', { channel_code: 'EMAIL', metric_date: '2026-03-01', impressions: 1.5 }))).toEqual(['impressions']);
    expect(fields(await a.put('/campaigns/SPRING/metrics', { channel_code: 'EMAIL', metric_date: '2026-03-01', spend: 1.234 }))).toEqual(['spend']);
    expect(fields(await a.put('/campaigns/SPRING/metrics', { channel_code: 'EMAIL', metric_date: '2026-13-01' }))).toEqual(['metric_date']);
    expect(fields(await a.put('/campaigns/SPRING/metrics', { channel_code: 'EMAIL' }))).toEqual(['metric_date']);
    expect((await a.put('/campaigns/NOPE/metrics', { channel_code: 'EMAIL', metric_date: '2026-03-01' })).statusCode).toBe(404);
    expect(expectStatus(await a.get('/campaigns/SPRING/metrics'), 200).total).toBe(0);
    // A channel removed from the campaign takes no new rows; its old rows stay.
    await putMetric(a, 'SPRING', { channel_code: 'FACEBOOK', metric_date: '2026-03-01', spend: 4 });
    await a.patch('/campaigns/SPRING', { channels: [{ channel_code: 'EMAIL' }] });
    expect(fields(await a.put('/campaigns/SPRING/metrics', { channel_code: 'FACEBOOK', metric_date: '2026-03-02' }))).toEqual(['channel_code']);
    expect(expectStatus(await a.get('/campaigns/SPRING/metrics'), 200).data.map((m: any) => m.channel_code)).toEqual(['FACEBOOK']);
    expect((await campaign(a)).total_spent).toBe(4);
  });

  it('writes 5,000 rows in one bulk, all or nothing, naming every bad row by index', async () => {
    const a = await setUp();
    const day = (i: number) => new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const rows = Array.from({ length: 5000 }, (_, i) => ({
      channel_code: i % 2 === 0 ? 'EMAIL' : 'FACEBOOK',
      metric_date: day(Math.floor(i / 2)),
      impressions: 100,
      clicks: 5,
      leads_generated: 1,
      spend: 0.01,
    }));
    const bad = rows.map((r, i) => (i === 17 ? { ...r, clicks: 101 } : i === 4321 ? { ...r, channel_code: 'GOOGLE_ADS' } : r));
    const refused = await a.post('/campaigns/SPRING/metrics/bulk', { metrics: bad });
    expect(refused.statusCode).toBe(400);
    expect(fields(refused)).toEqual(['metrics[17].clicks', 'metrics[4321].channel_code']);
    expect(refused.json().detail).toContain('nothing was stored');
    expect(expectStatus(await a.get('/campaigns/SPRING/metrics'), 200).total).toBe(0);

    expect(await bulkMetrics(a, 'SPRING', rows)).toEqual({ campaign_code: 'SPRING', written: 5000, created: 5000, updated: 0 });
    expect(expectStatus(await a.get('/campaigns/SPRING/metrics', { query: { limit: 1 } }), 200).total).toBe(5000);
    expect(await campaign(a)).toMatchObject({ total_spent: 50, total_leads: 5000 });
    // The same 5,000 keys again: every row replaced (in chunks), none added.
    expect(
      await bulkMetrics(
        a,
        'SPRING',
        rows.map((r) => ({ ...r, spend: 0.02, leads_generated: 2 })),
      ),
    ).toEqual({
      campaign_code: 'SPRING',
      written: 5000,
      created: 0,
      updated: 5000,
    });
    expect(await campaign(a)).toMatchObject({ total_spent: 100, total_leads: 10000 });
    const last = expectStatus(await a.get('/campaigns/SPRING/metrics', { query: { offset: 4999 } }), 200).data[0];
    expect(last).toMatchObject({ spend: 0.02, leads_generated: 2, version: 2 });
    expect((await a.post('/campaigns/SPRING/metrics/bulk', { metrics: [...rows, rows[0]] })).statusCode).toBe(400); // 5,001
    expect(fields(await a.post('/campaigns/SPRING/metrics/bulk', { metrics: [] }))).toEqual(['metrics']);
  }, 120_000);

  it("holds totals of 5,000 rows at the per-row maxima exactly, and refuses a write past the totals' bounds (400)", async () => {
    const a = await setUp();
    const COUNT_MAX = 2_147_483_647; // a metric row's count maximum
    const day = (i: number) => new Date(Date.UTC(2000, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const rows = Array.from({ length: 5000 }, (_, i) => ({
      channel_code: i % 2 === 0 ? 'EMAIL' : 'FACEBOOK',
      metric_date: day(Math.floor(i / 2)),
      impressions: COUNT_MAX,
      clicks: COUNT_MAX,
      leads_generated: COUNT_MAX,
      conversions: COUNT_MAX,
      // 4,999 × 2,000,000,000 + 1,999,999,999.99 = 9,999,999,999,999.99, the money bound.
      spend: i === 4999 ? 1_999_999_999.99 : 2_000_000_000,
      revenue: i === 4999 ? 1_999_999_999.99 : 2_000_000_000,
    }));
    expect(await bulkMetrics(a, 'SPRING', rows)).toMatchObject({ written: 5000, created: 5000 });
    // 5,000 × 2,147,483,647 = 10,737,418,235,000.
    const totals = {
      total_leads: 10_737_418_235_000,
      total_conversions: 10_737_418_235_000,
      total_spent: 9_999_999_999_999.99,
      total_revenue: 9_999_999_999_999.99,
    };
    expect(await campaign(a)).toMatchObject(totals);
    const oneDay = expectStatus(await a.get('/campaigns/SPRING/metrics', { query: { limit: 1 } }), 200).data[0];
    expect(oneDay).toMatchObject({ impressions: COUNT_MAX, leads_generated: COUNT_MAX, spend: 2_000_000_000 });

    // One more cent would pass the bound: 400 naming the figure, nothing stored.
    const past = await a.put('/campaigns/SPRING/metrics', { channel_code: 'EMAIL', metric_date: '2026-01-01', spend: 0.01, revenue: 0.01 });
    expect(past.statusCode).toBe(400);
    expect(fields(past)).toEqual(['spend', 'revenue']);
    expect(past.json().detail).toContain('total_spent');
    expect(expectStatus(await a.get('/campaigns/SPRING/metrics', { query: { limit: 1 } }), 200).total).toBe(5000);
    expect(await campaign(a)).toMatchObject(totals);
    // Replacing a row with smaller money still passes.
    expect((await a.put('/campaigns/SPRING/metrics', { channel_code: 'EMAIL', metric_date: day(0), spend: 0.01 })).statusCode).toBe(200);
    // 9,999,999,999,999.99 − 2,000,000,000 + 0.01
    expect((await campaign(a)).total_spent).toBe(9_998_000_000_000);

    // Rows at the money maximum: 10 of them reach 9,999,999,999,990; a bulk of 11 is refused as a whole.
    const b = await setUp();
    const rich = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ channel_code: 'EMAIL', metric_date: day(i), spend: 999_999_999_999, conversions: COUNT_MAX }));
    const refused = await b.post('/campaigns/SPRING/metrics/bulk', { metrics: rich(11) });
    expect(refused.statusCode).toBe(400);
    expect(fields(refused)).toEqual(['metrics']);
    expect((await campaign(b)).total_spent).toBe(0);
    await bulkMetrics(b, 'SPRING', rich(10));
    expect(await campaign(b)).toMatchObject({ total_spent: 9_999_999_999_990, total_conversions: 21_474_836_470 });
  }, 120_000);

  it('checks the totals before writing: a refused write leaves no trace, not even used-up row ids', async () => {
    // MySQL/MariaDB never hand out an AUTO_INCREMENT id twice, even when the insert that took it is
    // rolled back; SQLite reuses it. A write refused after inserting its rows would leave a gap on
    // one engine only, and the two would number every later row differently (test/differential).
    const a = await setUp();
    const first = await putMetric(a, 'SPRING', { channel_code: 'EMAIL', metric_date: '2026-01-01', spend: 1 });
    const rich = Array.from({ length: 11 }, (_, i) => ({
      channel_code: 'FACEBOOK',
      metric_date: `2026-02-${String(i + 1).padStart(2, '0')}`,
      spend: 999_999_999_999,
    }));
    const refused = await a.post('/campaigns/SPRING/metrics/bulk', { metrics: rich });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().detail).toContain('nothing was stored');
    const next = await putMetric(a, 'SPRING', { channel_code: 'EMAIL', metric_date: '2026-01-02', spend: 2 });
    expect(next.id).toBe(first.id + 1);
    expect(await campaign(a)).toMatchObject({ total_spent: 3 });
  });

  it('replaces existing keys in a bulk, and keeps the last of a key repeated in the body', async () => {
    const a = await setUp();
    await putMetric(a, 'SPRING', { channel_code: 'EMAIL', metric_date: '2026-03-01', spend: 50 });
    const result = await bulkMetrics(a, 'SPRING', [
      { channel_code: 'EMAIL', metric_date: '2026-03-01', spend: 1 },
      { channel_code: 'FACEBOOK', metric_date: '2026-03-01', spend: 2 },
      { channel_code: 'EMAIL', metric_date: '2026-03-01', spend: 3 },
    ]);
    expect(result).toEqual({ campaign_code: 'SPRING', written: 2, created: 1, updated: 1 });
    const rows = expectStatus(await a.get('/campaigns/SPRING/metrics'), 200).data;
    expect(rows.map((m: any) => [m.channel_code, m.spend])).toEqual([
      ['EMAIL', 3],
      ['FACEBOOK', 2],
    ]);
    expect((await campaign(a)).total_spent).toBe(5);
    // One entry per written row, like a PUT: an update with the replaced figures, a create for the new row.
    const audit = async (key: string) =>
      expectStatus(await a.get('/audit-log', { query: { entity_type: 'campaign_metric', entity_key: `SPRING/${key}` } }), 200).data;
    const email = await audit('EMAIL/2026-03-01');
    expect(email.map((e: any) => e.action)).toEqual(['update', 'create']);
    expect(email[0].changes).toEqual({ spend: [50, 3] });
    const facebook = await audit('FACEBOOK/2026-03-01');
    expect(facebook.map((e: any) => e.action)).toEqual(['create']);
    expect(facebook[0].changes).toEqual({
      campaign_code: [null, 'SPRING'],
      channel_code: [null, 'FACEBOOK'],
      metric_date: [null, '2026-03-01'],
      impressions: [null, 0],
      clicks: [null, 0],
      leads_generated: [null, 0],
      conversions: [null, 0],
      spend: [null, 2],
      revenue: [null, 0],
    });
    // The same fields as the PUT's create entry.
    expect(Object.keys(facebook[0].changes).sort()).toEqual(Object.keys(email[1].changes).sort());
    expect(expectStatus(await a.get('/audit-log', { query: { entity_type: 'campaign_metrics' } }), 200).total).toBe(0);
  });

  it('lists by day then channel, with filters and paging', async () => {
    const a = await setUp();
    await bulkMetrics(a, 'SPRING', [
      { channel_code: 'FACEBOOK', metric_date: '2026-03-02' },
      { channel_code: 'EMAIL', metric_date: '2026-03-02' },
      { channel_code: 'FACEBOOK', metric_date: '2026-03-01' },
      { channel_code: 'EMAIL', metric_date: '2026-03-03' },
    ]);
    const list = (query: Record<string, string | number> = {}) =>
      a.get('/campaigns/SPRING/metrics', { query }).then((r) => expectStatus(r, 200).data.map((m: any) => `${m.metric_date} ${m.channel_code}`));
    expect(await list()).toEqual(['2026-03-01 FACEBOOK', '2026-03-02 EMAIL', '2026-03-02 FACEBOOK', '2026-03-03 EMAIL']);
    expect(await list({ channel_code: 'EMAIL' })).toEqual(['2026-03-02 EMAIL', '2026-03-03 EMAIL']);
    expect(await list({ start_date: '2026-03-02', end_date: '2026-03-02' })).toEqual(['2026-03-02 EMAIL', '2026-03-02 FACEBOOK']);
    expect(await list({ limit: 2, offset: 1 })).toEqual(['2026-03-02 EMAIL', '2026-03-02 FACEBOOK']);
  });

  it('serialises concurrent writes to one campaign: totals stay the sums of its rows', async () => {
    const a = await setUp();
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        putMetric(a, 'SPRING', {
          channel_code: i % 2 ? 'EMAIL' : 'FACEBOOK',
          metric_date: `2026-03-${String(1 + (i % 6)).padStart(2, '0')}`,
          spend: i + 1,
          leads_generated: 1,
        }),
      ),
    );
    const rows = expectStatus(await a.get('/campaigns/SPRING/metrics'), 200).data;
    const sum = rows.reduce((s: number, m: any) => s + m.spend, 0);
    expect(await campaign(a)).toMatchObject({ total_spent: sum, total_leads: rows.length });
  });
});
