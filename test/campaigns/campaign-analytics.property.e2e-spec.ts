import fc from 'fast-check';
import { Client, startTestApi, TestApi } from '../support/app';
import { setSettings, settledSettings } from '../support/builders';
import { newTenantId } from '../support/tenants';
import { addDays, describeZones, naming, periodOf, settingsOf, todayIn, WeekStart, zoneChangeArb } from '../support/zones';
import { expectStatus } from './campaign-builders';
// Ties are ordered by code as bytes, the documented order on both engines (docs/conventions.md, "Text, codes and order").
import { compareCodePoints as byCode } from '../../src/common/text/text-key';

/**
 * Property: for random campaign histories written through the API (campaigns with random dates,
 * budgets and channel allocations; metric rows written in bulk and one by one, keys overwritten,
 * channel sets replaced, type changes, status transitions, deletions and restores), every type,
 * channel and trend figure (filtered trends too) equals a straightforward recomputation over the facts
 * as the test wrote them. The metric figures come from a daily rollup that every one of these writes
 * moves: this is what keeps it honest.
 *
 * Each tenant takes a random time zone and week start (or none: UTC, Monday), most often changed
 * after the first metric rows (the rest written after the change or while it is applied). Metric and
 * campaign dates are calendar dates: the zone changes only "today", where `days=N`, a lone
 * `start_date` and the default range end (some rows lie around today, so that a day more or less
 * changes the figures), and weekly buckets, which start on the tenant's week start. Today in the
 * zone comes from Intl (test/support/zones.ts), not from the service's zone code.
 */
const TYPES = ['EMAIL_BLAST', 'SOCIAL_ADS', 'SEO_CAMPAIGN'];
const CHANNELS = ['EMAIL', 'FACEBOOK', 'GOOGLE_ADS'];
const PATHS: Record<string, string[]> = { DRAFT: [], ACTIVE: ['ACTIVE'], PAUSED: ['ACTIVE', 'PAUSED'], COMPLETED: ['ACTIVE', 'COMPLETED'] };
const DAY0 = Date.UTC(2026, 0, 1);
const day = (n: number) => new Date(DAY0 + n * 86_400_000).toISOString().slice(0, 10);

const channelSet = fc
  .subarray([0, 1, 2], { minLength: 1 })
  .chain((ids) => fc.tuple(...ids.map((id) => fc.record({ id: fc.constant(id), allocCents: fc.integer({ min: 0, max: 5_000_000 }) }))));
const campaignArb = fc.record({
  type: fc.integer({ min: 0, max: 2 }),
  start: fc.integer({ min: 0, max: 40 }),
  length: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
  budgetCents: fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: null }),
  channels: channelSet,
  status: fc.constantFrom('DRAFT', 'ACTIVE', 'PAUSED', 'COMPLETED'),
  deleted: fc.boolean(),
  restored: fc.boolean(),
  rechannel: fc.option(channelSet, { nil: null }),
  retype: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }),
});
const metricArb = fc
  .record({
    campaign: fc.nat(),
    channel: fc.nat(),
    day: fc.integer({ min: 0, max: 45 }),
    impressions: fc.integer({ min: 0, max: 2_000_000 }),
    clickShare: fc.integer({ min: 0, max: 100 }),
    leads: fc.integer({ min: 0, max: 5000 }),
    conversions: fc.integer({ min: 0, max: 2000 }),
    spendCents: fc.integer({ min: 0, max: 5_000_000 }),
    revenueCents: fc.integer({ min: 0, max: 9_000_000 }),
  })
  .map((m) => ({ ...m, clicks: Math.floor((m.impressions * m.clickShare) / 100) }));
const historyArb = fc.record({
  campaigns: fc.array(campaignArb, { minLength: 1, maxLength: 5 }),
  before: fc.array(metricArb, { maxLength: 30 }),
  after: fc.array(metricArb, { maxLength: 8 }),
  // Rows around today (its day −14 … +1 in UTC), written after the change of zone.
  recent: fc.array(
    metricArb.map((m) => ({ ...m, day: m.day % 16 })),
    { maxLength: 6 },
  ),
  lastDays: fc.integer({ min: 1, max: 16 }),
  fromDaysAgo: fc.integer({ min: 1, max: 16 }),
  zones: zoneChangeArb,
  range: fc.tuple(fc.integer({ min: 0, max: 45 }), fc.integer({ min: 0, max: 45 })).map(([x, y]) => [Math.min(x, y), Math.max(x, y)]),
  interval: fc.constantFrom('day', 'week', 'month'),
  filterType: fc.integer({ min: 0, max: 2 }),
  filterChannel: fc.integer({ min: 0, max: 2 }),
});

