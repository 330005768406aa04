import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { MilestoneTransitionPair, transitionDayKey } from './milestone-transition-columns';

/**
 * Distinct leads per transition A→B over any day range, exactly: every transition counts here under
 * B's day and the day of the same lead's previous A→B transition (NO_PREVIOUS_DATE when none). The
 * leads with an A→B transition in [s, e] are exactly the transitions in [s, e] whose previous
 * occurrence is before s: one per lead, its first one in the range.
 *
 * The second index serves exactly that read (previous_date < s, then the day range), covering it;
 * see the migration IndexTransitionLeadsByPreviousDate1764151100000.
 */
@Entity('milestone_transition_leads')
@Index('ix_milestone_transition_leads__previous_date__day', ['tenantId', 'previousDate', 'day', 'fromTypeId', 'toTypeId', 'leads'])
export class MilestoneTransitionLeadEntity extends MilestoneTransitionPair {
  @PrimaryColumn(transitionDayKey)
  day: string;

  @PrimaryColumn(transitionDayKey)
  previousDate: string;

  @Column({ type: 'int', default: 0 })
  leads: number;
}
