import { Client, startTestApi, TestApi } from '../support/app';
import { newTenantId } from '../support/tenants';
import { bulkMetrics, createCampaign, expectStatus } from './campaign-builders';

/**
 * Campaign analytics against a fixture whose every figure is worked out by hand below.
 *
 * Range R = 2026-03-01 (a Sunday) .. 2026-03-31. Tenant A:
 *
 *   campaign  type           status     budget  start       end         channels (allocated)            counts in R?
 *   DESIGN    SOCIAL_ADS     ACTIVE     60000   2026-03-01  2026-03-31  FACEBOOK 40000, GOOGLE_ADS 20000  yes
 *   NEWS      EMAIL_BLAST    COMPLETED   5000   2026-02-15  2026-03-01  EMAIL 5000                       yes (ends on R's first day)
 *   LATE      EMAIL_BLAST    DRAFT       1000   2026-03-31  —           EMAIL 400, FACEBOOK 600          yes (starts on R's last day)
 *   OLD       EMAIL_BLAST    ACTIVE      9999   2026-01-01  2026-02-28  EMAIL 9999                       no (ended the day before)
 *   FUTURE    SEO_CAMPAIGN   DRAFT        123   2026-04-01  —           GOOGLE_ADS 123                   no (starts after)
 *   WEB       WEBINAR*       DRAFT        300   2026-03-10  —           EMAIL 300                        yes (*type deleted later)
 *   GONE      SOCIAL_ADS     DRAFT      10000   2026-03-05  —           FACEBOOK 10000                   no (campaign deleted)
 *
 *   metric rows  (spend, impressions, clicks, leads, conversions, revenue)
 *   DESIGN FACEBOOK   03-10  30000  3000000  75000  2000  400  60000
 *   DESIGN GOOGLE_ADS 03-11  18500  2000000  50000  1500  300  37000   (GOOGLE_ADS channel deleted later)
 *   DESIGN FACEBOOK   04-01    777     1000     10     7    1    100   (outside R)
 *   NEWS   EMAIL      02-28    100     1000     10    10    1     50   (outside R, but in the week of 02-23)
 *   NEWS   EMAIL      03-01    200    10000    300    20    5    150
 *   OLD    EMAIL      03-05     50     1000     10     5    0      0   (a metric row dated in R counts even if
 *                                                                        its campaign did not run in R)
 *   WEB    EMAIL      03-12     30      600      6     3    1     90
 *   GONE   FACEBOOK   03-06   5000   100000   1000   100   10   9000   (campaign deleted: counts nowhere)
 *
 * Tenant B has the same codes and a big SOCIAL_ADS/FACEBOOK row on 03-10: it must count nowhere in A.
 */