type History = typeof historyArb extends fc.Arbitrary<infer H> ? H : never;
interface Campaign {
  code: string;
  type: string;
  start: string;
  end: string | null;
  budgetCents: number;
  channels: Map<string, number>;
  status: string;
  deleted: boolean;
}
interface Row {
  campaign: number;
  channel: string;
  day: string;
  impressions: number;
  clicks: number;
  leads: number;
  conversions: number;
  spendCents: number;
  revenueCents: number;
}

// The straightforward arithmetic, written independently of the service's helpers.
const r2 = (x: number) => (Math.sign(x) * Math.round(Math.abs(x) * 100 + 1e-7)) / 100;
const per = (a: number, b: number) => (b === 0 ? null : r2(a / b));
const pct = (a: number, b: number) => (b === 0 ? null : r2((a / b) * 100));

function sums(rows: Row[]) {
  const s = { spentCents: 0, impressions: 0, clicks: 0, leads: 0, conversions: 0, revenueCents: 0 };
  for (const r of rows) {
    s.spentCents += r.spendCents;
    s.impressions += r.impressions;
    s.clicks += r.clicks;
    s.leads += r.leads;
    s.conversions += r.conversions;
    s.revenueCents += r.revenueCents;
  }
  return { ...s, spent: s.spentCents / 100, revenue: s.revenueCents / 100 };
}

function expected(campaigns: Campaign[], rows: Row[], start: string, end: string, interval: string, weekStart: WeekStart) {
  const live = campaigns.map((c, i) => ({ ...c, i })).filter((c) => !c.deleted);
  const ran = live.filter((c) => c.start <= end && (c.end === null || c.end >= start));
  const liveIds = new Set(live.map((c) => c.i));
  const inRange = rows.filter((r) => liveIds.has(r.campaign) && r.day >= start && r.day <= end);

  const types = TYPES.map((code) => {
    const cs = ran.filter((c) => c.type === code);
    const s = sums(inRange.filter((r) => campaigns[r.campaign].type === code));
    return {
      type_code: code,
      total_campaigns: cs.length,
      active_campaigns: cs.filter((c) => c.status === 'ACTIVE' || c.status === 'PAUSED').length,
      completed_campaigns: cs.filter((c) => c.status === 'COMPLETED').length,
      total_budget: cs.reduce((t, c) => t + c.budgetCents, 0) / 100,
      total_spent: s.spent,
      total_leads: s.leads,
      total_conversions: s.conversions,
      total_revenue: s.revenue,
      average_cpl: per(s.spent, s.leads),
      roi: pct(s.revenueCents - s.spentCents, s.spentCents),
      conversion_rate: pct(s.conversions, s.leads),
    };
  }).sort((x, y) => y.total_spent - x.total_spent || byCode(x.type_code, y.type_code));

  const channels = CHANNELS.map((code) => {
    const cs = ran.filter((c) => c.channels.has(code));
    const s = sums(inRange.filter((r) => r.channel === code));
    return {
      channel_code: code,
      campaign_count: cs.length,
      total_budget: cs.reduce((t, c) => t + c.channels.get(code)!, 0) / 100,
      total_spent: s.spent,
      total_impressions: s.impressions,
      total_clicks: s.clicks,
      total_leads: s.leads,
      total_conversions: s.conversions,
      total_revenue: s.revenue,
      cpl: per(s.spent, s.leads),
      cpm: per(s.spent * 1000, s.impressions),
      ctr: pct(s.clicks, s.impressions),
      cpc: per(s.spent, s.clicks),
      conversion_rate: pct(s.conversions, s.leads),
      roi: pct(s.revenueCents - s.spentCents, s.spentCents),
    };
  }).sort((x, y) => y.total_spent - x.total_spent || byCode(x.channel_code, y.channel_code));

  const periods: string[] = [];
  for (let d = start; d <= end; d = day(Math.round((Date.parse(`${d}T00:00:00Z`) - DAY0) / 86_400_000) + 1)) {
    const p = periodOf(d, interval, weekStart);
    if (!periods.includes(p)) periods.push(p);
  }
  const trends = periods.map((p) => {
    const launched = live.filter((c) => c.start >= start && c.start <= end && periodOf(c.start, interval, weekStart) === p);
    const s = sums(inRange.filter((r) => periodOf(r.day, interval, weekStart) === p));
    return {
      date: p,
      campaigns_launched: launched.length,
      budget_allocated: launched.reduce((t, c) => t + c.budgetCents, 0) / 100,
      spend: s.spent,
      impressions: s.impressions,
      clicks: s.clicks,
      leads_generated: s.leads,
      conversions: s.conversions,
      revenue: s.revenue,
      cpl: per(s.spent, s.leads),
      roi: pct(s.revenueCents - s.spentCents, s.spentCents),
    };
  });
  return { types, channels, trends };
}

