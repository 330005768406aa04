import { Column, Entity, Index } from 'typeorm';
import { TenantOwnedEntity } from '../../tenancy/tenant-owned.entity';

/** How a rule's condition compares a touch's value: the whole value, or its beginning (case-insensitively). */
export const MATCH_MODES = ['exact', 'prefix'] as const;
export type MatchMode = (typeof MATCH_MODES)[number];

/**
 * `attribution_rules`: a tenant's mapping from a touch's UTM parameters to its codes (docs/attribution.md,
 * "Mapping rules"). Each condition is a value and a match mode, both null when the rule has no such
 * condition (a rule has at least one). What a rule resolves to is kept as codes, checked to be live
 * when written and again whenever a touch is resolved: a rule naming a code that is no longer live is
 * skipped, not changed.
 */
@Entity('attribution_rules')
@Index('ix_attribution_rules__priority__id', ['tenantId', 'priority', 'id'])
export class AttributionRuleEntity extends TenantOwnedEntity {
  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** Lower first; ties by id. */
  @Column({ type: 'int' })
  priority: number;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;

  @Column({ type: 'varchar', length: 255, nullable: true })
  utmSourceValue: string | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  utmSourceMatch: MatchMode | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  utmMediumValue: string | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  utmMediumMatch: MatchMode | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  utmCampaignValue: string | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  utmCampaignMatch: MatchMode | null;

  @Column({ type: 'varchar', length: 50 })
  sourceCode: string;

  @Column({ type: 'varchar', length: 50, nullable: true })
  subSourceCode: string | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  channelCode: string | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  campaignCode: string | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  campaignChannelCode: string | null;
}
