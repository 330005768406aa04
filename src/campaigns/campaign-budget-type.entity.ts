import { Column, Entity, Index } from 'typeorm';
import { nameKeyColumn } from '../database/columns';
import { TenantOwnedEntity } from '../tenancy/tenant-owned.entity';

/** `tenant_campaign_budget_types`: how a campaign's budget is meant (total, per channel, variable…). */
@Entity('tenant_campaign_budget_types')
@Index('ux_campaign_budget_types__budget_type_code', ['tenantId', 'budgetTypeCode', 'live'], { unique: true })
export class CampaignBudgetTypeEntity extends TenantOwnedEntity {
  @Column({ type: 'varchar', length: 50 })
  budgetTypeCode: string;

  @Column({ type: 'varchar', length: 100 })
  budgetTypeName: string;

  /** The name as search and list order compare it (textKey); kept by the repository on every write. */
  @Column(nameKeyColumn())
  nameKey: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'int', default: 0 })
  displayOrder: number;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;
}
