import { Client, startTestApi, TestApi } from '../support/app';
import { createCampaign, createLead, createMilestone, putMetric, setSettings, settledSettings } from '../support/builders';
import { ok } from '../support/responses';
import { newTenantId } from '../support/tenants';

/** Leads per day of a daily source trend, in date order. */
async function dailyLeads(c: Client, start: string, end: string, interval = 'day'): Promise<[string, number][]> {
  const body = ok(await c.get('/lead-sources/analytics/trends', { query: { start_date: start, end_date: end, interval, source_code: 'WEBSITE' } }));
  return body.data.map((p: { date: string; leads_generated: number }) => [p.date, p.leads_generated]);
}

/** WEBSITE leads created at these instants. */
async function leadsAt(c: Client, instants: string[]): Promise<any[]> {
  const out = [];
  for (const created_at of instants) out.push(await createLead(c, { source_code: 'WEBSITE', created_at }));
  return out;
}

/** Today in `zone`, as the runtime's time zone database says. */
const todayIn = (zone: string, at = new Date()) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

describe('tenant time zones (docs/time-zones.md)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  const tenant = (role: 'admin' | 'manager' | 'agent' | 'viewer' = 'admin', id = newTenantId()) => ({ id, c: api.as({ tenant: id, role }) });

  describe('the settings resource', () => {
    it('is UTC and Monday until set, versioned, and readable by every role', async () => {
      const { id, c } = tenant();
      const res = await c.get('/settings');
      expect(ok(res)).toEqual({
        time_zone: 'UTC',
        week_start: 'monday',
        days_time_zone: 'UTC',
        time_zone_change_started_at: null,
        created_at: expect.any(String),
        updated_at: expect.any(String),
        created_by: 'system',
        updated_by: 'system',
        version: 1,
      });
      expect(res.headers.etag).toBe('"1"');
      for (const role of ['manager', 'agent', 'viewer'] as const) expect(ok(await api.as({ tenant: id, role }).get('/settings')).time_zone).toBe('UTC');
    });

    it('takes IANA names of the runtime database only, and week days; admins only; If-Match; audited', async () => {
      const { id, c } = tenant();
      for (const time_zone of ['Mars/Olympus', '+05:30', 'EST', 'asia/kolkata', '', null, 5]) {
        const res = await c.patch('/settings', { time_zone });
        expect([time_zone, res.statusCode, res.json().errors?.[0]?.field]).toEqual([time_zone, 400, 'time_zone']);
      }
      expect((await c.patch('/settings', { week_start: 'someday' })).statusCode).toBe(400);
      expect((await c.patch('/settings', { time_zone: 'UTC', currency: 'EUR' })).statusCode).toBe(400);
      for (const role of ['manager', 'agent', 'viewer'] as const) {
        const res = await api.as({ tenant: id, role }).patch('/settings', { week_start: 'sunday' });
        expect([role, res.statusCode, res.json().code]).toEqual([role, 403, 'FORBIDDEN']);
      }
      expect((await c.patch('/settings', { week_start: 'sunday' }, { headers: { 'if-match': '"7"' } })).statusCode).toBe(412);
      const changed = ok(await c.patch('/settings', { time_zone: 'Asia/Kolkata', week_start: 'sunday' }, { headers: { 'if-match': '"1"' } }));
      expect(changed).toMatchObject({ time_zone: 'Asia/Kolkata', week_start: 'sunday', version: 2, updated_by: expect.any(String) });
      // Answers keep their days until every stored day is recomputed (here: at once, the tenant has no lead).
      expect(['UTC', 'Asia/Kolkata']).toContain(changed.days_time_zone);
      const settled = await settledSettings(c);
      // The switch is derived: the version stays.
      expect(settled).toMatchObject({ time_zone: 'Asia/Kolkata', days_time_zone: 'Asia/Kolkata', time_zone_change_started_at: null, version: 2 });
      const audit = ok(await c.get('/audit-log', { query: { entity_type: 'settings', entity_key: 'tenant' } })).data;
      // Newest first: the switch (by the service), then the change (by the admin).
      expect(audit.map((e: any) => [e.actor, e.changes])).toEqual([
        ['time-zone-recompute', { days_time_zone: ['UTC', 'Asia/Kolkata'], time_zone_change_started_at: [expect.any(String), null] }],
        [expect.any(String), { time_zone: ['UTC', 'Asia/Kolkata'], week_start: ['monday', 'sunday'], time_zone_change_started_at: [null, expect.any(String)] }],
      ]);
    });
  });

  describe('Asia/Kolkata (+05:30): a lead at 2026-03-01T20:00Z is 2 March there, 1 March in UTC', () => {
    let c: Client;
    let lead: any;

    beforeAll(async () => {
      c = tenant().c;
      await c.patch('/lead-sources/SOCIAL/subsources/FACEBOOK', { cost_per_lead: 10 });
      lead = await createLead(c, { source_code: 'SOCIAL', sub_source_code: 'FACEBOOK', created_at: '2026-03-01T20:00:00Z' });
      await createLead(c, { source_code: 'WEBSITE', created_at: '2026-03-01T20:00:00Z' });
    });

    const leadsOn = async (day: string) =>
      ok(await c.get('/lead-sources/SOCIAL/performance', { query: { start_date: day, end_date: day } })).leads_generated as number;
    const listedOn = async (day: string) => ok(await c.get('/leads', { query: { created_from: day, created_to: day } })).total as number;

    it('counts it on 1 March while the tenant is in UTC', async () => {
      expect([await leadsOn('2026-03-01'), await leadsOn('2026-03-02')]).toEqual([1, 0]);
      expect([await listedOn('2026-03-01'), await listedOn('2026-03-02')]).toEqual([2, 0]);
      expect(ok(await c.get('/lead-sources/SOCIAL/subsources/FACEBOOK')).last_activity_date).toBe('2026-03-01');
      // A milestone on 1 March is not before the lead's creation day.
      await createMilestone(c, lead.id, { milestone_type_code: 'LEAD_GENERATED', achieved_date: '2026-03-01' });
    });

    it('counts it on 2 March once the tenant is in Asia/Kolkata: analytics, created_from/to, last activity, time to hit', async () => {
      await setSettings(c, { time_zone: 'Asia/Kolkata' });
      expect([await leadsOn('2026-03-01'), await leadsOn('2026-03-02')]).toEqual([0, 1]);
      expect([await listedOn('2026-03-01'), await listedOn('2026-03-02')]).toEqual([0, 2]);
      expect(ok(await c.get('/lead-sources/SOCIAL/subsources/FACEBOOK')).last_activity_date).toBe('2026-03-02');
      expect(await dailyLeads(c, '2026-03-01', '2026-03-03')).toEqual([
        ['2026-03-01', 0],
        ['2026-03-02', 1],
        ['2026-03-03', 0],
      ]);
      // Time to hit counts from 2 March now: the milestone of 1 March is −1 day; one of 4 March is 2 days (3 in UTC).
      await createMilestone(c, lead.id, { milestone_type_code: 'CONTACTED', achieved_date: '2026-03-04' });
      const trends = ok(await c.get('/milestones/analytics/time-trends', { query: { start_date: '2026-03-01', end_date: '2026-03-04' } })).data;
      expect(trends.map((p: any) => [p.date, p.type_code, p.average_time_to_hit])).toEqual([
        ['2026-03-01', 'LEAD_GENERATED', -1],
        ['2026-03-04', 'CONTACTED', 2],
      ]);
      // A new milestone may not precede the lead's creation day, 2 March there.
      const early = await c.post(`/milestones/${lead.id}`, { milestone_type_code: 'SITE_VISIT', achieved_date: '2026-03-01' });
      expect([early.statusCode, early.json().errors?.[0]?.field]).toEqual([400, 'achieved_date']);
    });

    it("keeps a subsource's last activity from a lead that moved to another subsource, and takes its day again in a new zone", async () => {
      const other = tenant().c;
      const moved = await createLead(other, { source_code: 'SOCIAL', sub_source_code: 'FACEBOOK', created_at: '2026-03-10T20:00:00Z' });
      await createLead(other, { source_code: 'SOCIAL', sub_source_code: 'FACEBOOK', created_at: '2026-03-05T12:00:00Z' });
      ok(await other.patch(`/leads/${moved.id}`, { sub_source_code: 'LINKEDIN' }));
      const lastActivity = async () =>
        Promise.all(['FACEBOOK', 'LINKEDIN'].map(async (sub) => ok(await other.get(`/lead-sources/SOCIAL/subsources/${sub}`)).last_activity_date));
      expect(await lastActivity()).toEqual(['2026-03-10', '2026-03-10']);
      // 2026-03-10T20:00Z is 11 March in Kolkata, for the subsource it moved from as for the one it moved to.
      await setSettings(other, { time_zone: 'Asia/Kolkata' });
      expect(await lastActivity()).toEqual(['2026-03-11', '2026-03-11']);
    });

    it('goes back to the UTC days when set back to UTC', async () => {
      await setSettings(c, { time_zone: 'UTC' });
      expect([await leadsOn('2026-03-01'), await leadsOn('2026-03-02')]).toEqual([1, 0]);
      const trends = ok(await c.get('/milestones/analytics/time-trends', { query: { start_date: '2026-03-01', end_date: '2026-03-04' } })).data;
      expect(trends.map((p: any) => [p.date, p.average_time_to_hit])).toEqual([
        ['2026-03-01', 0],
        ['2026-03-04', 3],
      ]);
    });
  });

  it('Europe/Berlin: the week around the last Sunday of March (29 March 2026, 23 hours) has seven days and the right leads in each', async () => {
    const { c } = tenant();
    await setSettings(c, { time_zone: 'Europe/Berlin' });
    await leadsAt(c, [
      '2026-03-22T23:30:00Z', // Mon 23 March 00:30 CET (Sunday 22 in UTC)
      '2026-03-26T12:00:00Z', // Thu 26 March 13:00 CET
      '2026-03-28T23:30:00Z', // Sun 29 March 00:30 CET (Saturday 28 in UTC)
      '2026-03-29T00:59:59Z', // Sun 29 March 01:59:59 CET, the last second before the clocks go forward
      '2026-03-29T01:00:00Z', // Sun 29 March 03:00 CEST
      '2026-03-29T21:59:59Z', // Sun 29 March 23:59:59 CEST
      '2026-03-29T22:00:00Z', // Mon 30 March 00:00 CEST: the next week
    ]);
    expect(await dailyLeads(c, '2026-03-23', '2026-03-29')).toEqual([
      ['2026-03-23', 1],
      ['2026-03-24', 0],
      ['2026-03-25', 0],
      ['2026-03-26', 1],
      ['2026-03-27', 0],
      ['2026-03-28', 0],
      ['2026-03-29', 4],
    ]);
    expect(await dailyLeads(c, '2026-03-23', '2026-04-05', 'week')).toEqual([
      ['2026-03-23', 6],
      ['2026-03-30', 1],
    ]);
    // The same leads by UTC day, for comparison: 22 March (a Sunday, the week before), 26, 28, and four on 29.
    await setSettings(c, { time_zone: 'UTC' });
    expect(await dailyLeads(c, '2026-03-16', '2026-03-29', 'week')).toEqual([
      ['2026-03-16', 1],
      ['2026-03-23', 6],
    ]);
  });

  it('America/New_York across both transitions: 8 March has 23 hours, 1 November 25', async () => {
    const { c } = tenant();
    await setSettings(c, { time_zone: 'America/New_York' });
    await leadsAt(c, [
      '2026-03-08T04:59:59Z', // 7 March 23:59:59 EST
      '2026-03-08T05:00:00Z', // 8 March 00:00 EST
      '2026-03-09T03:59:59Z', // 8 March 23:59:59 EDT
      '2026-03-09T04:00:00Z', // 9 March 00:00 EDT
      '2026-11-01T04:00:00Z', // 1 November 00:00 EDT
      '2026-11-01T05:30:00Z', // 01:30 EDT
      '2026-11-01T06:30:00Z', // 01:30 EST, the same wall time again
      '2026-11-02T04:59:59Z', // 1 November 23:59:59 EST
      '2026-11-02T05:00:00Z', // 2 November 00:00 EST
    ]);
    expect(await dailyLeads(c, '2026-03-07', '2026-03-09')).toEqual([
      ['2026-03-07', 1],
      ['2026-03-08', 2],
      ['2026-03-09', 1],
    ]);
    expect(await dailyLeads(c, '2026-10-31', '2026-11-02')).toEqual([
      ['2026-10-31', 0],
      ['2026-11-01', 4],
      ['2026-11-02', 1],
    ]);
  });

  it('Asia/Kathmandu (+05:45) and Pacific/Chatham (+12:45/+13:45): days and months at odd offsets', async () => {
    const kathmandu = tenant().c;
    await setSettings(kathmandu, { time_zone: 'Asia/Kathmandu' });
    await leadsAt(kathmandu, ['2026-06-30T18:14:59Z', '2026-06-30T18:15:00Z']); // 30 June 23:59:59, 1 July 00:00
    expect(await dailyLeads(kathmandu, '2026-06-01', '2026-07-31', 'month')).toEqual([
      ['2026-06-01', 1],
      ['2026-07-01', 1],
    ]);

    const chatham = tenant().c;
    await setSettings(chatham, { time_zone: 'Pacific/Chatham' });
    await leadsAt(chatham, [
      '2026-04-04T10:14:59Z', // 4 April 23:59:59 +13:45
      '2026-04-04T10:15:00Z', // 5 April 00:00 +13:45 (summer time ends at 03:45 that day)
      '2026-04-05T11:14:59Z', // 5 April 23:59:59 +12:45
      '2026-04-05T11:15:00Z', // 6 April 00:00 +12:45
      '2026-09-26T11:14:59Z', // 26 September 23:59:59 +12:45
      '2026-09-27T10:14:59Z', // 27 September 23:59:59 +13:45 (summer time starts at 02:45)
    ]);
    expect(await dailyLeads(chatham, '2026-04-04', '2026-04-06')).toEqual([
      ['2026-04-04', 1],
      ['2026-04-05', 2],
      ['2026-04-06', 1],
    ]);
    expect(await dailyLeads(chatham, '2026-09-26', '2026-09-27')).toEqual([
      ['2026-09-26', 1],
      ['2026-09-27', 1],
    ]);
  });

  it('ends days=N on today in the zone, and weeks on week_start; metric and campaign dates stay as typed', async () => {
    for (const zone of ['Pacific/Kiritimati', 'Etc/GMT+12']) {
      const { c } = tenant();
      await setSettings(c, { time_zone: zone });
      const before = todayIn(zone);
      const range = ok(await c.get('/lead-sources/analytics/performance', { query: { days: 1 } }));
      expect([before, todayIn(zone)]).toContain(range.end_date);
      expect(range.start_date).toBe(range.end_date);
    }
    const { c } = tenant();
    await setSettings(c, { time_zone: 'Pacific/Kiritimati', week_start: 'sunday' });
    await createCampaign(c, { campaign_code: 'SPRING', start_date: '2026-03-01', budget: 100, channels: [{ channel_code: 'EMAIL', allocated_budget: 100 }] });
    await putMetric(c, 'SPRING', { channel_code: 'EMAIL', metric_date: '2026-03-29', impressions: 10, spend: 5 }); // a Sunday
    await putMetric(c, 'SPRING', { channel_code: 'EMAIL', metric_date: '2026-03-28', impressions: 1, spend: 1 }); // a Saturday
    const weekly = ok(await c.get('/campaigns/analytics/trends', { query: { start_date: '2026-03-22', end_date: '2026-04-04', interval: 'week' } })).data;
    expect(weekly.map((p: any) => [p.date, p.impressions])).toEqual([
      ['2026-03-22', 1],
      ['2026-03-29', 10],
    ]);
    await setSettings(c, { week_start: 'monday' });
    const mondays = ok(await c.get('/campaigns/analytics/trends', { query: { start_date: '2026-03-23', end_date: '2026-04-05', interval: 'week' } })).data;
    expect(mondays.map((p: any) => [p.date, p.impressions])).toEqual([
      ['2026-03-23', 11],
      ['2026-03-30', 0],
    ]);
  });
});
