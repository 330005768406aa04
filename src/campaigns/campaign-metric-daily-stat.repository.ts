import { Injectable } from '@nestjs/common';
import { DateRange } from '../common/http/date-range.dto';
import { TenantRollupRepository } from '../tenancy/tenant-rollup.repository';
import { CampaignMetricDailyStatEntity } from './campaign-metric-daily-stat.entity';
import { Interval } from '../common/analytics/periods';
import { periodStartSql } from '../database/sql-dialect';
import { MetricSums } from './analytics/campaign-metrics';
import { MetricFigures, toSums } from './campaign-metric.repository';
import { rangeParams, toDayString } from './campaign.repository';

/** A signed change of one rollup row: (day, type, channel) and the figures to add. */
export interface MetricDelta extends MetricFigures {
  day: string;
  campaignTypeId: number;
  channelId: number;
}

const FIGURES: (keyof MetricFigures)[] = ['impressions', 'clicks', 'leadsGenerated', 'conversions', 'spend', 'revenue'];
const MONEY = new Set<keyof MetricFigures>(['spend', 'revenue']);
const cents = (x: number) => Math.round(x * 100) / 100;

/**
 * Nets signed figures per (day, type, channel), money to the cent, drops the keys that cancel out and
 * sorts by key (concurrent writers lock the rollup rows in one order).
 */
export function netMetricDeltas(changes: { day: string; campaignTypeId: number; channelId: number; figures: MetricFigures; sign: 1 | -1 }[]): MetricDelta[] {
  const byKey = new Map<string, MetricDelta>();
  for (const c of changes) {
    const key = `${c.day}|${String(c.campaignTypeId).padStart(11, '0')}|${String(c.channelId).padStart(11, '0')}`;
    let acc = byKey.get(key);
    if (!acc) {
      acc = { day: c.day, campaignTypeId: c.campaignTypeId, channelId: c.channelId, impressions: 0, clicks: 0, leadsGenerated: 0, conversions: 0, spend: 0, revenue: 0 };
      byKey.set(key, acc);
    }
    for (const f of FIGURES) acc[f] = MONEY.has(f) ? cents(acc[f] + c.sign * c.figures[f]) : acc[f] + c.sign * c.figures[f];
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, d]) => d)
    .filter((d) => FIGURES.some((f) => d[f] !== 0));
}

/** Figures of one (type, channel) over the range, or over one period of it (`day` its first day). */
export interface KeyedMetricSums extends MetricSums {
  typeId: number;
  channelId: number;
  day: string;
}

const SUMS: [string, string][] = [
  ['COALESCE(SUM(s.spend), 0)', 'spent'],
  ['COALESCE(SUM(s.impressions), 0)', 'impressions'],
  ['COALESCE(SUM(s.clicks), 0)', 'clicks'],
  ['COALESCE(SUM(s.leadsGenerated), 0)', 'leads'],
  ['COALESCE(SUM(s.conversions), 0)', 'conversions'],
  ['COALESCE(SUM(s.revenue), 0)', 'revenue'],
];

@Injectable()
export class CampaignMetricDailyStatRepository extends TenantRollupRepository<CampaignMetricDailyStatEntity> {
  protected readonly target = CampaignMetricDailyStatEntity;
  protected readonly alias = 's';
  protected readonly table = 'campaign_metric_daily_stats';
  protected readonly keyColumns = ['tenant_id', 'day', 'campaign_type_id', 'channel_id'];
  protected readonly measureColumns = ['impressions', 'clicks', 'leads_generated', 'conversions', 'spend', 'revenue'];

  add(deltas: MetricDelta[]): Promise<void> {
    return this.addDeltas(deltas.map((d) => [d.day, d.campaignTypeId, d.channelId, ...FIGURES.map((f) => d[f])]));
  }

  /**
   * Metric figures of live campaigns dated in the range, per (period, type id, channel id): at most
   * periods × types × channels rows, read from the rollup's key range without joins (the caller maps
   * ids to codes, deleted types and channels included). `interval` undefined: one row per type and
   * channel over the whole range.
   */
  async sumsByKeys(range: DateRange, interval?: Interval): Promise<KeyedMetricSums[]> {
    const qb = this.select();
    const period = interval ? periodStartSql(this.dialect, 's.day', interval) : undefined;
    qb.select('s.campaignTypeId', 'typeId').addSelect('s.channelId', 'channelId');
    if (period) qb.addSelect(period, 'day');
    for (const [expr, name] of SUMS) qb.addSelect(expr, name);
    qb.andWhere('s.day >= :rangeStart AND s.day <= :rangeEnd', rangeParams(range)).groupBy('s.campaignTypeId').addGroupBy('s.channelId');
    if (period) qb.addGroupBy(period);
    const rows = await qb.getRawMany<Record<string, unknown>>();
    return rows.map((r) => ({ typeId: Number(r.typeId), channelId: Number(r.channelId), day: period ? toDayString(r.day) : '', ...toSums(r) }));
  }
}
