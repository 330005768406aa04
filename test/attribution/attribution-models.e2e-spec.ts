import { Client, startTestApi, TestApi } from '../support/app';
import { createCampaign, createLead, putMetric } from '../support/builders';
import { ok } from '../support/responses';
import { newTenantId } from '../support/tenants';

const R = { start_date: '2026-03-01', end_date: '2026-03-31' };
const MODELS = ['first', 'last', 'linear', 'position_based', 'time_decay'] as const;

/** POST /attribution-rules: 201 and the rule. */
async function rule(c: Client, body: Record<string, unknown>): Promise<any> {
  return ok(await c.post('/attribution-rules', body), 201);
}

/** Per source code credited under `model` over R: [attributed_leads, attributed_conversions, attributed_revenue]. */
async function bySource(c: Client, model: string): Promise<Record<string, [unknown, unknown, unknown]>> {
  const body = ok(await c.get('/lead-sources/analytics/performance', { query: { ...R, model } }));
  return Object.fromEntries(
    body.data
      .filter((s: { attributed_leads: number }) => s.attributed_leads !== 0)
      .map((s: any) => [s.source_code, [s.attributed_leads, s.attributed_conversions, s.attributed_revenue]]),
  );
}

/**
 * Every model worked by hand on one lead with three touches (docs/attribution.md):
 * A 2026-03-10 11:00 google → WEBSITE (the origin: the lead is created from it),
 * B 2026-03-17 11:00 newsletter-march → EMAIL,
 * C 2026-03-24 11:00 facebook → SOCIAL/FACEBOOK, campaign SPRING on campaign channel FACEBOOK;
 * converted at C (2026-03-24 11:00) for 300.00, acquisition cost 30.00, created 2026-03-10 12:00.
 * A second lead names EMAIL and has no touch: the whole lead to EMAIL in every model.
 */
