import { Entity, PrimaryColumn } from 'typeorm';
import { dateColumn, idColumn } from '../../database/columns';
import { LeadCreditMeasures } from './lead-credit-measures';

/**
 * The source analytics of the touch models (last, linear, position_based, time_decay): the credited
 * measures of live leads per model, creation day (the tenant's), source and subsource (0 = none).
 * The default model, first, is lead_daily_stats itself. Kept by every lead and touch write (LeadRollups).
 */
@Entity('lead_attribution_daily_stats')
export class LeadAttributionDailyStatEntity extends LeadCreditMeasures {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tenantId: string;

  @PrimaryColumn({ type: 'int', default: 0 })
  generation: number;

  /** MODEL_NUMBER (common/analytics/attribution.ts). */
  @PrimaryColumn({ type: 'int' })
  model: number;

  @PrimaryColumn({ ...(dateColumn() as object), nullable: false })
  day: string;

  @PrimaryColumn(idColumn())
  sourceId: number;

  @PrimaryColumn(idColumn())
  subSourceId: number;
}

/** lead_attribution_daily_stats summed per month (`month`: its first day), kept by the same writes. */
@Entity('lead_attribution_monthly_stats')
export class LeadAttributionMonthlyStatEntity extends LeadCreditMeasures {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tenantId: string;

  @PrimaryColumn({ type: 'int', default: 0 })
  generation: number;

  @PrimaryColumn({ type: 'int' })
  model: number;

  @PrimaryColumn({ ...(dateColumn() as object), nullable: false })
  month: string;

  @PrimaryColumn(idColumn())
  sourceId: number;

  @PrimaryColumn(idColumn())
  subSourceId: number;
}
