import { Column, Entity, Index } from 'typeorm';
import { dateColumn, timestampColumn, decimalColumn, idColumn, jsonColumn, moneyPartColumn } from '../database/columns';
import { IconConfigResourceEntity } from '../config-resource/config-resource.entity';
import { LeadSourceEntity } from './lead-source.entity';

@Entity('tenant_lead_subsources')
@Index('ux_lead_subsources__source_id__sub_source_code', ['tenantId', 'sourceId', 'subSourceCode', 'live'], {
  unique: true,
})
export class LeadSubsourceEntity extends IconConfigResourceEntity {
  @Column(idColumn())
  sourceId: number;

  @Column({ type: 'varchar', length: 50 })
  subSourceCode: string;

  @Column({ type: 'varchar', length: 100 })
  subSourceName: string;

  @Column(decimalColumn({ default: 0 }))
  costPerLead: number;

  @Column(jsonColumn())
  metadata: Record<string, unknown>;

  @Column({ type: 'int', default: 0 })
  leadsGenerated: number;

  @Column({ type: 'int', default: 0 })
  conversionCount: number;

  /** Σ acquisition_cost of its live leads: cents in two parts (columns.ts MONEY_PART). */
  @Column(moneyPartColumn())
  totalCostHi: bigint;

  @Column(moneyPartColumn())
  totalCostLo: bigint;

  @Column(dateColumn({ nullable: true }))
  lastActivityDate: string | null;

  /**
   * When the latest lead written to the subsource was created (deletes and moves do not lower it):
   * last_activity_date is its day in the tenant's zone, taken again when the zone changes.
   */
  @Column(timestampColumn({ nullable: true }))
  lastActivityAt: Date | null;

  /** The owning source, loaded by the repository's reads (not a column). */
  source?: LeadSourceEntity;
}
