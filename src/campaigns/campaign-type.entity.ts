import { Column, Entity, Index } from 'typeorm';
import { decimalColumn, jsonColumn } from '../database/columns';
import { IconColorConfigResourceEntity } from '../config-resource/config-resource.entity';

/** `tenant_campaign_types`: the tenant's campaign vocabulary, with budget guidelines. */
@Entity('tenant_campaign_types')
@Index('ux_campaign_types__type_code', ['tenantId', 'typeCode', 'live'], { unique: true })
export class CampaignTypeEntity extends IconColorConfigResourceEntity {
  @Column({ type: 'varchar', length: 50 })
  typeCode: string;

  @Column({ type: 'varchar', length: 100 })
  typeName: string;

  @Column({ type: 'boolean', default: false })
  isDefault: boolean;

  @Column({ type: 'int', nullable: true })
  typicalDurationDays: number | null;

  @Column(decimalColumn({ nullable: true }))
  minBudget: number | null;

  @Column(decimalColumn({ nullable: true }))
  maxBudget: number | null;

  @Column(decimalColumn({ nullable: true }))
  recommendedBudget: number | null;

  @Column(jsonColumn())
  metadata: Record<string, unknown>;
}
