import { startTestApi, TestApi } from '../support/app';
import { newTenantId } from '../support/tenants';
import { ok } from '../support/responses';
import { aLead, aMilestone } from './helpers';

// Writes a type, template and milestone set in two tenants and reads every route: 26 s a test on
// two busy cores; 30 s (jest.config.js) leaves too little headroom.
jest.setTimeout(90_000);

/** Another tenant's milestone types, templates and lead milestones are invisible: 404, absent, never counted. */
describe('milestones: tenant isolation', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it("answers 404 for another tenant's type, template and milestone, and leaves them out of every list and figure", async () => {
    const alice = api.as({ tenant: newTenantId(), role: 'admin' });
    const bob = api.as({ tenant: newTenantId(), role: 'admin' });
    ok(await alice.post('/milestone-types', { type_code: 'ALICE_ONLY', type_name: 'Alice only' }), 201);
    ok(await alice.delete('/milestone-types/ALICE_ONLY'), 204);
    ok(await alice.post('/milestone-types', { type_code: 'TRADE_SHOW', type_name: 'Trade show', sla_days: 1 }), 201);
    const template = ok(await alice.post('/milestone-templates', { template_name: 'Alice', template_type: 'custom', sequence: ['TRADE_SHOW'] }), 201);
    const lead = await aLead(alice, '2026-05-01T00:00:00Z');
    await aMilestone(alice, lead, { milestone_type_code: 'LEAD_GENERATED', achieved_date: '2026-05-01' });
    const m = await aMilestone(alice, lead, { milestone_type_code: 'TRADE_SHOW', achieved_date: '2026-05-09' });

    for (const path of ['/milestone-types/TRADE_SHOW', '/milestone-types/ALICE_ONLY']) {
      expect((await bob.get(path)).statusCode).toBe(404);
      expect((await bob.patch(path, { type_name: 'x' })).statusCode).toBe(404);
      expect((await bob.post(`${path}/deactivate`)).statusCode).toBe(404);
      expect((await bob.post(`${path}/restore`)).statusCode).toBe(404);
      expect((await bob.delete(path)).statusCode).toBe(404);
    }
    expect((await bob.get(`/milestone-templates/${template.id}`)).statusCode).toBe(404);
    expect((await bob.patch(`/milestone-templates/${template.id}`, { template_name: 'x' })).statusCode).toBe(404);
    expect((await bob.delete(`/milestone-templates/${template.id}`)).statusCode).toBe(404);
    expect((await bob.post(`/milestone-templates/${template.id}/restore`)).statusCode).toBe(404);
    expect((await bob.get(`/milestones/${lead}`)).statusCode).toBe(404);
    expect((await bob.get(`/milestones/${lead}/timeline`)).statusCode).toBe(404);
    expect((await bob.patch(`/lead-milestones/${m.id}`, { notes: 'x' })).statusCode).toBe(404);
    expect((await bob.delete(`/lead-milestones/${m.id}`)).statusCode).toBe(404);
    // Bob cannot use Alice's type on his own lead, nor name it in a template.
    const bobsLead = await aLead(bob, '2026-05-01T00:00:00Z');
    expect((await bob.post(`/milestones/${bobsLead}`, { milestone_type_code: 'TRADE_SHOW', achieved_date: '2026-05-02' })).statusCode).toBe(404);
    expect((await bob.post('/milestone-templates', { template_name: 'B', template_type: 'custom', sequence: ['TRADE_SHOW'] })).statusCode).toBe(400);

    const codes = ok(await bob.get('/milestone-types', { query: { include_inactive: true, include_deleted: true } })).data.map(
      (t: { type_code: string }) => t.type_code,
    );
    expect(codes).not.toContain('TRADE_SHOW');
    expect(codes).not.toContain('ALICE_ONLY');
    const names = ok(await bob.get('/milestone-templates', { query: { include_inactive: true, include_deleted: true } })).data.map(
      (t: { template_name: string }) => t.template_name,
    );
    expect(names).toEqual(['Standard Sales Pipeline']);

    const range = { start_date: '2026-05-01', end_date: '2026-05-31' };
    expect(ok(await bob.get('/milestones/analytics/completion', { query: range })).details.every((d: { total: number }) => d.total === 0)).toBe(true);
    expect(ok(await bob.get('/milestones/analytics/time-trends', { query: range })).data).toEqual([]);
    expect(ok(await bob.get('/milestones/analytics/bottlenecks', { query: range })).data).toEqual([]);
    expect((await bob.get('/milestones/analytics/bottlenecks', { query: { ...range, template_id: template.id } })).statusCode).toBe(404);
    // Alice sees her own.
    expect(ok(await alice.get('/milestones/analytics/bottlenecks', { query: range })).data).toEqual([
      expect.objectContaining({ from_milestone: 'LEAD_GENERATED', to_milestone: 'TRADE_SHOW', transitions: 1, average_days: 8, sla_breach_percent: 100 }),
    ]);
  });
});
