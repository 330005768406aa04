import { Column, Entity, Index } from 'typeorm';
import { dateColumn, decimalTransformer, idColumn, jsonColumn } from '../database/columns';
import { TenantOwnedEntity } from '../tenancy/tenant-owned.entity';

export const MILESTONE_STATUSES = ['pending', 'in_progress', 'completed', 'skipped', 'failed'] as const;
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number];
export const OUTCOMES = ['positive', 'neutral', 'negative'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The entity type of lead milestones in the audit log. */
export const LEAD_MILESTONE_AUDIT_TYPE = 'lead_milestone';

const coordinate = { type: 'decimal', precision: 9, scale: 6, nullable: true, transformer: decimalTransformer } as const;

/**
 * A milestone a lead reached. The last three columns are the lead's chain, derived on every write of
 * the lead's milestones (milestone-chain.ts): whole days since the previous live milestone, that
 * milestone's type (the transition's "from"), and the date of the same transition's previous
 * occurrence in this lead's chain (what makes `leads_affected` exact from a rollup).
 */
@Entity('lead_milestones')
@Index('ix_lead_milestones__lead_id__achieved_date', ['tenantId', 'leadId', 'achievedDate'])
export class LeadMilestoneEntity extends TenantOwnedEntity {
  @Column(idColumn())
  leadId: number;

  @Column(idColumn())
  milestoneTypeId: number;

  /** The type's code and name when the milestone was recorded. */
  @Column({ type: 'varchar', length: 50 })
  typeCode: string;

  @Column({ type: 'varchar', length: 100 })
  typeName: string;

  @Column(dateColumn())
  achievedDate: string;

  /** `HH:MM:SS`, or null when only the day is known (sorts before any time of that day). */
  @Column({ type: 'varchar', length: 8, nullable: true })
  achievedTime: string | null;

  @Column({ type: 'varchar', length: 16 })
  status: MilestoneStatus;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column(coordinate)
  locationLatitude: number | null;

  @Column(coordinate)
  locationLongitude: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  locationName: string | null;

  @Column({ type: 'int', nullable: true })
  durationMinutes: number | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  outcome: Outcome | null;

  @Column({ type: 'boolean', default: false })
  followUpRequired: boolean;

  @Column(dateColumn({ nullable: true }))
  followUpDate: string | null;

  @Column(jsonColumn())
  documentUrls: string[];

  @Column(jsonColumn())
  metadata: Record<string, unknown>;

  @Column({ type: 'varchar', length: 128, nullable: true })
  completedBy: string | null;

  @Column({ type: 'int', nullable: true })
  daysFromPrevious: number | null;

  @Column(idColumn({ nullable: true }))
  previousTypeId: number | null;

  @Column(dateColumn({ nullable: true }))
  pairPreviousDate: string | null;
}
