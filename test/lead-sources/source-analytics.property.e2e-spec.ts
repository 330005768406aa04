import fc from 'fast-check';
import { Client, startTestApi, TestApi } from '../support/app';
import { newTenantId } from '../support/tenants';

/**
 * Property: for random lead histories written through the API (bulk inserts, status changes, moves
 * between sources, value, channel, campaign and lead_code changes, lead deletes, and a source deleted
 * with its code reused by a new source), every lead-source figure equals a straightforward
 * recomputation over the live leads as GET /leads returns them, and the counters of each source and
 * subsource row equal a recomputation over a small model of which row each lead points at. This is
 * what keeps the rollup fast path honest. Nothing here calls service code.
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

const money = fc.integer({ min: 0, max: 500_000 }).map((c) => c / 100);
const leadArb = fc.record({
  place: fc.integer({ min: 0, max: PLACES.length - 1 }),
  minute: fc.integer({ min: 0, max: 89 * 24 * 60 }),
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
  status: fc.constantFrom(...STATUSES),
  place: fc.integer({ min: 0, max: PLACES.length - 1 }),
  value: money,
  channel: fc.constantFrom(null, 'DIRECT', 'PAID', 'ORGANIC'),
  campaign: fc.constantFrom(null, 'SPRING'),
  leadCode: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
  source: fc.integer({ min: 0, max: CODES.length - 1 }),
});
const rangeArb = fc
  .tuple(fc.integer({ min: 0, max: 89 }), fc.integer({ min: 0, max: 89 }))
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

const DAY = 86_400_000;
const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);
function periodOf(day: string, interval: string): string {
  if (interval === 'day') return day;
  if (interval === 'month') return `${day.slice(0, 7)}-01`;
  const t = Date.parse(`${day}T00:00:00Z`);
  return dayOf(t - ((new Date(t).getUTCDay() + 6) % 7) * DAY);
}
/** Every period's first day from the one holding `start` to the one holding `end`. */
function periods(start: string, end: string, interval: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${start}T00:00:00Z`); dayOf(t) <= end; t += DAY) {
    const p = periodOf(dayOf(t), interval);
    if (out[out.length - 1] !== p) out.push(p);
  }
  return out;
}

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

  it('holds for random histories', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(leadArb, { minLength: 1, maxLength: 40 }),
        fc.array(opArb, { maxLength: 15 }),
        rangeArb,
        fc.constantFrom('day', 'week', 'month'),
        async (seed, ops, [start, end], interval) => {
          const c = api.as({ tenant: newTenantId('p'), role: 'admin' });
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
          /** last_activity_date per subsource row: the latest creation day of a lead written to it. */
          const lastDay = new Map<string, string>();
          const held = new Map<number, Held>();
          const wrote = (l: Lead, g: number) => {
            held.set(l.id, { code: l.source_code, sub: l.sub_source_code, gen: g, leadCode: l.lead_code });
            if (!l.sub_source_code) return;
            const key = `${l.source_code}#${g}|${l.sub_source_code}`;
            if ((lastDay.get(key) ?? '') < l.created_at.slice(0, 10)) lastDay.set(key, l.created_at.slice(0, 10));
          };

          const body = seed.map((s) => {
            const created = DAY0 + s.minute * 60_000;
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
          });
          const created = await c.post('/leads/bulk', { leads: body });
          expect(created.statusCode).toBe(201);
          for (const l of created.json().data as Lead[]) wrote(l, 0);
          const ids = [...held.keys()];
          for (const op of ops) {
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
                  const res = await c.post('/lead-sources/SOCIAL/subsources', { sub_source_code: sub, sub_source_name: subNames[sub], cost_per_lead: cost });
                  expect(res.statusCode).toBe(201);
                }
              }
              continue;
            }
            const id = ids[op.pick % ids.length];
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
              op.kind === 'move' && source_code === lead.code && lead.gen !== gen[lead.code] && sub_source_code !== undefined && sub_source_code !== lead.sub;
            const taken = op.kind === 'lead_code' && leadCode !== null && [...held].some(([other, h]) => other !== id && h.leadCode === leadCode);
            const res = await c.patch(`/leads/${id}`, patch);
            expect([op.kind, res.statusCode, res.statusCode === 200 ? '' : res.body]).toEqual([
              op.kind,
              staleSub ? 400 : taken ? 409 : 200,
              staleSub || taken ? res.body : '',
            ]);
            if (res.statusCode === 200) wrote(res.json(), op.kind === 'move' && source_code !== lead.code ? gen[source_code] : lead.gen);
          }

          const leads = await allLeads(c);
          expect(leads.map((l) => l.id).sort((a, b) => a - b)).toEqual([...held.keys()].sort((a, b) => a - b));
          const inRange = leads.filter((l) => l.created_at.slice(0, 10) >= start && l.created_at.slice(0, 10) <= end);
          const query = { start_date: start, end_date: end };
          const subFigures = (own: Lead[]) =>
            Object.keys(subNames)
              .filter(() => own.length === 0 || own[0].source_code === 'SOCIAL')
              .map((sub) => ({ sub_source_code: sub, sub_source_name: subNames[sub], ...figures(own.filter((l) => l.sub_source_code === sub)) }));
          const expectedSource = (code: string) => {
            const own = inRange.filter((l) => l.source_code === code);
            return { source_code: code, source_name: names[code], ...figures(own), sub_sources: code === 'SOCIAL' ? subFigures(own) : [] };
          };
          const bySubCode = (x: { sub_sources: { sub_source_code: string }[] }) => ({
            ...x,
            sub_sources: [...x.sub_sources].sort((a, b) => a.sub_source_code.localeCompare(b.sub_source_code)),
          });

          // Every source: one row per code (a deleted source merged into the live one reusing its code).
          const all = (await c.get('/lead-sources/analytics/performance', { query })).json();
          const codes = ['WEBSITE', 'EMAIL', 'SOCIAL', 'REFERRAL'];
          expect(all.data.map((r: { source_code: string }) => r.source_code).sort()).toEqual([...codes].sort());
          names.REFERRAL = 'Referral';
          for (const row of all.data) expect(bySubCode(row)).toEqual(expectedSource(row.source_code));
          const order = all.data.map((r: { leads_generated: number; source_code: string }) => [r.leads_generated, r.source_code]);
          expect(order).toEqual([...order].sort((a, b) => b[0] - a[0] || a[1].localeCompare(b[1])));

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

          // Trends: every period × every code with a lead in the range, exactly once, in order.
          const trendRows = (only?: string) => {
            const withLeads = [...new Set(inRange.map((l) => l.source_code))].filter((code) => !only || code === only).sort();
            return periods(start, end, interval).flatMap((date) =>
              withLeads.map((code) => {
                const cell = inRange.filter((l) => l.source_code === code && periodOf(l.created_at.slice(0, 10), interval) === date);
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
          expect((await c.get('/lead-sources/analytics/trends', { query: { ...query, interval } })).json()).toEqual({ ...query, interval, data: trendRows() });
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
            // total_cost is compared to the cent: on SQLite the stored sum carries binary drift
            // (406.66999999999985 for 406.67), which the subsource's answer does not round away yet.
            expect([sub, s.leads_generated, s.conversion_count, r2(s.total_cost), s.last_activity_date]).toEqual([
              sub,
              own.length,
              own.filter((l) => l.status === 'converted').length,
              r2(own.reduce((t, l) => t + l.acquisition_cost, 0)),
              lastDay.get(`SOCIAL#${gen.SOCIAL}|${sub}`) ?? null,
            ]);
          }
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 40), endOnFailure: true },
    );
    // 40 histories: about 8 s on SQLite on an idle 2-core machine; CI runs it on SQLite and MariaDB.
  }, 300_000);
});
