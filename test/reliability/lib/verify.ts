import { Connection } from 'mysql2/promise';
import { Http, token } from './http';
import { query } from './mariadb';
import { CAMPAIGN, LeadEntry, MetricEntry, MetricValues, range } from './workload';

/**
 * What the database holds after a run, read directly (mysql2, no service in between), against the
 * ledger of the writes: every acknowledged write is there with the state it was acknowledged with
 * (or a later attempt without a definite answer), nothing is there twice, nothing is there that was
 * never asked for, every days_from_previous is right, and every lead create has its audit entry.
 */
export interface StoredCheck {
  problems: string[];
  leadsChecked: number;
  leadsInDoubtStored: number;
  milestonesChecked: number;
  metricsChecked: number;
  rowsRead: number;
}

interface LeadRow {
  id: number;
  tenant_id: string;
  lead_code: string | null;
  status: string;
  expected_value: number;
  deleted_at: string | null;
}
interface MilestoneRow {
  id: number;
  tenant_id: string;
  lead_id: number;
  achieved_date: string;
  achieved_time: string | null;
  days_from_previous: number | null;
  deleted_at: string | null;
}
interface MetricRow extends MetricValues {
  tenant_id: string;
  channel_code: string;
  metric_day: string;
}

const dayMs = (d: string) => Date.parse(`${d}T00:00:00Z`);
const sameMetric = (a: MetricValues, b: MetricValues) =>
  a.impressions === b.impressions &&
  a.clicks === b.clicks &&
  a.leads_generated === b.leads_generated &&
  a.conversions === b.conversions &&
  Math.round(a.spend * 100) === Math.round(b.spend * 100) &&
  Math.round(a.revenue * 100) === Math.round(b.revenue * 100);

