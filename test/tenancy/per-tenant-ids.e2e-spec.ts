import { DataSource } from 'typeorm';
import { MAX_PUBLIC_ID } from '../../src/common/http/api-integer';
import { PER_TENANT_TABLES as WEBHOOK_TABLES } from '../../src/database/migrations/1764151800000-create-webhooks';
import { PER_TENANT_TABLES as TOUCH_TABLES } from '../../src/database/migrations/1764152100000-lead-touches';
import { PER_TENANT_TABLES as ATTRIBUTION_TABLES } from '../../src/database/migrations/1764152200000-attribution-rules';
import { PER_TENANT_KEYS } from '../../src/database/migrations/1764151700000-per-tenant-ids';
import { PER_TENANT_TABLES as COST_HISTORY_TABLES } from '../../src/database/migrations/1764152300000-subsource-cost-history';
import { sequencedTables } from '../../src/tenancy/id-sequences';
import { Client, startTestApi, TestApi } from '../support/app';
import { ok } from '../support/responses';
import { newTenantId } from '../support/tenants';

// Creates every kind of row in several tenants: up to 12 s a test on SQLite on two busy cores; 30 s
// (jest.config.js) leaves too little headroom.
jest.setTimeout(90_000);

const TODAY = new Date().toISOString().slice(0, 10);

/**
 * Ids are numbered per tenant and table (docs/tenancy.md, "Ids"): a tenant's ids are 1, 2, 3… whatever the
 * other tenants write, so they tell nothing about other tenants' volume; the same id in two tenants
 * is two rows, each reachable only by its own tenant.
 */
