import { Column, Entity, Index } from 'typeorm';
import { jsonColumn } from '../database/columns';
import { ConfigResourceEntity } from '../config-resource/config-resource.entity';

/** `tenant_campaign_statuses`: the campaign workflow (initial, final, editing lock, transitions). */
@Entity('tenant_campaign_statuses')
@Index('ux_campaign_statuses__status_code', ['tenantId', 'statusCode', 'live'], { unique: true })
export class CampaignStatusEntity extends ConfigResourceEntity {
  @Column({ type: 'varchar', length: 50 })
  statusCode: string;

  @Column({ type: 'varchar', length: 100 })
  statusName: string;

  @Column({ type: 'varchar', length: 7, nullable: true })
  colorHex: string | null;

  @Column({ type: 'boolean', default: false })
  isInitial: boolean;

  @Column({ type: 'boolean', default: false })
  isFinal: boolean;

  @Column({ type: 'boolean', default: true })
  allowsEditing: boolean;

  /** Status codes this one may move to; empty = any non-initial status. */
  @Column(jsonColumn())
  allowedTransitions: string[];
}
