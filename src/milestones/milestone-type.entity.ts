import { Column, Entity, Index } from 'typeorm';
import { jsonColumn } from '../database/columns';
import { IconColorConfigResourceEntity } from '../config-resource/config-resource.entity';

export const MILESTONE_CATEGORIES = ['engagement', 'action', 'decision', 'completion'] as const;
export type MilestoneCategory = (typeof MILESTONE_CATEGORIES)[number];

/** A step of the tenant's sales pipeline (API.md §4), addressed by its code. */
@Entity('tenant_milestone_types')
@Index('ux_milestone_types__type_code', ['tenantId', 'typeCode', 'live'], { unique: true })
@Index('ix_milestone_types__display_order', ['tenantId', 'displayOrder'])
export class MilestoneTypeEntity extends IconColorConfigResourceEntity {
  @Column({ type: 'varchar', length: 50 })
  typeCode: string;

  @Column({ type: 'varchar', length: 100 })
  typeName: string;

  @Column({ type: 'varchar', length: 16 })
  category: MilestoneCategory;

  @Column({ type: 'boolean', default: false })
  isRequired: boolean;

  /** Cannot be skipped: a `skipped` milestone of this type is refused (409). */
  @Column({ type: 'boolean', default: false })
  isMandatory: boolean;

  @Column({ type: 'int', nullable: true })
  typicalDurationDays: number | null;

  /** A transition into this type lasting longer than this many days breaches its SLA. */
  @Column({ type: 'int', nullable: true })
  slaDays: number | null;

  @Column({ type: 'boolean', default: true })
  allowsAttachment: boolean;

  @Column({ type: 'boolean', default: true })
  allowsLocation: boolean;

  @Column({ type: 'boolean', default: true })
  allowsNotes: boolean;

  @Column(jsonColumn())
  metadata: Record<string, unknown>;
}
