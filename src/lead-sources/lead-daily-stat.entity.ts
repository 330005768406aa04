import { Column, Entity, PrimaryColumn } from 'typeorm';
import { dateColumn, decimalTransformer, idColumn, moneyPartColumn } from '../database/columns';

/**
 * Daily rollup of live leads by the day they were created, per source and subsource (0 = none).
 * Written in the same transaction as every lead write (LeadRollups), so analytics read a few
 * hundred rows instead of scanning the leads. Holds counts and sums only, never averages.
 */
@Entity('lead_daily_stats')
export class LeadDailyStatEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tenantId: string;

  @PrimaryColumn({ ...(dateColumn() as object), nullable: false })
  day: string;

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
