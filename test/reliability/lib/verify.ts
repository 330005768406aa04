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
      (s) => s.status === row.status && Math.round(s.expected_value * 100) === Math.round(Number(row.expected_value) * 100) && s.deleted === (row.deleted_at !== null),
    );
    if (!ok) report(`lead ${key}: stored ${JSON.stringify({ status: row.status, expected_value: row.expected_value, deleted: row.deleted_at !== null })}, expected one of ${JSON.stringify(lead.states)}`);
  }
  for (const key of byCode.keys()) if (!known.has(key)) report(`lead ${key} is stored but was never written`);

  // Lead milestones: acknowledged ids stored and live; no more than acknowledged + in doubt; chains right.
  const msRows = await query<MilestoneRow>(
    db,
    'SELECT id, tenant_id, lead_id, achieved_date, achieved_time, days_from_previous, deleted_at FROM lead_milestones WHERE tenant_id IN (?)',
    [tenants],
  );
  const byLead = new Map<number, MilestoneRow[]>();
  const everByLead = new Map<number, MilestoneRow[]>();
  for (const m of msRows) {
    everByLead.set(m.lead_id, [...(everByLead.get(m.lead_id) ?? []), m]);
    if (m.deleted_at === null) byLead.set(m.lead_id, [...(byLead.get(m.lead_id) ?? []), m]);
  }
  const leadIds = new Set(leadRows.map((l) => l.id));
  for (const lead of leads) {
    if (lead.id === undefined) continue;
    // The workload never deletes a milestone; deleting its lead may take it along (soft delete).
    const mayBeDeleted = lead.states.some((s) => s.deleted);
    const rows = new Map((everByLead.get(lead.id) ?? []).map((m) => [m.id, m]));
    for (const id of lead.milestoneIds) {
      const row = rows.get(id);
      if (!row) report(`lead milestone ${id} of lead ${lead.id} was acknowledged but is not stored: LOST`);
      else if (row.deleted_at !== null && !mayBeDeleted) report(`lead milestone ${id} of live lead ${lead.id} is deleted, but nothing deleted it`);
    }
    result.milestonesChecked += lead.milestoneIds.length;
    const extra = rows.size - lead.milestoneIds.length;
    if (extra > lead.milestonesInDoubt) report(`lead ${lead.id}: ${rows.size} milestones stored, ${lead.milestoneIds.length} acknowledged, ${lead.milestonesInDoubt} in doubt`);
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
       FROM campaign_channel_metrics m JOIN tenant_campaign_channels ch ON ch.id = m.channel_id
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
// Analytics against a recomputation from the raw facts (the leads, lead milestones and metric rows
// as stored), in the spirit of the property tests under test/*/.

// Half away from zero on the decimal value, as the API rounds money and rates.
const r2 = (x: number) => (Math.sign(x) * Math.round(Number((Math.abs(x) * 100).toFixed(6)))) / 100;
const pct = (a: number, b: number) => (b === 0 ? null : r2((a / b) * 100));
const cents = (xs: number[]) => xs.reduce((s, x) => s + Math.round(Number(x) * 100), 0) / 100;
const ts = (s: string) => Date.parse(`${s.replace(' ', 'T')}Z`);

interface LeadFact {
  source_code: string;
  status: string;
  expected_value: number;
  converted_value: number | null;
  acquisition_cost: number;
  created_at: string;
  contacted_at: string | null;
  qualified_at: string | null;
  converted_at: string | null;
}

function sourceFigures(leads: LeadFact[]) {
  const converted = leads.filter((l) => l.status === 'converted');
  const closeSeconds = converted.reduce((s, l) => s + Math.round((ts(l.converted_at!) - ts(l.created_at)) / 1000), 0);
  const revenue = cents(converted.map((l) => l.converted_value ?? 0));
  const cost = cents(leads.map((l) => l.acquisition_cost));
  return {
    leads_generated: leads.length,
    leads_contacted: leads.filter((l) => l.contacted_at).length,
    leads_qualified: leads.filter((l) => l.qualified_at).length,
    leads_converted: converted.length,
    leads_lost: leads.filter((l) => l.status === 'lost').length,
    conversion_rate: pct(converted.length, leads.length),
    average_days_to_close: converted.length === 0 ? null : r2(closeSeconds / 86_400 / converted.length),
    total_value: cents(leads.map((l) => l.expected_value)),
    revenue,
    total_cost: cost,
  };
}

interface MilestoneFact {
  lead_id: number;
  id: number;
  type_code: string;
  achieved_date: string;
  achieved_time: string | null;
  status: string;
}

export interface AnalyticsCheck {
  problems: string[];
  figuresCompared: number;
}

/** Compares, per tenant, the analytics answers with the same figures recomputed from the stored facts. */
export async function checkAnalytics(http: Http, db: Connection, tenants: string[]): Promise<AnalyticsCheck> {
  const problems: string[] = [];
  let compared = 0;
  const { start_date, end_date } = range();
  const q = `start_date=${start_date}&end_date=${end_date}`;
  const compare = (what: string, got: unknown, want: unknown) => {
    compared += 1;
    if (JSON.stringify(got) !== JSON.stringify(want) && problems.length < 50) problems.push(`${what}: answered ${JSON.stringify(got)}, recomputed ${JSON.stringify(want)}`);
  };
  for (const tenant of tenants) {
    const t = await token(tenant);
    const get = async (path: string) => {
      const r = await http.call({ path, token: t });
      if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.body}`);
      return r.json();
    };

    // Lead sources: every figure of every source over the range, and the all-time counters.
    const leads = await query<LeadFact>(
      db,
      `SELECT s.source_code, l.status, l.expected_value, l.converted_value, l.acquisition_cost, l.created_at, l.contacted_at, l.qualified_at, l.converted_at
         FROM leads l JOIN tenant_lead_sources s ON s.id = l.source_id
        WHERE l.tenant_id = ? AND l.deleted_at IS NULL`,
      [tenant],
    );
    const perf = await get(`/lead-sources/analytics/performance?${q}`);
    for (const row of perf.data as Record<string, unknown>[]) {
      const want = sourceFigures(leads.filter((l) => l.source_code === row.source_code && l.created_at.slice(0, 10) >= start_date && l.created_at.slice(0, 10) <= end_date));
      const got = Object.fromEntries(Object.keys(want).map((k) => [k, row[k]]));
      compare(`${tenant} source ${row.source_code} performance`, got, want);
    }
    const sources = await get('/lead-sources?limit=500');
    for (const s of sources.data as { source_code: string; leads_generated: number; conversion_count: number }[]) {
      const own = leads.filter((l) => l.source_code === s.source_code);
      compare(`${tenant} source ${s.source_code} counters`, [s.leads_generated, s.conversion_count], [own.length, own.filter((l) => l.status === 'converted').length]);
    }

    // Milestones: completion by type, and bottlenecks (transitions of each lead's live chain).
    const facts = await query<MilestoneFact>(
      db,
      'SELECT lead_id, id, type_code, achieved_date, achieved_time, status FROM lead_milestones WHERE tenant_id = ? AND deleted_at IS NULL',
      [tenant],
    );
    const inRange = facts.filter((f) => f.achieved_date >= start_date && f.achieved_date <= end_date);
    const completion = await get(`/milestones/analytics/completion?${q}`);
    for (const row of completion.details as Record<string, unknown>[]) {
      const own = inRange.filter((f) => f.type_code === row.type_code);
      const n = (...s: string[]) => own.filter((f) => s.includes(f.status)).length;
      compare(
        `${tenant} completion ${row.type_code}`,
        [row.total, row.completed, row.in_progress, row.skipped, row.failed, row.completion_rate],
        [own.length, n('completed'), n('pending', 'in_progress'), n('skipped'), n('failed'), pct(n('completed'), own.length)],
      );
    }
    const groups = new Map<string, { days: number; lead: number; completed: boolean }[]>();
    const chains = new Map<number, MilestoneFact[]>();
    for (const f of facts) chains.set(f.lead_id, [...(chains.get(f.lead_id) ?? []), f]);
    for (const [lead, chain] of chains) {
      chain.sort((a, b) => a.achieved_date.localeCompare(b.achieved_date) || (a.achieved_time ?? '').localeCompare(b.achieved_time ?? '') || a.id - b.id);
      chain.forEach((m, i) => {
        if (i === 0 || m.achieved_date < start_date || m.achieved_date > end_date) return;
        const key = `${chain[i - 1].type_code}>${m.type_code}`;
        const days = Math.round((Date.parse(`${m.achieved_date}T00:00:00Z`) - Date.parse(`${chain[i - 1].achieved_date}T00:00:00Z`)) / 86_400_000);
        groups.set(key, [...(groups.get(key) ?? []), { days, lead, completed: m.status === 'completed' }]);
      });
    }
    const bottlenecks = await get(`/milestones/analytics/bottlenecks?${q}`);
    const answered = new Set<string>();
    for (const row of bottlenecks.data as Record<string, unknown>[]) {
      const key = `${row.from_milestone}>${row.to_milestone}`;
      answered.add(key);
      const ts2 = groups.get(key) ?? [];
      const values = ts2.map((x) => x.days).sort((a, b) => a - b);
      const n = values.length;
      compare(
        `${tenant} bottleneck ${key}`,
        [row.transitions, row.leads_affected, row.average_days, row.median_days, row.p90_days, row.completion_rate],
        [
          n,
          new Set(ts2.map((x) => x.lead)).size,
          n ? r2(values.reduce((s, v) => s + v, 0) / n) : null,
          n ? (n % 2 ? values[(n - 1) / 2] : (values[n / 2 - 1] + values[n / 2]) / 2) : null,
          n ? values[Math.ceil((9 * n) / 10) - 1] : null,
          pct(ts2.filter((x) => x.completed).length, n),
        ],
      );
    }
    for (const key of groups.keys()) if (!answered.has(key)) compare(`${tenant} bottleneck ${key}`, 'absent', 'present');

    // Campaign channels: metric sums over the range, and the campaign's totals over all its rows.
    const rows = await query<MetricValues & { channel_code: string; metric_day: string }>(
      db,
      `SELECT ch.channel_code, m.metric_day, m.impressions, m.clicks, m.leads_generated, m.conversions, m.spend, m.revenue
         FROM campaign_channel_metrics m JOIN tenant_campaign_channels ch ON ch.id = m.channel_id
        WHERE m.tenant_id = ?`,
      [tenant],
    );
    const channels = await get(`/campaigns/analytics/channels?${q}`);
    for (const row of channels.data as Record<string, unknown>[]) {
      const own = rows.filter((r) => r.channel_code === row.channel_code && r.metric_day >= start_date && r.metric_day <= end_date);
      const sum = (k: keyof MetricValues) => own.reduce((s, r) => s + Number(r[k]), 0);
      compare(
        `${tenant} channel ${row.channel_code}`,
        [row.total_spent, row.total_impressions, row.total_clicks, row.total_leads, row.total_conversions, row.total_revenue],
        [cents(own.map((r) => r.spend)), sum('impressions'), sum('clicks'), sum('leads_generated'), sum('conversions'), cents(own.map((r) => r.revenue))],
      );
    }
    const campaign = await get(`/campaigns/${CAMPAIGN}`);
    compare(
      `${tenant} campaign ${CAMPAIGN} totals`,
      [campaign.total_spent, campaign.total_leads, campaign.total_conversions, campaign.total_revenue],
      [cents(rows.map((r) => r.spend)), rows.reduce((s, r) => s + r.leads_generated, 0), rows.reduce((s, r) => s + r.conversions, 0), cents(rows.map((r) => r.revenue))],
    );
  }
  return { problems, figuresCompared: compared };
}
