import { Dialect } from '../src/database/sql-dialect';

/** One analytics question: the API route that answers it. */
export interface Question {
  name: string;
  /** The route as documented in /docs-json (to skip routes this build does not have). */
  route: string;
  path(days: number): string;
}

/** The questions that take a touch model (`?model=`), beside their default answers above. */
const ATTRIBUTED = [
  'lead sources: all performance',
  'lead sources: one source',
  'lead sources: weekly trends',
  'campaigns: all types',
  'campaigns: all channels',
];

/** The same routes answered under a touch model: credits spread over each lead's touches (docs/attribution.md). */
function attributed(model: string, names: string[] = ATTRIBUTED): Question[] {
  return names.map((name) => {
    const q = DEFAULT_QUESTIONS.find((d) => d.name === name)!;
    return { name: `${name} (model=${model})`, route: q.route, path: (d) => `${q.path(d)}&model=${model}` };
  });
}

const DEFAULT_QUESTIONS: Question[] = [
  { name: 'lead sources: all performance', route: '/lead-sources/analytics/performance', path: (d) => `/lead-sources/analytics/performance?days=${d}` },
  { name: 'lead sources: one source', route: '/lead-sources/{source_code}/performance', path: (d) => `/lead-sources/WEBSITE/performance?days=${d}` },
  {
    name: 'lead sources: one subsource',
    route: '/lead-sources/{source_code}/subsources/{sub_source_code}/performance',
    path: (d) => `/lead-sources/SOCIAL/subsources/FACEBOOK/performance?days=${d}`,
  },
  { name: 'lead sources: weekly trends', route: '/lead-sources/analytics/trends', path: (d) => `/lead-sources/analytics/trends?days=${d}&interval=week` },
  { name: 'campaigns: all types', route: '/campaigns/analytics/types', path: (d) => `/campaigns/analytics/types?days=${d}` },
  {
    name: 'campaigns: one type',
    route: '/campaigns/analytics/type/{type_code}/performance',
    path: (d) => `/campaigns/analytics/type/SOCIAL_ADS/performance?days=${d}`,
  },
  { name: 'campaigns: all channels', route: '/campaigns/analytics/channels', path: (d) => `/campaigns/analytics/channels?days=${d}` },
  {
    name: 'campaigns: one channel',
    route: '/campaigns/analytics/channel/{channel_code}/performance',
    path: (d) => `/campaigns/analytics/channel/FACEBOOK/performance?days=${d}`,
  },
  { name: 'campaigns: weekly trends', route: '/campaigns/analytics/trends', path: (d) => `/campaigns/analytics/trends?days=${d}&interval=week` },
  { name: 'milestones: completion', route: '/milestones/analytics/completion', path: (d) => `/milestones/analytics/completion?days=${d}` },
  {
    name: 'milestones: weekly time trends',
    route: '/milestones/analytics/time-trends',
    path: (d) => `/milestones/analytics/time-trends?days=${d}&interval=week`,
  },
  { name: 'milestones: bottlenecks', route: '/milestones/analytics/bottlenecks', path: (d) => `/milestones/analytics/bottlenecks?days=${d}` },
];

export const QUESTIONS: Question[] = [
  ...DEFAULT_QUESTIONS,
  ...attributed('linear'),
  ...attributed('time_decay'),
  ...attributed('position_based', ['lead sources: all performance']),
];

/**
 * The straightforward SQL over the raw fact tables that answers the same question (what the original
 * design did per request, written correctly): the baseline the rollups must beat.
 */
export interface Baseline {
  sql(dialect: Dialect): string;
  params(tenantId: string, range: BaselineRange): unknown[];
}

/**
 * The range of a question in the tenant's days: `from`/`to` the instants its first day and the day
 * after its last start at (`YYYY-MM-DD HH:MM:SS`, UTC, as creation instants are stored), `fromDay`/`toDay`
 * those local days (dates users type, achieved_date and metric_day, compare with them).
 */
export interface BaselineRange {
  from: string;
  to: string;
  fromDay: string;
  toDay: string;
}