export async function checkStored(db: Connection, tenants: string[], leads: LeadEntry[], metrics: Iterable<MetricEntry>): Promise<StoredCheck> {
  const problems: string[] = [];
  const report = (p: string) => problems.length < 50 && problems.push(p);
  const result: StoredCheck = { problems, leadsChecked: 0, leadsInDoubtStored: 0, milestonesChecked: 0, metricsChecked: 0, rowsRead: 0 };

  // Leads: by (tenant, lead_code), which every write of the workload names.
  const leadRows = await query<LeadRow>(db, 'SELECT id, tenant_id, lead_code, status, expected_value, deleted_at FROM leads WHERE tenant_id IN (?)', [tenants]);
  const byCode = new Map<string, LeadRow[]>();
  for (const r of leadRows) {
    const key = `${r.tenant_id}|${r.lead_code}`;
    byCode.set(key, [...(byCode.get(key) ?? []), r]);
  }
  const known = new Set<string>();
  for (const lead of leads) {
    const key = `${lead.tenant}|${lead.code}`;
    known.add(key);
    const rows = byCode.get(key) ?? [];
    if (rows.length > 1) report(`lead ${key} stored ${rows.length} times`);
    const row = rows[0];
    if (!row) {
      if (lead.acked) report(`lead ${key} (id ${lead.id}) was acknowledged but is not stored: LOST`);
      continue;
    }
    if (!lead.acked) result.leadsInDoubtStored += 1;
    else result.leadsChecked += 1;
    if (lead.id !== undefined && row.id !== lead.id) report(`lead ${key}: stored id ${row.id}, acknowledged id ${lead.id}`);
    const ok = lead.states.some(
      (s) =>
        s.status === row.status &&
        Math.round(s.expected_value * 100) === Math.round(Number(row.expected_value) * 100) &&
        s.deleted === (row.deleted_at !== null),
    );
    if (!ok)
      report(
        `lead ${key}: stored ${JSON.stringify({ status: row.status, expected_value: row.expected_value, deleted: row.deleted_at !== null })}, expected one of ${JSON.stringify(lead.states)}`,
      );
  }
  for (const key of byCode.keys()) if (!known.has(key)) report(`lead ${key} is stored but was never written`);

  // Lead milestones: acknowledged ids stored and live; no more than acknowledged + in doubt; chains right.
  const msRows = await query<MilestoneRow>(
    db,
    'SELECT id, tenant_id, lead_id, achieved_date, achieved_time, days_from_previous, deleted_at FROM lead_milestones WHERE tenant_id IN (?)',
    [tenants],
  );
  // Ids are numbered per tenant: a lead is (tenant, id).
  const leadKey = (tenant: string, id: number) => `${tenant}|${id}`;
  const byLead = new Map<string, MilestoneRow[]>();
  const everByLead = new Map<string, MilestoneRow[]>();
  for (const m of msRows) {
    const key = leadKey(m.tenant_id, m.lead_id);
    everByLead.set(key, [...(everByLead.get(key) ?? []), m]);
    if (m.deleted_at === null) byLead.set(key, [...(byLead.get(key) ?? []), m]);
  }
  const leadIds = new Set(leadRows.map((l) => leadKey(l.tenant_id, l.id)));
  for (const lead of leads) {
    if (lead.id === undefined) continue;
    // The workload never deletes a milestone; deleting its lead may take it along (soft delete).
    const mayBeDeleted = lead.states.some((s) => s.deleted);
    const rows = new Map((everByLead.get(leadKey(lead.tenant, lead.id)) ?? []).map((m) => [m.id, m]));
    for (const id of lead.milestoneIds) {
      const row = rows.get(id);
      if (!row) report(`lead milestone ${id} of lead ${lead.id} was acknowledged but is not stored: LOST`);
      else if (row.deleted_at !== null && !mayBeDeleted) report(`lead milestone ${id} of live lead ${lead.id} is deleted, but nothing deleted it`);
    }
    result.milestonesChecked += lead.milestoneIds.length;
    const extra = rows.size - lead.milestoneIds.length;
    if (extra > lead.milestonesInDoubt)
      report(`lead ${lead.id}: ${rows.size} milestones stored, ${lead.milestoneIds.length} acknowledged, ${lead.milestonesInDoubt} in doubt`);
  }
  for (const [leadId, chain] of byLead) {
    if (!leadIds.has(leadId)) report(`lead milestones stored for lead ${leadId}, which is not a lead of these tenants`);
    chain.sort((a, b) => a.achieved_date.localeCompare(b.achieved_date) || (a.achieved_time ?? '').localeCompare(b.achieved_time ?? '') || a.id - b.id);
    chain.forEach((m, i) => {
      const want = i === 0 ? null : Math.round((dayMs(m.achieved_date) - dayMs(chain[i - 1].achieved_date)) / 86_400_000);
      if (m.days_from_previous !== want) report(`lead ${leadId}: milestone ${m.id} has days_from_previous ${m.days_from_previous}, the chain says ${want}`);
    });
  }

  // Campaign metrics: one row per (campaign, channel, day), with the last acknowledged values.
  const metricRows = await query<MetricRow>(
    db,
    `SELECT m.tenant_id, ch.channel_code, m.metric_day, m.impressions, m.clicks, m.leads_generated, m.conversions, m.spend, m.revenue
       FROM campaign_channel_metrics m JOIN tenant_campaign_channels ch ON ch.tenant_id = m.tenant_id AND ch.id = m.channel_id
      WHERE m.tenant_id IN (?)`,
    [tenants],
  );
  const metricByKey = new Map<string, MetricRow[]>();
  for (const r of metricRows) {
    const key = `${r.tenant_id}|${r.channel_code}|${r.metric_day}`;
    metricByKey.set(key, [...(metricByKey.get(key) ?? []), r]);
  }
  const keys = new Set<string>();
  for (const m of metrics) {
    const key = `${m.tenant}|${m.channel}|${m.day}`;
    keys.add(key);
    const rows = metricByKey.get(key) ?? [];
    if (rows.length > 1) report(`metric ${key} stored ${rows.length} times`);
    if (rows.length === 0) {
      if (m.acked) report(`metric ${key} was acknowledged but is not stored: LOST`);
      continue;
    }
    if (m.acked) result.metricsChecked += 1;
    if (!m.states.some((s) => sameMetric(s, rows[0]))) report(`metric ${key}: stored ${JSON.stringify(rows[0])}, expected one of ${JSON.stringify(m.states)}`);
  }
  for (const key of metricByKey.keys()) if (!keys.has(key)) report(`metric ${key} is stored but was never written`);

  // Each stored lead has its create in the audit log (same transaction), once.
  const audits = await query<{ tenant_id: string; n: number }>(
    db,
    "SELECT tenant_id, COUNT(*) AS n FROM audit_log WHERE entity_type = 'lead' AND action = 'create' AND tenant_id IN (?) GROUP BY tenant_id",
    [tenants],
  );
  for (const t of tenants) {
    const stored = leadRows.filter((l) => l.tenant_id === t).length;
    const audited = Number(audits.find((a) => a.tenant_id === t)?.n ?? 0);
    if (stored !== audited) report(`tenant ${t}: ${stored} leads stored, ${audited} audited creates`);
  }
  result.rowsRead = leadRows.length + msRows.length + metricRows.length;
  return result;
}

