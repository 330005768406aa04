import { Column, Entity, PrimaryColumn } from 'typeorm';
import { dateColumn, idColumn } from '../database/columns';

const dayKey = { ...(dateColumn() as object), nullable: false as const };

/**
 * The transition histogram of milestone_transition_stats summed per calendar month (`month` is its
 * first day), kept by the same writes (TenantRollupRepository's monthly copy, declared by
 * MilestoneTransitionStatRepository): a year's bottlenecks read 12 months of cells plus at most two
 * partial months of daily cells, instead of 365 days of them.
 */
@Entity('milestone_transition_months')
export class MilestoneTransitionMonthEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tenantId: string;

  @PrimaryColumn(dayKey)
  month: string;

  @PrimaryColumn(idColumn())
  fromTypeId: number;

  @PrimaryColumn(idColumn())
  toTypeId: number;

  @PrimaryColumn({ type: 'int' })
  days: number;

  @Column({ type: 'int', default: 0 })
  transitions: number;

  @Column({ type: 'int', default: 0 })
  completed: number;
}