const SOURCE_FIGURES = `COUNT(*) AS leads,
  SUM(CASE WHEN l.contacted_at IS NOT NULL THEN 1 ELSE 0 END) AS contacted,
  SUM(CASE WHEN l.qualified_at IS NOT NULL THEN 1 ELSE 0 END) AS qualified,
  SUM(CASE WHEN l.status = 'converted' THEN 1 ELSE 0 END) AS converted,
  SUM(CASE WHEN l.status = 'lost' THEN 1 ELSE 0 END) AS lost,
  SUM(l.expected_value) AS total_value,
  SUM(CASE WHEN l.status = 'converted' THEN l.converted_value ELSE 0 END) AS revenue,
  SUM(l.acquisition_cost) AS total_cost`;
const closeDays = (d: Dialect) =>
  d === 'mysql'
    ? `AVG(CASE WHEN l.status = 'converted' THEN TIMESTAMPDIFF(SECOND, l.created_at, l.converted_at) / 86400 END)`
    : `AVG(CASE WHEN l.status = 'converted' THEN (julianday(l.converted_at) - julianday(l.created_at)) END)`;
const inRange = `tenant_id = ? AND deleted_at IS NULL AND created_at >= ? AND created_at < ?`;

const dayRange = `m.tenant_id = ? AND m.metric_day >= ? AND m.metric_day < ?`;
const METRIC_SUMS = `COUNT(DISTINCT m.campaign_id) AS campaigns, SUM(m.spend) AS spent, SUM(m.impressions) AS impressions, SUM(m.clicks) AS clicks,
  SUM(m.leads_generated) AS leads, SUM(m.conversions) AS conversions, SUM(m.revenue) AS revenue`;
const milestoneRange = `tenant_id = ? AND deleted_at IS NULL AND achieved_date >= ? AND achieved_date < ?`;
const dayDiff = (d: Dialect, a: string, b: string) => (d === 'mysql' ? `DATEDIFF(${a}, ${b})` : `CAST(julianday(${a}) - julianday(${b}) AS INTEGER)`);

