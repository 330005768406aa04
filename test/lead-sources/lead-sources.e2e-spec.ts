import { startTestApi, TestApi } from '../support/app';
import { newTenantId } from '../support/tenants';

describe('lead sources', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('seeds the defaults on first sight and lists them in display order', async () => {
    const admin = api.as({ tenant: newTenantId(), role: 'admin' });
    const res = await admin.get('/lead-sources');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.data.map((s: { source_code: string }) => s.source_code)).toEqual(['WEBSITE', 'EMAIL', 'SOCIAL', 'REFERRAL']);
    expect(body).toMatchObject({ total: 4, limit: 50, offset: 0 });
  });

  it('creates a source with server defaults, ETag and created_by', async () => {
    const admin = api.as({ tenant: newTenantId(), role: 'admin', sub: 'alice' });
    const res = await admin.post('/lead-sources', { source_code: 'TRADE_FAIR', source_name: 'Trade fair', source_type: 'event' });
    expect(res.statusCode).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    expect(res.json()).toMatchObject({
      source_code: 'TRADE_FAIR',
      is_active: true,
      is_default: false,
      display_order: 0,
      metadata: {},
      created_by: 'alice',
      updated_by: 'alice',
      version: 1,
      leads_generated: 0,
      conversion_rate: null,
    });
  });
});
