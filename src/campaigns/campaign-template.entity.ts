import { Column, Entity, Index } from 'typeorm';
import { decimalColumn, idColumn, jsonColumn, nameKeyColumn } from '../database/columns';
import { TenantOwnedEntity } from '../tenancy/tenant-owned.entity';
import { CampaignBudgetTypeEntity } from './campaign-budget-type.entity';
import { CampaignTypeEntity } from './campaign-type.entity';

/**
 * `tenant_campaign_templates`: defaults a campaign can be instantiated from. The type and budget type
 * are kept by id (the template belongs to its type: deleting the type deletes its templates); the
 * default channels are kept as codes and checked again at instantiation.
 */
@Entity('tenant_campaign_templates')
@Index('ix_campaign_templates__campaign_type_id', ['tenantId', 'campaignTypeId'])
export class CampaignTemplateEntity extends TenantOwnedEntity {
  @Column({ type: 'varchar', length: 100 })
  templateName: string;

  /** The name as search and list order compare it (textKey); kept by the repository on every write. */
  @Column(nameKeyColumn())
  nameKey: string;

  @Column(idColumn())
  campaignTypeId: number;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column(jsonColumn())
  defaultChannels: string[];

  @Column(decimalColumn({ nullable: true }))
  defaultBudget: number | null;

  @Column(idColumn({ nullable: true }))
  defaultBudgetTypeId: number | null;

  @Column({ type: 'int', nullable: true })
  defaultDurationDays: number | null;

  @Column(jsonColumn())
  targetAudience: Record<string, unknown>;

  @Column(jsonColumn())
  kpis: string[];

  @Column({ type: 'boolean', default: true })
  isActive: boolean;

  @Column({ type: 'boolean', default: false })
  isDefault: boolean;

  /** Loaded by the repository's reads (not columns), even when deleted: responses show their codes. */
  campaignType?: CampaignTypeEntity;
  defaultBudgetType?: CampaignBudgetTypeEntity | null;
}
