import { Entity, PrimaryColumn } from 'typeorm';
import { MilestoneTransitionHistogram, transitionDayKey } from './milestone-transition-columns';

/**
 * The transition histogram of milestone_transition_stats summed per calendar month (`month` is its
 * first day), kept by the same writes (TenantRollupRepository's monthly copy, declared by
 * MilestoneTransitionStatRepository): a year's bottlenecks read 12 months of cells plus at most two
 * partial months of daily cells, instead of 365 days of them.
 */
@Entity('milestone_transition_months')
export class MilestoneTransitionMonthEntity extends MilestoneTransitionHistogram {
  @PrimaryColumn(transitionDayKey)
  month: string;
}
