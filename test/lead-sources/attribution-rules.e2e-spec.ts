import { startTestApi, TestApi } from '../support/app';
import { createCampaign } from '../support/builders';
import { expectForbidden, expectNotFound, expectProblem, fieldsOf } from '../support/problems';
import { ok } from '../support/responses';
import { newTenantId } from '../support/tenants';

// Sets up tenants, campaigns and rules: a few seconds a test on MariaDB on two busy cores.
jest.setTimeout(90_000);

/** Attribution mapping rules and their dry-run (docs/attribution.md, "Mapping rules"; API.md §3). */
describe('attribution rules', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  const admin = (tenant = newTenantId()) => api.as({ tenant, role: 'admin' });
  const googleRule = (over: Record<string, unknown> = {}) => ({
    name: 'Google Ads',
    priority: 10,
    utm_source: { value: 'google', match: 'exact' },
    utm_medium: { value: 'cp', match: 'prefix' },
    source_code: 'SOCIAL',
    sub_source_code: 'FACEBOOK',
    channel_code: 'PAID',
    ...over,
  });

  it('creates a rule with defaults, reads it back by id with its ETag, and lists by priority then id', async () => {
    const a = admin();
    const created = await a.post('/attribution-rules', { name: 'Newsletter', utm_medium: { value: 'email', match: 'exact' }, source_code: 'EMAIL' });
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.json()).toEqual({
      id: 1,
      created_at: expect.any(String),
      updated_at: expect.any(String),
      created_by: expect.any(String),
      updated_by: expect.any(String),
      version: 1,
      name: 'Newsletter',
      priority: 0,
      is_active: true,
      utm_source: null,
      utm_medium: { value: 'email', match: 'exact' },
      utm_campaign: null,
      source_code: 'EMAIL',
      sub_source_code: null,
      channel_code: null,
      campaign_code: null,
      campaign_channel_code: null,
    });
    const second = ok(await a.post('/attribution-rules', googleRule({ priority: 5 })), 201);
    const third = ok(await a.post('/attribution-rules', googleRule({ name: 'Later tie', priority: 5 })), 201);
    const read = await a.get(`/attribution-rules/${second.id}`);
    expect(read.headers.etag).toBe('"1"');
    expect(read.json()).toEqual(second);
    const list = ok(await a.get('/attribution-rules'));
    expect(list.data.map((r: { id: number }) => r.id)).toEqual([1, second.id, third.id]);
    expect(list.total).toBe(3);
    expectNotFound(await a.get('/attribution-rules/999999'));
    expectNotFound(await a.get('/attribution-rules/abc'));
  });

  it('refuses unknown fields, bad shapes, no condition, and codes that are not live rows of the tenant, naming each field', async () => {
    const a = admin();
    expect(fieldsOf(await a.post('/attribution-rules', googleRule({ color: 'red' })))).toContain('color');
    expect(fieldsOf(await a.post('/attribution-rules', googleRule({ utm_source: { value: 'google', match: 'exact', extra: 1 } })))).toEqual([
      'utm_source.extra',
    ]);
    expect(fieldsOf(await a.post('/attribution-rules', googleRule({ utm_source: { value: '', match: 'exact' } })))).toEqual(['utm_source.value']);
    expect(fieldsOf(await a.post('/attribution-rules', googleRule({ utm_source: { value: 'x'.repeat(256), match: 'exact' } })))).toEqual(['utm_source.value']);
    expect(fieldsOf(await a.post('/attribution-rules', googleRule({ utm_source: { value: 'google', match: 'contains' } })))).toEqual(['utm_source.match']);
    expect(fieldsOf(await a.post('/attribution-rules', googleRule({ priority: -1 })))).toEqual(['priority']);
    expect(fieldsOf(await a.post('/attribution-rules', googleRule({ source_code: 'lower' })))).toEqual(['source_code']);
    expect(fieldsOf(await a.post('/attribution-rules', googleRule({ name: '' })))).toContain('name');
    const none = await a.post('/attribution-rules', googleRule({ utm_source: null, utm_medium: undefined }));
    expectProblem(none, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(none)).toEqual(['utm_source']);

    await a.delete('/lead-channels/ORGANIC');
    const bad = await a.post(
      '/attribution-rules',
      googleRule({ source_code: 'WEBSITE', sub_source_code: 'FACEBOOK', channel_code: 'ORGANIC', campaign_code: 'NOPE', campaign_channel_code: 'NOPE' }),
    );
    expectProblem(bad, 400, 'VALIDATION_FAILED');
    expect(bad.json().errors).toEqual([
      { field: 'sub_source_code', message: 'subsource FACEBOOK not found under source WEBSITE' },
      { field: 'channel_code', message: 'lead channel ORGANIC not found' },
      { field: 'campaign_code', message: 'campaign NOPE not found' },
      { field: 'campaign_channel_code', message: 'campaign channel NOPE not found' },
    ]);
    expect(fieldsOf(await a.post('/attribution-rules', googleRule({ source_code: 'NOPE', sub_source_code: null })))).toEqual(['source_code']);
    // Another tenant's codes are as unknown as any other.
    const other = admin();
    ok(await other.post('/lead-sources', { source_code: 'THEIRS', source_name: 'Theirs', source_type: 'event' }), 201);
    await createCampaign(other, { campaign_code: 'THEIR_CAMPAIGN' });
    expect(fieldsOf(await a.post('/attribution-rules', googleRule({ source_code: 'THEIRS', sub_source_code: null, campaign_code: 'THEIR_CAMPAIGN' })))).toEqual(
      ['source_code', 'campaign_code'],
    );
    expect(ok(await a.get('/attribution-rules')).total).toBe(0);
  });

  it('updates partially with If-Match, clears the subsource with a new source, removes conditions, and audits every write', async () => {
    const a = admin();
    const rule = ok(await a.post('/attribution-rules', googleRule()), 201);
    expectProblem(await a.patch(`/attribution-rules/${rule.id}`, { priority: 3 }, { headers: { 'if-match': '"7"' } }), 412, 'PRECONDITION_FAILED');
    const patched = await a.patch(`/attribution-rules/${rule.id}`, { priority: 3, utm_medium: null }, { headers: { 'if-match': '"1"' } });
    expect(patched.statusCode).toBe(200);
    expect(patched.headers.etag).toBe('"2"');
    expect(patched.json()).toMatchObject({
      priority: 3,
      utm_medium: null,
      utm_source: { value: 'google', match: 'exact' },
      sub_source_code: 'FACEBOOK',
      version: 2,
    });
    // The last condition cannot go.
    expect(fieldsOf(await a.patch(`/attribution-rules/${rule.id}`, { utm_source: null }))).toEqual(['utm_source']);
    // A new source clears the subsource unless one is named; one named must belong to the new source.
    expect(ok(await a.patch(`/attribution-rules/${rule.id}`, { source_code: 'WEBSITE' }))).toMatchObject({ source_code: 'WEBSITE', sub_source_code: null });
    expect(fieldsOf(await a.patch(`/attribution-rules/${rule.id}`, { source_code: 'SOCIAL', sub_source_code: 'UNMAPPED' }))).toEqual(['sub_source_code']);
    expect(ok(await a.patch(`/attribution-rules/${rule.id}`, { source_code: 'SOCIAL', sub_source_code: 'LINKEDIN' }))).toMatchObject({ version: 4 });
    // Nothing changed: no new version.
    expect(ok(await a.patch(`/attribution-rules/${rule.id}`, { priority: 3 })).version).toBe(4);
    expect(fieldsOf(await a.patch(`/attribution-rules/${rule.id}`, { source_code: null }))).toContain('source_code');

    expectProblem(await a.delete(`/attribution-rules/${rule.id}`, { headers: { 'if-match': '"1"' } }), 412, 'PRECONDITION_FAILED');
    expect((await a.delete(`/attribution-rules/${rule.id}`, { headers: { 'if-match': '"4"' } })).statusCode).toBe(204);
    expectNotFound(await a.get(`/attribution-rules/${rule.id}`));
    expect(ok(await a.get('/attribution-rules')).total).toBe(0);
    const deleted = ok(await a.get('/attribution-rules', { query: { include_deleted: true } })).data;
    expect(deleted.map((r: { id: number; deleted_at?: string }) => [r.id, typeof r.deleted_at])).toEqual([[rule.id, 'string']]);
    const restored = await a.post(`/attribution-rules/${rule.id}/restore`);
    expect(restored.statusCode).toBe(200);
    expect(restored.json()).toMatchObject({ id: rule.id, version: 6, sub_source_code: 'LINKEDIN' });
    expect(restored.json().deleted_at).toBeUndefined();
    expectNotFound(await a.post(`/attribution-rules/${rule.id}/restore`));

    const audit = ok(await a.get('/audit-log', { query: { entity_type: 'attribution_rule', entity_key: String(rule.id) } })).data;
    expect(audit.map((e: { action: string }) => e.action).sort()).toEqual(['create', 'delete', 'restore', 'update', 'update', 'update'].sort());
    const update = audit.find((e: { action: string; changes: Record<string, unknown> }) => e.action === 'update' && 'priority' in e.changes);
    expect(update.changes).toMatchObject({ priority: [10, 3], utm_medium: [{ value: 'cp', match: 'prefix' }, null] });
  });

  it('lets every role read, and only the admin write, restore or dry-run', async () => {
    const tenant = newTenantId();
    const a = admin(tenant);
    const rule = ok(await a.post('/attribution-rules', googleRule()), 201);
    for (const role of ['manager', 'agent', 'viewer'] as const) {
      const c = api.as({ tenant, role });
      expect(ok(await c.get('/attribution-rules')).total).toBe(1);
      expect(ok(await c.get(`/attribution-rules/${rule.id}`)).id).toBe(rule.id);
      expectForbidden(await c.post('/attribution-rules', googleRule()));
      expectForbidden(await c.patch(`/attribution-rules/${rule.id}`, { priority: 1 }));
      expectForbidden(await c.delete(`/attribution-rules/${rule.id}`));
      expectForbidden(await c.post(`/attribution-rules/${rule.id}/restore`));
      expectForbidden(await c.post('/attribution-rules/dry-run', { utm_source: 'google' }));
      expectForbidden(await c.get('/attribution-rules', { query: { include_deleted: true } }));
    }
  });

  it('keeps tenants apart: another tenant’s rule is 404 to every route, and its rules never resolve a touch', async () => {
    const a = admin();
    const b = admin();
    const { id } = ok(await a.post('/attribution-rules', googleRule()), 201);
    // B has no rules: A's id names nothing in B.
    expectNotFound(await b.get(`/attribution-rules/${id}`));
    expectNotFound(await b.patch(`/attribution-rules/${id}`, { priority: 1 }));
    expectNotFound(await b.delete(`/attribution-rules/${id}`));
    expectNotFound(await b.post(`/attribution-rules/${id}/restore`));
    expect(ok(await b.get('/attribution-rules', { query: { include_inactive: true } })).total).toBe(0);
    expect(ok(await b.post('/attribution-rules/dry-run', { utm_source: 'google', utm_medium: 'cpc' }))).toMatchObject({ matched_rule: null, unmapped: true });
    expect(ok(await a.get(`/attribution-rules/${id}`)).version).toBe(1);
  });

  it('dry-runs a touch: the first live matching rule, rules skipped for a deleted campaign, and unmapped touches', async () => {
    const a = admin();
    await createCampaign(a, { campaign_code: 'SPRING' });
    await createCampaign(a, { campaign_code: 'SUMMER' });
    const gone = ok(
      await a.post('/attribution-rules', googleRule({ name: 'Spring', priority: 1, campaign_code: 'SPRING', campaign_channel_code: 'GOOGLE_ADS' })),
      201,
    );
    const summer = ok(await a.post('/attribution-rules', googleRule({ name: 'Summer', priority: 5, campaign_code: 'SUMMER' })), 201);
    ok(await a.post('/attribution-rules', googleRule({ name: 'Inactive first', priority: 0, is_active: false, campaign_code: 'SUMMER' })), 201);
    const prefix = ok(
      await a.post('/attribution-rules', { name: 'Any Ärger', priority: 7, utm_campaign: { value: 'Ärger', match: 'prefix' }, source_code: 'REFERRAL' }),
      201,
    );

    const first = ok(await a.post('/attribution-rules/dry-run', { utm_source: 'GOOGLE', utm_medium: 'cpc' }));
    expect(first).toEqual({
      utm_source: 'GOOGLE',
      utm_medium: 'cpc',
      utm_campaign: null,
      matched_rule: gone,
      source_code: 'SOCIAL',
      sub_source_code: 'FACEBOOK',
      channel_code: 'PAID',
      campaign_code: 'SPRING',
      campaign_channel_code: 'GOOGLE_ADS',
      unmapped: false,
      skipped_rules: [],
    });
    expect((await a.delete('/campaigns/SPRING')).statusCode).toBe(204);
    const skipped = ok(await a.post('/attribution-rules/dry-run', { utm_source: 'google', utm_medium: 'CPM', utm_campaign: 'x' }));
    expect(skipped).toEqual({
      utm_source: 'google',
      utm_medium: 'CPM',
      utm_campaign: 'x',
      matched_rule: summer,
      source_code: 'SOCIAL',
      sub_source_code: 'FACEBOOK',
      channel_code: 'PAID',
      campaign_code: 'SUMMER',
      campaign_channel_code: null,
      unmapped: false,
      skipped_rules: [{ id: gone.id, reason: 'campaign_code: campaign SPRING not found' }],
    });
    expect(ok(await a.post('/attribution-rules/dry-run', { utm_campaign: 'ärgerlich' })).matched_rule.id).toBe(prefix.id);

    const touch = (utm: Record<string, string>) => ({ utm_source: null, utm_medium: null, utm_campaign: null, ...utm });
    const unmapped = {
      matched_rule: null,
      source_code: 'UNMAPPED',
      sub_source_code: 'UNMAPPED',
      channel_code: null,
      campaign_code: null,
      campaign_channel_code: null,
      unmapped: true,
      skipped_rules: [],
    };
    expect(ok(await a.post('/attribution-rules/dry-run', {}))).toEqual({ ...touch({}), ...unmapped });
    expect(ok(await a.post('/attribution-rules/dry-run', { utm_source: 'bing', utm_medium: 'cpc' }))).toEqual({
      ...touch({ utm_source: 'bing', utm_medium: 'cpc' }),
      ...unmapped,
    });
    // Every matching rule skipped: unmapped, and the dry-run says why.
    expect((await a.delete('/campaigns/SUMMER')).statusCode).toBe(204);
    expect(ok(await a.post('/attribution-rules/dry-run', { utm_source: 'google', utm_medium: 'cpc' }))).toEqual({
      ...touch({ utm_source: 'google', utm_medium: 'cpc' }),
      ...unmapped,
      skipped_rules: [
        { id: gone.id, reason: 'campaign_code: campaign SPRING not found' },
        { id: summer.id, reason: 'campaign_code: campaign SUMMER not found' },
      ],
    });
    // Without a live UNMAPPED subsource an unmatched touch cannot be placed.
    expect((await a.delete('/lead-sources/UNMAPPED/subsources/UNMAPPED')).statusCode).toBe(204);
    expect(ok(await a.post('/attribution-rules/dry-run', { utm_source: 'bing' }))).toEqual({
      ...touch({ utm_source: 'bing' }),
      ...unmapped,
      source_code: null,
      sub_source_code: null,
    });
    expect(fieldsOf(await a.post('/attribution-rules/dry-run', { utm_source: 'x'.repeat(256), other: 1 })).sort()).toEqual(['other', 'utm_source']);
  });

  it('seeds every new tenant with the UNMAPPED source, displayed last, and its UNMAPPED subsource', async () => {
    const a = admin();
    const sources = ok(await a.get('/lead-sources')).data;
    expect(sources[sources.length - 1]).toMatchObject({ source_code: 'UNMAPPED', source_name: 'Unmapped', source_type: 'direct', is_default: true });
    expect(ok(await a.get('/lead-sources/UNMAPPED/subsources')).data.map((s: { sub_source_code: string }) => s.sub_source_code)).toEqual(['UNMAPPED']);
  });
});
