import { Column, Entity, Index } from 'typeorm';
import { decimalColumn, jsonColumn, nameKeyColumn } from '../database/columns';
import { TenantOwnedEntity } from '../tenancy/tenant-owned.entity';

/** `tenant_campaign_types`: the tenant's campaign vocabulary, with budget guidelines. */
@Entity('tenant_campaign_types')
@Index('ux_campaign_types__type_code', ['tenantId', 'typeCode', 'live'], { unique: true })
export class CampaignTypeEntity extends TenantOwnedEntity {
  @Column({ type: 'varchar', length: 50 })
  typeCode: string;

  @Column({ type: 'varchar', length: 100 })
  typeName: string;

  /** The name as search and list order compare it (textKey); kept by the repository on every write. */
  @Column(nameKeyColumn())
  nameKey: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  icon: string | null;

  @Column({ type: 'varchar', length: 7, nullable: true })
  colorHex: string | null;

  @Column({ type: 'int', default: 0 })
  displayOrder: number;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;

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
