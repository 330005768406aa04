import { Entity, PrimaryColumn } from 'typeorm';
import { dateColumn, idColumn } from '../database/columns';
import { LeadStatMeasures } from './lead-stat-measures';

/**
 * lead_daily_stats summed per calendar month, kept by the same writes (TenantRollupRepository's
 * monthly copy): a year of source analytics reads 12 months of rows and the days of at most two
 * partial months, instead of 365 days of rows.
 */
@Entity('lead_monthly_stats')
export class LeadMonthlyStatEntity extends LeadStatMeasures {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tenantId: string;

  /** Which set of days the row belongs to (tenant_settings.generation; docs/time-zones.md). */
  @PrimaryColumn({ type: 'int', default: 0 })
  generation: number;

  /** The month's first day. */
  @PrimaryColumn({ ...(dateColumn() as object), nullable: false })
  month: string;

  @PrimaryColumn(idColumn())
  sourceId: number;

  @PrimaryColumn(idColumn())
  subSourceId: number;
}
