import { startTestApi, TestApi } from '../support/app';
import { newTenantId } from '../support/tenants';
import { expectStatus, fields } from './campaign-builders';

// Instantiating and checking templates took up to 10 s a test on MariaDB on two busy cores; 30 s
// (jest.config.js) leaves too little headroom.
jest.setTimeout(90_000);

/** Campaign templates and instantiation (API.md §5). */
describe('campaign templates', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  const admin = () => api.as({ tenant: newTenantId(), role: 'admin' });
  const aTemplate = (over: Record<string, unknown> = {}) => ({
    template_name: 'Newsletter',
    campaign_type_code: 'EMAIL_BLAST',
    default_channels: ['EMAIL'],
    default_budget: 2000,
    default_budget_type_code: 'TOTAL',
    default_duration_days: 14,
    target_audience: { segment: 'customers' },
    kpis: ['open_rate', 'ctr'],
    ...over,
  });

  it('creates a template with server defaults and reads it back by id', async () => {
    const a = admin();
    const minimal = expectStatus(await a.post('/campaign-templates', { template_name: 'Bare', campaign_type_code: 'SEO_CAMPAIGN' }), 201);
    expect(minimal).toMatchObject({
      template_name: 'Bare',
      campaign_type_code: 'SEO_CAMPAIGN',
      default_channels: [],
      default_budget: null,
      default_budget_type_code: null,
      default_duration_days: null,
      target_audience: {},
      kpis: [],
      is_active: true,
      is_default: false,
      version: 1,
    });
    const full = expectStatus(await a.post('/campaign-templates', aTemplate()), 201);
    const read = await a.get(`/campaign-templates/${full.id}`);
    expect(read.headers.etag).toBe('"1"');
    expect(read.json()).toEqual(full);
    expect((await a.get('/campaign-templates/999999999')).statusCode).toBe(404);
    expect((await a.get('/campaign-templates/abc')).statusCode).toBe(404);
  });

  it('refuses codes that are not live, active rows of the tenant, naming each (400)', async () => {
    const a = admin();
    await a.post('/campaign-channels/FACEBOOK/deactivate');
    await a.delete('/campaign-budget-types/VARIABLE');
    const res = await a.post(
      '/campaign-templates',
      aTemplate({ campaign_type_code: 'NOPE', default_channels: ['EMAIL', 'TIKTOK', 'FACEBOOK'], default_budget_type_code: 'VARIABLE' }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { field: 'campaign_type_code', message: 'no campaign type NOPE in this tenant' },
      { field: 'default_channels[1]', message: 'no campaign channel TIKTOK in this tenant' },
      { field: 'default_channels[2]', message: 'campaign channel FACEBOOK is inactive' },
      { field: 'default_budget_type_code', message: 'no campaign budget type VARIABLE in this tenant' },
    ]);
    // Another tenant's codes are as unknown as any other.
    const other = admin();
    await other.post('/campaign-types', { type_code: 'THEIRS', type_name: 'Theirs' });
    expect(fields(await a.post('/campaign-templates', aTemplate({ campaign_type_code: 'THEIRS' })))).toEqual(['campaign_type_code']);
  });

  it('keeps a held reference that was deactivated since, but refuses it as a new one', async () => {
    const a = admin();
    const t = expectStatus(await a.post('/campaign-templates', aTemplate({ default_channels: ['EMAIL', 'FACEBOOK'] })), 201);
    await a.post('/campaign-channels/FACEBOOK/deactivate');
    expectStatus(await a.patch(`/campaign-templates/${t.id}`, { default_channels: ['FACEBOOK'] }), 200);
    const both = expectStatus(await a.patch(`/campaign-templates/${t.id}`, { default_channels: ['FACEBOOK', 'GOOGLE_ADS'] }), 200);
    expect(both.default_channels).toEqual(['FACEBOOK', 'GOOGLE_ADS']);
    expectStatus(await a.patch(`/campaign-templates/${t.id}`, { default_channels: ['FACEBOOK'] }), 200);
    await a.post('/campaign-channels/GOOGLE_ADS/deactivate');
    expect(fields(await a.patch(`/campaign-templates/${t.id}`, { default_channels: ['FACEBOOK', 'GOOGLE_ADS'] }))).toEqual(['default_channels[1]']);
  });

  it("refuses a default_budget outside its type's min/max on create, and on PATCH of the budget or the type (400)", async () => {
    const a = admin();
    await a.patch('/campaign-types/EMAIL_BLAST', { min_budget: 100, max_budget: 1000 });
    await a.post('/campaign-types', { type_code: 'SMALL', type_name: 'Small', max_budget: 500 });
    const over = await a.post('/campaign-templates', aTemplate({ default_budget: 1500 }));
    expect(fields(over)).toEqual(['default_budget']);
    expect(over.json().detail).toContain('default_budget must be at most 1000');
    expect(fields(await a.post('/campaign-templates', aTemplate({ default_budget: 50 })))).toEqual(['default_budget']);
    const t = expectStatus(await a.post('/campaign-templates', aTemplate({ default_budget: 800 })), 201);
    expect(fields(await a.patch(`/campaign-templates/${t.id}`, { default_budget: 1000.01 }))).toEqual(['default_budget']);
    // Moving to a type whose range excludes the stored budget is refused; with a fitting budget it is not.
    expect(fields(await a.patch(`/campaign-templates/${t.id}`, { campaign_type_code: 'SMALL' }))).toEqual(['default_budget']);
    expect(expectStatus(await a.patch(`/campaign-templates/${t.id}`, { campaign_type_code: 'SMALL', default_budget: 500 }), 200)).toMatchObject({
      campaign_type_code: 'SMALL',
      default_budget: 500,
    });
    // A type's range moving later does not block unrelated edits (it binds at instantiate, unless overridden).
    await a.patch('/campaign-types/SMALL', { max_budget: 400 });
    expect(expectStatus(await a.patch(`/campaign-templates/${t.id}`, { template_name: 'Renamed' }), 200).default_budget).toBe(500);
    expectStatus(await a.patch(`/campaign-templates/${t.id}`, { default_budget: null }), 200);
    expect((await a.get('/campaign-templates/' + t.id)).json().version).toBe(4);
  });

  it('orders by is_default desc, then template_name, and keeps one default per campaign type', async () => {
    const a = admin();
    const b = expectStatus(await a.post('/campaign-templates', aTemplate({ template_name: 'B', is_default: true })), 201);
    const c = expectStatus(await a.post('/campaign-templates', aTemplate({ template_name: 'C', is_default: true })), 201);
    expectStatus(await a.post('/campaign-templates', aTemplate({ template_name: 'A' })), 201);
    expectStatus(await a.post('/campaign-templates', aTemplate({ template_name: 'S', campaign_type_code: 'SOCIAL_ADS', is_default: true })), 201);
    const list = expectStatus(await a.get('/campaign-templates'), 200);
    expect(list.data.map((t: any) => [t.template_name, t.is_default])).toEqual([
      ['C', true],
      ['S', true],
      ['A', false],
      ['B', false],
    ]);
    const audit = expectStatus(await a.get('/audit-log', { query: { entity_type: 'campaign_template', entity_key: String(b.id) } }), 200);
    expect(audit.data[0]).toMatchObject({ action: 'update', changes: { is_default: [true, false] } });
    expect(expectStatus(await a.get('/campaign-templates', { query: { campaign_type_code: 'SOCIAL_ADS' } }), 200).data).toHaveLength(1);
    // Moving C to another type makes it that type's default and clears S.
    expectStatus(await a.patch(`/campaign-templates/${c.id}`, { campaign_type_code: 'SOCIAL_ADS' }), 200);
    const social = expectStatus(await a.get('/campaign-templates', { query: { campaign_type_code: 'SOCIAL_ADS' } }), 200).data;
    expect(social.map((t: any) => [t.template_name, t.is_default])).toEqual([
      ['C', true],
      ['S', false],
    ]);
  });

  it("goes with its type's deletion and comes back with its restore", async () => {
    const a = admin();
    await a.post('/campaign-types', { type_code: 'WEBINAR', type_name: 'Webinar' });
    const t = expectStatus(await a.post('/campaign-templates', aTemplate({ campaign_type_code: 'WEBINAR' })), 201);
    const gone = expectStatus(await a.post('/campaign-templates', aTemplate({ campaign_type_code: 'WEBINAR', template_name: 'Gone' })), 201);
    expect((await a.delete(`/campaign-templates/${gone.id}`)).statusCode).toBe(204);
    expect((await a.delete('/campaign-types/WEBINAR')).statusCode).toBe(204);
    expect((await a.get(`/campaign-templates/${t.id}`)).statusCode).toBe(404);
    expectStatus(await a.post('/campaign-types/WEBINAR/restore'), 200);
    expect(expectStatus(await a.get(`/campaign-templates/${t.id}`), 200).campaign_type_code).toBe('WEBINAR');
    // Deleted on its own before, it stays deleted.
    expect((await a.get(`/campaign-templates/${gone.id}`)).statusCode).toBe(404);
    expectStatus(await a.post(`/campaign-templates/${gone.id}/restore`), 200);
  });

  it('patches with If-Match, activates, deactivates, deletes and restores (admin)', async () => {
    const tenant = newTenantId();
    const a = api.as({ tenant, role: 'admin' });
    const manager = api.as({ tenant, role: 'manager' });
    const agent = api.as({ tenant, role: 'agent' });
    const t = expectStatus(await manager.post('/campaign-templates', aTemplate()), 201);
    expect((await agent.post('/campaign-templates', aTemplate())).statusCode).toBe(403);
    expect((await manager.patch(`/campaign-templates/${t.id}`, { kpis: [] }, { headers: { 'if-match': '"5"' } })).statusCode).toBe(412);
    expect(expectStatus(await manager.patch(`/campaign-templates/${t.id}`, { kpis: [], default_budget: null }), 200)).toMatchObject({
      kpis: [],
      default_budget: null,
      version: 2,
    });
    expect(expectStatus(await manager.post(`/campaign-templates/${t.id}/deactivate`), 200).is_active).toBe(false);
    expect(expectStatus(await a.get('/campaign-templates'), 200).data).toHaveLength(0);
    expect(expectStatus(await manager.post(`/campaign-templates/${t.id}/activate`), 200).is_active).toBe(true);
    expect((await manager.delete(`/campaign-templates/${t.id}`)).statusCode).toBe(204);
    expect((await manager.post(`/campaign-templates/${t.id}/restore`)).statusCode).toBe(403);
    expect((await manager.get('/campaign-templates', { query: { include_deleted: true } })).statusCode).toBe(403);
    expect(expectStatus(await a.get('/campaign-templates', { query: { include_deleted: true } }), 200).data[0].deleted_at).toEqual(expect.any(String));
    expectStatus(await a.post(`/campaign-templates/${t.id}/restore`), 200);
    expect((await a.post(`/campaign-templates/${t.id}/restore`)).statusCode).toBe(404);
  });

  it('restores once when restores race, auditing the deleted row as before', async () => {
    const a = admin();
    const t = expectStatus(await a.post('/campaign-templates', aTemplate({ is_default: true })), 201);
    expectStatus(await a.delete(`/campaign-templates/${t.id}`), 204);
    const deleted = expectStatus(await a.get('/campaign-templates', { query: { include_deleted: true } }), 200).data[0];
    const restores = await Promise.all(Array.from({ length: 8 }, () => a.post(`/campaign-templates/${t.id}/restore`)));
    // One restore brings it back; the others find no deleted template left (404), as a later restore would.
    expect(restores.map((r) => r.statusCode).sort()).toEqual([200, ...Array(7).fill(404)]);
    const restored = expectStatus(await a.get(`/campaign-templates/${t.id}`), 200);
    expect(restored).toMatchObject({ is_default: true, version: deleted.version + 1 });
    const audit = expectStatus(await a.get('/audit-log', { query: { entity_type: 'campaign_template', entity_key: String(t.id) } }), 200).data;
    const entries = audit.filter((e: any) => e.action === 'restore');
    expect(entries).toHaveLength(1);
    expect(entries[0].changes.deleted_at).toEqual([deleted.deleted_at, null]);
  });

  describe('instantiate', () => {
    it("copies the template's defaults", async () => {
      const a = admin();
      const t = expectStatus(await a.post('/campaign-templates', aTemplate({ default_channels: ['EMAIL', 'FACEBOOK'] })), 201);
      const res = await a.post(`/campaign-templates/${t.id}/instantiate`, {
        campaign_code: 'NL_MARCH',
        campaign_name: 'March newsletter',
        start_date: '2026-03-01',
      });
      expect(res.statusCode).toBe(201);
      expect(res.headers.etag).toBe('"1"');
      expect(res.json()).toMatchObject({
        campaign_code: 'NL_MARCH',
        campaign_name: 'March newsletter',
        campaign_type_code: 'EMAIL_BLAST',
        status_code: 'DRAFT',
        budget_type_code: 'TOTAL',
        budget: 2000,
        start_date: '2026-03-01',
        end_date: '2026-03-14', // 14 days, both ends included
        channels: [
          { channel_code: 'EMAIL', allocated_budget: 0 },
          { channel_code: 'FACEBOOK', allocated_budget: 0 },
        ],
        target_audience: { segment: 'customers' },
        kpis: ['open_rate', 'ctr'],
        template_id: t.id,
        total_spent: 0,
      });
      const audit = expectStatus(await a.get('/audit-log', { query: { entity_type: 'campaign', entity_key: 'NL_MARCH' } }), 200).data;
      expect(audit[0]).toMatchObject({ action: 'create', changes: { template_id: [null, t.id] } });
    });

    it('applies overrides, and falls back to the type’s typical duration', async () => {
      const a = admin();
      await a.patch('/campaign-types/EMAIL_BLAST', { typical_duration_days: 7 });
      const t = expectStatus(await a.post('/campaign-templates', aTemplate({ default_duration_days: null })), 201);
      const c = expectStatus(
        await a.post(`/campaign-templates/${t.id}/instantiate`, {
          campaign_code: 'NL',
          campaign_name: 'Newsletter',
          start_date: '2026-12-28',
          budget: 500,
          budget_type_code: null,
          channels: [{ channel_code: 'GOOGLE_ADS', allocated_budget: 300 }],
          kpis: ['leads'],
          status_code: 'ACTIVE',
        }),
        201,
      );
      expect(c).toMatchObject({
        end_date: '2027-01-03',
        budget: 500,
        budget_type_code: null,
        channels: [{ channel_code: 'GOOGLE_ADS', allocated_budget: 300 }],
        kpis: ['leads'],
        target_audience: { segment: 'customers' },
        status_code: 'ACTIVE',
      });
      const open = expectStatus(
        await a.post(`/campaign-templates/${t.id}/instantiate`, { campaign_code: 'NL2', campaign_name: 'x', start_date: '2026-01-01', end_date: null }),
        201,
      );
      expect(open.end_date).toBeNull();
    });

    it("names a stale default as the template's field, and a sent override as the caller's", async () => {
      const a = admin();
      await a.post('/campaign-channels', { channel_code: 'TIKTOK', channel_name: 'TikTok' });
      const t = expectStatus(await a.post('/campaign-templates', aTemplate({ default_channels: ['EMAIL', 'TIKTOK'], default_budget: 800 })), 201);
      await a.patch('/campaign-types/EMAIL_BLAST', { max_budget: 700 }); // the template's 800 is outside now
      await a.delete('/campaign-channels/TIKTOK');
      await a.post('/campaign-budget-types/TOTAL/deactivate');
      const body = { campaign_code: 'X', campaign_name: 'x', start_date: '2026-01-01' };
      const stale = await a.post(`/campaign-templates/${t.id}/instantiate`, body);
      expect(stale.statusCode).toBe(400);
      expect(fields(stale)).toEqual(['default_budget_type_code', 'default_channels[1]', 'default_budget']);
      expect(stale.json().detail).toContain('default_channels[1]: no campaign channel TIKTOK in this tenant');
      // The same problems in values the caller sent are named by the caller's fields.
      const sent = await a.post(`/campaign-templates/${t.id}/instantiate`, {
        ...body,
        budget: 900,
        budget_type_code: 'TOTAL',
        channels: [{ channel_code: 'TIKTOK' }],
      });
      expect(fields(sent)).toEqual(['budget_type_code', 'channels[0].channel_code', 'budget']);
      // Overriding the stale values instantiates.
      const ok = { ...body, budget: 700, budget_type_code: null, channels: [{ channel_code: 'EMAIL' }] };
      expect(expectStatus(await a.post(`/campaign-templates/${t.id}/instantiate`, ok), 201)).toMatchObject({ budget: 700, template_id: t.id });
    });

    it('checks the result like any new campaign', async () => {
      const a = admin();
      await a.patch('/campaign-types/EMAIL_BLAST', { max_budget: 1000 });
      const t = expectStatus(await a.post('/campaign-templates', aTemplate({ default_budget: 800 })), 201);
      expect(
        fields(await a.post(`/campaign-templates/${t.id}/instantiate`, { campaign_code: 'X', campaign_name: 'x', start_date: '2026-01-01', budget: 1500 })),
      ).toEqual(['budget']);
      // A default channel deleted since the template was saved is named as the template's field.
      await a.delete('/campaign-channels/EMAIL');
      expect(fields(await a.post(`/campaign-templates/${t.id}/instantiate`, { campaign_code: 'X', campaign_name: 'x', start_date: '2026-01-01' }))).toEqual([
        'default_channels[0]',
      ]);
      expect(fields(await a.post(`/campaign-templates/${t.id}/instantiate`, { campaign_code: 'X', start_date: '2026-01-01' }))).toEqual(['campaign_name']);
      expect(
        fields(
          await a.post(`/campaign-templates/${t.id}/instantiate`, {
            campaign_code: 'X',
            campaign_name: 'x',
            start_date: '2026-01-01',
            campaign_type_code: 'SOCIAL_ADS',
          }),
        ),
      ).toEqual(['campaign_type_code']);
      expectStatus(
        await a.post('/campaigns', { campaign_code: 'TAKEN', campaign_name: 'x', campaign_type_code: 'SEO_CAMPAIGN', start_date: '2026-01-01' }),
        201,
      );
      expect(
        (await a.post(`/campaign-templates/${t.id}/instantiate`, { campaign_code: 'TAKEN', campaign_name: 'x', start_date: '2026-01-01', channels: [] })).json()
          .code,
      ).toBe('DUPLICATE_CODE');
      await a.post(`/campaign-templates/${t.id}/deactivate`);
      expect(
        (await a.post(`/campaign-templates/${t.id}/instantiate`, { campaign_code: 'Y', campaign_name: 'y', start_date: '2026-01-01', channels: [] })).json()
          .code,
      ).toBe('CONFLICT');
      expect((await a.post('/campaign-templates/424242/instantiate', { campaign_code: 'Y', campaign_name: 'y', start_date: '2026-01-01' })).statusCode).toBe(
        404,
      );
    });
  });
});