describe('campaign analytics', () => {
  let api: TestApi;
  let a: Client;
  const R = { start_date: '2026-03-01', end_date: '2026-03-31' };
  const m = (
    channel_code: string,
    metric_date: string,
    spend: number,
    impressions: number,
    clicks: number,
    leads: number,
    conversions: number,
    revenue: number,
  ) => ({
    channel_code,
    metric_date,
    spend,
    impressions,
    clicks,
    leads_generated: leads,
    conversions,
    revenue,
  });

  beforeAll(async () => {
    api = await startTestApi();
    a = api.as({ tenant: newTenantId(), role: 'admin' });
    const to = async (code: string, ...statuses: string[]) => {
      for (const s of statuses) expectStatus(await a.post(`/campaigns/${code}/transition`, { status_code: s }), 200);
    };
    expectStatus(await a.post('/campaign-types', { type_code: 'WEBINAR', type_name: 'Webinar' }), 201);
    await createCampaign(a, {
      campaign_code: 'DESIGN',
      campaign_type_code: 'SOCIAL_ADS',
      budget: 60000,
      start_date: '2026-03-01',
      end_date: '2026-03-31',
      channels: [
        { channel_code: 'FACEBOOK', allocated_budget: 40000 },
        { channel_code: 'GOOGLE_ADS', allocated_budget: 20000 },
      ],
    });
    await createCampaign(a, {
      campaign_code: 'NEWS',
      budget: 5000,
      start_date: '2026-02-15',
      end_date: '2026-03-01',
      channels: [{ channel_code: 'EMAIL', allocated_budget: 5000 }],
    });
    await createCampaign(a, {
      campaign_code: 'LATE',
      budget: 1000,
      start_date: '2026-03-31',
      channels: [
        { channel_code: 'EMAIL', allocated_budget: 400 },
        { channel_code: 'FACEBOOK', allocated_budget: 600 },
      ],
    });
    await createCampaign(a, {
      campaign_code: 'OLD',
      budget: 9999,
      start_date: '2026-01-01',
      end_date: '2026-02-28',
      channels: [{ channel_code: 'EMAIL', allocated_budget: 9999 }],
    });
    await createCampaign(a, {
      campaign_code: 'FUTURE',
      campaign_type_code: 'SEO_CAMPAIGN',
      budget: 123,
      start_date: '2026-04-01',
      channels: [{ channel_code: 'GOOGLE_ADS', allocated_budget: 123 }],
    });
    await createCampaign(a, {
      campaign_code: 'WEB',
      campaign_type_code: 'WEBINAR',
      budget: 300,
      start_date: '2026-03-10',
      channels: [{ channel_code: 'EMAIL', allocated_budget: 300 }],
    });
    await createCampaign(a, {
      campaign_code: 'GONE',
      campaign_type_code: 'SOCIAL_ADS',
      budget: 10000,
      start_date: '2026-03-05',
      channels: [{ channel_code: 'FACEBOOK', allocated_budget: 10000 }],
    });

    await bulkMetrics(a, 'DESIGN', [
      m('FACEBOOK', '2026-03-10', 30000, 3000000, 75000, 2000, 400, 60000),
      m('GOOGLE_ADS', '2026-03-11', 18500, 2000000, 50000, 1500, 300, 37000),
      m('FACEBOOK', '2026-04-01', 777, 1000, 10, 7, 1, 100),
    ]);
    await bulkMetrics(a, 'NEWS', [m('EMAIL', '2026-02-28', 100, 1000, 10, 10, 1, 50), m('EMAIL', '2026-03-01', 200, 10000, 300, 20, 5, 150)]);
    await bulkMetrics(a, 'OLD', [m('EMAIL', '2026-03-05', 50, 1000, 10, 5, 0, 0)]);
    await bulkMetrics(a, 'WEB', [m('EMAIL', '2026-03-12', 30, 600, 6, 3, 1, 90)]);
    await bulkMetrics(a, 'GONE', [m('FACEBOOK', '2026-03-06', 5000, 100000, 1000, 100, 10, 9000)]);

    await to('DESIGN', 'ACTIVE');
    await to('NEWS', 'ACTIVE', 'COMPLETED');
    await to('OLD', 'ACTIVE');
    expect((await a.delete('/campaigns/GONE')).statusCode).toBe(204);
    expect((await a.delete('/campaign-types/WEBINAR')).statusCode).toBe(204);
    expect((await a.delete('/campaign-channels/GOOGLE_ADS')).statusCode).toBe(204);

    const b = api.as({ tenant: newTenantId(), role: 'admin' });
    await createCampaign(b, {
      campaign_code: 'DESIGN',
      campaign_type_code: 'SOCIAL_ADS',
      budget: 777777,
      start_date: '2026-03-01',
      channels: [
        { channel_code: 'FACEBOOK', allocated_budget: 777777 },
        { channel_code: 'EMAIL', allocated_budget: 1 },
      ],
    });
    await bulkMetrics(b, 'DESIGN', [m('FACEBOOK', '2026-03-10', 99999, 9999999, 99999, 9999, 999, 99999), m('EMAIL', '2026-03-01', 1, 1, 1, 1, 1, 1)]);
    await b.post('/campaign-types', { type_code: 'B_ONLY', type_name: 'B only' });
  }, 120_000);
  afterAll(() => api.close());

  describe('type performance', () => {
    const SOCIAL_ADS = {
      type_code: 'SOCIAL_ADS',
      type_name: 'Social ads',
      total_campaigns: 1, // DESIGN (GONE is deleted)
      active_campaigns: 1, // DESIGN is ACTIVE: neither initial nor final
      completed_campaigns: 0,
      total_budget: 60000,
      total_spent: 48500, // 30000 + 18500; the April row and GONE's row do not count
      total_leads: 3500,
      total_conversions: 700,
      total_revenue: 97000,
      average_cpl: 13.86, // 48500 / 3500 = 13.857…
      roi: 100, // (97000 − 48500) / 48500 × 100
      conversion_rate: 20, // 700 / 3500 × 100
    };
    const EMAIL_BLAST = {
      type_code: 'EMAIL_BLAST',
      type_name: 'Email blast',
      total_campaigns: 2, // NEWS (ends on R's first day) and LATE (starts on R's last day); OLD ended before
      active_campaigns: 0, // NEWS is COMPLETED (final), LATE is DRAFT (initial)
      completed_campaigns: 1,
      total_budget: 6000, // 5000 + 1000
      total_spent: 250, // NEWS 03-01: 200, OLD 03-05: 50 (NEWS 02-28 is outside R)
      total_leads: 25,
      total_conversions: 5,
      total_revenue: 150,
      average_cpl: 10, // 250 / 25
      roi: -40, // (150 − 250) / 250 × 100
      conversion_rate: 20, // 5 / 25 × 100
    };
    const WEBINAR = {
      type_code: 'WEBINAR', // deleted type: its facts stay under its code
      type_name: 'Webinar',
      total_campaigns: 1,
      active_campaigns: 0,
      completed_campaigns: 0,
      total_budget: 300,
      total_spent: 30,
      total_leads: 3,
      total_conversions: 1,
      total_revenue: 90,
      average_cpl: 10,
      roi: 200, // (90 − 30) / 30 × 100
      conversion_rate: 33.33, // 1 / 3 × 100
    };
    const SEO_CAMPAIGN = {
      type_code: 'SEO_CAMPAIGN', // FUTURE starts after R: a zero row, rates null
      type_name: 'SEO campaign',
      total_campaigns: 0,
      active_campaigns: 0,
      completed_campaigns: 0,
      total_budget: 0,
      total_spent: 0,
      total_leads: 0,
      total_conversions: 0,
      total_revenue: 0,
      average_cpl: null,
      roi: null,
      conversion_rate: null,
    };

    it('lists every type by total_spent desc, deleted types with facts included', async () => {
      expect(expectStatus(await a.get('/campaigns/analytics/types', { query: R }), 200)).toEqual({
        ...R,
        data: [SOCIAL_ADS, EMAIL_BLAST, WEBINAR, SEO_CAMPAIGN],
      });
    });

    it('answers one type as an object with the range', async () => {
      expect(expectStatus(await a.get('/campaigns/analytics/type/SOCIAL_ADS/performance', { query: R }), 200)).toEqual({ ...SOCIAL_ADS, ...R });
      expect(expectStatus(await a.get('/campaigns/analytics/type/WEBINAR/performance', { query: R }), 200)).toEqual({ ...WEBINAR, ...R });
      expect(expectStatus(await a.get('/campaigns/analytics/type/SEO_CAMPAIGN/performance', { query: R }), 200)).toEqual({ ...SEO_CAMPAIGN, ...R });
      expect((await a.get('/campaigns/analytics/type/NOPE/performance', { query: R })).statusCode).toBe(404);
      expect((await a.get('/campaigns/analytics/type/B_ONLY/performance', { query: R })).statusCode).toBe(404); // another tenant's
    });

    it('moves with the range edges', async () => {
      // R' = 03-11 .. 03-11: DESIGN (runs all March) and WEB (open-ended from 03-10) ran; only the GOOGLE_ADS row is dated in R'.
      const one = { start_date: '2026-03-11', end_date: '2026-03-11' };
      const data = expectStatus(await a.get('/campaigns/analytics/types', { query: one }), 200).data;
      expect(data.map((t: any) => [t.type_code, t.total_campaigns, t.total_budget, t.total_spent, t.average_cpl])).toEqual([
        ['SOCIAL_ADS', 1, 60000, 18500, 12.33], // 18500 / 1500
        ['EMAIL_BLAST', 0, 0, 0, null],
        ['SEO_CAMPAIGN', 0, 0, 0, null],
        ['WEBINAR', 1, 300, 0, null],
      ]);
      // R'' = 02-28 .. 02-28: NEWS and OLD ran; NEWS's 02-28 row counts.
      const before = expectStatus(
        await a.get('/campaigns/analytics/type/EMAIL_BLAST/performance', { query: { start_date: '2026-02-28', end_date: '2026-02-28' } }),
        200,
      );
      expect(before).toMatchObject({
        total_campaigns: 2,
        active_campaigns: 1,
        completed_campaigns: 1,
        total_budget: 14999,
        total_spent: 100,
        total_leads: 10,
        roi: -50,
      });
    });
  });

  describe('channel performance', () => {
    const FACEBOOK = {
      channel_code: 'FACEBOOK',
      channel_name: 'Facebook',
      campaign_count: 2, // DESIGN and LATE (GONE is deleted)
      total_budget: 40600, // 40000 + 600
      total_spent: 30000,
      total_impressions: 3000000,
      total_clicks: 75000,
      total_leads: 2000,
      total_conversions: 400,
      total_revenue: 60000,
      cpl: 15, // 30000 / 2000
      cpm: 10, // 30000 / 3000000 × 1000
      ctr: 2.5, // 75000 / 3000000 × 100
      cpc: 0.4, // 30000 / 75000
      conversion_rate: 20,
      roi: 100,
    };
    const GOOGLE_ADS = {
      channel_code: 'GOOGLE_ADS', // deleted channel: still reported under its code
      channel_name: 'Google Ads',
      campaign_count: 1, // DESIGN; FUTURE starts after R
      total_budget: 20000,
      total_spent: 18500,
      total_impressions: 2000000,
      total_clicks: 50000,
      total_leads: 1500,
      total_conversions: 300,
      total_revenue: 37000,
      cpl: 12.33, // 18500 / 1500 = 12.333…
      cpm: 9.25, // 18500 / 2000000 × 1000
      ctr: 2.5,
      cpc: 0.37, // 18500 / 50000
      conversion_rate: 20,
      roi: 100,
    };
    const EMAIL = {
      channel_code: 'EMAIL',
      channel_name: 'Email',
      campaign_count: 3, // NEWS, LATE, WEB (OLD did not run in R)
      total_budget: 5700, // 5000 + 400 + 300
      total_spent: 280, // 200 + 50 + 30
      total_impressions: 11600, // 10000 + 1000 + 600
      total_clicks: 316, // 300 + 10 + 6
      total_leads: 28, // 20 + 5 + 3
      total_conversions: 6, // 5 + 0 + 1
      total_revenue: 240, // 150 + 0 + 90
      cpl: 10, // 280 / 28
      cpm: 24.14, // 280 / 11600 × 1000 = 24.137…
      ctr: 2.72, // 316 / 11600 × 100 = 2.724…
      cpc: 0.89, // 280 / 316 = 0.886…
      conversion_rate: 21.43, // 6 / 28 × 100 = 21.428…
      roi: -14.29, // (240 − 280) / 280 × 100 = −14.285…
    };

    it('lists every channel by total_spent desc, with the budgets counted once per allocation', async () => {
      expect(expectStatus(await a.get('/campaigns/analytics/channels', { query: R }), 200)).toEqual({ ...R, data: [FACEBOOK, GOOGLE_ADS, EMAIL] });
    });

    it('answers one channel as an object with the range', async () => {
      expect(expectStatus(await a.get('/campaigns/analytics/channel/EMAIL/performance', { query: R }), 200)).toEqual({ ...EMAIL, ...R });
      expect(expectStatus(await a.get('/campaigns/analytics/channel/GOOGLE_ADS/performance', { query: R }), 200)).toEqual({ ...GOOGLE_ADS, ...R });
      expect((await a.get('/campaigns/analytics/channel/TIKTOK/performance', { query: R })).statusCode).toBe(404);
    });

    it("reproduces the original design's example: CPM 9.70, CTR 2.50, CPC 0.39, CPL 13.86, conversion rate 20.00", async () => {
      const c = api.as({ tenant: newTenantId(), role: 'manager' });
      await createCampaign(c, {
        campaign_code: 'EXAMPLE',
        budget: 50000,
        start_date: '2026-05-01',
        channels: [{ channel_code: 'GOOGLE_ADS', allocated_budget: 50000 }],
      });
      // Three days that add up to spend 48,500, 5,000,000 impressions, 125,000 clicks, 3,500 leads, 700 conversions.
      await bulkMetrics(c, 'EXAMPLE', [
        m('GOOGLE_ADS', '2026-05-01', 20000.25, 2000000, 50000, 1400, 280, 40000),
        m('GOOGLE_ADS', '2026-05-02', 18000.5, 1800000, 45000, 1300, 260, 35000),
        m('GOOGLE_ADS', '2026-05-03', 10499.25, 1200000, 30000, 800, 160, 25000),
      ]);
      const res = expectStatus(
        await c.get('/campaigns/analytics/channel/GOOGLE_ADS/performance', { query: { start_date: '2026-05-01', end_date: '2026-05-31' } }),
        200,
      );
      expect(res).toMatchObject({
        total_spent: 48500,
        total_impressions: 5000000,
        total_clicks: 125000,
        total_leads: 3500,
        total_conversions: 700,
        cpm: 9.7,
        ctr: 2.5,
        cpc: 0.39,
        cpl: 13.86,
        conversion_rate: 20,
        roi: 106.19, // (100000 − 48500) / 48500 × 100 = 106.185…
      });
    });
  });

  describe('trends', () => {
    const zero = {
      campaigns_launched: 0,
      budget_allocated: 0,
      spend: 0,
      impressions: 0,
      clicks: 0,
      leads_generated: 0,
      conversions: 0,
      revenue: 0,
      cpl: null,
      roi: null,
    };

    it('fills every day of the range', async () => {
      const res = expectStatus(await a.get('/campaigns/analytics/trends', { query: R }), 200);
      expect(res).toMatchObject({ ...R, interval: 'day' });
      expect(res.data).toHaveLength(31);
      const byDate = Object.fromEntries(res.data.map((p: any) => [p.date, p]));
      expect(byDate['2026-03-01']).toEqual({
        date: '2026-03-01',
        campaigns_launched: 1, // DESIGN (NEWS started in February)
        budget_allocated: 60000,
        spend: 200,
        impressions: 10000,
        clicks: 300,
        leads_generated: 20,
        conversions: 5,
        revenue: 150,
        cpl: 10,
        roi: -25, // (150 − 200) / 200 × 100
      });
      expect(byDate['2026-03-05']).toEqual({ ...zero, date: '2026-03-05', spend: 50, impressions: 1000, clicks: 10, leads_generated: 5, cpl: 10, roi: -100 });
      expect(byDate['2026-03-06']).toEqual({ ...zero, date: '2026-03-06' }); // GONE's row: deleted campaign
      expect(byDate['2026-03-10']).toEqual({
        ...zero,
        date: '2026-03-10',
        campaigns_launched: 1, // WEB
        budget_allocated: 300,
        spend: 30000,
        impressions: 3000000,
        clicks: 75000,
        leads_generated: 2000,
        conversions: 400,
        revenue: 60000,
        cpl: 15,
        roi: 100,
      });
      expect(byDate['2026-03-31']).toEqual({ ...zero, date: '2026-03-31', campaigns_launched: 1, budget_allocated: 1000 }); // LATE
      const busy = ['2026-03-01', '2026-03-05', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-31'];
      for (const p of res.data.filter((p: any) => !busy.includes(p.date))) expect(p).toEqual({ ...zero, date: p.date });
    });

    it('folds days into weeks starting on Monday, counting only days inside the range', async () => {
      const res = expectStatus(await a.get('/campaigns/analytics/trends', { query: { ...R, interval: 'week' } }), 200);
      expect(res.interval).toBe('week');
      expect(res.data).toEqual([
        // Week of Monday 02-23: only 03-01 is in R (NEWS's 02-28 row is not).
        {
          ...zero,
          date: '2026-02-23',
          campaigns_launched: 1,
          budget_allocated: 60000,
          spend: 200,
          impressions: 10000,
          clicks: 300,
          leads_generated: 20,
          conversions: 5,
          revenue: 150,
          cpl: 10,
          roi: -25,
        },
        { ...zero, date: '2026-03-02', spend: 50, impressions: 1000, clicks: 10, leads_generated: 5, cpl: 10, roi: -100 },
        {
          date: '2026-03-09',
          campaigns_launched: 1,
          budget_allocated: 300,
          spend: 48530, // 30000 + 18500 + 30
          impressions: 5000600,
          clicks: 125006,
          leads_generated: 3503,
          conversions: 701,
          revenue: 97090,
          cpl: 13.85, // 48530 / 3503 = 13.853…
          roi: 100.06, // (97090 − 48530) / 48530 × 100 = 100.061…
        },
        { ...zero, date: '2026-03-16' },
        { ...zero, date: '2026-03-23' },
        // Week of 03-30: LATE launches 03-31; DESIGN's 04-01 row and FUTURE's launch are after R.
        { ...zero, date: '2026-03-30', campaigns_launched: 1, budget_allocated: 1000 },
      ]);
    });

    it('folds the month into one point', async () => {
      const res = expectStatus(await a.get('/campaigns/analytics/trends', { query: { ...R, interval: 'month' } }), 200);
      expect(res.data).toEqual([
        {
          date: '2026-03-01',
          campaigns_launched: 3, // DESIGN, WEB, LATE
          budget_allocated: 61300, // 60000 + 300 + 1000
          spend: 48780, // 200 + 50 + 30000 + 18500 + 30
          impressions: 5011600,
          clicks: 125316,
          leads_generated: 3528,
          conversions: 706,
          revenue: 97240,
          cpl: 13.83, // 48780 / 3528 = 13.826…
          roi: 99.34, // (97240 − 48780) / 48780 × 100 = 99.344…
        },
      ]);
    });

    it('filters by type and by channel (the channel’s allocation is the launched budget)', async () => {
      const get = (query: Record<string, string>) =>
        a.get('/campaigns/analytics/trends', { query: { ...R, interval: 'month', ...query } }).then((r) => expectStatus(r, 200).data[0]);
      // EMAIL_BLAST: LATE launched (1000); rows NEWS 03-01 and OLD 03-05.
      expect(await get({ campaign_type_code: 'EMAIL_BLAST' })).toEqual({
        date: '2026-03-01',
        campaigns_launched: 1,
        budget_allocated: 1000,
        spend: 250,
        impressions: 11000,
        clicks: 310,
        leads_generated: 25,
        conversions: 5,
        revenue: 150,
        cpl: 10,
        roi: -40,
      });
      // EMAIL channel: LATE (400) and WEB (300) launched; rows 03-01, 03-05, 03-12.
      expect(await get({ channel_code: 'EMAIL' })).toMatchObject({
        campaigns_launched: 2,
        budget_allocated: 700,
        spend: 280,
        leads_generated: 28,
        revenue: 240,
        cpl: 10,
        roi: -14.29,
      });
      // SOCIAL_ADS on FACEBOOK: DESIGN launched with 40000 on FACEBOOK; its FACEBOOK row of 03-10.
      expect(await get({ campaign_type_code: 'SOCIAL_ADS', channel_code: 'FACEBOOK' })).toMatchObject({
        campaigns_launched: 1,
        budget_allocated: 40000,
        spend: 30000,
        leads_generated: 2000,
        cpl: 15,
      });
      // A deleted type's code still filters its facts; an unknown code matches nothing.
      expect(await get({ campaign_type_code: 'WEBINAR' })).toMatchObject({ campaigns_launched: 1, budget_allocated: 300, spend: 30 });
      expect(await get({ campaign_type_code: 'B_ONLY' })).toEqual({ ...zero, date: '2026-03-01' });
    });

    it('checks the range and the interval', async () => {
      expect((await a.get('/campaigns/analytics/trends', { query: { start_date: '2026-03-02', end_date: '2026-03-01' } })).statusCode).toBe(400);
      expect((await a.get('/campaigns/analytics/trends', { query: { interval: 'year' } })).statusCode).toBe(400);
      expect((await a.get('/campaigns/analytics/types', { query: { days: 0 } })).statusCode).toBe(400);
      const last7 = expectStatus(await a.get('/campaigns/analytics/trends', { query: { days: 7 } }), 200);
      expect(last7.data).toHaveLength(7);
      expect(last7.end_date).toBe(new Date().toISOString().slice(0, 10));
      const byDefault = expectStatus(await a.get('/campaigns/analytics/channels'), 200);
      expect(new Date(byDefault.end_date).getTime() - new Date(byDefault.start_date).getTime()).toBe(29 * 86_400_000);
    });
  });

  describe('active campaigns', () => {
    it("count campaigns whose status is neither initial nor final, by the statuses' current flags", async () => {
      const c = api.as({ tenant: newTenantId(), role: 'admin' });
      const to = async (code: string, ...statuses: string[]) => {
        for (const s of statuses) expectStatus(await c.post(`/campaigns/${code}/transition`, { status_code: s }), 200);
      };
      for (const code of ['A', 'B1', 'B2', 'C']) await createCampaign(c, { campaign_code: code, start_date: '2026-03-05' });
      await to('B1', 'ACTIVE');
      await to('B2', 'ACTIVE');
      await to('C', 'ACTIVE', 'COMPLETED');
      const counts = async () => {
        const p = expectStatus(await c.get('/campaigns/analytics/type/EMAIL_BLAST/performance', { query: R }), 200);
        return [p.total_campaigns, p.active_campaigns, p.completed_campaigns];
      };
      // A DRAFT (initial), B1 and B2 ACTIVE, C COMPLETED (final).
      expect(await counts()).toEqual([4, 2, 1]);
      // COMPLETED stops being final: C counts as active, no campaign as completed.
      expectStatus(await c.patch('/campaign-statuses/COMPLETED', { is_final: false }), 200);
      expect(await counts()).toEqual([4, 3, 0]);
      // ACTIVE becomes the initial status (DRAFT stops being it): A and C active, B1 and B2 not.
      expectStatus(await c.patch('/campaign-statuses/ACTIVE', { is_initial: true }), 200);
      expect(await counts()).toEqual([4, 2, 0]);
    });
  });

  describe('another tenant', () => {
    it("sees none of A's figures, and A sees none of its own", async () => {
      const b = api.as({ tenant: newTenantId(), role: 'viewer' });
      const types = expectStatus(await b.get('/campaigns/analytics/types', { query: R }), 200).data;
      expect(types.every((t: any) => t.total_campaigns === 0 && t.total_spent === 0)).toBe(true);
      expect(types.map((t: any) => t.type_code)).toEqual(['EMAIL_BLAST', 'SEO_CAMPAIGN', 'SOCIAL_ADS']);
      const channels = expectStatus(await b.get('/campaigns/analytics/channels', { query: R }), 200).data;
      expect(channels.every((c: any) => c.campaign_count === 0 && c.total_budget === 0)).toBe(true);
      expect((await b.get('/campaigns/analytics/type/WEBINAR/performance', { query: R })).statusCode).toBe(404);
    });
  });
});
