import { Column, Entity, Index } from 'typeorm';
import { dateColumn, decimalColumn, idColumn } from '../database/columns';
import { TenantOwnedEntity } from '../tenancy/tenant-owned.entity';
import { CampaignChannelEntity } from './campaign-channel.entity';

/**
 * `campaign_channel_metrics`: one row per (tenant, campaign, channel, day); a second write of the same
 * key replaces the row. The day column is `metric_day` (the API's `metric_date`): with `metric_date`
 * the unique key's name would be 65 characters, one over MySQL's limit for identifiers.
 * Rows are never soft-deleted on their own; they stop counting when their campaign is deleted.
 */
@Entity('campaign_channel_metrics')
@Index('ux_campaign_channel_metrics__campaign_id__channel_id__metric_day', ['tenantId', 'campaignId', 'channelId', 'metricDay'], {
  unique: true,
})
@Index('ix_campaign_channel_metrics__metric_day__channel_id', ['tenantId', 'metricDay', 'channelId'])
export class CampaignMetricEntity extends TenantOwnedEntity {
  @Column(idColumn())
  campaignId: number;

  @Column(idColumn())
  channelId: number;

  @Column(dateColumn())
  metricDay: string;

  @Column({ type: 'int', default: 0 })
  impressions: number;

  @Column({ type: 'int', default: 0 })
  clicks: number;

  @Column({ type: 'int', default: 0 })
  leadsGenerated: number;

  @Column({ type: 'int', default: 0 })
  conversions: number;

  @Column(decimalColumn({ default: 0 }))
  spend: number;

  @Column(decimalColumn({ default: 0 }))
  revenue: number;

  /** The channel, loaded by reads (not a column), deleted or not. */
  channel?: CampaignChannelEntity;
}
