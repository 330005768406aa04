import { Entity, PrimaryColumn } from 'typeorm';
import { MilestoneTransitionHistogram, transitionDayKey } from './milestone-transition-columns';

/**
 * Histogram of transitions A→B (consecutive live milestones of a lead) by B's achieved_date and the
 * transition's whole days: the exact mean, median and p90 over any range come from cumulative counts.
 */
@Entity('milestone_transition_stats')
export class MilestoneTransitionStatEntity extends MilestoneTransitionHistogram {
  @PrimaryColumn(transitionDayKey)
  day: string;
}
