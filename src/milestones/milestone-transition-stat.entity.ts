import { Column, Entity, PrimaryColumn } from 'typeorm';
import { dateColumn, idColumn } from '../database/columns';

const dayKey = { ...(dateColumn() as object), nullable: false as const };

/**
 * Histogram of transitions A→B (consecutive live milestones of a lead) by B's achieved_date and the
 * transition's whole days: the exact mean, median and p90 over any range come from cumulative counts.
 */
@Entity('milestone_transition_stats')
export class MilestoneTransitionStatEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tenantId: string;

  @PrimaryColumn(dayKey)
  day: string;

  @PrimaryColumn(idColumn())
  fromTypeId: number;

  @PrimaryColumn(idColumn())
  toTypeId: number;

  @PrimaryColumn({ type: 'int' })
  days: number;

  @Column({ type: 'int', default: 0 })
  transitions: number;

  /** Of those, B's status is completed. */
  @Column({ type: 'int', default: 0 })
  completed: number;
}
