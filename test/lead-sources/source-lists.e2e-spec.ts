import { startTestApi, TestApi } from '../support/app';
import { aSource } from '../support/builders';
import { listed } from '../support/responses';
import { newTenantId } from '../support/tenants';

/** Lead-source lists: filters, search, pages, order. */
type Row = Record<string, any>;

describe('lead sources: lists', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('filters by source_type', async () => {
    const client = api.as({ tenant: newTenantId(), role: 'viewer' });
    expect(listed(await client.get('/lead-sources', { query: { source_type: 'social' } }), 'source_code')).toEqual(['SOCIAL']);
    expect(listed(await client.get('/lead-sources', { query: { source_type: 'phone' } }), 'source_code')).toEqual([]);
    const bad = await client.get('/lead-sources', { query: { source_type: 'fax' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('source_type');
  });

  it('searches code or name, with % and _ taken literally', async () => {
    const tenant = newTenantId();
    const client = api.as({ tenant, role: 'admin' });
    await client.post('/lead-sources', aSource('A_B', { source_name: 'Underscore' }));
    await client.post('/lead-sources', aSource('AXB', { source_name: 'Plain' }));
    await client.post('/lead-sources', aSource('PROMO_PCT', { source_name: 'Promo 50% off' }));
    await client.post('/lead-sources', aSource('PROMO_TXT', { source_name: 'Promo 50 cents off' }));
    await client.post('/lead-sources', aSource('BANG', { source_name: 'Wow! Deal' }));

    const search = async (q: string) => listed(await client.get('/lead-sources', { query: { search: q } }), 'source_code').sort();
    expect(await search('A_B')).toEqual(['A_B']);
    expect(await search('50%')).toEqual(['PROMO_PCT']);
    expect(await search('%')).toEqual(['PROMO_PCT']);
    expect(await search('!')).toEqual(['BANG']);
    expect(await search('promo')).toEqual(['PROMO_PCT', 'PROMO_TXT']);
    // Code or name.
    expect(await search('website')).toEqual(['WEBSITE']);
    expect(await search('Underscore')).toEqual(['A_B']);
    expect(await search('nothing like this')).toEqual([]);
  });

  it('pages with limit and offset and reports the total', async () => {
    const client = api.as({ tenant: newTenantId(), role: 'admin' });
    for (let i = 0; i < 6; i++) await client.post('/lead-sources', aSource(`EXTRA_${i}`, { display_order: 10 + i }));
    const page = (await client.get('/lead-sources', { query: { limit: 3, offset: 5 } })).json();
    expect(page).toMatchObject({ total: 11, limit: 3, offset: 5 });
    expect(page.data.map((s: Row) => s.source_code)).toEqual(['EXTRA_0', 'EXTRA_1', 'EXTRA_2']);
    const beyond = (await client.get('/lead-sources', { query: { offset: 50 } })).json();
    expect(beyond).toMatchObject({ data: [], total: 11, offset: 50 });
  });

  it('reports the exact total on a full page, a partial page and an empty page, with filters, one query shape after another', async () => {
    const client = api.as({ tenant: newTenantId(), role: 'admin' });
    for (let i = 0; i < 6; i++) await client.post('/lead-sources', aSource(`EXTRA_${i}`, { display_order: 10 + i, source_type: i % 2 ? 'event' : 'partner' }));
    await client.post('/lead-sources/EXTRA_5/deactivate');
    // Ten active sources: the five defaults and EXTRA_0..EXTRA_4.
    const page = async (query: Record<string, string | number | boolean>) => {
      const body = (await client.get('/lead-sources', { query })).json();
      return { codes: body.data.map((s: Row) => s.source_code), total: body.total };
    };
    const cases: [Record<string, string | number | boolean>, string[], number][] = [
      [{ limit: 3, offset: 7 }, ['EXTRA_2', 'EXTRA_3', 'EXTRA_4'], 10], // full page ending on the last row
      [{ limit: 4, offset: 7 }, ['EXTRA_2', 'EXTRA_3', 'EXTRA_4'], 10], // partial page
      [{ limit: 10 }, ['WEBSITE', 'EMAIL', 'SOCIAL', 'REFERRAL', 'UNMAPPED', 'EXTRA_0', 'EXTRA_1', 'EXTRA_2', 'EXTRA_3', 'EXTRA_4'], 10], // full first page
      [{ limit: 2, offset: 10 }, [], 10], // empty, just past the end
      [{ limit: 2, offset: 40 }, [], 10], // empty, far past the end
      [{ limit: 2, offset: 7, include_inactive: true }, ['EXTRA_2', 'EXTRA_3'], 11],
      [{ limit: 5, offset: 9, include_inactive: true }, ['EXTRA_4', 'EXTRA_5'], 11],
      [{ limit: 2, source_type: 'event' }, ['EXTRA_1', 'EXTRA_3'], 2], // full page: counted under the filter
      [{ limit: 2, offset: 2, source_type: 'event' }, [], 2],
      [{ limit: 2, offset: 1, source_type: 'partner', include_inactive: true }, ['EXTRA_2', 'EXTRA_4'], 3],
      [{ limit: 3, offset: 1, search: 'EXTRA_' }, ['EXTRA_1', 'EXTRA_2', 'EXTRA_3'], 5],
      [{ limit: 3, offset: 3, search: 'EXTRA_' }, ['EXTRA_3', 'EXTRA_4'], 5],
      [{ limit: 3, offset: 7 }, ['EXTRA_2', 'EXTRA_3', 'EXTRA_4'], 10], // the first shape again
    ];
    for (const [query, codes, total] of cases) expect({ query, ...(await page(query)) }).toEqual({ query, codes, total });
  });

  it.each([
    ['limit', '501'],
    ['limit', '0'],
    ['limit', 'ten'],
    ['offset', '-1'],
    ['include_inactive', 'yes'],
    ['is_active', '1'],
  ])('answers 400 for %s=%s', async (param, value) => {
    const res = await api.as({ tenant: newTenantId(), role: 'viewer' }).get('/lead-sources', { query: { [param]: value } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(param);
  });

  it('accepts limit=500', async () => {
    const res = await api.as({ tenant: newTenantId(), role: 'viewer' }).get('/lead-sources', { query: { limit: 500 } });
    expect(res.json()).toMatchObject({ limit: 500, total: 5 });
  });

  it('orders by display_order, then name', async () => {
    const client = api.as({ tenant: newTenantId(), role: 'admin' });
    await client.patch('/lead-sources/WEBSITE', { display_order: 5 });
    await client.post('/lead-sources', aSource('ZED', { source_name: 'Zed', display_order: 1 }));
    await client.post('/lead-sources', aSource('ANT', { source_name: 'Ant', display_order: 1 }));
    await client.post('/lead-sources', aSource('FIRST', { source_name: 'Yak', display_order: 0 }));
    // EMAIL 1 "Email", SOCIAL 2, REFERRAL 3, UNMAPPED 4 as seeded.
    expect(listed(await client.get('/lead-sources'), 'source_code')).toEqual(['FIRST', 'ANT', 'EMAIL', 'ZED', 'SOCIAL', 'REFERRAL', 'UNMAPPED', 'WEBSITE']);
  });
});
