import { Client, startTestApi, TestApi } from '../support/app';
import { newTenantId } from '../support/tenants';
import { ok } from '../support/responses';
import { aLead, aMilestone } from './helpers';

/**
 * A code re-used after a delete is one code in every analytics answer (API.md §1: facts of a deleted
 * row still count, reported under its code). Range: 2026-05-01 … 05-31; every lead created 05-01.
 *
 * OLD#1 "Old one" (sla 2) ← L1 LG 05-01 → OLD 05-04 (3 days); L2 LG 05-02 → OLD 05-03 (1 day)
 * OLD#1 deleted; OLD#2 "Old two" (sla 5) created
 * OLD#2                   ← L1 LG 05-10 → OLD 05-16 (6 days); L3 LG 05-05 → OLD 05-06 pending (1 day)
 * X#1 "X first"           ← L3 X 05-20 (after OLD 05-06: 14 days); X#1 deleted
 * X#2 "X second" (sla 10) ← L2 X 05-25 (after OLD 05-03: 22 days); X#2 deleted (X has no live type)
 *
 * L1's chain: LG 05-01 → OLD 05-04 → LG 05-10 → OLD 05-16: the transitions LG→OLD 3, OLD→LG 6, LG→OLD 6.
 * LG→OLD: days 3, 1, 6, 1 → 4 transitions of 3 leads; average 11/4 = 2.75; sorted 1 1 3 6: median
 *   (1+3)/2 = 2, p90 rank ⌈3.6⌉ = 4 → 6; B completed 3 of 4 = 75 %; against OLD#2's sla 5 (the live
 *   row's) one breach (6) = 25 %.
 * OLD→LG: 6 → one transition; LG has no SLA.
 * OLD→X: 14, 22 → average 18, median 18, p90 rank 2 → 22; against X#2's sla 10 (deleted last) 100 %.
 * Completion: OLD 4 milestones, 3 completed, 1 pending → 75 %; X 2 of 2 → 100 %, named "X second".
 * Time to hit (achieved − 05-01): OLD 3, 2, 15, 5 → 25 / 4 = 6.25; X 19, 24 → 21.5.
 */