describe('attribution models, worked by hand', () => {
  let api: TestApi;
  let c: Client;
  beforeAll(async () => {
    api = await startTestApi();
    c = api.as({ tenant: newTenantId(), role: 'admin' });
    await createCampaign(c, { campaign_code: 'SPRING', campaign_type_code: 'SOCIAL_ADS', channels: [{ channel_code: 'FACEBOOK', allocated_budget: 100 }] });
    await rule(c, { name: 'Google', priority: 10, utm_source: { value: 'google', match: 'exact' }, source_code: 'WEBSITE' });
    await rule(c, { name: 'Newsletters', priority: 20, utm_source: { value: 'NEWS', match: 'prefix' }, source_code: 'EMAIL' });
    await rule(c, {
      name: 'Facebook spring',
      priority: 30,
      utm_source: { value: 'facebook', match: 'exact' },
      source_code: 'SOCIAL',
      sub_source_code: 'FACEBOOK',
      campaign_code: 'SPRING',
      campaign_channel_code: 'FACEBOOK',
    });
    const lead = await createLead(c, {
      created_at: '2026-03-10T12:00:00Z',
      expected_value: 300,
      acquisition_cost: 30,
      touch: { utm_source: 'google', occurred_at: '2026-03-10T11:00:00Z' },
    });
    expect(lead).toMatchObject({ source_code: 'WEBSITE', sub_source_code: null, campaign_code: null });
    ok(await c.post(`/leads/${lead.id}/touches`, { utm_source: 'newsletter-march', occurred_at: '2026-03-17T11:00:00Z' }), 201);
    const touchC = ok(await c.post(`/leads/${lead.id}/touches`, { utm_source: 'facebook', occurred_at: '2026-03-24T11:00:00Z' }), 201);
    expect(touchC.attributed_to).toMatchObject({
      source_code: 'SOCIAL',
      sub_source_code: 'FACEBOOK',
      campaign_code: 'SPRING',
      campaign_channel_code: 'FACEBOOK',
    });
    ok(await c.patch(`/leads/${lead.id}`, { status: 'converted', converted_at: '2026-03-24T11:00:00Z' }));
    await createLead(c, { source_code: 'EMAIL', created_at: '2026-03-12T09:00:00Z', acquisition_cost: 5 });
    // The platform reports 4 leads and 2 conversions for SPRING on FACEBOOK in March.
    await putMetric(c, 'SPRING', { channel_code: 'FACEBOOK', metric_date: '2026-03-10', leads_generated: 4, conversions: 2, spend: 40 });
  });
  afterAll(() => api.close());

  it('first: the lead on its own codes, as before models (and the default)', async () => {
    expect(await bySource(c, 'first')).toEqual({ WEBSITE: [1, 1, 300], EMAIL: [1, 0, 0] });
    // Without a model the answer is the one of before models; model=first adds its credits, equal to the own figures.
    const plain = ok(await c.get('/lead-sources/analytics/performance', { query: R }));
    const first = ok(await c.get('/lead-sources/analytics/performance', { query: { ...R, model: 'first' } }));
    const strip = (rows: Record<string, unknown>[]): Record<string, unknown>[] =>
      rows.map(({ attributed_leads: _l, attributed_conversions: _c, attributed_revenue: _r, sub_sources, ...rest }) =>
        sub_sources ? { ...rest, sub_sources: strip(sub_sources as Record<string, unknown>[]) } : rest,
      );
    expect(plain.data[0]).not.toHaveProperty('attributed_leads');
    expect({ ...first, data: strip(first.data) }).toEqual(plain);
    const website = first.data.find((s: { source_code: string }) => s.source_code === 'WEBSITE');
    expect(website).toMatchObject({
      leads_generated: 1,
      leads_converted: 1,
      revenue: 300,
      attributed_leads: 1,
      attributed_conversions: 1,
      attributed_revenue: 300,
    });
    expect(ok(await c.get('/campaigns/analytics/types', { query: R })).data[0]).not.toHaveProperty('attributed_leads');
  });

  it('last: the whole lead to C', async () => {
    expect(await bySource(c, 'last')).toEqual({ SOCIAL: [1, 1, 300], EMAIL: [1, 0, 0] });
  });

  it('linear: a third each, the odd unit to A; 300.00 shared to the cent', async () => {
    // Units 333,334 / 333,333 / 333,333; 30,000 cents → 10,000.02 / 9,999.99 / 9,999.99 → 10,000 / 9,999 / 9,999, and the
    // two cents left go to the larger remainders (B and C, .99 each): 10,000 / 10,000 / 10,000.
    expect(await bySource(c, 'linear')).toEqual({ WEBSITE: [0.333334, 0.333334, 100], EMAIL: [1.333333, 0.333333, 100], SOCIAL: [0.333333, 0.333333, 100] });
  });

  it('position_based: 40 / 20 / 40', async () => {
    expect(await bySource(c, 'position_based')).toEqual({ WEBSITE: [0.4, 0.4, 120], EMAIL: [1.2, 0.2, 60], SOCIAL: [0.4, 0.4, 120] });
  });

  it('time_decay: ages 14, 7 and 0 days before the conversion weigh 1/4, 1/2, 1', async () => {
    // 142,857.14 / 285,714.29 / 571,428.57 units → 142,857 / 285,714 / 571,429.
    // 30,000 cents → 4,285.71 / 8,571.42 / 17,142.87 → 4,286 / 8,571 / 17,143 (the two cents to the largest remainders, C and A).
    expect(await bySource(c, 'time_decay')).toEqual({
      WEBSITE: [0.142857, 0.142857, 42.86],
      EMAIL: [1.285714, 0.285714, 85.71],
      SOCIAL: [0.571429, 0.571429, 171.43],
    });
  });

  it('a lead is worth exactly one in every model: the credits of both leads add up to 2, its revenue to 300.00', async () => {
    for (const model of MODELS) {
      const body = ok(await c.get('/lead-sources/analytics/performance', { query: { ...R, model } }));
      const units = body.data.reduce((t: number, s: { attributed_leads: number }) => t + Math.round(s.attributed_leads * 1e6), 0);
      const cents = body.data.reduce((t: number, s: { attributed_revenue: number }) => t + Math.round(s.attributed_revenue * 100), 0);
      expect([model, units, cents]).toEqual([model, 2_000_000, 30_000]);
    }
  });

  it('keeps the figures of the leads own codes beside the credits, in sources, subsources and trends', async () => {
    // Under linear SOCIAL has no lead of its own (the lead is WEBSITE's) but a third of one credited.
    const social = ok(await c.get('/lead-sources/SOCIAL/performance', { query: { ...R, model: 'linear' } }));
    expect(social).toMatchObject({
      leads_generated: 0,
      leads_converted: 0,
      revenue: 0,
      conversion_rate: null,
      attributed_leads: 0.333333,
      attributed_conversions: 0.333333,
    });
    expect(social.attributed_revenue).toBe(100);
    const facebook = ok(await c.get('/lead-sources/SOCIAL/subsources/FACEBOOK/performance', { query: { ...R, model: 'position_based' } }));
    expect(facebook).toMatchObject({ leads_generated: 0, attributed_leads: 0.4, attributed_conversions: 0.4, attributed_revenue: 120 });
    const website = ok(await c.get('/lead-sources/WEBSITE/performance', { query: { ...R, model: 'position_based' } }));
    expect(website).toMatchObject({ leads_generated: 1, leads_converted: 1, revenue: 300, total_cost: 30, attributed_leads: 0.4, attributed_revenue: 120 });
    const trends = ok(await c.get('/lead-sources/analytics/trends', { query: { ...R, model: 'time_decay', interval: 'month', source_code: 'SOCIAL' } }));
    expect(trends.data).toEqual([
      {
        date: '2026-03-01',
        source_code: 'SOCIAL',
        source_name: 'Social',
        leads_generated: 0,
        conversions: 0,
        revenue: 0,
        attributed_leads: 0.571429,
        attributed_conversions: 0.571429,
        attributed_revenue: 171.43,
      },
    ]);
  });

  it('campaign types and channels: the reported figures beside what the CRM attributes, and their ratio', async () => {
    // SPRING gets only C's credit: first 0 (the lead names no campaign), last 1, linear 1/3, position 0.4, time decay 0.571429.
    const want: Record<string, [number, number, number | null, number | null]> = {
      first: [0, 0, 0, 0],
      last: [1, 1, 25, 50],
      linear: [0.333333, 0.333333, 8.33, 16.67],
      position_based: [0.4, 0.4, 10, 20],
      time_decay: [0.571429, 0.571429, 14.29, 28.57],
    };
    for (const model of MODELS) {
      const type = ok(await c.get('/campaigns/analytics/type/SOCIAL_ADS/performance', { query: { ...R, model } }));
      const channel = ok(await c.get('/campaigns/analytics/channel/FACEBOOK/performance', { query: { ...R, model } }));
      for (const row of [type, channel]) {
        expect([model, row.total_leads, row.total_conversions]).toEqual([model, 4, 2]);
        expect([model, row.attributed_leads, row.attributed_conversions, row.attributed_leads_percent, row.attributed_conversions_percent]).toEqual([
          model,
          ...want[model],
        ]);
      }
      // No metric rows for EMAIL_BLAST: the ratio has no denominator.
      const email = ok(await c.get('/campaigns/analytics/type/EMAIL_BLAST/performance', { query: { ...R, model } }));
      expect([email.attributed_leads, email.attributed_leads_percent, email.attributed_conversions_percent]).toEqual([0, null, null]);
    }
  });

  it('refuses an unknown model', async () => {
    for (const path of [
      '/lead-sources/analytics/performance',
      '/lead-sources/analytics/trends',
      '/campaigns/analytics/types',
      '/campaigns/analytics/channels',
    ]) {
      const res = await c.get(path, { query: { ...R, model: 'u_shaped' } });
      expect([path, res.statusCode, res.json().errors?.[0]?.field]).toEqual([path, 400, 'model']);
    }
  });
});