describe('per-tenant ids', () => {
  let api: TestApi;
  let ds: DataSource;
  beforeAll(async () => {
    api = await startTestApi();
    ds = api.app.get(DataSource);
  });
  afterAll(() => api.close());

  const lead = async (c: Client, code?: string) => ok(await c.post('/leads', { source_code: 'EMAIL', ...(code ? { lead_code: code } : {}) }), 201).id as number;
  const auditIds = async (c: Client) => ((await c.get('/audit-log', { query: { limit: 500 } })).json().data as { id: number }[]).map((e) => e.id);

  it('numbers every kind of row from 1 in each tenant, untouched by what other tenants write', async () => {
    const [a, b] = [newTenantId(), newTenantId()].map((tenant) => api.as({ tenant, role: 'admin' }));
    // Seeded configuration: each tenant's rows are 1..n.
    for (const c of [a, b]) {
      const sources = ((await c.get('/lead-sources', { query: { include_deleted: true } })).json().data as { id: number }[]).map((s) => s.id);
      expect([...sources].sort((x, y) => x - y)).toEqual(sources.map((_, i) => i + 1));
    }

    expect(await lead(a)).toBe(1);
    expect(await lead(b)).toBe(1);
    expect(await lead(b)).toBe(2);
    expect(await lead(b)).toBe(3);
    expect(await lead(a)).toBe(2);
    const bulk = ok(await a.post('/leads/bulk', { leads: [{ source_code: 'EMAIL' }, { source_code: 'WEBSITE' }, { source_code: 'EMAIL' }] }), 201);
    expect(bulk.data.map((l: { id: number }) => l.id)).toEqual([3, 4, 5]);
    expect(await lead(b)).toBe(4);

    // Lead milestones, milestone and campaign templates: the same.
    const milestone = async (c: Client, leadId: number) =>
      ok(await c.post(`/milestones/${leadId}`, { milestone_type_code: 'CONTACTED', achieved_date: TODAY }), 201).id as number;
    expect(await milestone(a, 1)).toBe(1);
    expect(await milestone(b, 1)).toBe(1);
    expect(await milestone(a, 2)).toBe(2);
    const template = async (c: Client) =>
      ok(await c.post('/milestone-templates', { template_name: 'T', template_type: 'custom', sequence: ['CONTACTED'] }), 201).id as number;
    const [ta, tb] = [await template(a), await template(b)];
    expect(tb).toBe(ta); // both tenants have the same seeded templates, then this one
    expect(await template(a)).toBe(ta + 1);
    const campaignTemplate = async (c: Client) =>
      ok(await c.post('/campaign-templates', { template_name: 'W', campaign_type_code: 'EMAIL_BLAST' }), 201).id as number;
    const [ca, cb] = [await campaignTemplate(a), await campaignTemplate(b)];
    expect(cb).toBe(ca);

    // Audit entries: consecutive in each tenant, newest first, whatever the other wrote in between.
    for (const c of [a, b]) {
      const ids = await auditIds(c);
      expect(ids).toEqual(ids.map((_, i) => ids.length - i));
    }
  });

  it('gives the same id in two tenants to two different rows, each reachable by its own tenant only', async () => {
    const [a, b] = [newTenantId(), newTenantId()].map((tenant) => api.as({ tenant, role: 'admin' }));
    expect(await lead(a, 'A-ONE')).toBe(1);
    expect(await lead(b, 'B-ONE')).toBe(1);
    expect(ok(await a.get('/leads/1'), 200).lead_code).toBe('A-ONE');
    expect(ok(await b.get('/leads/1'), 200).lead_code).toBe('B-ONE');
    expect(ok(await b.patch('/leads/1', { status: 'contacted' }), 200).lead_code).toBe('B-ONE');
    expect(ok(await a.get('/leads/1'), 200).status).toBe('new');
    expect((await a.delete('/leads/1')).statusCode).toBe(204);
    expect(ok(await b.get('/leads/1'), 200).lead_code).toBe('B-ONE');
    // A milestone on "lead 1" lands on the tenant's own lead 1.
    expect((await a.post('/milestones/1', { milestone_type_code: 'CONTACTED', achieved_date: TODAY })).statusCode).toBe(404);
    ok(await b.post('/milestones/1', { milestone_type_code: 'CONTACTED', achieved_date: TODAY }), 201);
  });

  it('gives concurrent creates of one tenant distinct, consecutive ids', async () => {
    const a = api.as({ tenant: newTenantId(), role: 'admin' });
    await lead(a); // registers the tenant
    const ids = await Promise.all(Array.from({ length: 25 }, () => lead(a)));
    expect([...ids].sort((x, y) => x - y)).toEqual(Array.from({ length: 25 }, (_, i) => i + 2));
  });

  it('answers 409 once a tenant has used every id the API can address in a table, and stores nothing', async () => {
    const tenant = newTenantId();
    const a = api.as({ tenant, role: 'admin' });
    await lead(a);
    await ds.query('UPDATE id_sequences SET last_id = ? WHERE tenant_id = ? AND table_name = ?', [MAX_PUBLIC_ID - 1, tenant, 'leads']);
    expect(await lead(a, 'LAST')).toBe(MAX_PUBLIC_ID);
    expect(ok(await a.get(`/leads/${MAX_PUBLIC_ID}`), 200).lead_code).toBe('LAST');
    const refused = await a.post('/leads', { source_code: 'EMAIL', lead_code: 'ONE-TOO-MANY' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'CONFLICT' });
    expect(refused.json().detail).toMatch(/all 2,147,483,647 ids of leads/);
    expect((await a.get('/leads', { query: { lead_code: 'ONE-TOO-MANY' } })).json().data).toEqual([]);
    // Other tables of the tenant go on.
    ok(await a.post('/lead-channels', { channel_code: 'NEW_ONE', channel_name: 'New one' }), 201);
  });

  it('keeps a sequence for exactly the tables keyed by (tenant_id, id), and the migration covers them all', () => {
    const migrated = Object.entries(PER_TENANT_KEYS)
      .filter(([, change]) => change.ownId)
      .map(([table]) => table);
    // Tables created later, keyed by (tenant_id, id) from the start.
    const bornPerTenant = [...WEBHOOK_TABLES, ...TOUCH_TABLES, ...ATTRIBUTION_TABLES, ...COST_HISTORY_TABLES];
    expect(sequencedTables(ds)).toEqual([...migrated, ...bornPerTenant].sort());
  });
});
