import { Column, Entity, Index } from 'typeorm';
import { ConfigResourceEntity } from '../config-resource/config-resource.entity';

/** `tenant_campaign_budget_types`: how a campaign's budget is meant (total, per channel, variable…). */
@Entity('tenant_campaign_budget_types')
@Index('ux_campaign_budget_types__budget_type_code', ['tenantId', 'budgetTypeCode', 'live'], { unique: true })
export class CampaignBudgetTypeEntity extends ConfigResourceEntity {
  @Column({ type: 'varchar', length: 50 })
  budgetTypeCode: string;

  @Column({ type: 'varchar', length: 100 })
  budgetTypeName: string;
}