// ---------------------------------------------------------------------------------------------
// Analytics against a recomputation from the raw facts (the leads, lead milestones, campaigns, their
// allocations and metric rows as stored, read with SQL), in the spirit of the property tests under
// test/*/. The recomputation uses no service code: it follows API.md and docs/. Every endpoint the
// workload calls is recomputed, every field of every row, and row sets are compared both ways (a row
// missing from the answer, a row the facts do not call for, rows in another order).

// Half away from zero on the decimal value, as the API rounds money and rates.
const r2 = (x: number) => (Math.sign(x) * Math.round(Number((Math.abs(x) * 100).toFixed(6)))) / 100;
const pct = (a: number, b: number) => (b === 0 ? null : r2((a / b) * 100));
const ratio = (a: number, b: number) => (b === 0 ? null : r2(a / b));
const cents = (xs: number[]) => xs.reduce((s, x) => s + Math.round(Number(x) * 100), 0) / 100;
const ts = (s: string) => Date.parse(`${s.replace(' ', 'T')}Z`);
const DAY_MS = 86_400_000;
const addDays = (d: string, n: number) => new Date(dayMs(d) + n * DAY_MS).toISOString().slice(0, 10);
const mondayOf = (d: string) => addDays(d, -((new Date(dayMs(d)).getUTCDay() + 6) % 7));
/** Every period touching [from, to] by day or week (weeks start on Monday), each named by its first day. */
const periods = (from: string, to: string, interval: 'day' | 'week') => {
  const out: string[] = [];
  for (let p = interval === 'week' ? mondayOf(from) : from; p <= to; p = addDays(p, interval === 'week' ? 7 : 1)) out.push(p);
  return out;
};
const byCodeThenName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface LeadFact {
  source_id: number;
  source_code: string;
  sub_source_id: number | null;
  status: string;
  expected_value: number;
  converted_value: number | null;
  acquisition_cost: number;
  created_at: string;
  contacted_at: string | null;
  qualified_at: string | null;
  converted_at: string | null;
}

/** SourcePerformanceMetrics (API.md §3) of a set of leads. */
function sourceFigures(leads: LeadFact[]) {
  const converted = leads.filter((l) => l.status === 'converted');
  const closeSeconds = converted.reduce((s, l) => s + Math.round((ts(l.converted_at!) - ts(l.created_at)) / 1000), 0);
  const revenue = cents(converted.map((l) => l.converted_value ?? 0));
  const cost = cents(leads.map((l) => l.acquisition_cost));
  const qualified = leads.filter((l) => l.qualified_at).length;
  return {
    leads_generated: leads.length,
    leads_contacted: leads.filter((l) => l.contacted_at).length,
    leads_qualified: qualified,
    leads_converted: converted.length,
    leads_lost: leads.filter((l) => l.status === 'lost').length,
    conversion_rate: pct(converted.length, leads.length),
    qualification_rate: pct(qualified, leads.length),
    average_days_to_close: converted.length === 0 ? null : r2(closeSeconds / 86_400 / converted.length),
    total_value: cents(leads.map((l) => l.expected_value)),
    revenue,
    total_cost: cost,
    cost_per_lead: ratio(cost, leads.length),
    cost_per_conversion: ratio(cost, converted.length),
    roi: pct(cents([revenue, -cost]), cost),
  };
}

interface MilestoneFact {
  lead_id: number;
  id: number;
  type_code: string;
  achieved_date: string;
  achieved_time: string | null;
  status: string;
  follow_up_required: number;
  lead_day: string;
}

interface Named {
  id: number;
  code: string;
  name: string;
  display_order: number;
  deleted: number;
}

