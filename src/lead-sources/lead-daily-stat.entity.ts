import { Entity, PrimaryColumn } from 'typeorm';
import { dateColumn, idColumn } from '../database/columns';
import { LeadStatMeasures } from './lead-stat-measures';

/**
 * Daily rollup of live leads by the day they were created, per source and subsource (0 = none).
 * Written in the same transaction as every lead write (LeadRollups), so analytics read a few
 * hundred rows instead of scanning the leads. Holds counts and sums only, never averages.
 */
@Entity('lead_daily_stats')
export class LeadDailyStatEntity extends LeadStatMeasures {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tenantId: string;

  /** Which set of days the row belongs to (tenant_settings.generation; docs/time-zones.md). */
  @PrimaryColumn({ type: 'int', default: 0 })
  generation: number;

  @PrimaryColumn({ ...(dateColumn() as object), nullable: false })
  day: string;

  @PrimaryColumn(idColumn())
  sourceId: number;

  @PrimaryColumn(idColumn())
  subSourceId: number;
}
