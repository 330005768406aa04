import { Column, Entity, PrimaryColumn } from 'typeorm';
import { dateColumn } from '../database/columns';

const dayKey = { ...(dateColumn() as object), nullable: false as const };

/**
 * Distinct leads per transition A→B over any day range, exactly: every transition counts here under
 * B's day and the day of the same lead's previous A→B transition (NO_PREVIOUS_DATE when none). The
 * leads with an A→B transition in [s, e] are exactly the transitions in [s, e] whose previous
 * occurrence is before s: one per lead, its first one in the range.
 */
@Entity('milestone_transition_leads')
export class MilestoneTransitionLeadEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tenantId: string;

  @PrimaryColumn(dayKey)
  day: string;

  @PrimaryColumn({ type: 'int' })
  fromTypeId: number;

  @PrimaryColumn({ type: 'int' })
  toTypeId: number;

  @PrimaryColumn(dayKey)
  previousDate: string;

  @Column({ type: 'int', default: 0 })
  leads: number;
}
