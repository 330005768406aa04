import { Column, Entity, Index } from 'typeorm';
import { jsonColumn } from '../database/columns';
import { IconColorConfigResourceEntity } from '../config-resource/config-resource.entity';

export const SOURCE_TYPES = ['website', 'email', 'phone', 'referral', 'event', 'social', 'direct', 'partner', 'import'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

@Entity('tenant_lead_sources')
@Index('ux_lead_sources__source_code', ['tenantId', 'sourceCode', 'live'], { unique: true })
@Index('ix_lead_sources__display_order', ['tenantId', 'displayOrder'])
export class LeadSourceEntity extends IconColorConfigResourceEntity {
  @Column({ type: 'varchar', length: 50 })
  sourceCode: string;

  @Column({ type: 'varchar', length: 100 })
  sourceName: string;

  @Column({ type: 'varchar', length: 16 })
  sourceType: SourceType;

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
