import { Column, PrimaryColumn } from 'typeorm';
import { dateColumn, idColumn } from '../database/columns';

/** A day (or a month's first day) in a transition rollup's key: never null. */
export const transitionDayKey = { ...(dateColumn() as object), nullable: false as const };

/**
 * The key columns every transition rollup shares: a tenant's transition A→B between consecutive live
 * milestones of a lead (A = fromTypeId, B = toTypeId). Each rollup adds its time key (and more).
 * The tables are built by the migrations; these declarations only describe them.
 */
export abstract class MilestoneTransitionPair {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tenantId: string;

  @PrimaryColumn(idColumn())
  fromTypeId: number;

  @PrimaryColumn(idColumn())
  toTypeId: number;
}

/**
 * The transition histogram cell, by day (milestone_transition_stats) and by month
 * (milestone_transition_months): the transitions A→B that took `days` whole days.
 */
export abstract class MilestoneTransitionHistogram extends MilestoneTransitionPair {
  @PrimaryColumn({ type: 'int' })
  days: number;

  @Column({ type: 'int', default: 0 })
  transitions: number;

  /** Of those, B's status is completed. */
  @Column({ type: 'int', default: 0 })
  completed: number;
}
