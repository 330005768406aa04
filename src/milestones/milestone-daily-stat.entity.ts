import { Column, Entity, PrimaryColumn } from 'typeorm';
import { dateColumn, decimalTransformer, idColumn } from '../database/columns';

const dayKey = { ...(dateColumn() as object), nullable: false as const };

/**
 * Daily rollup of live lead milestones by achieved_date and type: what completion and time trends
 * read. Counts and sums only; written in the transaction of every milestone write.
 */
@Entity('milestone_daily_stats')
export class MilestoneDailyStatEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tenantId: string;

  /** Which set of days the row belongs to (tenant_settings.generation; docs/time-zones.md). */
  @PrimaryColumn({ type: 'int', default: 0 })
  generation: number;

  @PrimaryColumn(dayKey)
  day: string;

  @PrimaryColumn(idColumn())
  milestoneTypeId: number;

  @Column({ type: 'int', default: 0 })
  milestones: number;

  @Column({ type: 'int', default: 0 })
  completed: number;

  /** pending + in_progress */
  @Column({ type: 'int', default: 0 })
  inProgress: number;

  @Column({ type: 'int', default: 0 })
  skipped: number;

  @Column({ type: 'int', default: 0 })
  failed: number;

  @Column({ type: 'int', default: 0 })
  followUps: number;

  /**
   * Σ whole days from the lead's creation day to achieved_date. BIGINT: one milestone may add up to
   * about 3.6 million days (a back-filled lead, a milestone planned for 9998), which an INT cell
   * would take only some 600 times; a BIGINT takes 2.5 × 10^12 of them.
   */
  @Column({ type: 'bigint', default: 0, transformer: decimalTransformer })
  daysToHit: number;
}
