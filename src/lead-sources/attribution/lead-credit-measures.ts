import { Column } from 'typeorm';
import { decimalTransformer, moneyPartColumn } from '../../database/columns';

/**
 * What lead_attribution_daily_stats and its monthly copy sum for a model, a day and a subsource:
 * the leads' measures (lead-contribution.ts) credited to the points of their paths. Counts are in
 * credit units (10^6 per lead, common/analytics/attribution.ts), so BIGINT; close seconds and money
 * (cents, in two parts: columns.ts MONEY_PART) are the whole parts shared over those units.
 */
export abstract class LeadCreditMeasures {
  @Column({ type: 'bigint', default: 0, transformer: decimalTransformer })
  leads: number;

  @Column({ type: 'bigint', default: 0, transformer: decimalTransformer })
  contacted: number;

  @Column({ type: 'bigint', default: 0, transformer: decimalTransformer })
  qualified: number;

  @Column({ type: 'bigint', default: 0, transformer: decimalTransformer })
  converted: number;

  @Column({ type: 'bigint', default: 0, transformer: decimalTransformer })
  lost: number;

  @Column({ type: 'bigint', default: 0, transformer: decimalTransformer })
  closeSeconds: number;

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
