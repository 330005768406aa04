import { startTestApi, TestApi } from '../support/app';
import { newTenantId } from '../support/tenants';
import { bulkMetrics, createCampaign, expectStatus } from './campaign-builders';

/** Another tenant cannot read, list, change, delete, restore or count anything of this one (API.md §1 Isolation). */
describe('campaigns: tenant isolation', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it("answers 404 for another tenant's configuration rows and templates, and lists none of them", async () => {
    const alice = api.as({ tenant: newTenantId(), role: 'admin' });
    const bob = api.as({ tenant: newTenantId(), role: 'admin' });
    const rows: [string, string, string][] = [
      ['/campaign-types', 'type_code', 'type_name'],
      ['/campaign-channels', 'channel_code', 'channel_name'],
      ['/campaign-statuses', 'status_code', 'status_name'],
      ['/campaign-budget-types', 'budget_type_code', 'budget_type_name'],
    ];
    for (const [path, code, name] of rows) {
      expectStatus(await alice.post(path, { [code]: 'ALICE_ONLY', [name]: 'Alice' }), 201);
      for (const res of [
        await bob.get(`${path}/ALICE_ONLY`),
        await bob.patch(`${path}/ALICE_ONLY`, { [name]: 'x' }),
        await bob.post(`${path}/ALICE_ONLY/deactivate`),
        await bob.delete(`${path}/ALICE_ONLY`),
      ]) {
        expect(res.statusCode).toBe(404);
      }
      const listed = expectStatus(await bob.get(path, { query: { include_inactive: true, include_deleted: true } }), 200).data;
      expect(listed.map((r: any) => r[code])).not.toContain('ALICE_ONLY');
      expectStatus(await alice.delete(`${path}/ALICE_ONLY`), 204);
      expect((await bob.post(`${path}/ALICE_ONLY/restore`)).statusCode).toBe(404);
    }
    const template = expectStatus(await alice.post('/campaign-templates', { template_name: 'Alice', campaign_type_code: 'EMAIL_BLAST' }), 201);
    expect((await bob.get(`/campaign-templates/${template.id}`)).statusCode).toBe(404);
    expect((await bob.patch(`/campaign-templates/${template.id}`, { template_name: 'x' })).statusCode).toBe(404);
    expect(
      (await bob.post(`/campaign-templates/${template.id}/instantiate`, { campaign_code: 'X', campaign_name: 'x', start_date: '2026-01-01' })).statusCode,
    ).toBe(404);
    expect((await bob.delete(`/campaign-templates/${template.id}`)).statusCode).toBe(404);
    expect(expectStatus(await bob.get('/campaign-templates'), 200).total).toBe(0);
    expectStatus(await alice.delete(`/campaign-templates/${template.id}`), 204);
    expect((await bob.post(`/campaign-templates/${template.id}/restore`)).statusCode).toBe(404);
  });

  it("answers 404 for another tenant's campaign on every route, and it counts nowhere for them", async () => {
    const alice = api.as({ tenant: newTenantId(), role: 'admin' });
    const bob = api.as({ tenant: newTenantId(), role: 'admin' });
    await createCampaign(alice, { campaign_code: 'SECRET', budget: 1000, channels: [{ channel_code: 'EMAIL', allocated_budget: 1000 }] });
    await bulkMetrics(alice, 'SECRET', [{ channel_code: 'EMAIL', metric_date: '2026-03-02', spend: 500, leads_generated: 5, impressions: 10 }]);
    for (const res of [
      await bob.get('/campaigns/SECRET'),
      await bob.patch('/campaigns/SECRET', { campaign_name: 'x' }),
      await bob.post('/campaigns/SECRET/transition', { status_code: 'ACTIVE' }),
      await bob.put('/campaigns/SECRET/metrics', { channel_code: 'EMAIL', metric_date: '2026-03-02' }),
      await bob.post('/campaigns/SECRET/metrics/bulk', { metrics: [{ channel_code: 'EMAIL', metric_date: '2026-03-02' }] }),
      await bob.get('/campaigns/SECRET/metrics'),
      await bob.delete('/campaigns/SECRET'),
      await bob.post('/campaigns/SECRET/restore'),
    ]) {
      expect(res.statusCode).toBe(404);
    }
    expect(expectStatus(await bob.get('/campaigns', { query: { include_deleted: true } }), 200).total).toBe(0);
    // Bob may use the same code for his own campaign; Alice's stays as it was.
    await createCampaign(bob, { campaign_code: 'SECRET' });
    expect(expectStatus(await alice.get('/campaigns/SECRET'), 200)).toMatchObject({ total_spent: 500, status_code: 'DRAFT', version: 1 });

    const query = { start_date: '2026-03-01', end_date: '2026-03-31' };
    const bobChannels = expectStatus(await bob.get('/campaigns/analytics/channels', { query }), 200).data;
    const email = bobChannels.find((c: any) => c.channel_code === 'EMAIL');
    expect(email).toMatchObject({ campaign_count: 0, total_budget: 0, total_spent: 0, total_leads: 0 });
    const bobType = expectStatus(await bob.get('/campaigns/analytics/type/EMAIL_BLAST/performance', { query }), 200);
    expect(bobType).toMatchObject({ total_campaigns: 1, total_budget: 0, total_spent: 0 }); // his own campaign, no budget
    const trend = expectStatus(await bob.get('/campaigns/analytics/trends', { query: { ...query, interval: 'month' } }), 200).data;
    expect(trend).toEqual([expect.objectContaining({ spend: 0, leads_generated: 0, budget_allocated: 0, campaigns_launched: 1 })]);
    // And Alice's figures do not move for Bob's campaign.
    expect(expectStatus(await alice.get('/campaigns/analytics/type/EMAIL_BLAST/performance', { query }), 200)).toMatchObject({
      total_campaigns: 1,
      total_budget: 1000,
      total_spent: 500,
    });
  });
});