const allocations = (set: { id: number; allocCents: number }[]) => new Map(set.map((c) => [CHANNELS[c.id], c.allocCents] as [string, number]));
const channelBody = (m: Map<string, number>) => [...m].map(([channel_code, cents]) => ({ channel_code, allocated_budget: cents / 100 }));

async function play(client: Client, h: History) {
  const campaigns: Campaign[] = h.campaigns.map((c, i) => ({
    code: `C${i}`,
    type: TYPES[c.type],
    start: day(c.start),
    end: c.length === null ? null : day(c.start + c.length),
    budgetCents: c.budgetCents ?? 0,
    channels: allocations(c.channels),
    status: 'DRAFT',
    deleted: false,
  }));
  for (const [i, c] of campaigns.entries()) {
    expectStatus(
      await client.post('/campaigns', {
        campaign_code: c.code,
        campaign_name: c.code,
        campaign_type_code: c.type,
        start_date: c.start,
        end_date: c.end,
        budget: h.campaigns[i].budgetCents === null ? null : c.budgetCents / 100,
        channels: channelBody(c.channels),
      }),
      201,
    );
  }
  const rows = new Map<string, Row>();
  const toRow = (m: History['before'][number]): Row | null => {
    const campaign = m.campaign % campaigns.length;
    const current = [...campaigns[campaign].channels.keys()];
    return { ...m, campaign, channel: current[m.channel % current.length], day: day(m.day) };
  };
  const body = (r: Row) => ({
    channel_code: r.channel,
    metric_date: r.day,
    impressions: r.impressions,
    clicks: r.clicks,
    leads_generated: r.leads,
    conversions: r.conversions,
    spend: r.spendCents / 100,
    revenue: r.revenueCents / 100,
  });
  // Phase 1: one bulk per campaign, in order (a key repeated in a body keeps its last row).
  const before = h.before.map(toRow).filter((r): r is Row => r !== null);
  for (const [i, c] of campaigns.entries()) {
    const mine = before.filter((r) => r.campaign === i);
    if (mine.length > 0) expectStatus(await client.post(`/campaigns/${c.code}/metrics/bulk`, { metrics: mine.map(body) }), 200);
  }
  for (const r of before) rows.set(`${r.campaign}|${r.channel}|${r.day}`, r);
  // The change of zone, if any: waited for, or applied while the writes below go on.
  if (h.zones.then && h.zones.during) expectStatus(await client.patch('/settings', h.zones.then), 200);
  else if (h.zones.then) await setSettings(client, h.zones.then);
  // Channel sets replaced: dropped channels keep their rows but lose their allocation.
  for (const [i, c] of campaigns.entries()) {
    const next = h.campaigns[i].rechannel;
    if (next) {
      c.channels = allocations(next);
      expectStatus(await client.patch(`/campaigns/${c.code}`, { channels: channelBody(c.channels) }), 200);
    }
  }
  // Type changes: the rows written so far now count under the new type.
  for (const [i, c] of campaigns.entries()) {
    const next = h.campaigns[i].retype;
    if (next !== null) {
      c.type = TYPES[next];
      expectStatus(await client.patch(`/campaigns/${c.code}`, { campaign_type_code: c.type }), 200);
    }
  }
  // Phase 2: single PUTs onto the current channels, overwriting some keys, and rows around today.
  const utcToday = new Date().toISOString().slice(0, 10);
  for (const [m, recent] of [...h.after.map((m) => [m, false] as const), ...h.recent.map((m) => [m, true] as const)]) {
    const r = toRow(m)!;
    if (recent) r.day = addDays(utcToday, m.day - 14);
    const res = await client.put(`/campaigns/${campaigns[r.campaign].code}/metrics`, body(r));
    if (res.statusCode !== 200 && res.statusCode !== 201) throw new Error(res.body);
    rows.set(`${r.campaign}|${r.channel}|${r.day}`, r);
  }
  for (const [i, c] of campaigns.entries()) {
    for (const s of PATHS[h.campaigns[i].status]) expectStatus(await client.post(`/campaigns/${c.code}/transition`, { status_code: s }), 200);
    c.status = h.campaigns[i].status;
    if (h.campaigns[i].deleted) {
      expectStatus(await client.delete(`/campaigns/${c.code}`), 204);
      c.deleted = true;
      if (h.campaigns[i].restored) {
        expectStatus(await client.post(`/campaigns/${c.code}/restore`), 200);
        c.deleted = false;
      }
    }
  }
  if (h.zones.then && h.zones.during) await settledSettings(client);
  return { campaigns, rows: [...rows.values()] };
}

