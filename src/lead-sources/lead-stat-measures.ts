import { Column } from 'typeorm';
import { decimalTransformer, moneyPartColumn } from '../database/columns';

/** What lead_daily_stats and lead_monthly_stats count and sum for a day or a month, per source and subsource. */
export abstract class LeadStatMeasures {
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
