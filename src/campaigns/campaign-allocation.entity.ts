import { Column, Entity, Index } from 'typeorm';
import { decimalColumn, idColumn } from '../database/columns';
import { TenantOwnedEntity } from '../tenancy/tenant-owned.entity';
import { CampaignChannelEntity } from './campaign-channel.entity';

/** `campaign_channels`: a campaign's channels and the budget allocated to each (the `channels` field). */
@Entity('campaign_channels')
@Index('ux_campaign_channels__campaign_id__channel_id', ['tenantId', 'campaignId', 'channelId', 'live'], { unique: true })
@Index('ix_campaign_channels__channel_id', ['tenantId', 'channelId'])
export class CampaignAllocationEntity extends TenantOwnedEntity {
  @Column(idColumn())
  campaignId: number;

  @Column(idColumn())
  channelId: number;

  @Column(decimalColumn({ default: 0 }))
  allocatedBudget: number;

  /** The channel, loaded by the repository's reads (not a column), deleted or not. */
  channel?: CampaignChannelEntity;
}
