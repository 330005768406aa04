import { Injectable } from '@nestjs/common';
import { DateRange } from '../common/http/date-range.dto';
import { TenantRollupRepository } from '../tenancy/tenant-rollup.repository';
import { CampaignMetricDailyStatEntity } from './campaign-metric-daily-stat.entity';
import { Interval } from '../common/analytics/periods';
import { centsOf } from '../common/numbers/money';
import { splitCents } from '../database/columns';
import { Dialect, exactTextSql, moneyPartsSumSql, periodStartSql } from '../database/sql-dialect';
import { addSums, MetricSums, ZERO_SUMS } from './analytics/campaign-metrics';
import { MetricFigures, toSums } from './campaign-metric.repository';
import { rangeParams, toDayString } from './campaign.repository';

/** A signed change of one rollup row: (day, type, channel) and the figures to add (money in cents). */
export interface MetricDelta extends MetricSums {
  day: string;
  campaignTypeId: number;
  channelId: number;
}

const SUM_KEYS: (keyof MetricSums)[] = ['spent', 'impressions', 'clicks', 'leads', 'conversions', 'revenue'];

/**
 * Nets signed figures per (day, type, channel), money in cents, drops the keys that cancel out and
 * sorts by key (concurrent writers lock the rollup rows in one order).
 */
export function netMetricDeltas(changes: { day: string; campaignTypeId: number; channelId: number; figures: MetricFigures; sign: 1 | -1 }[]): MetricDelta[] {
  const byKey = new Map<string, MetricDelta>();
  for (const c of changes) {
    const key = `${c.day}|${String(c.campaignTypeId).padStart(11, '0')}|${String(c.channelId).padStart(11, '0')}`;
    const acc = byKey.get(key) ?? { day: c.day, campaignTypeId: c.campaignTypeId, channelId: c.channelId, ...ZERO_SUMS };
    const sign = BigInt(c.sign);
    const f = c.figures;
    byKey.set(key, {
      ...acc,
      ...addSums(acc, {
        spent: sign * centsOf(f.spend),
        impressions: sign * BigInt(f.impressions),
        clicks: sign * BigInt(f.clicks),
        leads: sign * BigInt(f.leadsGenerated),
        conversions: sign * BigInt(f.conversions),
        revenue: sign * centsOf(f.revenue),
      }),
    });
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, d]) => d)
    .filter((d) => SUM_KEYS.some((k) => d[k] !== 0n));
}

/** Figures of one (type, channel) over the range, or over one period of it (`day` its first day). */
export interface KeyedMetricSums extends MetricSums {
  typeId: number;
  channelId: number;
  day: string;
}

/** The sums a read selects: counts exactly as text, money as `hi:lo` text (moneyPartsSumSql). */
const sums = (dialect: Dialect): [string, string][] => [
  [moneyPartsSumSql(dialect, 's.spendHi', 's.spendLo'), 'spent'],
  [exactTextSql(dialect, 'COALESCE(SUM(s.impressions), 0)'), 'impressions'],
  [exactTextSql(dialect, 'COALESCE(SUM(s.clicks), 0)'), 'clicks'],
  [exactTextSql(dialect, 'COALESCE(SUM(s.leadsGenerated), 0)'), 'leads'],
  [exactTextSql(dialect, 'COALESCE(SUM(s.conversions), 0)'), 'conversions'],
  [moneyPartsSumSql(dialect, 's.revenueHi', 's.revenueLo'), 'revenue'],
];

@Injectable()
export class CampaignMetricDailyStatRepository extends TenantRollupRepository<CampaignMetricDailyStatEntity> {
  protected readonly target = CampaignMetricDailyStatEntity;
  protected readonly alias = 's';
  protected readonly table = 'campaign_metric_daily_stats';
  protected readonly keyColumns = ['tenant_id', 'day', 'campaign_type_id', 'channel_id'];
  protected readonly measureColumns = ['impressions', 'clicks', 'leads_generated', 'conversions', 'spend_hi', 'spend_lo', 'revenue_hi', 'revenue_lo'];

  add(deltas: MetricDelta[]): Promise<void> {
    return this.addDeltas(
      deltas.map((d) => [
        d.day,
        d.campaignTypeId,
        d.channelId,
        d.impressions,
        d.clicks,
        d.leads,
        d.conversions,
        ...splitCents(d.spent),
        ...splitCents(d.revenue),
      ]),
    );
  }

  /**
   * Metric figures of live campaigns dated in the range, per (period, type id, channel id): at most
   * periods × types × channels rows, read from the rollup's key range without joins (the caller maps
   * ids to codes, deleted types and channels included). `interval` undefined: one row per type and
   * channel over the whole range. Weeks start on `weekStart` (Monday = 0).
   */
  async sumsByKeys(range: DateRange, interval?: Interval, weekStart = 0): Promise<KeyedMetricSums[]> {
    const qb = this.select();
    const period = interval ? periodStartSql(this.dialect, 's.day', interval, weekStart) : undefined;
    qb.select('s.campaignTypeId', 'typeId').addSelect('s.channelId', 'channelId');
    if (period) qb.addSelect(period, 'day');
    for (const [expr, name] of sums(this.dialect)) qb.addSelect(expr, name);
    qb.andWhere('s.day >= :rangeStart AND s.day <= :rangeEnd', rangeParams(range)).groupBy('s.campaignTypeId').addGroupBy('s.channelId');
    if (period) qb.addGroupBy(period);
    const rows = await qb.getRawMany<Record<string, unknown>>();
    return rows.map((r) => ({ typeId: Number(r.typeId), channelId: Number(r.channelId), day: period ? toDayString(r.day) : '', ...toSums(r) }));
  }
}
