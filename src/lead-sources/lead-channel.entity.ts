import { Column, Entity, Index } from 'typeorm';
import { nameKeyColumn } from '../database/columns';
import { TenantOwnedEntity } from '../tenancy/tenant-owned.entity';

@Entity('tenant_lead_channels')
@Index('ux_lead_channels__channel_code', ['tenantId', 'channelCode', 'live'], { unique: true })
export class LeadChannelEntity extends TenantOwnedEntity {
  @Column({ type: 'varchar', length: 50 })
  channelCode: string;

  @Column({ type: 'varchar', length: 100 })
  channelName: string;

  /** The name as search and list order compare it (textKey); kept by the repository on every write. */
  @Column(nameKeyColumn())
  nameKey: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  icon: string | null;

  @Column({ type: 'int', default: 0 })
  displayOrder: number;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;
}
