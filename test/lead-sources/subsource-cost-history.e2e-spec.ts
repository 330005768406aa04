import { LeadSubsourceCostRepository } from '../../src/lead-sources/lead-subsource-cost.repository';
import { Client, startTestApi, TestApi } from '../support/app';
import { setSettings } from '../support/builders';
import { expectProblem, expectValidationError } from '../support/problems';
import { ok } from '../support/responses';
import { newTenantId } from '../support/tenants';

// Creates leads, histories and a change of zone on two busy cores: 30 s (jest.config.js) is too little on MariaDB.
jest.setTimeout(90_000);

type Row = Record<string, any>;

const SUB = '/lead-sources/SOCIAL/subsources/ADS';
const FEB_MAR = { start_date: '2026-02-01', end_date: '2026-03-31' };

/**
 * Subsource cost history (API.md §3 "Subsource costs"): a subsource's cost_per_lead is kept by the day it
 * is in force from; a new lead without acquisition_cost takes the cost in force on its created_at day in
 * the tenant's zone; changing the cost never changes stored leads.
 */
describe('subsource cost history', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  const admin = () => api.as({ tenant: newTenantId(), role: 'admin' });
  const history = async (c: Client, path = SUB) => ok(await c.get(`${path}/costs`)).data as Row[];
  const days = (rows: Row[]) => rows.map((r) => [r.valid_from, r.cost_per_lead]);
  const lead = async (c: Client, body: Row) => ok(await c.post('/leads', { source_code: 'SOCIAL', sub_source_code: 'ADS', ...body }), 201);
  const performance = async (c: Client, path = SUB) => ok(await c.get(`${path}/performance`, { query: FEB_MAR }));
  /** ADS under SOCIAL: 10 from the beginning, 20 from 1 March 2026. */
  const handWorked = async (c: Client) => {
    ok(await c.post('/lead-sources/SOCIAL/subsources', { sub_source_code: 'ADS', sub_source_name: 'Ads', cost_per_lead: 10 }), 201);
    ok(await c.post(`${SUB}/costs`, { cost_per_lead: 20, valid_from: '2026-03-01' }), 201);
  };

  it('gives 3 leads of February and 2 of March, created after both entries, a spend of 70 and a CPL of 14; later changes move nothing stored', async () => {
    const c = admin();
    const created = ok(await c.post('/lead-sources/SOCIAL/subsources', { sub_source_code: 'ADS', sub_source_name: 'Ads', cost_per_lead: 10 }), 201);
    expect(created.cost_per_lead).toBe(10);
    expect(days(await history(c))).toEqual([[null, 10]]);

    const entry = ok(await c.post(`${SUB}/costs`, { cost_per_lead: 20, valid_from: '2026-03-01' }), 201);
    expect(entry).toMatchObject({ valid_from: '2026-03-01', cost_per_lead: 20 });
    expect(days(await history(c))).toEqual([
      [null, 10],
      ['2026-03-01', 20],
    ]);
    // The cost in force today (after 1 March 2026) is the subsource's cost_per_lead: a new version.
    const sub = await c.get(SUB);
    expect(sub.json()).toMatchObject({ cost_per_lead: 20, version: 2 });
    expect(sub.headers.etag).toBe('"2"');

    // Back-dated leads, created after both entries exist; the last February one is at 23:59 UTC on the 28th.
    const stamps = ['2026-02-02T09:00:00Z', '2026-02-14T12:00:00Z', '2026-02-28T23:59:00Z', '2026-03-01T00:00:00Z', '2026-03-20T15:00:00Z'];
    const leads = [];
    for (const at of stamps) leads.push(await lead(c, { created_at: at }));
    expect(leads.map((l) => l.acquisition_cost)).toEqual([10, 10, 10, 20, 20]);
    const figures = await performance(c);
    expect(figures).toMatchObject({ leads_generated: 5, total_cost: 70, cost_per_lead: 14 });
    expect(ok(await c.get(SUB)).total_cost).toBe(70);

    // Change the cost again, in the past and today: stored leads and the figures stay as they were.
    ok(await c.post(`${SUB}/costs`, { cost_per_lead: 30, valid_from: '2026-02-10' }), 201);
    ok(await c.post(`${SUB}/costs`, { cost_per_lead: 12, valid_from: null }), 200);
    ok(await c.patch(SUB, { cost_per_lead: 50 }));
    for (const [i, l] of leads.entries()) expect(ok(await c.get(`/leads/${l.id}`)).acquisition_cost).toBe([10, 10, 10, 20, 20][i]);
    expect(await performance(c)).toEqual(figures);
    expect(ok(await c.get(SUB))).toMatchObject({ cost_per_lead: 50, total_cost: 70 });

    // New leads take the history as it is now; a body's acquisition_cost wins; a lead without subsource costs 0.
    expect((await lead(c, { created_at: '2026-02-05T00:00:00Z' })).acquisition_cost).toBe(12);
    expect((await lead(c, { created_at: '2026-02-12T00:00:00Z' })).acquisition_cost).toBe(30);
    expect((await lead(c, { created_at: '2026-03-02T00:00:00Z' })).acquisition_cost).toBe(20);
    expect((await lead(c, {})).acquisition_cost).toBe(50);
    expect((await lead(c, { created_at: '2026-03-02T00:00:00Z', acquisition_cost: 3.5 })).acquisition_cost).toBe(3.5);
    expect(ok(await c.post('/leads', { source_code: 'SOCIAL', created_at: '2026-03-02T00:00:00Z' }), 201).acquisition_cost).toBe(0);
  });

  it('prices a bulk create by each lead’s own day, a default subsource without history from its cost_per_lead', async () => {
    const c = admin();
    await handWorked(c);
    // FACEBOOK is seeded with cost 0 and has never had its cost written: 0 from the beginning, then 5 from 1 February.
    expect(days(await history(c, '/lead-sources/SOCIAL/subsources/FACEBOOK'))).toEqual([[null, 0]]);
    ok(await c.post('/lead-sources/SOCIAL/subsources/FACEBOOK/costs', { cost_per_lead: 5, valid_from: '2026-02-01' }), 201);
    expect(days(await history(c, '/lead-sources/SOCIAL/subsources/FACEBOOK'))).toEqual([
      [null, 0],
      ['2026-02-01', 5],
    ]);
    const res = ok(
      await c.post('/leads/bulk', {
        leads: [
          { source_code: 'SOCIAL', sub_source_code: 'ADS', created_at: '2026-01-15T10:00:00Z' },
          { source_code: 'SOCIAL', sub_source_code: 'ADS', created_at: '2026-03-05T10:00:00Z' },
          { source_code: 'SOCIAL', sub_source_code: 'FACEBOOK', created_at: '2026-01-10T10:00:00Z' },
          { source_code: 'SOCIAL', sub_source_code: 'ADS', created_at: '2026-02-27T10:00:00Z', acquisition_cost: 7 },
          { source_code: 'SOCIAL', sub_source_code: 'FACEBOOK', created_at: '2026-02-10T10:00:00Z' },
          { source_code: 'SOCIAL', sub_source_code: 'ADS' },
          { source_code: 'EMAIL', created_at: '2026-02-10T10:00:00Z' },
        ],
      }),
      201,
    );
    expect(res.data.map((l: Row) => l.acquisition_cost)).toEqual([10, 20, 0, 7, 5, 20, 0]);

    // 600 leads over two subsources and 600 days: their histories are read once for the whole batch.
    const reads = jest.spyOn(api.app.get(LeadSubsourceCostRepository), 'ofSubsources');
    try {
      const start = Date.parse('2025-01-01T12:00:00Z');
      const leads = Array.from({ length: 600 }, (_, i) => ({
        source_code: 'SOCIAL',
        sub_source_code: i % 2 === 0 ? 'ADS' : 'FACEBOOK',
        created_at: new Date(start + i * 86_400_000).toISOString(),
      }));
      const many = ok(await c.post('/leads/bulk', { leads }), 201).data as Row[];
      expect(reads).toHaveBeenCalledTimes(1);
      expect([...reads.mock.calls[0][0]].sort()).toHaveLength(2);
      const expected = leads.map((l) => {
        const day = l.created_at.slice(0, 10);
        return l.sub_source_code === 'ADS' ? (day >= '2026-03-01' ? 20 : 10) : day >= '2026-02-01' ? 5 : 0;
      });
      expect(many.map((l) => l.acquisition_cost)).toEqual(expected);
    } finally {
      reads.mockRestore();
    }
  });

  it('takes the day of created_at in the tenant’s zone: 20:00 UTC on 28 February is 1 March in Kolkata', async () => {
    const c = admin();
    await setSettings(c, { time_zone: 'Asia/Kolkata' });
    await handWorked(c);
    // 18:29 UTC is 23:59 on 28 February in Kolkata (UTC+05:30); 18:30 UTC is midnight of 1 March.
    expect((await lead(c, { created_at: '2026-02-28T18:29:00Z' })).acquisition_cost).toBe(10);
    expect((await lead(c, { created_at: '2026-02-28T18:30:00Z' })).acquisition_cost).toBe(20);
    expect((await lead(c, { created_at: '2026-02-28T20:00:00Z' })).acquisition_cost).toBe(20);
    const bulk = ok(
      await c.post('/leads/bulk', {
        leads: [
          { source_code: 'SOCIAL', sub_source_code: 'ADS', created_at: '2026-02-28T18:29:59Z' },
          { source_code: 'SOCIAL', sub_source_code: 'ADS', created_at: '2026-02-28T20:00:00Z' },
        ],
      }),
      201,
    );
    expect(bulk.data.map((l: Row) => l.acquisition_cost)).toEqual([10, 20]);
  });

  it('writes a PATCH of cost_per_lead into the history from the tenant’s today, replacing that day’s entry', async () => {
    const c = admin();
    ok(await c.post('/lead-sources/SOCIAL/subsources', { sub_source_code: 'ADS', sub_source_name: 'Ads', cost_per_lead: 10 }), 201);
    const before = new Date().toISOString().slice(0, 10);
    ok(await c.patch(SUB, { cost_per_lead: 15 }));
    ok(await c.patch(SUB, { cost_per_lead: 16 }));
    const after = new Date().toISOString().slice(0, 10);
    const rows = await history(c);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ valid_from: null, cost_per_lead: 10 });
    expect([before, after]).toContain(rows[1].valid_from);
    expect(rows[1].cost_per_lead).toBe(16);
    // Another field, or the same cost: the history stays as it is.
    ok(await c.patch(SUB, { sub_source_name: 'Paid ads', cost_per_lead: 16 }));
    expect(await history(c)).toEqual(rows);
    expect(ok(await c.get(SUB))).toMatchObject({ cost_per_lead: 16, version: 4 });
    // A lead created now takes it.
    expect((await lead(c, {})).acquisition_cost).toBe(16);
    // Each PATCH is audited once, as the subsource's update (its cost before and after).
    expect(ok(await c.get('/audit-log', { query: { entity_type: 'subsource_cost' } })).data).toEqual([]);
    const updates = ok(await c.get('/audit-log', { query: { entity_type: 'lead_subsource', entity_key: 'SOCIAL/ADS' } })).data as Row[];
    expect(updates.map((e) => [e.action, e.changes.cost_per_lead])).toEqual([
      ['update', undefined],
      ['update', [15, 16]],
      ['update', [10, 15]],
      ['create', [null, 10]],
    ]);
  });

  it('replaces the entry of a day written again, and audits each write as subsource_cost', async () => {
    const c = admin();
    await handWorked(c);
    const first = ok(await c.post(`${SUB}/costs`, { cost_per_lead: 25, valid_from: '2026-03-01' }), 200);
    expect(first).toMatchObject({ valid_from: '2026-03-01', cost_per_lead: 25 });
    expect(days(await history(c))).toEqual([
      [null, 10],
      ['2026-03-01', 25],
    ]);
    // The latest entry changed: so did the subsource's cost_per_lead (version 3).
    expect(ok(await c.get(SUB))).toMatchObject({ cost_per_lead: 25, version: 3 });
    // The same cost again changes nothing: no new version, no audit entry.
    ok(await c.post(`${SUB}/costs`, { cost_per_lead: 25, valid_from: '2026-03-01' }), 200);
    expect(ok(await c.get(SUB)).version).toBe(3);
    // An entry before the latest leaves the subsource as it is.
    ok(await c.post(`${SUB}/costs`, { cost_per_lead: 11, valid_from: '2026-01-01' }), 201);
    expect(ok(await c.get(SUB))).toMatchObject({ cost_per_lead: 25, version: 3 });

    const audit = ok(await c.get('/audit-log', { query: { entity_type: 'subsource_cost' } })).data as Row[];
    expect(audit.map((e) => [e.action, e.entity_key])).toEqual([
      ['create', 'SOCIAL/ADS/2026-01-01'],
      ['update', 'SOCIAL/ADS/2026-03-01'],
      ['create', 'SOCIAL/ADS/2026-03-01'],
    ]);
    expect(audit[1].changes.cost_per_lead).toEqual([20, 25]);
    const subs = ok(await c.get('/audit-log', { query: { entity_type: 'lead_subsource', entity_key: 'SOCIAL/ADS' } })).data as Row[];
    expect(subs.map((e) => e.action)).toEqual(['update', 'update', 'create']);
  });

  it('keeps one entry per day when writes of the same day race (the subsource is locked by each)', async () => {
    const c = admin();
    await handWorked(c);
    const costs = [31, 32, 33, 34, 35, 36];
    const answers = await Promise.all(costs.map((cost) => c.post(`${SUB}/costs`, { cost_per_lead: cost, valid_from: '2026-04-01' })));
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    const rows = await history(c);
    expect(rows.map((r) => r.valid_from)).toEqual([null, '2026-03-01', '2026-04-01']);
    // The last write wins, and the subsource shows it.
    const last = rows[2].cost_per_lead;
    expect(costs).toContain(last);
    expect(ok(await c.get(SUB)).cost_per_lead).toBe(last);

    // PATCHes of cost_per_lead race to write today's entry: each finds the one before it, one entry stays.
    const patches = await Promise.all([41, 42, 43, 44].map((cost) => c.patch(SUB, { cost_per_lead: cost })));
    expect(patches.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    const after = await history(c);
    expect(after).toHaveLength(4);
    expect(ok(await c.get(SUB)).cost_per_lead).toBe(after[3].cost_per_lead);
  });

  it('keeps the history through a delete and a restore of the subsource', async () => {
    const c = admin();
    await handWorked(c);
    expect((await c.delete(SUB)).statusCode).toBe(204);
    expectProblem(await c.get(`${SUB}/costs`), 404, 'NOT_FOUND');
    expectProblem(await c.post(`${SUB}/costs`, { cost_per_lead: 1, valid_from: '2026-01-01' }), 404, 'NOT_FOUND');
    ok(await c.post(`${SUB}/restore`));
    expect(days(await history(c))).toEqual([
      [null, 10],
      ['2026-03-01', 20],
    ]);
    expect((await lead(c, { created_at: '2026-02-01T12:00:00Z' })).acquisition_cost).toBe(10);
  });

  it.each([
    ['a negative cost', { cost_per_lead: -1, valid_from: '2026-03-01' }, 'cost_per_lead'],
    ['three decimals', { cost_per_lead: 1.005, valid_from: '2026-03-01' }, 'cost_per_lead'],
    ['a string cost', { cost_per_lead: '12', valid_from: '2026-03-01' }, 'cost_per_lead'],
    ['no cost', { valid_from: '2026-03-01' }, 'cost_per_lead'],
    ['an impossible day', { cost_per_lead: 5, valid_from: '2026-02-30' }, 'valid_from'],
    ['a day with a time', { cost_per_lead: 5, valid_from: '2026-03-01T00:00:00Z' }, 'valid_from'],
    ['no day', { cost_per_lead: 5 }, 'valid_from'],
    ['a day after today', { cost_per_lead: 5, valid_from: '2999-01-01' }, 'valid_from'],
    ['an unknown field', { cost_per_lead: 5, valid_from: '2026-03-01', valid_to: '2026-04-01' }, 'valid_to'],
  ])('refuses %s with 400 and writes nothing', async (_what, body, field) => {
    const c = admin();
    await handWorked(c);
    expectValidationError(await c.post(`${SUB}/costs`, body), field);
    expect(days(await history(c))).toEqual([
      [null, 10],
      ['2026-03-01', 20],
    ]);
  });

  it('lets every role read the history and only admins and managers write it', async () => {
    const tenant = newTenantId();
    await handWorked(api.as({ tenant, role: 'admin' }));
    for (const role of ['admin', 'manager', 'agent', 'viewer'] as const) {
      expect(days(await history(api.as({ tenant, role })))).toEqual([
        [null, 10],
        ['2026-03-01', 20],
      ]);
    }
    for (const role of ['agent', 'viewer'] as const) {
      expectProblem(await api.as({ tenant, role }).post(`${SUB}/costs`, { cost_per_lead: 1, valid_from: '2026-01-01' }), 403, 'FORBIDDEN');
    }
    ok(await api.as({ tenant, role: 'manager' }).post(`${SUB}/costs`, { cost_per_lead: 1, valid_from: '2026-01-01' }), 201);
    expect(days(await history(api.as({ tenant, role: 'viewer' })))).toEqual([
      [null, 10],
      ['2026-01-01', 1],
      ['2026-03-01', 20],
    ]);
  });

  it("answers 404 for another tenant's subsource and leaves both histories apart", async () => {
    const a = admin();
    const b = admin();
    await handWorked(a);
    expectProblem(await b.get(`${SUB}/costs`), 404, 'NOT_FOUND');
    expectProblem(await b.post(`${SUB}/costs`, { cost_per_lead: 99, valid_from: '2026-01-01' }), 404, 'NOT_FOUND');
    // b's own ADS, created after a's: its own ids and history.
    ok(await b.post('/lead-sources/SOCIAL/subsources', { sub_source_code: 'ADS', sub_source_name: 'Ads', cost_per_lead: 40 }), 201);
    expect(days(await history(b))).toEqual([[null, 40]]);
    expect(days(await history(a))).toEqual([
      [null, 10],
      ['2026-03-01', 20],
    ]);
    expect((await lead(b, { created_at: '2026-03-05T00:00:00Z' })).acquisition_cost).toBe(40);
  });
});
