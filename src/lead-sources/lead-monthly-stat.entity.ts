import { Column, Entity, PrimaryColumn } from 'typeorm';
import { dateColumn, decimalTransformer, idColumn, moneyPartColumn } from '../database/columns';

/**
 * lead_daily_stats summed per calendar month, kept by the same writes (TenantRollupRepository's
 * monthly copy): a year of source analytics reads 12 months of rows and the days of at most two
 * partial months, instead of 365 days of rows.
 */
@Entity('lead_monthly_stats')
export class LeadMonthlyStatEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tenantId: string;

  /** The month's first day. */
  @PrimaryColumn({ ...(dateColumn() as object), nullable: false })
  month: string;

  @PrimaryColumn(idColumn())
  sourceId: number;

  @PrimaryColumn(idColumn())
  subSourceId: number;

  @Column({ type: 'int', default: 0 })
  leads: number;

  @Column({ type: 'int', default: 0 })
  contacted: number;

  @Column({ type: 'int', default: 0 })
  qualified: number;

  @Column({ type: 'int', default: 0 })
  converted: number;

  @Column({ type: 'int', default: 0 })
  lost: number;

  /** Σ (converted_at − created_at) in whole seconds over converted leads (fits 2^53 for any realistic tenant). */
  @Column({ type: 'bigint', default: 0, transformer: decimalTransformer })
  closeSeconds: number;

  /** Σ expected_value, Σ converted_value of converted leads, Σ acquisition_cost: cents in two parts (columns.ts MONEY_PART). */
  @Column(moneyPartColumn())
  expectedValueHi: bigint;

  @Column(moneyPartColumn())
  expectedValueLo: bigint;

  @Column(moneyPartColumn())
  revenueHi: bigint;

  @Column(moneyPartColumn())
  revenueLo: bigint;

  @Column(moneyPartColumn())
  costHi: bigint;

  @Column(moneyPartColumn())
  costLo: bigint;
}