describe('campaign analytics: property', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('equals a straightforward recomputation over random metric histories, in random time zones changed midway', async () => {
    const numRuns = Number(process.env.PROPERTY_RUNS ?? 25);
    /** Runs whose tenant changed its zone midway: there is at least one. */
    let changedMidway = 0;
    await fc.assert(
      fc.asyncProperty(historyArb, (h) =>
        naming(describeZones(h.zones), async () => {
          if (h.zones.then) changedMidway += 1;
          const client = api.as({ tenant: newTenantId('p'), role: 'admin' });
          const { time_zone: zone, week_start: weekStart } = settingsOf(h.zones).last;
          if (h.zones.first) await setSettings(client, h.zones.first);
          const { campaigns, rows } = await play(client, h);
          const [start, end] = h.range.map(day);
          const want = expected(campaigns, rows, start, end, h.interval, weekStart);
          const query = { start_date: start, end_date: end };
          const types = expectStatus(await client.get('/campaigns/analytics/types', { query }), 200);
          expect(types.data.map(({ type_name: _n, ...t }: any) => t)).toEqual(want.types);
          const channels = expectStatus(await client.get('/campaigns/analytics/channels', { query }), 200);
          expect(channels.data.map(({ channel_name: _n, ...c }: any) => c)).toEqual(want.channels);
          const trends = expectStatus(await client.get('/campaigns/analytics/trends', { query: { ...query, interval: h.interval } }), 200);
          expect(trends.data).toEqual(want.trends);
          // Filtered trends: the metric figures of one type's campaigns, or of one channel.
          const liveRows = rows.filter((r) => !campaigns[r.campaign].deleted && r.day >= start && r.day <= end);
          for (const [filter, keep] of [
            [{ campaign_type_code: TYPES[h.filterType] }, (r: Row) => campaigns[r.campaign].type === TYPES[h.filterType]],
            [{ channel_code: CHANNELS[h.filterChannel] }, (r: Row) => r.channel === CHANNELS[h.filterChannel]],
          ] as const) {
            const got = expectStatus(await client.get('/campaigns/analytics/trends', { query: { ...query, interval: h.interval, ...filter } }), 200);
            const figures = got.data.map((p: any) => ({
              date: p.date,
              spend: p.spend,
              impressions: p.impressions,
              clicks: p.clicks,
              leads: p.leads_generated,
              revenue: p.revenue,
            }));
            expect(figures).toEqual(
              want.trends.map((p) => {
                const s = sums(liveRows.filter((r) => keep(r) && periodOf(r.day, h.interval, weekStart) === p.date));
                return { date: p.date, spend: s.spent, impressions: s.impressions, clicks: s.clicks, leads: s.leads, revenue: s.revenue };
              }),
            );
          }

          // Ranges that end on today in the zone (it may turn while a request runs): the last N days (every
          // route), a lone start_date (trends) and the default range, the last 30 days (channels).
          const utcToday = new Date().toISOString().slice(0, 10);
          const lone = addDays(utcToday, -h.fromDaysAgo);
          const lastDays = { days: h.lastDays };
          for (const [route, q, startOf] of [
            ['types', lastDays, (today: string) => addDays(today, 1 - h.lastDays)],
            ['channels', lastDays, (today: string) => addDays(today, 1 - h.lastDays)],
            ['trends', lastDays, (today: string) => addDays(today, 1 - h.lastDays)],
            ['trends', { start_date: lone }, () => lone],
            ['channels', {}, (today: string) => addDays(today, -29)],
          ] as const) {
            const todayBefore = todayIn(zone);
            const a = expectStatus(await client.get(`/campaigns/analytics/${route}`, { query: route === 'trends' ? { ...q, interval: h.interval } : q }), 200);
            const todayAfter = todayIn(zone);
            expect([route, q, [todayBefore, todayAfter].includes(a.end_date) ? 'today' : a.end_date]).toEqual([route, q, 'today']);
            expect([route, q, a.start_date]).toEqual([route, q, startOf(a.end_date)]);
            const want = expected(campaigns, rows, a.start_date, a.end_date, h.interval, weekStart);
            const got = route === 'trends' ? a.data : a.data.map(({ type_name: _t, channel_name: _c, ...row }: any) => row);
            expect([route, q, got]).toEqual([route, q, want[route]]);
          }

          // The campaigns' own totals are the sums of all their rows, whatever the range.
          for (const [i, c] of campaigns.entries()) {
            if (c.deleted) continue;
            const s = sums(rows.filter((r) => r.campaign === i));
            expect(expectStatus(await client.get(`/campaigns/${c.code}`), 200)).toMatchObject({
              total_spent: s.spent,
              total_leads: s.leads,
              total_conversions: s.conversions,
              total_revenue: s.revenue,
            });
          }
        }),
      ),
      { numRuns, endOnFailure: true },
    );
    // Two runs in three change the zone: one of ten or more without any would mean the generator lost it.
    if (numRuns >= 10) expect(changedMidway).toBeGreaterThan(0);
  }, 300_000);
});
