import { Client, startTestApi, TestApi } from '../support/app';
import { newTenantId, numberAhead } from '../support/tenants';
import { ok } from '../support/responses';
import { aLead, aMilestone } from './helpers';

/**
 * One hand-worked fixture for completion, time trends and bottlenecks. Range: 2026-03-01 … 03-31.
 * Types (default SLAs): LEAD_GENERATED (LG) none, CONTACTED (C) 3, SITE_VISIT (SV) 10,
 * PROPOSAL_SENT 7 (no milestones), CONVERTED (CV) 30; DEMO is inactive with no milestones; OLD is
 * deleted after its one milestone.
 *
 * lead (created)   milestones as written                                   chain after every write          days
 * L1 (02-20 10:00) LG 02-20; SV 03-10; C 02-25 (back-dated); CV 03-20 pend  LG → C → SV → CV                  5, 13, 10
 * L2 (03-01 08:00) LG 03-01; C 03-03; SV 03-08 skipped; C 03-12 (then        LG → C → C(failed) → SV           2, 9, 3
 *                  PATCHed to failed); SV 03-15; the 03-08 visit deleted
 * L3 (03-02)       LG 03-02; C 03-06; SV 04-02 (then PATCHed to 03-16)      LG → C → SV                       4, 10
 * L4 (03-05)       LG 03-05 in_progress + follow-up; C 03-05 10:00 +        LG → C 09:00 → C 10:00 → C 03-07  0, 0, 2
 *                  follow-up; C 03-05 09:00; C 03-07
 * L5 (03-10)       OLD 03-11, then the type OLD is deleted                   OLD                               –
 * Another tenant:  LG 03-01 → C 03-20 (19 days): never counts.
 *
 * Days to hit (achieved − the lead's creation day): L1 SV 18, CV 28; L2 LG 0, C 2, C 11, SV 14;
 * L3 LG 0, C 4, SV 14; L4 0, 0, 0, 2; L5 OLD 1.
 */
