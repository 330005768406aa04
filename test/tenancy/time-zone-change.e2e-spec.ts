import { DataSource } from 'typeorm';
import { RETIRED_ROWS_GRACE_MS, ZoneRecompute } from '../../src/tenancy/zone-recompute';
import { Client, startTestApi, TestApi } from '../support/app';
import { createMilestone, settledSettings } from '../support/builders';
import { ok } from '../support/responses';
import { newTenantId } from '../support/tenants';

/**
 * Changing a tenant's zone while it is read and written (docs/time-zones.md): the stored days are
 * recomputed in batches of 1,000 leads while answers keep the old zone, then every answer switches at
 * once. Reads meanwhile see the old days or the new ones, never a mix; writes meanwhile (to leads the
 * recomputation has passed and to leads it has not reached) all end up in the new days.
 */

const RANGE = { start_date: '2026-05-01', end_date: '2026-05-12' };

/** The local day of an instant in `zone`, by the runtime's time zone database (independent of the service's code). */
const dayIn = (zone: string, iso: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));

/** Every day of RANGE with its count of `instants` in `zone`. */
function expectedDaily(zone: string, instants: string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (let d = new Date(`${RANGE.start_date}T00:00:00Z`); d <= new Date(`${RANGE.end_date}T00:00:00Z`); d = new Date(d.getTime() + 86_400_000)) {
    counts.set(d.toISOString().slice(0, 10), 0);
  }
  for (const at of instants) {
    const day = dayIn(zone, at);
    if (counts.has(day)) counts.set(day, counts.get(day)! + 1);
  }
  return [...counts];
}

async function daily(c: Client): Promise<[string, number][]> {
  const body = ok(await c.get('/lead-sources/analytics/trends', { query: { ...RANGE, source_code: 'WEBSITE' } }));
  return body.data.map((p: { date: string; leads_generated: number }) => [p.date, p.leads_generated]);
}

/**
 * Lets the event loop turn, as requests arriving over sockets do: the test's requests are injected in
 * process and answered by a synchronous driver, so without it they would run ahead of every timer and
 * `setImmediate` of the app (where the recomputation takes its turns).
 */
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** `count` instants from 1 to 11 May 2026, most of them in the hours where UTC and the zones below disagree on the day. */
function instants(count: number, salt: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const k = i * 7919 + salt * 104_729;
    const day = 1 + (k % 11);
    const hour = [0, 1, 2, 3, 4, 12, 18, 19, 20, 21, 22, 23][k % 12];
    const minute = (k * 31) % 60;
    return `2026-05-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00.000Z`;
  });
}

async function bulk(c: Client, createdAt: string[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < createdAt.length; i += 2500) {
    const body = ok(await c.post('/leads/bulk', { leads: createdAt.slice(i, i + 2500).map((created_at) => ({ source_code: 'WEBSITE', created_at })) }), 201);
    ids.push(...body.data.map((l: { id: number }) => l.id));
  }
  return ids;
}

