import { LeadSourceRepository } from '../../src/lead-sources/lead-source.repository';
import { LeadSubsourceRepository } from '../../src/lead-sources/lead-subsource.repository';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { startTestApi, TestApi } from '../support/app';
import { expectValidationError } from '../support/problems';
import { newTenantId } from '../support/tenants';

/** Lead subsources under a source. */
type Row = Record<string, any>;

describe('lead subsources', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('keeps codes unique within a source but allows one code under two sources', async () => {
    const client = api.as({ tenant: newTenantId(), role: 'admin' });
    const body = { sub_source_code: 'NEWSLETTER', sub_source_name: 'Newsletter' };
    const first = await client.post('/lead-sources/EMAIL/subsources', body);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ source_code: 'EMAIL', sub_source_code: 'NEWSLETTER', version: 1 });
    expect(first.headers.etag).toBe('"1"');
    const dup = await client.post('/lead-sources/EMAIL/subsources', body);
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('DUPLICATE_CODE');
    const elsewhere = await client.post('/lead-sources/WEBSITE/subsources', body);
    expect(elsewhere.statusCode).toBe(201);
    expect(elsewhere.json().source_code).toBe('WEBSITE');

    // Each is addressed through its own source.
    await client.patch('/lead-sources/WEBSITE/subsources/NEWSLETTER', { sub_source_name: 'Web newsletter' });
    expect((await client.get('/lead-sources/EMAIL/subsources/NEWSLETTER')).json().sub_source_name).toBe('Newsletter');
    expect((await client.get('/lead-sources/WEBSITE/subsources/NEWSLETTER')).json().sub_source_name).toBe('Web newsletter');
    expect((await client.get('/lead-sources/SOCIAL/subsources/NEWSLETTER')).statusCode).toBe(404);
  });

  it('returns cost_per_lead and the other decimals as JSON numbers', async () => {
    const client = api.as({ tenant: newTenantId(), role: 'admin' });
    const created = await client.post('/lead-sources/SOCIAL/subsources', { sub_source_code: 'TIKTOK', sub_source_name: 'TikTok', cost_per_lead: 12.5 });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ cost_per_lead: 12.5, total_cost: 0, leads_generated: 0, conversion_rate: null, metadata: {} });
    await client.patch('/lead-sources/SOCIAL/subsources/TIKTOK', { cost_per_lead: 0.99 });
    const read = await client.get('/lead-sources/SOCIAL/subsources/TIKTOK');
    expect(read.json().cost_per_lead).toBe(0.99);
    expect(read.body).toMatch(/"cost_per_lead":0\.99[,}]/);
    const list = (await client.get('/lead-sources/SOCIAL/subsources')).json().data;
    for (const sub of list) expect(typeof sub.cost_per_lead).toBe('number');
    expect(list.find((s: Row) => s.sub_source_code === 'FACEBOOK').cost_per_lead).toBe(0);
  });

  it.each([
    ['a negative cost', { cost_per_lead: -1 }, 'cost_per_lead'],
    ['three decimals', { cost_per_lead: 1.005 }, 'cost_per_lead'],
    ['a string cost', { cost_per_lead: '12' }, 'cost_per_lead'],
    ['a lower-case code', { sub_source_code: 'tiktok' }, 'sub_source_code'],
    ['an unknown field', { source_id: 1 }, 'source_id'],
  ])('refuses %s', async (_what, override, field) => {
    const client = api.as({ tenant: newTenantId(), role: 'admin' });
    const res = await client.post('/lead-sources/SOCIAL/subsources', { sub_source_code: 'TIKTOK', sub_source_name: 'TikTok', ...override });
    expectValidationError(res, field);
  });

  it('refuses a subsource code on PATCH', async () => {
    const client = api.as({ tenant: newTenantId(), role: 'admin' });
    expectValidationError(await client.patch('/lead-sources/SOCIAL/subsources/FACEBOOK', { sub_source_code: 'META' }), 'sub_source_code');
  });

  it('lists in display_order, then name, hiding inactive ones unless asked', async () => {
    const client = api.as({ tenant: newTenantId(), role: 'admin' });
    await client.post('/lead-sources/SOCIAL/subsources', { sub_source_code: 'X_COM', sub_source_name: 'Ex', display_order: 0 });
    await client.post('/lead-sources/SOCIAL/subsources/LINKEDIN/deactivate');
    const codes = async (query: Row = {}) => (await client.get('/lead-sources/SOCIAL/subsources', { query })).json().data.map((s: Row) => s.sub_source_code);
    expect(await codes()).toEqual(['X_COM', 'FACEBOOK']);
    expect(await codes({ include_inactive: true })).toEqual(['X_COM', 'FACEBOOK', 'LINKEDIN']);
    expect(await codes({ is_active: false })).toEqual(['LINKEDIN']);
  });

  it('answers 412 to a stale If-Match on PATCH and on DELETE of a subsource, and leaves it as it was', async () => {
    const client = api.as({ tenant: newTenantId(), role: 'admin' });
    await client.post('/lead-sources/SOCIAL/subsources', { sub_source_code: 'TIKTOK', sub_source_name: 'TikTok', cost_per_lead: 2 });
    expect((await client.patch('/lead-sources/SOCIAL/subsources/TIKTOK', { cost_per_lead: 3 })).headers.etag).toBe('"2"');

    const stale = await client.patch('/lead-sources/SOCIAL/subsources/TIKTOK', { cost_per_lead: 9 }, { headers: { 'if-match': '"1"' } });
    expect(stale.statusCode).toBe(412);
    expect(stale.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(stale.json()).toMatchObject({ status: 412, code: 'PRECONDITION_FAILED' });
    expect((await client.delete('/lead-sources/SOCIAL/subsources/TIKTOK', { headers: { 'if-match': '"1"' } })).statusCode).toBe(412);

    const read = await client.get('/lead-sources/SOCIAL/subsources/TIKTOK');
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ cost_per_lead: 3, version: 2 });
    expect(read.json()).not.toHaveProperty('deleted_at');

    // The current version is accepted by both.
    expect((await client.patch('/lead-sources/SOCIAL/subsources/TIKTOK', { cost_per_lead: 4 }, { headers: { 'if-match': '"2"' } })).statusCode).toBe(200);
    expect((await client.delete('/lead-sources/SOCIAL/subsources/TIKTOK', { headers: { 'if-match': '"3"' } })).statusCode).toBe(204);
  });

  it('never leaves a live subsource under a deleted source when a create or a restore races the source delete', async () => {
    const sources = api.app.get(LeadSourceRepository);
    const subsources = api.app.get(LeadSubsourceRepository);
    const tenancy = api.app.get(TenantContext);
    const tenant = newTenantId();
    const client = api.as({ tenant, role: 'admin' });
    for (let round = 0; round < 12; round++) {
      const code = `RACE_${round}`;
      expect((await client.post('/lead-sources', { source_code: code, source_name: code, source_type: 'event' })).statusCode).toBe(201);
      await client.post(`/lead-sources/${code}/subsources`, { sub_source_code: 'OLD', sub_source_name: 'Old' });
      await client.delete(`/lead-sources/${code}/subsources/OLD`);
      const write = () =>
        round % 4 < 2
          ? client.post(`/lead-sources/${code}/subsources`, { sub_source_code: 'NEW', sub_source_name: 'New' })
          : client.post(`/lead-sources/${code}/subsources/OLD/restore`);
      const remove = () => client.delete(`/lead-sources/${code}`);
      // Half the rounds start the delete first.
      const [w, d] = round % 2 === 0 ? await Promise.all([write(), remove()]) : (await Promise.all([remove(), write()])).reverse();
      expect(d.statusCode).toBe(204);
      expect([200, 201, 404]).toContain(w.statusCode);

      await tenancy.runAs({ tenantId: tenant, userId: 'check', role: 'admin' }, async () => {
        const source = (await sources.findDeletedByCode(code))!;
        expect(source.deletedAt).toBeInstanceOf(Date);
        const subs = await subsources.findAllOfSources([source.id]);
        for (const sub of subs) expect([code, sub.subSourceCode, sub.deletedAt]).toEqual([code, sub.subSourceCode, expect.any(Date)]);
        // A write that answered 2xx was taken by the delete: it carries the delete's timestamp.
        if (w.statusCode !== 404) {
          const written = subs.find((sub) => sub.subSourceCode === (round % 4 < 2 ? 'NEW' : 'OLD'))!;
          expect(written.deletedAt!.getTime()).toBe(source.deletedAt!.getTime());
        }
      });
    }
  });

  it('deletes and restores one subsource; restore refuses a reused code', async () => {
    const client = api.as({ tenant: newTenantId(), role: 'admin' });
    expect((await client.delete('/lead-sources/SOCIAL/subsources/FACEBOOK')).statusCode).toBe(204);
    expect((await client.get('/lead-sources/SOCIAL/subsources/FACEBOOK')).statusCode).toBe(404);
    expect((await client.post('/lead-sources/SOCIAL/subsources/FACEBOOK/restore')).json()).toMatchObject({
      sub_source_code: 'FACEBOOK',
      source_code: 'SOCIAL',
    });
    await client.delete('/lead-sources/SOCIAL/subsources/FACEBOOK');
    await client.post('/lead-sources/SOCIAL/subsources', { sub_source_code: 'FACEBOOK', sub_source_name: 'Meta' });
    const res = await client.post('/lead-sources/SOCIAL/subsources/FACEBOOK/restore');
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('DUPLICATE_CODE');
  });
});