describe('milestone analytics: a type code re-used after a delete', () => {
  let api: TestApi;
  let admin: Client;
  const may = { start_date: '2026-05-01', end_date: '2026-05-31' };
  let templateId: number;

  beforeAll(async () => {
    api = await startTestApi();
    admin = api.as({ tenant: newTenantId(), role: 'admin' });
    const m = (lead: number, milestone_type_code: string, achieved_date: string, extra: Record<string, unknown> = {}) =>
      aMilestone(admin, lead, { milestone_type_code, achieved_date, ...extra });
    const type = async (type_code: string, type_name: string, sla_days: number) =>
      ok(await admin.post('/milestone-types', { type_code, type_name, sla_days }), 201);

    await type('OLD', 'Old one', 2);
    const [l1, l2, l3] = [await aLead(admin, '2026-05-01T00:00:00Z'), await aLead(admin, '2026-05-01T00:00:00Z'), await aLead(admin, '2026-05-01T00:00:00Z')];
    await m(l1, 'LEAD_GENERATED', '2026-05-01');
    await m(l1, 'OLD', '2026-05-04');
    await m(l2, 'LEAD_GENERATED', '2026-05-02');
    await m(l2, 'OLD', '2026-05-03');
    ok(await admin.delete('/milestone-types/OLD'), 204);

    await type('OLD', 'Old two', 5);
    await m(l1, 'LEAD_GENERATED', '2026-05-10');
    await m(l1, 'OLD', '2026-05-16');
    await m(l3, 'LEAD_GENERATED', '2026-05-05');
    await m(l3, 'OLD', '2026-05-06', { status: 'pending' });

    await type('X', 'X first', 1);
    await m(l3, 'X', '2026-05-20');
    ok(await admin.delete('/milestone-types/X'), 204);
    await type('X', 'X second', 10);
    await m(l2, 'X', '2026-05-25');
    ok(await admin.delete('/milestone-types/X'), 204);

    templateId = ok(
      await admin.post('/milestone-templates', { template_name: 'Old path', template_type: 'custom', sequence: ['LEAD_GENERATED', 'OLD'] }),
      201,
    ).id;
  });
  afterAll(() => api.close());

  const get = async (path: string, query: Record<string, string | number> = may) => ok(await admin.get(`/milestones/analytics/${path}`, { query }));

  it('completion: one row per code, named after its live type, else the one deleted last', async () => {
    const { details } = await get('completion');
    const codes = details.map((d: { type_code: string }) => d.type_code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(details.find((d: { type_code: string }) => d.type_code === 'OLD')).toEqual({
      type_code: 'OLD',
      type_name: 'Old two',
      total: 4,
      completed: 3,
      in_progress: 1,
      skipped: 0,
      failed: 0,
      completion_rate: 75,
    });
    expect(details.find((d: { type_code: string }) => d.type_code === 'X')).toEqual({
      type_code: 'X',
      type_name: 'X second',
      total: 2,
      completed: 2,
      in_progress: 0,
      skipped: 0,
      failed: 0,
      completion_rate: 100,
    });
  });

  it('time trends: one row per period and code; type_code covers every type that had the code', async () => {
    const old = { date: '2026-05-01', type_code: 'OLD', milestone_count: 4, average_time_to_hit: 6.25, completion_rate: 75, follow_up_required: 0 };
    const x = { date: '2026-05-01', type_code: 'X', milestone_count: 2, average_time_to_hit: 21.5, completion_rate: 100, follow_up_required: 0 };
    const all = (await get('time-trends', { ...may, interval: 'month' })).data;
    expect(all.filter((r: { type_code: string }) => r.type_code === 'OLD' || r.type_code === 'X')).toEqual([old, x]);
    expect((await get('time-trends', { ...may, interval: 'month', type_code: 'OLD' })).data).toEqual([old]);
    expect((await get('time-trends', { ...may, interval: 'month', type_code: 'X' })).data).toEqual([x]);
    const res = await admin.get('/milestones/analytics/time-trends', { query: { ...may, type_code: 'NEVER' } });
    expect(res.statusCode).toBe(404);
  });

  const lgOld = {
    from_milestone: 'LEAD_GENERATED',
    to_milestone: 'OLD',
    from_name: 'Lead generated',
    to_name: 'Old two',
    transitions: 4,
    leads_affected: 3,
    average_days: 2.75,
    median_days: 2,
    p90_days: 6,
    completion_rate: 75,
    sla_breach_percent: 25,
  };

  it('bottlenecks: one row per code pair over the merged histogram, distinct leads across the types of a code', async () => {
    expect((await get('bottlenecks')).data).toEqual([
      {
        from_milestone: 'OLD',
        to_milestone: 'X',
        from_name: 'Old two',
        to_name: 'X second',
        transitions: 2,
        leads_affected: 2,
        average_days: 18,
        median_days: 18,
        p90_days: 22,
        completion_rate: 100,
        sla_breach_percent: 100,
      },
      {
        from_milestone: 'OLD',
        to_milestone: 'LEAD_GENERATED',
        from_name: 'Old two',
        to_name: 'Lead generated',
        transitions: 1,
        leads_affected: 1,
        average_days: 6,
        median_days: 6,
        p90_days: 6,
        completion_rate: 100,
        sla_breach_percent: null,
      },
      lgOld,
    ]);
  });

  it('bottlenecks: template_id keeps a pair whatever type row of the code each transition had', async () => {
    expect((await get('bottlenecks', { ...may, template_id: templateId })).data).toEqual([lgOld]);
  });

  it('bottlenecks: the distinct leads stay exact when the range starts on a transition its lead repeats under the new type', async () => {
    // From 05-04: L1's LG→OLD of 05-04 (3, OLD#1) and of 05-16 (6, OLD#2), L3's of 05-06 (1): 3 transitions
    // of 2 leads; sorted 1 3 6: average 3.33, median 3, p90 rank ⌈2.7⌉ = 3 → 6; 2 completed; one over 5 days.
    const rows = (await get('bottlenecks', { start_date: '2026-05-04', end_date: '2026-05-31', template_id: templateId })).data;
    expect(rows).toEqual([
      { ...lgOld, transitions: 3, leads_affected: 2, average_days: 3.33, median_days: 3, p90_days: 6, completion_rate: 66.67, sla_breach_percent: 33.33 },
    ]);
  });
});
