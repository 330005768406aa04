import { Dialect } from '../src/database/sql-dialect';

/** One analytics question: the API route that answers it. */
export interface Question {
  name: string;
  /** The route as documented in /docs-json (to skip routes this build does not have). */
  route: string;
  path(days: number): string;
}

export const QUESTIONS: Question[] = [
  { name: 'lead sources: all performance', route: '/lead-sources/analytics/performance', path: (d) => `/lead-sources/analytics/performance?days=${d}` },
  { name: 'lead sources: one source', route: '/lead-sources/{source_code}/performance', path: (d) => `/lead-sources/WEBSITE/performance?days=${d}` },
  {
    name: 'lead sources: one subsource',
    route: '/lead-sources/{source_code}/subsources/{sub_source_code}/performance',
    path: (d) => `/lead-sources/SOCIAL/subsources/FACEBOOK/performance?days=${d}`,
  },
  { name: 'lead sources: weekly trends', route: '/lead-sources/analytics/trends', path: (d) => `/lead-sources/analytics/trends?days=${d}&interval=week` },
];

/**
 * The straightforward SQL over the raw fact tables that answers the same question (what the original
 * design did per request, written correctly): the baseline the rollups must beat.
 */
export interface Baseline {
  sql(dialect: Dialect): string;
  params(tenantId: string, from: string, to: string): unknown[];
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

export const BASELINES: Record<string, Baseline> = {
  'lead sources: all performance': {
    sql: (d) => `SELECT source_id, sub_source_id, ${SOURCE_FIGURES}, ${closeDays(d)} AS close_days FROM leads l WHERE ${inRange} GROUP BY source_id, sub_source_id`,
    params: (t, from, to) => [t, from, to],
  },
  'lead sources: one source': {
    sql: (d) =>
      `SELECT l.sub_source_id, ${SOURCE_FIGURES}, ${closeDays(d)} AS close_days FROM leads l JOIN tenant_lead_sources s ON s.id = l.source_id AND s.tenant_id = l.tenant_id
       WHERE l.${inRange.replace(/ AND /g, ' AND l.')} AND s.source_code = 'WEBSITE' GROUP BY l.sub_source_id`,
    params: (t, from, to) => [t, from, to],
  },
  'lead sources: one subsource': {
    sql: (d) =>
      `SELECT ${SOURCE_FIGURES}, ${closeDays(d)} AS close_days FROM leads l JOIN tenant_lead_subsources s ON s.id = l.sub_source_id AND s.tenant_id = l.tenant_id
       WHERE l.${inRange.replace(/ AND /g, ' AND l.')} AND s.sub_source_code = 'FACEBOOK'`,
    params: (t, from, to) => [t, from, to],
  },
  'lead sources: weekly trends': {
    sql: () =>
      `SELECT DATE(l.created_at) AS day, l.source_id, COUNT(*) AS leads, SUM(CASE WHEN l.status = 'converted' THEN 1 ELSE 0 END) AS conversions,
       SUM(CASE WHEN l.status = 'converted' THEN l.converted_value ELSE 0 END) AS revenue FROM leads l WHERE ${inRange} GROUP BY DATE(l.created_at), l.source_id`,
    params: (t, from, to) => [t, from, to],
  },
};
