import { token } from './lib/http';
import { record } from './lib/figures';
import { query } from './lib/mariadb';
import { openWorld, tenantIds, World } from './lib/scenario';
import { dayBefore } from './lib/workload';

/**
 * Concurrency: races that only a real server with a real pool can produce. Each case fires its
 * requests at once (one socket each) and asserts the one outcome the contract allows, then reads the
 * database directly to see that nothing was written twice.
 */
const N = 50;
const statuses = (xs: { status: number }[]) => xs.reduce<Record<number, number>>((m, x) => ({ ...m, [x.status]: (m[x.status] ?? 0) + 1 }), {});

describe('reliability: concurrency', () => {
  let w: World;
  let tenant: string;
  let t: string;
  const figures: Record<string, string> = {};
  beforeAll(async () => {
    w = await openWorld('concurrency');
    [tenant] = tenantIds('conc', 1);
    t = await token(tenant);
    expect((await w.http.call({ path: '/lead-sources', token: t })).status).toBe(200);
  });
  afterAll(async () => {
    record('concurrency', figures);
    await w?.close();
  });

  const all = <T>(n: number, f: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => f(i)));

  it(`${N} parallel creates of the same code: exactly one 201, the others 409 DUPLICATE_CODE, one row`, async () => {
    const sources = await all(N, () =>
      w.http.call({ method: 'POST', path: '/lead-sources', token: t, body: { source_code: 'RACE', source_name: 'Race', source_type: 'event' } }),
    );
    const leads = await all(N, () => w.http.call({ method: 'POST', path: '/leads', token: t, body: { lead_code: 'RACE-1', source_code: 'WEBSITE' } }));
    const campaigns = await all(N, () =>
      w.http.call({
        method: 'POST',
        path: '/campaigns',
        token: t,
        body: { campaign_code: 'RACE', campaign_name: 'Race', campaign_type_code: 'EMAIL_BLAST', start_date: dayBefore(5) },
      }),
    );
    figures['parallel creates (source, lead, campaign)'] = [sources, leads, campaigns].map((r) => JSON.stringify(statuses(r))).join(' ');
    for (const replies of [sources, leads, campaigns]) {
      expect(statuses(replies)).toEqual({ 201: 1, 409: N - 1 });
      for (const r of replies.filter((x) => x.status === 409)) expect(r.json().code).toBe('DUPLICATE_CODE');
    }
    const count = async (sql: string) => Number((await query<{ n: number }>(w.db, sql, [tenant]))[0].n);
    expect(await count("SELECT COUNT(*) AS n FROM tenant_lead_sources WHERE tenant_id = ? AND source_code = 'RACE'")).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM leads WHERE tenant_id = ? AND lead_code = 'RACE-1'")).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM campaigns WHERE tenant_id = ? AND campaign_code = 'RACE'")).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM audit_log WHERE tenant_id = ? AND action = 'create' AND entity_type = 'lead'")).toBe(1);
  });

  it(`${N} parallel PATCHes with the same If-Match: exactly one 200, the others 412`, async () => {
    const source = await w.http.call({
      method: 'POST',
      path: '/lead-sources',
      token: t,
      body: { source_code: 'MATCH', source_name: 'Match', source_type: 'event' },
    });
    const lead = await w.http.call({ method: 'POST', path: '/leads', token: t, body: { source_code: 'WEBSITE', expected_value: 10 } });
    expect([source.status, lead.status]).toEqual([201, 201]);
    const leadId = lead.json().id;
    const onSource = await all(N, (i) =>
      w.http.call({ method: 'PATCH', path: '/lead-sources/MATCH', token: t, headers: { 'if-match': '"1"' }, body: { display_order: i + 1 } }),
    );
    const onLead = await all(N, (i) =>
      w.http.call({ method: 'PATCH', path: `/leads/${leadId}`, token: t, headers: { 'if-match': '"1"' }, body: { expected_value: 100 + i } }),
    );
    figures['parallel If-Match PATCHes (source, lead)'] = [onSource, onLead].map((r) => JSON.stringify(statuses(r))).join(' ');
    for (const replies of [onSource, onLead]) {
      expect(statuses(replies)).toEqual({ 200: 1, 412: N - 1 });
      for (const r of replies.filter((x) => x.status === 412)) expect(r.json().code).toBe('PRECONDITION_FAILED');
    }
    // The stored row is the winner's write, at version 2.
    const winner = onLead.findIndex((r) => r.status === 200);
    const [row] = await query<{ version: number; expected_value: number }>(w.db, 'SELECT version, expected_value FROM leads WHERE id = ?', [leadId]);
    expect([row.version, Number(row.expected_value)]).toEqual([2, 100 + winner]);
    const [src] = await query<{ version: number; display_order: number }>(
      w.db,
      "SELECT version, display_order FROM tenant_lead_sources WHERE tenant_id = ? AND source_code = 'MATCH'",
      [tenant],
    );
    expect([src.version, src.display_order]).toEqual([2, onSource.findIndex((r) => r.status === 200) + 1]);
  });

  it(`${N} parallel milestone inserts (and moves) for one lead leave every days_from_previous right`, async () => {
    const lead = await w.http.call({
      method: 'POST',
      path: '/leads',
      token: t,
      body: { source_code: 'EMAIL', created_at: new Date(Date.now() - 60 * 86_400_000).toISOString() },
    });
    const leadId = lead.json().id;
    const types = ['LEAD_GENERATED', 'CONTACTED', 'SITE_VISIT', 'PROPOSAL_SENT', 'CONVERTED'];
    const inserts = await all(N, (i) =>
      w.http.call({
        method: 'POST',
        path: `/milestones/${leadId}`,
        token: t,
        body: {
          milestone_type_code: types[i % 5],
          achieved_date: dayBefore((i * 37) % 55),
          ...(i % 3 ? { achieved_time: `${String(8 + (i % 9)).padStart(2, '0')}:00:00` } : {}),
        },
      }),
    );
    expect(statuses(inserts)).toEqual({ 201: N });
    // Moves and deletes in parallel too: each write re-derives the neighbours it touches.
    const ids: number[] = inserts.map((r) => r.json().id);
    const moves = await all(10, (i) =>
      w.http.call({ method: 'PATCH', path: `/lead-milestones/${ids[i * 3]}`, token: t, body: { achieved_date: dayBefore((i * 11) % 50) } }),
    );
    const deletes = await all(5, (i) => w.http.call({ method: 'DELETE', path: `/lead-milestones/${ids[i * 3 + 1]}`, token: t }));
    expect(statuses(moves)).toEqual({ 200: 10 });
    expect(statuses(deletes)).toEqual({ 204: 5 });

    const chain = await query<{ id: number; achieved_date: string; achieved_time: string | null; days_from_previous: number | null }>(
      w.db,
      'SELECT id, achieved_date, achieved_time, days_from_previous FROM lead_milestones WHERE lead_id = ? AND deleted_at IS NULL ORDER BY achieved_date, achieved_time, id',
      [leadId],
    );
    expect(chain).toHaveLength(N - 5);
    const want = chain.map((m, i) => (i === 0 ? null : Math.round((Date.parse(m.achieved_date) - Date.parse(chain[i - 1].achieved_date)) / 86_400_000)));
    expect(chain.map((m) => m.days_from_previous)).toEqual(want);
    const timeline = (await w.http.call({ path: `/milestones/${leadId}/timeline`, token: t })).json();
    expect(timeline.milestones.map((m: { days_from_previous: number | null }) => m.days_from_previous)).toEqual(want);
    figures['parallel milestone writes on one lead'] = `${N} inserts, 10 moves, 5 deletes: ${chain.length} links checked`;
  });

  it(`${N} parallel first requests of new tenants seed their defaults once`, async () => {
    const fresh = tenantIds('seed', 5);
    const paths = ['/lead-sources', '/milestone-types', '/campaign-statuses', '/lead-channels', '/milestone-templates'];
    const replies = await all(N * fresh.length, async (i) =>
      w.http.call({ path: paths[i % paths.length], token: await token(fresh[i % fresh.length], 'viewer') }),
    );
    expect(statuses(replies)).toEqual({ 200: N * fresh.length });
    const expected: Record<string, number> = {
      tenants: 1,
      tenant_lead_sources: 5, // WEBSITE, EMAIL, SOCIAL, REFERRAL, UNMAPPED
      tenant_lead_subsources: 3, // FACEBOOK, LINKEDIN, UNMAPPED
      tenant_lead_channels: 4,
      tenant_milestone_types: 5,
      tenant_milestone_templates: 1,
      tenant_campaign_types: 3,
      tenant_campaign_channels: 3,
      tenant_campaign_statuses: 4,
      tenant_campaign_budget_types: 3,
    };
    for (const id of fresh) {
      const counts: Record<string, number> = {};
      for (const table of Object.keys(expected)) {
        const column = table === 'tenants' ? 'id' : 'tenant_id';
        counts[table] = Number((await query<{ n: number }>(w.db, `SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = ?`, [id]))[0].n);
      }
      expect(counts).toEqual(expected);
    }
    figures['parallel first requests'] = `${N * fresh.length} requests over ${fresh.length} new tenants: all 200, defaults seeded once each`;
  });
});
