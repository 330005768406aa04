import { Column, Entity, Index } from 'typeorm';
import { jsonColumn, nameKeyColumn } from '../database/columns';
import { TenantOwnedEntity } from '../tenancy/tenant-owned.entity';

export const SOURCE_TYPES = ['website', 'email', 'phone', 'referral', 'event', 'social', 'direct', 'partner', 'import'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

@Entity('tenant_lead_sources')
@Index('ux_lead_sources__source_code', ['tenantId', 'sourceCode', 'live'], { unique: true })
@Index('ix_lead_sources__display_order', ['tenantId', 'displayOrder'])
export class LeadSourceEntity extends TenantOwnedEntity {
  @Column({ type: 'varchar', length: 50 })
  sourceCode: string;

  @Column({ type: 'varchar', length: 100 })
  sourceName: string;

  /** The name as search and list order compare it (textKey); kept by the repository on every write. */
  @Column(nameKeyColumn())
  nameKey: string;

  @Column({ type: 'varchar', length: 16 })
  sourceType: SourceType;

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

  @Column(jsonColumn())
  metadata: Record<string, unknown>;

  /** Live leads of this source; maintained with the lead writes. */
  @Column({ type: 'int', default: 0 })
  leadsGenerated: number;

  /** Live converted leads of this source; maintained with the lead writes. */
  @Column({ type: 'int', default: 0 })
  conversionCount: number;
}
