import { Column, Entity, Index } from 'typeorm';
import { dateColumn, decimalColumn, decimalTransformer, idColumn, jsonColumn } from '../database/columns';
import { TenantOwnedEntity } from '../tenancy/tenant-owned.entity';
import { CampaignAllocationEntity } from './campaign-allocation.entity';
import { CampaignBudgetTypeEntity } from './campaign-budget-type.entity';
import { CampaignStatusEntity } from './campaign-status.entity';
import { CampaignTypeEntity } from './campaign-type.entity';

/**
 * `campaigns`: addressed by `campaign_code` (unique among live campaigns of the tenant). Type, status
 * and budget type are referenced by id; responses show their codes. The totals are the sums of the
 * campaign's metric rows, recomputed in the transaction of every metric write.
 */
@Entity('campaigns')
@Index('ux_campaigns__campaign_code', ['tenantId', 'campaignCode', 'live'], { unique: true })
@Index('ix_campaigns__deleted_at__start_date', ['tenantId', 'deletedAt', 'startDate'])
@Index('ix_campaigns__campaign_type_id', ['tenantId', 'campaignTypeId'])
@Index('ix_campaigns__status_id', ['tenantId', 'statusId'])
export class CampaignEntity extends TenantOwnedEntity {
  @Column({ type: 'varchar', length: 50 })
  campaignCode: string;

  @Column({ type: 'varchar', length: 100 })
  campaignName: string;

  @Column(idColumn())
  campaignTypeId: number;

  @Column(idColumn())
  statusId: number;

  @Column(idColumn({ nullable: true }))
  budgetTypeId: number | null;

  @Column(decimalColumn({ nullable: true }))
  budget: number | null;

  @Column(dateColumn())
  startDate: string;

  @Column(dateColumn({ nullable: true }))
  endDate: string | null;

  @Column(jsonColumn())
  targetAudience: Record<string, unknown>;

  @Column(jsonColumn())
  kpis: string[];

  @Column(idColumn({ nullable: true }))
  templateId: number | null;

  @Column(decimalColumn({ precision: 18, default: 0 }))
  totalSpent: number;

  /** BIGINT: mysql2 answers it as a string; the service keeps every total ≤ Number.MAX_SAFE_INTEGER. */
  @Column({ type: 'bigint', default: 0, transformer: decimalTransformer })
  totalLeads: number;

  @Column({ type: 'bigint', default: 0, transformer: decimalTransformer })
  totalConversions: number;

  @Column(decimalColumn({ precision: 18, default: 0 }))
  totalRevenue: number;

  /** Loaded by the repository's reads (not columns), deleted or not. */
  campaignType?: CampaignTypeEntity;
  status?: CampaignStatusEntity;
  budgetType?: CampaignBudgetTypeEntity | null;
  allocations?: CampaignAllocationEntity[];
}
