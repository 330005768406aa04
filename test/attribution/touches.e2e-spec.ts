import { Client, startTestApi, TestApi } from '../support/app';
import { createCampaign, createLead } from '../support/builders';
import { ok } from '../support/responses';
import { newTenantId } from '../support/tenants';
import { TenantScope } from '../../src/tenancy/tenant-scope';
import { LeadTouches } from '../../src/lead-sources/attribution/lead-touches.service';

const TOUCH = {
  utm_source: 'google',
  utm_medium: 'cpc',
  utm_campaign: 'spring-sale',
  utm_content: 'banner-a',
  utm_term: 'crm software',
  gclid: 'EAIaIQobChMI-abc_123',
  referrer: 'https://www.google.com/',
  landing_page: 'https://example.com/offer?utm_source=google',
  occurred_at: '2026-03-10T11:00:00Z',
};

describe('touches (docs/attribution.md)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());
  const tenant = (role: 'admin' | 'manager' | 'agent' | 'viewer' = 'admin', id = newTenantId()): Client => api.as({ tenant: id, role });

  it('records the origin touch with the lead: first_touch and last_touch, listed with where its credit goes', async () => {
    const c = tenant();
    const lead = await createLead(c, { source_code: 'WEBSITE', created_at: '2026-03-10T12:00:00Z', touch: TOUCH });
    const summary = { id: 1, is_origin: true, ...TOUCH, occurred_at: '2026-03-10T11:00:00.000Z', fbclid: null, msclkid: null };
    expect(lead.first_touch).toEqual(summary);
    expect(lead.last_touch).toEqual(summary);
    expect(ok(await c.get(`/leads/${lead.id}`)).first_touch).toEqual(summary);
    const listed = ok(await c.get(`/leads/${lead.id}/touches`));
    expect(listed).toEqual({
      data: [
        {
          ...summary,
          lead_id: lead.id,
          attributed_to: { rule_id: null, source_code: 'WEBSITE', sub_source_code: null, channel_code: null, campaign_code: null, campaign_channel_code: null },
          created_at: expect.any(String),
          created_by: expect.any(String),
        },
      ],
      total: 1,
      limit: 50,
      offset: 0,
    });
  });

  it('defaults the origin touch to the lead creation; a lead without a touch has none', async () => {
    const c = tenant();
    const withTouch = await createLead(c, { source_code: 'WEBSITE', created_at: '2026-03-10T12:00:00Z', touch: { utm_source: 'x' } });
    expect(withTouch.first_touch.occurred_at).toBe('2026-03-10T12:00:00.000Z');
    const without = await createLead(c, { source_code: 'WEBSITE' });
    expect([without.first_touch, without.last_touch]).toEqual([null, null]);
    expect(ok(await c.get(`/leads/${without.id}/touches`)).data).toEqual([]);
  });

  it('bounds and checks every touch field; unknown fields are refused', async () => {
    const c = tenant();
    const bad: [Record<string, unknown>, string][] = [
      [{ utm_source: '' }, 'touch.utm_source'],
      [{ utm_source: 'x'.repeat(256) }, 'touch.utm_source'],
      [{ utm_medium: 'a\u0000b' }, 'touch.utm_medium'],
      [{ utm_campaign: 5 }, 'touch.utm_campaign'],
      [{ gclid: 'has space' }, 'touch.gclid'],
      [{ fbclid: 'é' }, 'touch.fbclid'],
      [{ msclkid: 'x'.repeat(256) }, 'touch.msclkid'],
      [{ referrer: 'javascript:alert(1)' }, 'touch.referrer'],
      [{ landing_page: 'ftp://example.com/x' }, 'touch.landing_page'],
      [{ landing_page: `https://example.com/${'a'.repeat(2048)}` }, 'touch.landing_page'],
      [{ occurred_at: '2026-03-10' }, 'touch.occurred_at'],
      [{ occurred_at: '2999-01-01T00:00:00Z' }, 'touch.occurred_at'],
      [{ session: 'abc' }, 'touch.session'],
    ];
    for (const [touch, field] of bad) {
      const res = await c.post('/leads', { source_code: 'WEBSITE', touch });
      expect([touch, res.statusCode, res.json().errors?.map((e: { field: string }) => e.field)]).toEqual([touch, 400, expect.arrayContaining([field])]);
    }
    expect((await c.post('/leads', { source_code: 'WEBSITE', touch: 'google' })).statusCode).toBe(400);
    // A bulk row is named by its index.
    const res = await c.post('/leads/bulk', { leads: [{ source_code: 'WEBSITE' }, { source_code: 'WEBSITE', touch: { referrer: 'nope' } }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain('leads[1].touch.referrer');
    expect(ok(await c.get('/leads')).total).toBe(0);
  });

  it('needs a source or a touch, and codes other than the source only with it', async () => {
    const c = tenant();
    const none = await c.post('/leads', { status: 'new' });
    expect([none.statusCode, none.json().errors]).toEqual([400, [{ field: 'source_code', message: 'source_code is required unless a touch is given' }]]);
    const partial = await c.post('/leads', { channel_code: 'PAID', touch: { utm_source: 'google' } });
    expect([partial.statusCode, partial.json().errors]).toEqual([400, [{ field: 'source_code', message: 'channel_code needs source_code' }]]);
    const bulk = await c.post('/leads/bulk', { leads: [{ source_code: 'WEBSITE' }, { campaign_code: 'X', sub_source_code: 'Y', touch: {} }] });
    expect([bulk.statusCode, bulk.json().errors]).toEqual([
      400,
      [{ field: 'leads[1].source_code', message: 'sub_source_code, campaign_code need source_code' }],
    ]);
  });

  it('records later touches in path order, after the first point, at most 5 minutes ahead; any fact writer; 404 for a lead of another tenant', async () => {
    const id = newTenantId();
    const c = tenant('admin', id);
    const lead = await createLead(c, {
      source_code: 'WEBSITE',
      created_at: '2026-03-10T12:00:00Z',
      touch: { utm_source: 'google', occurred_at: '2026-03-10T11:00:00Z' },
    });
    const early = await c.post(`/leads/${lead.id}/touches`, { utm_source: 'newsletter', occurred_at: '2026-03-10T10:59:59Z' });
    expect([early.statusCode, early.json().errors?.[0]?.field]).toEqual([400, 'occurred_at']);
    const late = await c.post(`/leads/${lead.id}/touches`, { occurred_at: '2999-01-01T00:00:00Z' });
    expect([late.statusCode, late.json().errors?.[0]?.field]).toEqual([400, 'occurred_at']);
    expect((await c.post(`/leads/${lead.id}/touches`, { utm_source: 'x', extra: 1 })).statusCode).toBe(400);
    expect((await tenant('viewer', id).post(`/leads/${lead.id}/touches`, { utm_source: 'x' })).statusCode).toBe(403);
    expect((await tenant().post(`/leads/${lead.id}/touches`, { utm_source: 'x' })).statusCode).toBe(404);
    expect((await tenant().get(`/leads/${lead.id}/touches`)).statusCode).toBe(404);
    expect((await c.post('/leads/99999/touches', { utm_source: 'x' })).statusCode).toBe(404);
  });

  it('keeps the lead codes as named, and answers the matched campaign with the lead', async () => {
    const c = tenant();
    await createCampaign(c, { campaign_code: 'SPRING' });
    const lead = await createLead(c, { source_code: 'SOCIAL', sub_source_code: 'FACEBOOK', campaign_code: 'SPRING', touch: { utm_source: 'anything' } });
    expect(lead).toMatchObject({ source_code: 'SOCIAL', sub_source_code: 'FACEBOOK', campaign_code: 'SPRING' });
    const [touch] = ok(await c.get(`/leads/${lead.id}/touches`)).data;
    expect(touch.attributed_to).toMatchObject({ source_code: 'SOCIAL', sub_source_code: 'FACEBOOK', campaign_code: 'SPRING' });
    // The origin's credit follows the lead: a PATCH moving the lead moves it.
    ok(await c.patch(`/leads/${lead.id}`, { source_code: 'EMAIL', campaign_code: null }));
    expect(ok(await c.get(`/leads/${lead.id}/touches`)).data[0].attributed_to).toMatchObject({
      source_code: 'EMAIL',
      sub_source_code: null,
      campaign_code: null,
    });
  });
});

describe('touches recorded by a host (LeadTouches.recordMany)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('records many leads touches in one call, as the route would, all or nothing', async () => {
    const tenant = newTenantId();
    const c = api.as({ tenant, role: 'admin' });
    const scope = api.app.get(TenantScope);
    const touches = api.app.get(LeadTouches);
    const a = await createLead(c, { source_code: 'WEBSITE', created_at: '2026-03-10T12:00:00Z' });
    const b = await createLead(c, { source_code: 'EMAIL', created_at: '2026-03-11T12:00:00Z' });
    const stored = await scope.run(tenant, () =>
      touches.recordMany([
        { lead_id: a.id, touch: { utm_source: 'x', occurred_at: '2026-03-12T00:00:00Z' } },
        { lead_id: b.id, touch: { utm_source: 'y', occurred_at: '2026-03-13T00:00:00Z' } },
        { lead_id: a.id, touch: { utm_source: 'z', occurred_at: '2026-03-14T00:00:00Z' } },
      ]),
    );
    expect(stored).toBe(3);
    const listed = ok(await c.get(`/leads/${a.id}/touches`)).data;
    expect(listed.map((t: { utm_source: string; attributed_to: { source_code: string } }) => [t.utm_source, t.attributed_to.source_code])).toEqual([
      ['x', 'UNMAPPED'],
      ['z', 'UNMAPPED'],
    ]);
    // Linear: each lead shares itself with its touches (a: 1/3 each, b: 1/2 each), all on UNMAPPED but the origins.
    const body = ok(await c.get('/lead-sources/analytics/performance', { query: { start_date: '2026-03-01', end_date: '2026-03-31', model: 'linear' } }));
    const credits = Object.fromEntries(body.data.map((s: { source_code: string; attributed_leads: number }) => [s.source_code, s.attributed_leads]));
    expect(credits).toMatchObject({ WEBSITE: 0.333334, EMAIL: 0.5, UNMAPPED: 1.166666 });
    // One bad item refuses them all, named by its index; an unknown lead is a 404.
    const bad = await scope
      .run(tenant, () =>
        touches.recordMany([
          { lead_id: a.id, touch: { utm_source: 'ok' } },
          { lead_id: b.id, touch: { referrer: 'nope' } },
        ]),
      )
      .catch((e: { getStatus(): number; getResponse(): { errors: { field: string }[] } }) => [e.getStatus(), e.getResponse().errors.map((x) => x.field)]);
    expect(bad).toEqual([400, ['touches[1].referrer']]);
    const missing = await scope.run(tenant, () => touches.recordMany([{ lead_id: 9999, touch: {} }])).catch((e: { getStatus(): number }) => e.getStatus());
    expect(missing).toBe(404);
    expect(ok(await c.get(`/leads/${a.id}/touches`)).total).toBe(2);
  });
});
