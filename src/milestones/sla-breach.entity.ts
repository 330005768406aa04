import { Column, Entity, PrimaryColumn } from 'typeorm';
import { dateColumn, idColumn, timestampColumn } from '../database/columns';

const dayKey = { ...(dateColumn() as object), nullable: false as const };

/** Who found a breach first: the recording of the late milestone, or the periodic scan. */
export type SlaBreachDetector = 'recording' | 'scan';

/**
 * An SLA breach that was announced (`milestone.sla_breached`), once per (lead, expected type, day the
 * lead entered its stage): the primary key is the claim every announcer inserts first
 * (docs/milestones.md "SLA breaches").
 */
@Entity('sla_breaches')
export class SlaBreachEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tenantId: string;

  @PrimaryColumn(idColumn())
  leadId: number;

  /** The type that was expected next (the late milestone's type, when found by its recording). */
  @PrimaryColumn(idColumn())
  milestoneTypeId: number;

  /** The day the lead entered the stage it overstayed: the achieved_date of the milestone before. */
  @PrimaryColumn(dayKey)
  enteredOn: string;

  @Column({ type: 'varchar', length: 50 })
  typeCode: string;

  /** The last day within the SLA: enteredOn + sla_days. */
  @Column(dateColumn())
  dueOn: string;

  @Column({ type: 'varchar', length: 16 })
  detectedBy: SlaBreachDetector;

  /** The late milestone, when the recording found it; null for the scan. */
  @Column(idColumn({ nullable: true }))
  milestoneId: number | null;

  @Column(timestampColumn())
  createdAt: Date;
}
