import { Injectable } from '@nestjs/common';
import { SelectQueryBuilder } from 'typeorm';
import { TenantScopedRepository } from '../tenancy/tenant-scoped.repository';
import { Dialect, exactTextSql, moneySumSql } from '../database/sql-dialect';
import { countOf, MetricSums, moneyOf } from './analytics/campaign-metrics';
import { CampaignChannelEntity } from './campaign-channel.entity';
import { CampaignMetricEntity } from './campaign-metric.entity';

export interface MetricListFilter {
  channelCode?: string;
  startDate?: string;
  endDate?: string;
}

/** The figures of a metric row, as entity properties. */
export interface MetricFigures {
  impressions: number;
  clicks: number;
  leadsGenerated: number;
  conversions: number;
  spend: number;
  revenue: number;
}

/** The figure properties, in the order a replacement sets them. */
const FIGURE_PROPERTIES: (keyof MetricFigures)[] = ['impressions', 'clicks', 'leadsGenerated', 'conversions', 'spend', 'revenue'];

/** The figures of a stored row. */
export const figuresOf = (m: CampaignMetricEntity): MetricFigures => ({
  impressions: m.impressions,
  clicks: m.clicks,
  leadsGenerated: m.leadsGenerated,
  conversions: m.conversions,
  spend: m.spend,
  revenue: m.revenue,
});

export interface KeyedSums extends MetricSums {
  key: string;
}

/** Σ of the metric rows' figures: counts exactly as text, money exactly (moneySumSql). */
const sums = (dialect: Dialect): [string, string][] => [
  [moneySumSql(dialect, 'm.spend'), 'spent'],
  [exactTextSql(dialect, 'COALESCE(SUM(m.impressions), 0)'), 'impressions'],
  [exactTextSql(dialect, 'COALESCE(SUM(m.clicks), 0)'), 'clicks'],
  [exactTextSql(dialect, 'COALESCE(SUM(m.leadsGenerated), 0)'), 'leads'],
  [exactTextSql(dialect, 'COALESCE(SUM(m.conversions), 0)'), 'conversions'],
  [moneySumSql(dialect, 'm.revenue'), 'revenue'],
];

/** A row of sums (moneySumSql text, integer text or numbers) as exact MetricSums. */
export const toSums = (r: Record<string, unknown>): MetricSums => ({
  spent: moneyOf(r.spent),
  impressions: countOf(r.impressions),
  clicks: countOf(r.clicks),
  leads: countOf(r.leads),
  conversions: countOf(r.conversions),
  revenue: moneyOf(r.revenue),
});

@Injectable()
export class CampaignMetricRepository extends TenantScopedRepository<CampaignMetricEntity> {
  protected readonly target = CampaignMetricEntity;
  protected readonly alias = 'm';

  private withChannel(): SelectQueryBuilder<CampaignMetricEntity> {
    return this.joinScoped(super.select({ includeDeleted: true }), CampaignChannelEntity, 'm_channel', 'm_channel.id = m.channelId', {
      mapTo: 'channel',
    });
  }

  /** A campaign's rows, by day then channel code. */
  list(campaignId: number, filter: MetricListFilter, page: { limit: number; offset: number }): Promise<[CampaignMetricEntity[], number]> {
    const qb = this.withChannel().andWhere('m.campaignId = :campaignId', { campaignId });
    if (filter.channelCode) qb.andWhere('m_channel.channelCode = :channelCode', { channelCode: filter.channelCode });
    if (filter.startDate) qb.andWhere('m.metricDay >= :startDate', { startDate: filter.startDate });
    if (filter.endDate) qb.andWhere('m.metricDay <= :endDate', { endDate: filter.endDate });
    return qb
      .orderBy('m.metricDay', 'ASC')
      .addOrderBy('m_channel.channelCode', 'ASC')
      .addOrderBy('m.id', 'ASC')
      .offset(page.offset)
      .limit(page.limit)
      .getManyAndCount();
  }

  findByKey(campaignId: number, channelId: number, day: string): Promise<CampaignMetricEntity | null> {
    return this.withChannel()
      .andWhere('m.campaignId = :campaignId AND m.channelId = :channelId AND m.metricDay = :day', { campaignId, channelId, day })
      .getOne();
  }

  /** The campaign's existing rows between two days (inclusive): the candidates a write may replace. */
  findForCampaignBetween(campaignId: number, firstDay: string, lastDay: string): Promise<CampaignMetricEntity[]> {
    return super
      .select({ includeDeleted: true })
      .andWhere('m.campaignId = :campaignId', { campaignId })
      .andWhere('m.metricDay >= :firstDay AND m.metricDay <= :lastDay', { firstDay, lastDay })
      .getMany();
  }

  insertAll(values: Partial<CampaignMetricEntity>[]): Promise<CampaignMetricEntity[]> {
    return values.length === 0 ? Promise.resolve([]) : this.insertMany(values);
  }

  /**
   * Replaces the figures of existing rows (last write wins), a few hundred rows per statement: one
   * portable `UPDATE … SET col = CASE id WHEN … THEN … END … WHERE id IN (…)` instead of one UPDATE
   * per row (5,000 replaced rows: about 0.3 s instead of 3 s on SQLite). Stamps the actor and bumps
   * `version` like every other write.
   */
  async replaceMany(rows: { id: number; values: MetricFigures }[], chunkSize = 400): Promise<void> {
    const figures = rows.map((r) => ({ id: r.id, values: Object.fromEntries(FIGURE_PROPERTIES.map((p) => [p, r.values[p]])) }));
    await this.replaceEach(figures as { id: number; values: Partial<CampaignMetricEntity> }[], chunkSize);
  }

  /** Every metric row of a campaign, as (day, channel, figures): what its delete, restore or type change moves in the rollup. */
  async figuresOfCampaign(campaignId: number): Promise<{ day: string; channelId: number; figures: MetricFigures }[]> {
    const rows = await super.select({ includeDeleted: true }).andWhere('m.campaignId = :campaignId', { campaignId }).getMany();
    return rows.map((m) => ({ day: m.metricDay, channelId: m.channelId, figures: figuresOf(m) }));
  }

  /** Σ of all of one campaign's rows: the campaign's read-only totals. */
  async totalsOfCampaign(campaignId: number): Promise<MetricSums> {
    const [[first, firstName], ...rest] = sums(this.dialect);
    const qb = super.select({ includeDeleted: true }).select(first, firstName);
    for (const [expr, name] of rest) qb.addSelect(expr, name);
    const row = await qb.andWhere('m.campaignId = :campaignId', { campaignId }).getRawOne<Record<string, unknown>>();
    return toSums(row ?? {});
  }
}