describe('changing a tenant time zone while it is read and written', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('answers the old days or the new ones during the recomputation, never a mix, and switches once', async () => {
    const c = api.as({ tenant: newTenantId(), role: 'admin' });
    const facts = instants(4000, 1);
    await bulk(c, facts);
    const before = expectedDaily('UTC', facts);
    const after = expectedDaily('Asia/Kolkata', facts);
    expect(await daily(c)).toEqual(before);
    expect(after).not.toEqual(before);

    ok(await c.patch('/settings', { time_zone: 'Asia/Kolkata' }));
    const seen: ('old' | 'new')[] = [];
    for (;;) {
      const [answer, settings] = await Promise.all([daily(c), c.get('/settings').then((r) => ok(r))]);
      const which = JSON.stringify(answer) === JSON.stringify(before) ? 'old' : JSON.stringify(answer) === JSON.stringify(after) ? 'new' : 'mixed';
      if (which === 'mixed') throw new Error(`an answer mixed the days of two zones: ${JSON.stringify(answer)}`);
      seen.push(which);
      await turn();
      if (settings.time_zone_change_started_at === null && which === 'new') break;
    }
    // Both days were seen (reads went on during the recomputation), and once new, never old again.
    expect(seen).toContain('old');
    expect(seen.slice(seen.indexOf('new'))).not.toContain('old');
    expect(await daily(c)).toEqual(after);
  }, 180_000);

  it('keeps every write made during the recomputation: leads it had passed and leads it had not reached', async () => {
    const c = api.as({ tenant: newTenantId(), role: 'admin' });
    const first = instants(6000, 2);
    const ids = await bulk(c, first);
    const live = new Map(ids.map((id, i) => [id, first[i]]));
    const milestones: { leadId: number; achieved: string }[] = [];

    ok(await c.patch('/settings', { time_zone: 'America/New_York' }));
    // Three writers all through the recomputation (6 batches): new leads, deletes and milestones over the whole id range.
    let done = false;
    let writesBeforeSwitch = 0;
    const writer = async (w: number) => {
      for (let round = 0; !done; round++) {
        const k = w * 100_000 + round;
        const created = instants(2, 100 + k);
        const newIds = await bulk(c, created);
        newIds.forEach((id, i) => live.set(id, created[i]));
        const victim = ids[(k * 397) % ids.length];
        if (live.has(victim)) {
          live.delete(victim);
          ok(await c.delete(`/leads/${victim}`), 204);
        }
        const target = ids[(k * 1231 + 17) % ids.length];
        if (live.has(target) && !milestones.some((m) => m.leadId === target)) {
          milestones.push({ leadId: target, achieved: '2026-05-12' });
          await createMilestone(c, target, { milestone_type_code: 'CONTACTED', achieved_date: '2026-05-12' });
        }
        if (!done) writesBeforeSwitch += 1;
        await turn();
      }
    };
    const watcher = async () => {
      while ((ok(await c.get('/settings')) as { time_zone_change_started_at: string | null }).time_zone_change_started_at !== null) {
        await turn();
      }
      done = true;
    };
    await Promise.all([watcher(), writer(0), writer(1), writer(2)]);
    expect(writesBeforeSwitch).toBeGreaterThan(3);
    await settledSettings(c);
    expect(await daily(c)).toEqual(expectedDaily('America/New_York', [...live.values()]));
    // Time to hit of the milestones, from each lead's creation day in New York. A writer may delete a lead
    // after another gave it a milestone: a deleted lead's milestones leave every figure with it.
    const counted = milestones.filter((m) => live.has(m.leadId));
    expect(counted.length).toBeGreaterThan(0);
    const days = counted.map((m) => (Date.parse('2026-05-12') - Date.parse(dayIn('America/New_York', live.get(m.leadId)!))) / 86_400_000);
    const trend = ok(await c.get('/milestones/analytics/time-trends', { query: { ...RANGE, type_code: 'CONTACTED' } })).data;
    expect(trend.map((p: any) => [p.date, p.milestone_count, p.average_time_to_hit])).toEqual([
      ['2026-05-12', counted.length, Math.round((days.reduce((a, b) => a + b, 0) / counted.length) * 100) / 100],
    ]);
  }, 180_000);

  it('deletes the replaced days once no read can be using them, and a change given up leaves the old days', async () => {
    const tenant = newTenantId();
    const c = api.as({ tenant, role: 'admin' });
    const facts = instants(1500, 3);
    await bulk(c, facts);
    ok(await c.patch('/settings', { time_zone: 'Europe/Berlin' }));
    // Given up at once (back to the zone answers use): answers stay in UTC.
    ok(await c.patch('/settings', { time_zone: 'UTC' }));
    expect(await settledSettings(c)).toMatchObject({ time_zone: 'UTC', days_time_zone: 'UTC' });
    expect(await daily(c)).toEqual(expectedDaily('UTC', facts));

    ok(await c.patch('/settings', { time_zone: 'Asia/Kathmandu' }));
    await settledSettings(c);
    expect(await daily(c)).toEqual(expectedDaily('Asia/Kathmandu', facts));
    // Rows of three generations now: UTC (replaced), Berlin (given up, partly built at most), Kathmandu (in use).
    const db = api.app.get(DataSource);
    const generations = async (table: string) =>
      (await db.query(`SELECT DISTINCT generation AS g FROM ${table} WHERE tenant_id = ? ORDER BY generation`, [tenant])).map((r: { g: number }) =>
        Number(r.g),
      );
    const { generation } = (await db.query('SELECT generation FROM tenant_settings WHERE tenant_id = ?', [tenant]))[0];
    expect((await generations('lead_daily_stats')).length).toBeGreaterThan(1);
    // Within the grace, nothing is deleted (a read may have taken the old generation just before the switch).
    const recompute = api.app.get(ZoneRecompute);
    await recompute.runOnce();
    expect((await generations('lead_daily_stats')).length).toBeGreaterThan(1);
    // After it, the work poll deletes the rows of the replaced and given-up generations, daily and monthly.
    await recompute.runOnce(() => new Date(Date.now() + RETIRED_ROWS_GRACE_MS + 1000));
    for (const table of ['lead_daily_stats', 'lead_monthly_stats']) expect([table, await generations(table)]).toEqual([table, [Number(generation)]]);
    expect(await daily(c)).toEqual(expectedDaily('Asia/Kathmandu', facts));
    const audit = ok(await c.get('/audit-log', { query: { entity_type: 'settings' } })).data;
    expect(audit[0]).toMatchObject({ actor: 'time-zone-recompute', changes: { days_time_zone: ['UTC', 'Asia/Kathmandu'] } });
  });
});
