import { Client, startTestApi, TestApi } from '../support/app';
import { createLead } from '../support/builders';
import { ok } from '../support/responses';
import { newTenantId } from '../support/tenants';

/**
 * A lead keeps at most 200 touches, its origin included (API.md §3): the one past that is a 409 and
 * stores nothing, and the lead's touches, last_touch and credits stay as they were.
 */
const RANGE = { start_date: '2025-12-01', end_date: '2026-01-31', model: 'linear' };

describe('touches per lead (docs/attribution.md)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('keeps at most 200 touches a lead: the 201st is a 409 and changes nothing', async () => {
    const c: Client = api.as({ tenant: newTenantId(), role: 'agent' });
    const start = Date.parse('2026-01-01T00:00:00Z');
    const at = (i: number) => new Date(start + i * 60_000).toISOString();
    const lead = await createLead(c, { source_code: 'WEBSITE', created_at: at(0), touch: { utm_source: 'origin' } });
    for (let i = 1; i < 200; i++) ok(await c.post(`/leads/${lead.id}/touches`, { utm_source: `visit-${i}`, occurred_at: at(i) }), 201);
    const before = ok(await c.get(`/leads/${lead.id}`));
    expect(before.last_touch).toMatchObject({ utm_source: 'visit-199', occurred_at: at(199) });
    const performance = ok(await c.get('/lead-sources/analytics/performance', { query: RANGE }));

    const refused = ok(await c.post(`/leads/${lead.id}/touches`, { utm_source: 'one-too-many', occurred_at: at(200) }), 409);
    expect(refused.detail).toMatch(/at most 200 touches/);

    const listed = ok(await c.get(`/leads/${lead.id}/touches`, { query: { limit: 500 } }));
    expect(listed.total).toBe(200);
    expect(listed.data[0]).toMatchObject({ is_origin: true, utm_source: 'origin' });
    expect(listed.data.map((t: { utm_source: string }) => t.utm_source)).not.toContain('one-too-many');
    expect(ok(await c.get(`/leads/${lead.id}`))).toEqual(before);
    expect(ok(await c.get('/lead-sources/analytics/performance', { query: RANGE }))).toEqual(performance);
  }, 120_000);
});