export interface AnalyticsCheck {
  problems: string[];
  figuresCompared: number;
  rowsCompared: number;
}

type Row = Record<string, unknown>;

/** Compares, per tenant, the analytics answers with the same figures recomputed from the stored facts. */
export async function checkAnalytics(http: Http, db: Connection, tenants: string[]): Promise<AnalyticsCheck> {
  const problems: string[] = [];
  let compared = 0;
  let rows = 0;
  const { start_date, end_date } = range();
  const q = `start_date=${start_date}&end_date=${end_date}`;
  const report = (p: string) => problems.length < 50 && problems.push(p);
  /** Every field of both objects (a field only one side has is a mismatch); nested lists by compareRows. */
  const compareRow = (what: string, got: Row, want: Row, nested: Record<string, (r: Row) => string> = {}) => {
    rows += 1;
    for (const k of new Set([...Object.keys(got), ...Object.keys(want)])) {
      if (nested[k]) {
        compareRows(`${what} ${k}`, (got[k] ?? []) as Row[], (want[k] ?? []) as Row[], nested[k]);
        continue;
      }
      compared += 1;
      if (!(k in got)) report(`${what}: field ${k} missing from the answer`);
      else if (!(k in want)) report(`${what}: field ${k} answered but not recomputed`);
      else if (JSON.stringify(got[k]) !== JSON.stringify(want[k]))
        report(`${what} ${k}: answered ${JSON.stringify(got[k])}, recomputed ${JSON.stringify(want[k])}`);
    }
  };
  /** The same rows in the same order, both ways: then each row field by field. */
  const compareRows = (what: string, got: Row[], want: Row[], key: (r: Row) => string, nested: Record<string, (r: Row) => string> = {}) => {
    const gotKeys = got.map(key);
    const wantKeys = want.map(key);
    const missing = wantKeys.filter((k) => !gotKeys.includes(k));
    const extra = gotKeys.filter((k) => !wantKeys.includes(k));
    if (missing.length) report(`${what}: rows missing from the answer: ${missing.slice(0, 10).join(', ')}`);
    if (extra.length) report(`${what}: rows answered that the facts do not call for: ${extra.slice(0, 10).join(', ')}`);
    if (new Set(gotKeys).size !== gotKeys.length) report(`${what}: a row answered twice`);
    if (!missing.length && !extra.length && gotKeys.join('|') !== wantKeys.join('|'))
      report(`${what}: rows in order ${gotKeys.join(', ')}, expected ${wantKeys.join(', ')}`);
    compared += 1;
    for (const w of want) {
      const g = got.find((r) => key(r) === key(w));
      if (g) compareRow(`${what} ${key(w)}`, g, w, nested);
    }
  };

  for (const tenant of tenants) {
    const t = await token(tenant);
    const get = async (path: string) => {
      const r = await http.call({ path, token: t });
      if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.body}`);
      return r.json();
    };
    const inRange = (day: string) => day >= start_date && day <= end_date;

    // ---- Lead sources: all-sources performance, one source's performance, trends, counters.
    const leads = await query<LeadFact>(
      db,
      `SELECT l.source_id, s.source_code, l.sub_source_id, l.status, l.expected_value, l.converted_value, l.acquisition_cost,
              l.created_at, l.contacted_at, l.qualified_at, l.converted_at
         FROM leads l JOIN tenant_lead_sources s ON s.tenant_id = l.tenant_id AND s.id = l.source_id
        WHERE l.tenant_id = ? AND l.deleted_at IS NULL`,
      [tenant],
    );
    const sourceRows = await query<Named>(
      db,
      `SELECT id, source_code AS code, source_name AS name, display_order, deleted_at IS NOT NULL AS deleted FROM tenant_lead_sources WHERE tenant_id = ?`,
      [tenant],
    );
    const subRows = await query<Named & { source_id: number }>(
      db,
      `SELECT id, source_id, sub_source_code AS code, sub_source_name AS name, display_order, deleted_at IS NOT NULL AS deleted
         FROM tenant_lead_subsources WHERE tenant_id = ?`,
      [tenant],
    );
    // The workload deletes no source or subsource: live rows name their codes.
    if (sourceRows.some((r) => r.deleted) || subRows.some((r) => r.deleted))
      report(`${tenant}: a source or subsource was deleted; the recomputation assumes none is`);
    const rangeLeads = leads.filter((l) => inRange(l.created_at.slice(0, 10)));
    const sourcePerf = (src: Named, from: LeadFact[]) => {
      const own = from.filter((l) => l.source_id === src.id);
      const subs = subRows
        .filter((s) => s.source_id === src.id && !s.deleted)
        .sort((a, b) => a.display_order - b.display_order || byCodeThenName(a.name, b.name))
        .map((s) => ({ sub_source_code: s.code, sub_source_name: s.name, ...sourceFigures(own.filter((l) => l.sub_source_id === s.id)) }));
      return { source_code: src.code, source_name: src.name, ...sourceFigures(own), sub_sources: subs };
    };
    const liveSources = sourceRows.filter((s) => !s.deleted);
    const wantPerf = liveSources
      .map((s) => sourcePerf(s, rangeLeads))
      .sort((a, b) => b.leads_generated - a.leads_generated || byCodeThenName(a.source_code, b.source_code));
    const subKey = (r: Row) => String(r.sub_source_code);
    const perf = await get(`/lead-sources/analytics/performance?${q}`);
    compareRow(`${tenant} source performance range`, { start_date: perf.start_date, end_date: perf.end_date }, { start_date, end_date });
    compareRows(`${tenant} source performance`, perf.data, wantPerf, (r) => String(r.source_code), { sub_sources: subKey });

    const social = liveSources.find((s) => s.code === 'SOCIAL')!;
    const one = await get(`/lead-sources/SOCIAL/performance?${q}`);
    compareRow(`${tenant} source SOCIAL performance`, one, { start_date, end_date, ...sourcePerf(social, rangeLeads) }, { sub_sources: subKey });

    const trends = await get(`/lead-sources/analytics/trends?${q}&interval=week`);
    const trendCodes = [...new Set(rangeLeads.map((l) => l.source_code))].sort(byCodeThenName);
    const wantTrends: Row[] = [];
    for (const date of periods(start_date, end_date, 'week')) {
      for (const code of trendCodes) {
        const own = rangeLeads.filter((l) => l.source_code === code && mondayOf(l.created_at.slice(0, 10)) === date);
        const converted = own.filter((l) => l.status === 'converted');
        wantTrends.push({
          date,
          source_code: code,
          source_name: liveSources.find((s) => s.code === code)!.name,
          leads_generated: own.length,
          conversions: converted.length,
          revenue: cents(converted.map((l) => l.converted_value ?? 0)),
        });
      }
    }
    compareRow(
      `${tenant} source trends`,
      { start_date: trends.start_date, end_date: trends.end_date, interval: trends.interval },
      { start_date, end_date, interval: 'week' },
    );
    compareRows(`${tenant} source trends`, trends.data, wantTrends, (r) => `${r.date}/${r.source_code}`);

    const sources = await get('/lead-sources?limit=500');
    for (const s of sources.data as { source_code: string; leads_generated: number; conversion_count: number }[]) {
      const own = leads.filter((l) => l.source_code === s.source_code);
      compareRow(
        `${tenant} source ${s.source_code} counters`,
        { leads_generated: s.leads_generated, conversion_count: s.conversion_count },
        {
          leads_generated: own.length,
          conversion_count: own.filter((l) => l.status === 'converted').length,
        },
      );
    }

    // ---- Milestones: completion by type, time trends, bottlenecks (transitions of each lead's live chain).
    const types = await query<Named & { sla_days: number | null }>(
      db,
      `SELECT id, type_code AS code, type_name AS name, display_order, deleted_at IS NOT NULL AS deleted, sla_days FROM tenant_milestone_types WHERE tenant_id = ?`,
      [tenant],
    );
    if (types.some((r) => r.deleted)) report(`${tenant}: a milestone type was deleted; the recomputation assumes none is`);
    const typeOf = (code: string) => types.find((x) => x.code === code)!;
    const facts = await query<MilestoneFact>(
      db,
      `SELECT m.lead_id, m.id, m.type_code, m.achieved_date, m.achieved_time, m.status, m.follow_up_required, DATE_FORMAT(l.created_at, '%Y-%m-%d') AS lead_day
         FROM lead_milestones m JOIN leads l ON l.tenant_id = m.tenant_id AND l.id = m.lead_id
        WHERE m.tenant_id = ? AND m.deleted_at IS NULL`,
      [tenant],
    );
    const factsInRange = facts.filter((f) => inRange(f.achieved_date));
    const wantCompletion = types
      .map((type) => {
        const own = factsInRange.filter((f) => f.type_code === type.code);
        const n = (...st: string[]) => own.filter((f) => st.includes(f.status)).length;
        return {
          type_code: type.code,
          type_name: type.name,
          total: own.length,
          completed: n('completed'),
          in_progress: n('pending', 'in_progress'),
          skipped: n('skipped'),
          failed: n('failed'),
          completion_rate: pct(n('completed'), own.length),
        };
      })
      .sort((a, b) => (b.completion_rate ?? -1) - (a.completion_rate ?? -1) || byCodeThenName(a.type_code, b.type_code));
    const completion = await get(`/milestones/analytics/completion?${q}`);
    compareRow(`${tenant} completion range`, { start_date: completion.start_date, end_date: completion.end_date }, { start_date, end_date });
    compareRows(`${tenant} completion`, completion.details, wantCompletion, (r) => String(r.type_code));

    const timeTrends = await get(`/milestones/analytics/time-trends?${q}&interval=week`);
    const cellsTT = new Map<string, MilestoneFact[]>();
    for (const f of factsInRange) {
      const k = `${mondayOf(f.achieved_date)}/${f.type_code}`;
      cellsTT.set(k, [...(cellsTT.get(k) ?? []), f]);
    }
    const wantTT = [...cellsTT.entries()]
      .sort(([a], [b]) => byCodeThenName(a, b))
      .map(([k, own]) => ({
        date: k.split('/')[0],
        type_code: k.split('/')[1],
        milestone_count: own.length,
        average_time_to_hit: r2(own.reduce((sum, f) => sum + Math.round((dayMs(f.achieved_date) - dayMs(f.lead_day)) / DAY_MS), 0) / own.length),
        completion_rate: pct(own.filter((f) => f.status === 'completed').length, own.length),
        follow_up_required: own.filter((f) => Number(f.follow_up_required) === 1).length,
      }));
    compareRow(
      `${tenant} time trends`,
      { start_date: timeTrends.start_date, end_date: timeTrends.end_date, interval: timeTrends.interval },
      { start_date, end_date, interval: 'week' },
    );
    compareRows(`${tenant} time trends`, timeTrends.data, wantTT, (r) => `${r.date}/${r.type_code}`);

    const groups = new Map<string, { days: number; lead: number; completed: boolean }[]>();
    const chains = new Map<number, MilestoneFact[]>();
    for (const f of facts) chains.set(f.lead_id, [...(chains.get(f.lead_id) ?? []), f]);
    for (const [lead, chain] of chains) {
      chain.sort((a, b) => a.achieved_date.localeCompare(b.achieved_date) || (a.achieved_time ?? '').localeCompare(b.achieved_time ?? '') || a.id - b.id);
      chain.forEach((m, i) => {
        if (i === 0 || !inRange(m.achieved_date)) return;
        const key = `${chain[i - 1].type_code}>${m.type_code}`;
        const days = Math.round((dayMs(m.achieved_date) - dayMs(chain[i - 1].achieved_date)) / DAY_MS);
        groups.set(key, [...(groups.get(key) ?? []), { days, lead, completed: m.status === 'completed' }]);
      });
    }
    const wantBottlenecks = [...groups.entries()]
      .map(([key, list]) => {
        const [from, to] = key.split('>');
        const values = list.map((x) => x.days).sort((a, b) => a - b);
        const n = values.length;
        const sla = typeOf(to).sla_days;
        return {
          from_milestone: from,
          to_milestone: to,
          from_name: typeOf(from).name,
          to_name: typeOf(to).name,
          transitions: n,
          leads_affected: new Set(list.map((x) => x.lead)).size,
          average_days: r2(values.reduce((sum, v) => sum + v, 0) / n),
          median_days: n % 2 ? values[(n - 1) / 2] : (values[n / 2 - 1] + values[n / 2]) / 2,
          p90_days: values[Math.ceil((9 * n) / 10) - 1],
          completion_rate: pct(list.filter((x) => x.completed).length, n),
          sla_breach_percent: sla === null ? null : pct(values.filter((d) => d > sla).length, n),
        };
      })
      .sort((a, b) => b.average_days - a.average_days || byCodeThenName(a.from_milestone, b.from_milestone) || byCodeThenName(a.to_milestone, b.to_milestone));
    const bottlenecks = await get(`/milestones/analytics/bottlenecks?${q}`);
    compareRow(`${tenant} bottlenecks range`, { start_date: bottlenecks.start_date, end_date: bottlenecks.end_date }, { start_date, end_date });
    compareRows(`${tenant} bottlenecks`, bottlenecks.data, wantBottlenecks, (r) => `${r.from_milestone}>${r.to_milestone}`);

    // ---- Campaigns: channels, types, trends (by day), and the campaign's totals.
    const campaigns = await query<{
      id: number;
      type_code: string;
      budget: number | null;
      start_date: string;
      end_date: string | null;
      is_initial: number;
      is_final: number;
    }>(
      db,
      `SELECT c.id, ty.type_code, c.budget, c.start_date, c.end_date, st.is_initial, st.is_final
         FROM campaigns c JOIN tenant_campaign_types ty ON ty.tenant_id = c.tenant_id AND ty.id = c.campaign_type_id
         JOIN tenant_campaign_statuses st ON st.tenant_id = c.tenant_id AND st.id = c.status_id
        WHERE c.tenant_id = ? AND c.deleted_at IS NULL`,
      [tenant],
    );
    const ran = campaigns.filter((c) => c.start_date <= end_date && (c.end_date === null || c.end_date >= start_date));
    const allocations = await query<{ campaign_id: number; channel_code: string; allocated_budget: number }>(
      db,
      `SELECT a.campaign_id, ch.channel_code, a.allocated_budget FROM campaign_channels a JOIN tenant_campaign_channels ch ON ch.tenant_id = a.tenant_id AND ch.id = a.channel_id
        WHERE a.tenant_id = ? AND a.deleted_at IS NULL`,
      [tenant],
    );
    const metricRows = await query<MetricValues & { campaign_id: number; channel_code: string; metric_day: string }>(
      db,
      `SELECT m.campaign_id, ch.channel_code, m.metric_day, m.impressions, m.clicks, m.leads_generated, m.conversions, m.spend, m.revenue
         FROM campaign_channel_metrics m JOIN tenant_campaign_channels ch ON ch.tenant_id = m.tenant_id AND ch.id = m.channel_id
        WHERE m.tenant_id = ?`,
      [tenant],
    );
    const liveIds = new Set(campaigns.map((c) => c.id));
    const metricsInRange = metricRows.filter((r) => liveIds.has(r.campaign_id) && inRange(r.metric_day));
    const sums = (own: MetricValues[]) => ({
      spent: cents(own.map((r) => r.spend)),
      impressions: own.reduce((x, r) => x + r.impressions, 0),
      clicks: own.reduce((x, r) => x + r.clicks, 0),
      leads: own.reduce((x, r) => x + r.leads_generated, 0),
      conversions: own.reduce((x, r) => x + r.conversions, 0),
      revenue: cents(own.map((r) => r.revenue)),
    });
    const roiOf = (revenue: number, spent: number) => pct(cents([revenue, -spent]), spent);

    const channelRows = await query<Named>(
      db,
      `SELECT id, channel_code AS code, channel_name AS name, display_order, deleted_at IS NOT NULL AS deleted FROM tenant_campaign_channels WHERE tenant_id = ?`,
      [tenant],
    );
    const typeRows = await query<Named>(
      db,
      `SELECT id, type_code AS code, type_name AS name, display_order, deleted_at IS NOT NULL AS deleted FROM tenant_campaign_types WHERE tenant_id = ?`,
      [tenant],
    );
    if (channelRows.some((r) => r.deleted) || typeRows.some((r) => r.deleted))
      report(`${tenant}: a campaign type or channel was deleted; the recomputation assumes none is`);
    const wantChannels = channelRows
      .map((ch) => {
        const allocs = allocations.filter((a) => a.channel_code === ch.code && ran.some((c) => c.id === a.campaign_id));
        const s = sums(metricsInRange.filter((r) => r.channel_code === ch.code));
        return {
          channel_code: ch.code,
          channel_name: ch.name,
          campaign_count: new Set(allocs.map((a) => a.campaign_id)).size,
          total_budget: cents(allocs.map((a) => a.allocated_budget)),
          total_spent: s.spent,
          total_impressions: s.impressions,
          total_clicks: s.clicks,
          total_leads: s.leads,
          total_conversions: s.conversions,
          total_revenue: s.revenue,
          cpl: ratio(s.spent, s.leads),
          cpm: ratio(s.spent * 1000, s.impressions),
          ctr: pct(s.clicks, s.impressions),
          cpc: ratio(s.spent, s.clicks),
          conversion_rate: pct(s.conversions, s.leads),
          roi: roiOf(s.revenue, s.spent),
        };
      })
      .sort((a, b) => b.total_spent - a.total_spent || byCodeThenName(a.channel_code, b.channel_code));
    const channels = await get(`/campaigns/analytics/channels?${q}`);
    compareRow(`${tenant} channels range`, { start_date: channels.start_date, end_date: channels.end_date }, { start_date, end_date });
    compareRows(`${tenant} channels`, channels.data, wantChannels, (r) => String(r.channel_code));

    const wantTypes = typeRows
      .map((ty) => {
        const own = ran.filter((c) => c.type_code === ty.code);
        const ids = new Set(campaigns.filter((c) => c.type_code === ty.code).map((c) => c.id));
        const s = sums(metricsInRange.filter((r) => ids.has(r.campaign_id)));
        return {
          type_code: ty.code,
          type_name: ty.name,
          total_campaigns: own.length,
          active_campaigns: own.filter((c) => !c.is_initial && !c.is_final).length,
          completed_campaigns: own.filter((c) => c.is_final).length,
          total_budget: cents(own.map((c) => c.budget ?? 0)),
          total_spent: s.spent,
          total_leads: s.leads,
          total_conversions: s.conversions,
          total_revenue: s.revenue,
          average_cpl: ratio(s.spent, s.leads),
          roi: roiOf(s.revenue, s.spent),
          conversion_rate: pct(s.conversions, s.leads),
        };
      })
      .sort((a, b) => b.total_spent - a.total_spent || byCodeThenName(a.type_code, b.type_code));
    const typesAnswer = await get(`/campaigns/analytics/types?${q}`);
    compareRow(`${tenant} campaign types range`, { start_date: typesAnswer.start_date, end_date: typesAnswer.end_date }, { start_date, end_date });
    compareRows(`${tenant} campaign types`, typesAnswer.data, wantTypes, (r) => String(r.type_code));

    const wantCT = periods(start_date, end_date, 'day').map((date) => {
      const launched = campaigns.filter((c) => c.start_date === date);
      const s = sums(metricsInRange.filter((r) => r.metric_day === date));
      return {
        date,
        campaigns_launched: launched.length,
        budget_allocated: cents(launched.map((c) => c.budget ?? 0)),
        spend: s.spent,
        impressions: s.impressions,
        clicks: s.clicks,
        leads_generated: s.leads,
        conversions: s.conversions,
        revenue: s.revenue,
        cpl: ratio(s.spent, s.leads),
        roi: roiOf(s.revenue, s.spent),
      };
    });
    const ct = await get(`/campaigns/analytics/trends?${q}&interval=day`);
    compareRow(
      `${tenant} campaign trends`,
      { start_date: ct.start_date, end_date: ct.end_date, interval: ct.interval },
      { start_date, end_date, interval: 'day' },
    );
    compareRows(`${tenant} campaign trends`, ct.data, wantCT, (r) => String(r.date));

    const campaign = await get(`/campaigns/${CAMPAIGN}`);
    const all = sums(metricRows);
    compareRow(
      `${tenant} campaign ${CAMPAIGN} totals`,
      {
        total_spent: campaign.total_spent,
        total_leads: campaign.total_leads,
        total_conversions: campaign.total_conversions,
        total_revenue: campaign.total_revenue,
      },
      { total_spent: all.spent, total_leads: all.leads, total_conversions: all.conversions, total_revenue: all.revenue },
    );
  }
  return { problems, figuresCompared: compared, rowsCompared: rows };
}
