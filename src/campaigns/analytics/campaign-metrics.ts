import { JsonNumber } from '../../common/numbers/exact-json';
import { countJson, hundredths, moneyJson, percentOf, perUnit } from '../../common/numbers/money';
import { toBigInt } from '../../database/columns';
import { moneySumOf } from '../../database/sql-dialect';

/**
 * The formulas of API.md §5, as pure functions over summed facts, exact at any size: money in cents
 * and counts as bigints (a year of a busy tenant's impressions passes 2^53), rates rounded half away
 * from zero on integers (common/numbers/money.ts), answered as exact JSON numbers. SQL answers sums
 * as DECIMAL text on MySQL and integers on SQLite; `num`, `countOf` and `moneyOf` read them.
 */

/** A SQL count that stays small (campaigns, launches): a number. */
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** A SQL sum of counts, exactly. */
export const countOf = (v: unknown): bigint => toBigInt(v);

/** A money sum from moneySumSql / moneyPartsSumSql, in cents. */
export const moneyOf = (v: unknown): bigint => moneySumOf(v);

export interface MetricSums {
  /** Cents. */
  spent: bigint;
  impressions: bigint;
  clicks: bigint;
  leads: bigint;
  conversions: bigint;
  /** Cents. */
  revenue: bigint;
}

export const ZERO_SUMS: Readonly<MetricSums> = Object.freeze({ spent: 0n, impressions: 0n, clicks: 0n, leads: 0n, conversions: 0n, revenue: 0n });

export const addSums = (a: MetricSums, b: MetricSums): MetricSums => ({
  spent: a.spent + b.spent,
  impressions: a.impressions + b.impressions,
  clicks: a.clicks + b.clicks,
  leads: a.leads + b.leads,
  conversions: a.conversions + b.conversions,
  revenue: a.revenue + b.revenue,
});

/** (revenue − spent) / spent × 100; null without spend. */
export const roi = (revenue: bigint, spent: bigint): JsonNumber | null => percentOf(revenue - spent, spent);

/** Cost per lead: spent / leads. */
export const cpl = (spent: bigint, leads: bigint): JsonNumber | null => perUnit(spent, leads);

/** Cost per thousand impressions: spent / impressions × 1000. */
export const cpm = (spent: bigint, impressions: bigint): JsonNumber | null => hundredths(spent * 1000n, impressions);

/** Click-through rate: clicks / impressions × 100. */
export const ctr = (clicks: bigint, impressions: bigint): JsonNumber | null => percentOf(clicks, impressions);

/** Cost per click: spent / clicks. */
export const cpc = (spent: bigint, clicks: bigint): JsonNumber | null => perUnit(spent, clicks);

/** conversions / leads × 100. */
export const conversionRate = (conversions: bigint, leads: bigint): JsonNumber | null => percentOf(conversions, leads);

/** The metric sums as the API answers them. */
export const sumsJson = (s: MetricSums) => ({
  spent: moneyJson(s.spent),
  impressions: countJson(s.impressions),
  clicks: countJson(s.clicks),
  leads: countJson(s.leads),
  conversions: countJson(s.conversions),
  revenue: moneyJson(s.revenue),
});

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
