import { Column, Entity, Index } from 'typeorm';
import { jsonColumn, nameKeyColumn } from '../database/columns';
import { TenantOwnedEntity } from '../tenancy/tenant-owned.entity';

export const TEMPLATE_TYPES = ['standard', 'campaign', 'project', 'custom'] as const;
export type TemplateType = (typeof TEMPLATE_TYPES)[number];

/** An ordered pipeline of milestone type codes; at most one default per template_type. */
@Entity('tenant_milestone_templates')
@Index('ix_milestone_templates__template_type__is_default', ['tenantId', 'templateType', 'isDefault'])
export class MilestoneTemplateEntity extends TenantOwnedEntity {
  @Column({ type: 'varchar', length: 100 })
  templateName: string;

  /** The name as search and list order compare it (textKey); kept by the repository on every write. */
  @Column(nameKeyColumn())
  nameKey: string;

  @Column({ type: 'varchar', length: 16 })
  templateType: TemplateType;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;

  @Column({ type: 'boolean', default: false })
  isDefault: boolean;

  /** Milestone type codes, in pipeline order (codes are immutable, so they stay meaningful). */
  @Column(jsonColumn())
  sequence: string[];

  @Column({ type: 'int', default: 0 })
  estimatedDays: number;
}
