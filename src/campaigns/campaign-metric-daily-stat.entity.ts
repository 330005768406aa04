import { Column, Entity, PrimaryColumn } from 'typeorm';
import { dateColumn, decimalTransformer, idColumn, moneyPartColumn } from '../database/columns';

/**
 * Daily rollup of the metric rows of live campaigns, per campaign type and channel: what campaign
 * analytics read instead of the metric facts (a year is at most 365 × types × channels rows, however
 * many campaigns ran). Kept in the same transaction as every metric write, and as every campaign
 * delete, restore and type change (a deleted campaign counts nowhere). Counts and sums only.
 */
@Entity('campaign_metric_daily_stats')
export class CampaignMetricDailyStatEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tenantId: string;

  @PrimaryColumn({ ...(dateColumn() as object), nullable: false })
  day: string;

  @PrimaryColumn(idColumn())
  campaignTypeId: number;

  @PrimaryColumn(idColumn())
  channelId: number;

  @Column({ type: 'bigint', default: 0, transformer: decimalTransformer })
  impressions: number;

  @Column({ type: 'bigint', default: 0, transformer: decimalTransformer })
  clicks: number;

  @Column({ type: 'bigint', default: 0, transformer: decimalTransformer })
  leadsGenerated: number;

  @Column({ type: 'bigint', default: 0, transformer: decimalTransformer })
  conversions: number;

  /** Σ spend and Σ revenue: cents in two parts (columns.ts MONEY_PART). */
  @Column(moneyPartColumn())
  spendHi: bigint;

  @Column(moneyPartColumn())
  spendLo: bigint;

  @Column(moneyPartColumn())
  revenueHi: bigint;

  @Column(moneyPartColumn())
  revenueLo: bigint;
}
