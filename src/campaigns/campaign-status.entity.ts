import { Column, Entity, Index } from 'typeorm';
import { jsonColumn, nameKeyColumn } from '../database/columns';
import { TenantOwnedEntity } from '../tenancy/tenant-owned.entity';

/** `tenant_campaign_statuses`: the campaign workflow (initial, final, editing lock, transitions). */
@Entity('tenant_campaign_statuses')
@Index('ux_campaign_statuses__status_code', ['tenantId', 'statusCode', 'live'], { unique: true })
export class CampaignStatusEntity extends TenantOwnedEntity {
  @Column({ type: 'varchar', length: 50 })
  statusCode: string;

  @Column({ type: 'varchar', length: 100 })
  statusName: string;

  /** The name as search and list order compare it (textKey); kept by the repository on every write. */
  @Column(nameKeyColumn())
  nameKey: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'varchar', length: 7, nullable: true })
  colorHex: string | null;

  @Column({ type: 'int', default: 0 })
  displayOrder: number;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;

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
