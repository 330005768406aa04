import { Client, startTestApi, TestApi } from '../support/app';
import { newTenantId } from '../support/tenants';
import { ok } from '../support/responses';
import { aLead, aMilestone } from './helpers';

/**
 * Hand-worked timeline. Lead created 2026-04-01 09:00 UTC; default template: the Standard Sales
 * Pipeline, LEAD_GENERATED → CONTACTED → SITE_VISIT → PROPOSAL_SENT → CONVERTED. SLAs (defaults):
 * CONTACTED 3, SITE_VISIT 10, PROPOSAL_SENT 7.
 *
 *  inserted  type           achieved   status     chain position   days  cumulative  SLA breached
 *  1         LEAD_GENERATED 04-01      completed  1                null  0           no
 *  2         CONTACTED      04-06      completed  2                5     5           yes (5 > 3)
 *  3         PROPOSAL_SENT  04-10      pending    4                2     9           no
 *  4         SITE_VISIT     04-08      completed  3 (back-dated)   2     7           no
 *
 * total_days 9; current = SITE_VISIT (last completed; the proposal is only pending); next_expected =
 * PROPOSAL_SENT (first of the sequence not completed); progress = 3 / 5 = 60 %.
 */
describe('lead timeline', () => {
  let api: TestApi;
  let admin: Client;
  let leadId: number;
  const ids: Record<string, number> = {};
  let templateId: number;

  beforeAll(async () => {
    api = await startTestApi();
  });
  beforeEach(async () => {
    admin = api.as({ tenant: newTenantId(), role: 'admin' });
    leadId = await aLead(admin, '2026-04-01T09:00:00Z');
    templateId = ok(await admin.get('/milestone-templates')).data[0].id;
    ids.lg = (await aMilestone(admin, leadId, { milestone_type_code: 'LEAD_GENERATED', achieved_date: '2026-04-01' })).id;
    ids.ct = (await aMilestone(admin, leadId, { milestone_type_code: 'CONTACTED', achieved_date: '2026-04-06' })).id;
    ids.ps = (await aMilestone(admin, leadId, { milestone_type_code: 'PROPOSAL_SENT', achieved_date: '2026-04-10', status: 'pending' })).id;
    ids.sv = (await aMilestone(admin, leadId, { milestone_type_code: 'SITE_VISIT', achieved_date: '2026-04-08' })).id;
  });
  afterAll(() => api.close());

  const timeline = async () => ok(await admin.get(`/milestones/${leadId}/timeline`));
  const rows = (t: { milestones: Record<string, unknown>[] }) =>
    t.milestones.map((m) => [m.type_code, m.days_from_previous, m.cumulative_days, m.sla_days, m.sla_breached]);

  it('answers the hand-worked timeline', async () => {
    const t = await timeline();
    expect(rows(t)).toEqual([
      ['LEAD_GENERATED', null, 0, null, false],
      ['CONTACTED', 5, 5, 3, true],
      ['SITE_VISIT', 2, 7, 10, false],
      ['PROPOSAL_SENT', 2, 9, 7, false],
    ]);
    expect(t).toMatchObject({
      lead_id: leadId,
      total_days: 9,
      current_milestone: 'SITE_VISIT',
      next_expected: 'PROPOSAL_SENT',
      template_id: templateId,
      progress_percent: 60,
    });
    // Each milestone is the full lead milestone representation plus the timeline fields.
    expect(t.milestones[1]).toMatchObject({ id: ids.ct, lead_id: leadId, status: 'completed', achieved_date: '2026-04-06', version: 1 });
  });

  it('follows status changes, date moves and deletes', async () => {
    ok(await admin.patch(`/lead-milestones/${ids.ps}`, { status: 'completed' }));
    expect(await timeline()).toMatchObject({ current_milestone: 'PROPOSAL_SENT', next_expected: 'CONVERTED', progress_percent: 80 });

    // The contact moves to 04-02: 1 day after the lead, 6 before the visit (SLA 10: fine).
    ok(await admin.patch(`/lead-milestones/${ids.ct}`, { achieved_date: '2026-04-02' }));
    expect(rows(await timeline())).toEqual([
      ['LEAD_GENERATED', null, 0, null, false],
      ['CONTACTED', 1, 1, 3, false],
      ['SITE_VISIT', 6, 7, 10, false],
      ['PROPOSAL_SENT', 2, 9, 7, false],
    ]);

    // Without the visit, the proposal comes 8 days after the contact (SLA 7: breached).
    expect((await admin.delete(`/lead-milestones/${ids.sv}`)).statusCode).toBe(204);
    const t = await timeline();
    expect(rows(t)).toEqual([
      ['LEAD_GENERATED', null, 0, null, false],
      ['CONTACTED', 1, 1, 3, false],
      ['PROPOSAL_SENT', 8, 9, 7, true],
    ]);
    expect(t).toMatchObject({ total_days: 9, current_milestone: 'PROPOSAL_SENT', next_expected: 'SITE_VISIT', progress_percent: 60 });
  });

  it('counts completed codes once, whatever their order, and ignores codes outside the template', async () => {
    ok(await admin.post('/milestone-types', { type_code: 'DEMO', type_name: 'Demo' }), 201);
    await aMilestone(admin, leadId, { milestone_type_code: 'CONTACTED', achieved_date: '2026-04-11' });
    await aMilestone(admin, leadId, { milestone_type_code: 'DEMO', achieved_date: '2026-04-12' });
    await aMilestone(admin, leadId, { milestone_type_code: 'CONVERTED', achieved_date: '2026-04-13', status: 'failed' });
    expect(await timeline()).toMatchObject({ total_days: 12, current_milestone: 'DEMO', next_expected: 'PROPOSAL_SENT', progress_percent: 60 });
  });

  it('measures against whichever standard template is the default, and against none without one', async () => {
    const other = ok(
      await admin.post('/milestone-templates', {
        template_name: 'Short',
        template_type: 'standard',
        is_default: true,
        sequence: ['CONTACTED', 'PROPOSAL_SENT'],
      }),
      201,
    );
    expect(await timeline()).toMatchObject({ template_id: other.id, next_expected: 'PROPOSAL_SENT', progress_percent: 50 });
    // A default of another template_type is not the standard default.
    ok(await admin.post('/milestone-templates', { template_name: 'Camp', template_type: 'campaign', is_default: true, sequence: ['CONVERTED'] }), 201);
    expect((await timeline()).template_id).toBe(other.id);
    // An inactive default does not count.
    ok(await admin.patch(`/milestone-templates/${other.id}`, { is_active: false }));
    expect(await timeline()).toMatchObject({ template_id: null, next_expected: null, progress_percent: null, current_milestone: 'SITE_VISIT' });
    ok(await admin.patch(`/milestone-templates/${templateId}`, { is_default: true }));
    expect(await timeline()).toMatchObject({ template_id: templateId, progress_percent: 60 });
    ok(await admin.delete(`/milestone-templates/${templateId}`), 204);
    expect((await timeline()).template_id).toBeNull();
  });

  it('leaves out a code of the sequence whose type was deleted, until a type has the code again', async () => {
    // PROPOSAL_SENT deleted: next is CONVERTED; 3 of the 4 live codes completed.
    ok(await admin.delete('/milestone-types/PROPOSAL_SENT'), 204);
    expect(await timeline()).toMatchObject({ template_id: templateId, next_expected: 'CONVERTED', progress_percent: 75 });
    // The code created anew counts again; the lead's milestone of the deleted type completes it.
    ok(await admin.post('/milestone-types', { type_code: 'PROPOSAL_SENT', type_name: 'Proposal' }), 201);
    expect(await timeline()).toMatchObject({ next_expected: 'PROPOSAL_SENT', progress_percent: 60 });
    ok(await admin.patch(`/lead-milestones/${ids.ps}`, { status: 'completed' }));
    expect(await timeline()).toMatchObject({ next_expected: 'CONVERTED', progress_percent: 80 });
    // A default whose every code is deleted: nothing expected, no progress.
    ok(await admin.post('/milestone-types', { type_code: 'DEMO', type_name: 'Demo' }), 201);
    const only = ok(
      await admin.post('/milestone-templates', { template_name: 'Demo only', template_type: 'standard', is_default: true, sequence: ['DEMO'] }),
      201,
    );
    ok(await admin.delete('/milestone-types/DEMO'), 204);
    expect(await timeline()).toMatchObject({ template_id: only.id, next_expected: null, progress_percent: null, current_milestone: 'PROPOSAL_SENT' });
  });

  it('answers an empty timeline for a lead without milestones', async () => {
    const fresh = await aLead(admin, '2026-04-01T00:00:00Z');
    expect(ok(await admin.get(`/milestones/${fresh}/timeline`))).toEqual({
      lead_id: fresh,
      milestones: [],
      total_days: 0,
      current_milestone: null,
      next_expected: 'LEAD_GENERATED',
      template_id: templateId,
      progress_percent: 0,
    });
  });
});