describe('milestone analytics', () => {
  let api: TestApi;
  let admin: Client;
  let tenant: string;
  const march = { start_date: '2026-03-01', end_date: '2026-03-31' };

  beforeAll(async () => {
    api = await startTestApi();
    tenant = newTenantId();
    admin = api.as({ tenant, role: 'admin' });
    const m = (lead: number, milestone_type_code: string, achieved_date: string, extra: Record<string, unknown> = {}) =>
      aMilestone(admin, lead, { milestone_type_code, achieved_date, ...extra });
    ok(await admin.post('/milestone-types', { type_code: 'DEMO', type_name: 'Demo', is_active: false }), 201);
    ok(await admin.post('/milestone-types', { type_code: 'OLD', type_name: 'Old step' }), 201);

    const l1 = await aLead(admin, '2026-02-20T10:00:00Z');
    await m(l1, 'LEAD_GENERATED', '2026-02-20');
    await m(l1, 'SITE_VISIT', '2026-03-10');
    await m(l1, 'CONTACTED', '2026-02-25');
    await m(l1, 'CONVERTED', '2026-03-20', { status: 'pending' });

    const l2 = await aLead(admin, '2026-03-01T08:00:00Z');
    await m(l2, 'LEAD_GENERATED', '2026-03-01');
    await m(l2, 'CONTACTED', '2026-03-03');
    const visit = await m(l2, 'SITE_VISIT', '2026-03-08', { status: 'skipped' });
    const recontact = await m(l2, 'CONTACTED', '2026-03-12');
    await m(l2, 'SITE_VISIT', '2026-03-15');
    ok(await admin.patch(`/lead-milestones/${recontact.id}`, { status: 'failed' }));
    ok(await admin.delete(`/lead-milestones/${visit.id}`), 204);

    const l3 = await aLead(admin, '2026-03-02T00:00:00Z');
    await m(l3, 'LEAD_GENERATED', '2026-03-02');
    await m(l3, 'CONTACTED', '2026-03-06');
    const late = await m(l3, 'SITE_VISIT', '2026-04-02');
    ok(await admin.patch(`/lead-milestones/${late.id}`, { achieved_date: '2026-03-16' }));

    const l4 = await aLead(admin, '2026-03-05T00:00:00Z');
    await m(l4, 'LEAD_GENERATED', '2026-03-05', { status: 'in_progress', follow_up_required: true });
    await m(l4, 'CONTACTED', '2026-03-05', { achieved_time: '10:00', follow_up_required: true });
    await m(l4, 'CONTACTED', '2026-03-05', { achieved_time: '09:00' });
    await m(l4, 'CONTACTED', '2026-03-07');

    const l5 = await aLead(admin, '2026-03-10T00:00:00Z');
    await m(l5, 'OLD', '2026-03-11');
    ok(await admin.delete('/milestone-types/OLD'), 204);

    const other = api.as({ tenant: newTenantId(), role: 'admin' });
    const theirs = await aLead(other, '2026-03-01T00:00:00Z');
    await aMilestone(other, theirs, { milestone_type_code: 'LEAD_GENERATED', achieved_date: '2026-03-01' });
    await aMilestone(other, theirs, { milestone_type_code: 'CONTACTED', achieved_date: '2026-03-20' });
  });
  afterAll(() => api.close());

  const get = async (path: string, query: Record<string, string | number> = march) => ok(await admin.get(`/milestones/analytics/${path}`, { query }));

  describe('completion', () => {
    it('answers every live type (zeros included) and deleted ones with milestones, by completion_rate desc, nulls last', async () => {
      const c = await get('completion');
      expect(c).toMatchObject({ start_date: '2026-03-01', end_date: '2026-03-31', timestamp: expect.any(String) });
      expect(Date.parse(c.timestamp)).toBeGreaterThan(Date.now() - 60_000);
      expect(c.details).toEqual([
        { type_code: 'OLD', type_name: 'Old step', total: 1, completed: 1, in_progress: 0, skipped: 0, failed: 0, completion_rate: 100 },
        { type_code: 'SITE_VISIT', type_name: 'Site visit', total: 3, completed: 3, in_progress: 0, skipped: 0, failed: 0, completion_rate: 100 },
        { type_code: 'CONTACTED', type_name: 'Contacted', total: 6, completed: 5, in_progress: 0, skipped: 0, failed: 1, completion_rate: 83.33 },
        { type_code: 'LEAD_GENERATED', type_name: 'Lead generated', total: 3, completed: 2, in_progress: 1, skipped: 0, failed: 0, completion_rate: 66.67 },
        { type_code: 'CONVERTED', type_name: 'Converted', total: 1, completed: 0, in_progress: 1, skipped: 0, failed: 0, completion_rate: 0 },
        { type_code: 'DEMO', type_name: 'Demo', total: 0, completed: 0, in_progress: 0, skipped: 0, failed: 0, completion_rate: null },
        { type_code: 'PROPOSAL_SENT', type_name: 'Proposal sent', total: 0, completed: 0, in_progress: 0, skipped: 0, failed: 0, completion_rate: null },
      ]);
    });

    it('counts milestones achieved in the range only (both ends inclusive)', async () => {
      const c = await get('completion', { start_date: '2026-02-20', end_date: '2026-02-25' });
      const byCode = Object.fromEntries(c.details.map((d: { type_code: string; total: number }) => [d.type_code, d.total]));
      expect(byCode).toEqual({ LEAD_GENERATED: 1, CONTACTED: 1, SITE_VISIT: 0, PROPOSAL_SENT: 0, CONVERTED: 0, DEMO: 0 });
      // The skipped visit was deleted: nothing skipped remains on 03-08.
      expect((await get('completion', { start_date: '2026-03-08', end_date: '2026-03-08' })).details.every((d: { total: number }) => d.total === 0)).toBe(true);
    });

    it('shows another tenant none of it', async () => {
      const bob = api.as({ tenant: newTenantId(), role: 'viewer' });
      const c = ok(await bob.get('/milestones/analytics/completion', { query: march }));
      expect(c.details.map((d: { total: number }) => d.total)).toEqual([0, 0, 0, 0, 0]);
    });
  });

  describe('time trends', () => {
    it('answers one row per week and type with milestones, by date then type_code', async () => {
      const t = await get('time-trends', { ...march, interval: 'week' });
      expect(t).toMatchObject({ start_date: '2026-03-01', end_date: '2026-03-31', interval: 'week' });
      expect(t.data).toEqual([
        { date: '2026-02-23', type_code: 'LEAD_GENERATED', milestone_count: 1, average_time_to_hit: 0, completion_rate: 100, follow_up_required: 0 },
        { date: '2026-03-02', type_code: 'CONTACTED', milestone_count: 5, average_time_to_hit: 1.6, completion_rate: 100, follow_up_required: 1 },
        { date: '2026-03-02', type_code: 'LEAD_GENERATED', milestone_count: 2, average_time_to_hit: 0, completion_rate: 50, follow_up_required: 1 },
        { date: '2026-03-09', type_code: 'CONTACTED', milestone_count: 1, average_time_to_hit: 11, completion_rate: 0, follow_up_required: 0 },
        { date: '2026-03-09', type_code: 'OLD', milestone_count: 1, average_time_to_hit: 1, completion_rate: 100, follow_up_required: 0 },
        { date: '2026-03-09', type_code: 'SITE_VISIT', milestone_count: 2, average_time_to_hit: 16, completion_rate: 100, follow_up_required: 0 },
        { date: '2026-03-16', type_code: 'CONVERTED', milestone_count: 1, average_time_to_hit: 28, completion_rate: 0, follow_up_required: 0 },
        { date: '2026-03-16', type_code: 'SITE_VISIT', milestone_count: 1, average_time_to_hit: 14, completion_rate: 100, follow_up_required: 0 },
      ]);
    });

    it('filters by type_code, defaults to daily periods, and folds months', async () => {
      expect((await get('time-trends', { ...march, type_code: 'SITE_VISIT' })).data).toEqual([
        { date: '2026-03-10', type_code: 'SITE_VISIT', milestone_count: 1, average_time_to_hit: 18, completion_rate: 100, follow_up_required: 0 },
        { date: '2026-03-15', type_code: 'SITE_VISIT', milestone_count: 1, average_time_to_hit: 14, completion_rate: 100, follow_up_required: 0 },
        { date: '2026-03-16', type_code: 'SITE_VISIT', milestone_count: 1, average_time_to_hit: 14, completion_rate: 100, follow_up_required: 0 },
      ]);
      expect((await get('time-trends', { start_date: '2026-02-01', end_date: '2026-03-31', interval: 'month', type_code: 'CONTACTED' })).data).toEqual([
        { date: '2026-02-01', type_code: 'CONTACTED', milestone_count: 1, average_time_to_hit: 5, completion_rate: 100, follow_up_required: 0 },
        { date: '2026-03-01', type_code: 'CONTACTED', milestone_count: 6, average_time_to_hit: 3.17, completion_rate: 83.33, follow_up_required: 1 },
      ]);
    });

    it("answers a deleted type's milestones under its code, 404 for a code no type ever had, 400 for a bad interval", async () => {
      expect((await get('time-trends', { ...march, type_code: 'OLD' })).data).toEqual([
        { date: '2026-03-11', type_code: 'OLD', milestone_count: 1, average_time_to_hit: 1, completion_rate: 100, follow_up_required: 0 },
      ]);
      expect((await admin.get('/milestones/analytics/time-trends', { query: { ...march, type_code: 'NOPE' } })).statusCode).toBe(404);
      expect((await admin.get('/milestones/analytics/time-trends', { query: { ...march, interval: 'year' } })).statusCode).toBe(400);
    });
  });

  describe('bottlenecks', () => {
    const CONTACT_TO_VISIT = {
      from_milestone: 'CONTACTED',
      to_milestone: 'SITE_VISIT',
      from_name: 'Contacted',
      to_name: 'Site visit',
      transitions: 3, // L1 13, L2 3, L3 10
      leads_affected: 3,
      average_days: 8.67,
      median_days: 10,
      p90_days: 13, // rank ⌈2.7⌉ = 3
      completion_rate: 100,
      sla_breach_percent: 33.33, // 13 > 10
    };
    const VISIT_TO_CONVERTED = {
      from_milestone: 'SITE_VISIT',
      to_milestone: 'CONVERTED',
      from_name: 'Site visit',
      to_name: 'Converted',
      transitions: 1, // L1 10, pending
      leads_affected: 1,
      average_days: 10,
      median_days: 10,
      p90_days: 10,
      completion_rate: 0,
      sla_breach_percent: 0,
    };
    const CONTACT_TO_CONTACT = {
      from_milestone: 'CONTACTED',
      to_milestone: 'CONTACTED',
      from_name: 'Contacted',
      to_name: 'Contacted',
      transitions: 3, // L2 9 (failed), L4 0 and 2
      leads_affected: 2,
      average_days: 3.67,
      median_days: 2,
      p90_days: 9,
      completion_rate: 66.67,
      sla_breach_percent: 33.33, // 9 > 3
    };
    const LEAD_TO_CONTACT = {
      from_milestone: 'LEAD_GENERATED',
      to_milestone: 'CONTACTED',
      from_name: 'Lead generated',
      to_name: 'Contacted',
      transitions: 3, // L2 2, L3 4, L4 0 (L1's ends on 02-25, before the range)
      leads_affected: 3,
      average_days: 2,
      median_days: 2,
      p90_days: 4,
      completion_rate: 100,
      sla_breach_percent: 33.33, // 4 > 3
    };

    it('answers every consecutive pair whose target is in the range, by average_days desc', async () => {
      expect(await get('bottlenecks')).toEqual({
        start_date: '2026-03-01',
        end_date: '2026-03-31',
        data: [VISIT_TO_CONVERTED, CONTACT_TO_VISIT, CONTACT_TO_CONTACT, LEAD_TO_CONTACT],
      });
    });

    it('keeps only groups with average_days ≥ min_average_days (as answered)', async () => {
      const pairs = async (min: number) =>
        (await get('bottlenecks', { ...march, min_average_days: min })).data.map(
          (b: { to_milestone: string; from_milestone: string }) => `${b.from_milestone}>${b.to_milestone}`,
        );
      expect(await pairs(3.67)).toEqual(['SITE_VISIT>CONVERTED', 'CONTACTED>SITE_VISIT', 'CONTACTED>CONTACTED']);
      expect(await pairs(3.68)).toEqual(['SITE_VISIT>CONVERTED', 'CONTACTED>SITE_VISIT']);
      expect(await pairs(10)).toEqual(['SITE_VISIT>CONVERTED']);
      expect(await pairs(10.01)).toEqual([]);
      expect((await admin.get('/milestones/analytics/bottlenecks', { query: { ...march, min_average_days: -1 } })).statusCode).toBe(400);
      expect(await pairs(0)).toHaveLength(4);
      expect(await get('bottlenecks', { ...march, min_average_days: '.5' })).toMatchObject({ data: { length: 4 } });
      expect(await get('bottlenecks', { ...march, min_average_days: '10.' })).toMatchObject({ data: { length: 1 } });
    });

    it.each(['', ' ', 'abc', '0x10', '1e1', '3,5', 'NaN', 'Infinity'])('answers 400 for min_average_days=%j like any malformed number', async (value) => {
      const res = await admin.get('/milestones/analytics/bottlenecks', { query: { ...march, min_average_days: value } });
      expect(res.statusCode).toBe(400);
      expect(new Set(res.json().errors.map((e: { field: string }) => e.field))).toEqual(new Set(['min_average_days']));
    });

    it("keeps only pairs consecutive in a template's sequence with template_id", async () => {
      const standard = ok(await admin.get('/milestone-templates')).data.find((t: { is_default: boolean }) => t.is_default).id;
      expect((await get('bottlenecks', { ...march, template_id: standard })).data).toEqual([CONTACT_TO_VISIT, LEAD_TO_CONTACT]);
      const short = ok(
        await admin.post('/milestone-templates', { template_name: 'Close', template_type: 'custom', sequence: ['SITE_VISIT', 'CONVERTED'] }),
        201,
      );
      expect((await get('bottlenecks', { ...march, template_id: short.id })).data).toEqual([VISIT_TO_CONVERTED]);
      const theirs = newTenantId();
      ok(await api.as({ tenant: theirs, role: 'admin' }).get('/milestone-templates'));
      await numberAhead(api.app, theirs);
      const foreign = ok(
        await api
          .as({ tenant: theirs, role: 'admin' })
          .post('/milestone-templates', { template_name: 'Theirs', template_type: 'custom', sequence: ['CONTACTED'] }),
        201,
      ).id;
      expect((await admin.get('/milestones/analytics/bottlenecks', { query: { ...march, template_id: foreign } })).statusCode).toBe(404);
      expect((await admin.get('/milestones/analytics/bottlenecks', { query: { ...march, template_id: 'x' } })).statusCode).toBe(400);
    });

    it('counts distinct leads exactly when a lead repeats a transition around the range start', async () => {
      // From 03-06: L4's contacts of 03-05 fall out; its 03-07 one stays (its previous C→C is before the range).
      const from6 = (await get('bottlenecks', { start_date: '2026-03-06', end_date: '2026-03-31' })).data;
      expect(
        from6.find((b: { from_milestone: string; to_milestone: string }) => b.from_milestone === 'CONTACTED' && b.to_milestone === 'CONTACTED'),
      ).toMatchObject({
        transitions: 2,
        leads_affected: 2,
        median_days: 5.5,
      });
      // 03-05 … 03-07: both of L4's C→C fall in (0 and 2 days): one lead.
      const days = (await get('bottlenecks', { start_date: '2026-03-05', end_date: '2026-03-07' })).data;
      expect(days.map((b: Record<string, unknown>) => [b.from_milestone, b.to_milestone, b.transitions, b.leads_affected, b.average_days])).toEqual([
        ['LEAD_GENERATED', 'CONTACTED', 2, 2, 2], // L3 4, L4 0
        ['CONTACTED', 'CONTACTED', 2, 1, 1],
      ]);
    });

    it("leaves another tenant's transitions out and answers an empty list without data", async () => {
      const bob = api.as({ tenant: newTenantId(), role: 'agent' });
      expect(ok(await bob.get('/milestones/analytics/bottlenecks', { query: march })).data).toEqual([]);
      expect((await get('bottlenecks', { start_date: '2026-01-01', end_date: '2026-01-31' })).data).toEqual([]);
    });
  });

  it('checks the date range of every analytics route', async () => {
    for (const path of ['completion', 'time-trends', 'bottlenecks']) {
      const bad = await admin.get(`/milestones/analytics/${path}`, { query: { start_date: '2026-03-10', end_date: '2026-03-01' } });
      expect([path, bad.statusCode]).toEqual([path, 400]);
      expect((await admin.get(`/milestones/analytics/${path}`, { query: { days: 7 } })).statusCode).toBe(200);
    }
  });
});