export const BASELINES: Record<string, Baseline> = {
  'campaigns: all types': {
    sql: () =>
      `SELECT c.campaign_type_id, ${METRIC_SUMS} FROM campaign_channel_metrics m JOIN campaigns c ON c.id = m.campaign_id AND c.tenant_id = m.tenant_id
       WHERE ${dayRange} AND c.deleted_at IS NULL GROUP BY c.campaign_type_id`,
    params: (t, r) => [t, r.fromDay, r.toDay],
  },
  'campaigns: one type': {
    sql: () =>
      `SELECT ${METRIC_SUMS} FROM campaign_channel_metrics m JOIN campaigns c ON c.id = m.campaign_id AND c.tenant_id = m.tenant_id
       JOIN tenant_campaign_types ct ON ct.id = c.campaign_type_id AND ct.tenant_id = c.tenant_id WHERE ${dayRange} AND c.deleted_at IS NULL AND ct.type_code = 'SOCIAL_ADS'`,
    params: (t, r) => [t, r.fromDay, r.toDay],
  },
  'campaigns: all channels': {
    sql: () =>
      `SELECT m.channel_id, ${METRIC_SUMS} FROM campaign_channel_metrics m JOIN campaigns c ON c.id = m.campaign_id AND c.tenant_id = m.tenant_id
       WHERE ${dayRange} AND c.deleted_at IS NULL GROUP BY m.channel_id`,
    params: (t, r) => [t, r.fromDay, r.toDay],
  },
  'campaigns: one channel': {
    sql: () =>
      `SELECT ${METRIC_SUMS} FROM campaign_channel_metrics m JOIN campaigns c ON c.id = m.campaign_id AND c.tenant_id = m.tenant_id
       JOIN tenant_campaign_channels ch ON ch.id = m.channel_id AND ch.tenant_id = m.tenant_id WHERE ${dayRange} AND c.deleted_at IS NULL AND ch.channel_code = 'FACEBOOK'`,
    params: (t, r) => [t, r.fromDay, r.toDay],
  },
  'campaigns: weekly trends': {
    sql: () =>
      `SELECT m.metric_day, SUM(m.spend), SUM(m.impressions), SUM(m.clicks), SUM(m.leads_generated), SUM(m.conversions), SUM(m.revenue)
       FROM campaign_channel_metrics m JOIN campaigns c ON c.id = m.campaign_id AND c.tenant_id = m.tenant_id
       WHERE ${dayRange} AND c.deleted_at IS NULL GROUP BY m.metric_day`,
    params: (t, r) => [t, r.fromDay, r.toDay],
  },
  'milestones: completion': {
    sql: () =>
      `SELECT milestone_type_id, COUNT(*) AS total, SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END) AS completed,
       SUM(CASE WHEN status IN ('pending', 'in_progress') THEN 1 ELSE 0 END) AS in_progress FROM lead_milestones WHERE ${milestoneRange} GROUP BY milestone_type_id`,
    params: (t, r) => [t, r.fromDay, r.toDay],
  },
  'milestones: weekly time trends': {
    sql: (d) =>
      `SELECT m.achieved_date, m.milestone_type_id, COUNT(*) AS n, AVG(${d === 'mysql' ? 'DATEDIFF(m.achieved_date, l.created_at)' : 'julianday(m.achieved_date) - julianday(l.created_at)'}) AS avg_days
       FROM lead_milestones m JOIN leads l ON l.id = m.lead_id AND l.tenant_id = m.tenant_id
       WHERE m.${milestoneRange.replace(/ AND /g, ' AND m.')} GROUP BY m.achieved_date, m.milestone_type_id`,
    params: (t, r) => [t, r.fromDay, r.toDay],
  },
  // The original design's per-request LAG() over every milestone of the tenant, then the range filter.
  'milestones: bottlenecks': {
    sql: (d) =>
      `SELECT prev_type, milestone_type_id, COUNT(*) AS transitions, COUNT(DISTINCT lead_id) AS leads, AVG(days) AS avg_days FROM (
         SELECT lead_id, milestone_type_id, achieved_date,
           LAG(milestone_type_id) OVER (PARTITION BY lead_id ORDER BY achieved_date, achieved_time, id) AS prev_type,
           ${dayDiff(d, 'achieved_date', 'LAG(achieved_date) OVER (PARTITION BY lead_id ORDER BY achieved_date, achieved_time, id)')} AS days
         FROM lead_milestones WHERE tenant_id = ? AND deleted_at IS NULL) t
       WHERE prev_type IS NOT NULL AND achieved_date >= ? AND achieved_date < ? GROUP BY prev_type, milestone_type_id`,
    params: (t, r) => [t, r.fromDay, r.toDay],
  },
  'lead sources: all performance': {
    sql: (d) =>
      `SELECT source_id, sub_source_id, ${SOURCE_FIGURES}, ${closeDays(d)} AS close_days FROM leads l WHERE ${inRange} GROUP BY source_id, sub_source_id`,
    params: (t, r) => [t, r.from, r.to],
  },
  'lead sources: one source': {
    sql: (d) =>
      `SELECT l.sub_source_id, ${SOURCE_FIGURES}, ${closeDays(d)} AS close_days FROM leads l JOIN tenant_lead_sources s ON s.id = l.source_id AND s.tenant_id = l.tenant_id
       WHERE l.${inRange.replace(/ AND /g, ' AND l.')} AND s.source_code = 'WEBSITE' GROUP BY l.sub_source_id`,
    params: (t, r) => [t, r.from, r.to],
  },
  'lead sources: one subsource': {
    sql: (d) =>
      `SELECT ${SOURCE_FIGURES}, ${closeDays(d)} AS close_days FROM leads l JOIN tenant_lead_subsources s ON s.id = l.sub_source_id AND s.tenant_id = l.tenant_id
       WHERE l.${inRange.replace(/ AND /g, ' AND l.')} AND s.sub_source_code = 'FACEBOOK'`,
    params: (t, r) => [t, r.from, r.to],
  },
  // Grouped by the UTC day of creation (SQL has no portable zone conversion): the same work as grouping by the local day.
  'lead sources: weekly trends': {
    sql: () =>
      `SELECT DATE(l.created_at) AS day, l.source_id, COUNT(*) AS leads, SUM(CASE WHEN l.status = 'converted' THEN 1 ELSE 0 END) AS conversions,
       SUM(CASE WHEN l.status = 'converted' THEN l.converted_value ELSE 0 END) AS revenue FROM leads l WHERE ${inRange} GROUP BY DATE(l.created_at), l.source_id`,
    params: (t, r) => [t, r.from, r.to],
  },
};
