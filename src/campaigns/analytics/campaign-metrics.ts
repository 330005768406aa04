import { percent, ratio, round2 } from '../../common/numbers/rounding';

/**
 * The formulas of API.md §5, as pure functions over summed facts. Sums arrive from SQL (numbers on
 * SQLite, DECIMAL strings on MySQL) and are normalised here; money sums are rounded to cents before
 * any ratio, so both engines (and the float sums SQLite makes of decimals) give the same figures.
 */

/** A SQL aggregate as a number: DECIMAL strings, bigints and NULL (an empty SUM) alike. */
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** Money sums: exact cents, whatever float drift the engine's SUM carried. */
export const money = (v: unknown): number => round2(num(v));

export interface MetricSums {
  spent: number;
  impressions: number;
  clicks: number;
  leads: number;
  conversions: number;
  revenue: number;
}

export const ZERO_SUMS: Readonly<MetricSums> = Object.freeze({ spent: 0, impressions: 0, clicks: 0, leads: 0, conversions: 0, revenue: 0 });

export const addSums = (a: MetricSums, b: MetricSums): MetricSums => ({
  spent: round2(a.spent + b.spent),
  impressions: a.impressions + b.impressions,
  clicks: a.clicks + b.clicks,
  leads: a.leads + b.leads,
  conversions: a.conversions + b.conversions,
  revenue: round2(a.revenue + b.revenue),
});

/** (revenue − spent) / spent × 100; null without spend. */
export const roi = (revenue: number, spent: number): number | null => percent(round2(revenue - spent), spent);

/** Cost per lead: spent / leads. */
export const cpl = (spent: number, leads: number): number | null => ratio(spent, leads);

/** Cost per thousand impressions: spent / impressions × 1000. */
export const cpm = (spent: number, impressions: number): number | null => ratio(spent * 1000, impressions);

/** Click-through rate: clicks / impressions × 100. */
export const ctr = (clicks: number, impressions: number): number | null => percent(clicks, impressions);

/** Cost per click: spent / clicks. */
export const cpc = (spent: number, clicks: number): number | null => ratio(spent, clicks);

/** conversions / leads × 100. */
export const conversionRate = (conversions: number, leads: number): number | null => percent(conversions, leads);

/** Every rate of ChannelPerformanceMetrics from its sums. */
export const channelRates = (s: MetricSums) => ({
  cpl: cpl(s.spent, s.leads),
  cpm: cpm(s.spent, s.impressions),
  ctr: ctr(s.clicks, s.impressions),
  cpc: cpc(s.spent, s.clicks),
  conversion_rate: conversionRate(s.conversions, s.leads),
  roi: roi(s.revenue, s.spent),
});

/** The rates of CampaignTypePerformance from its sums. */
export const typeRates = (s: MetricSums) => ({
  average_cpl: cpl(s.spent, s.leads),
  roi: roi(s.revenue, s.spent),
  conversion_rate: conversionRate(s.conversions, s.leads),
});
