import { Column, Entity, Index } from 'typeorm';
import { IconConfigResourceEntity } from '../config-resource/config-resource.entity';

@Entity('tenant_lead_channels')
@Index('ux_lead_channels__channel_code', ['tenantId', 'channelCode', 'live'], { unique: true })
export class LeadChannelEntity extends IconConfigResourceEntity {
  @Column({ type: 'varchar', length: 50 })
  channelCode: string;

  @Column({ type: 'varchar', length: 100 })
  channelName: string;
}
