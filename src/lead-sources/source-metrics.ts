import { JsonNumber } from '../common/numbers/exact-json';
import { CREDIT_UNITS, creditJson } from '../common/analytics/attribution';
import { moneyJson, percentOf, perUnit } from '../common/numbers/money';
import { percent, ratio } from '../common/numbers/rounding';
import { Measures, TrendMeasures } from './lead-contribution';

/**
 * The figures of SourcePerformanceMetrics (API.md §3), from summed measures. Money sums and the
 * rates made of them are exact (cents in bigints, common/numbers/money.ts); the count rates and the
 * average close time go through doubles, which hold them exactly enough for 2 decimals.
 */
export interface SourceFigures {
  leads_generated: number;
  leads_contacted: number;
  leads_qualified: number;
  leads_converted: number;
  leads_lost: number;
  conversion_rate: number | null;
  qualification_rate: number | null;
  average_days_to_close: number | null;
  total_value: JsonNumber;
  revenue: JsonNumber;
  total_cost: JsonNumber;
  cost_per_lead: JsonNumber | null;
  cost_per_conversion: JsonNumber | null;
  roi: JsonNumber | null;
}

export function sourceFigures(m: Measures): SourceFigures {
  return {
    leads_generated: m.leads,
    leads_contacted: m.contacted,
    leads_qualified: m.qualified,
    leads_converted: m.converted,
    leads_lost: m.lost,
    conversion_rate: percent(m.converted, m.leads),
    qualification_rate: percent(m.qualified, m.leads),
    average_days_to_close: ratio(m.closeSeconds / 86_400, m.converted),
    total_value: moneyJson(m.expectedValue),
    revenue: moneyJson(m.revenue),
    total_cost: moneyJson(m.cost),
    cost_per_lead: perUnit(m.cost, m.leads),
    cost_per_conversion: perUnit(m.cost, m.converted),
    roi: percentOf(m.revenue - m.cost, m.cost),
  };
}

/**
 * What a model credits (docs/attribution.md): leads, conversions and converted value shared over the
 * leads' touches, from measures whose counts are credit units (10^6 per lead) — or, for the default
 * model, from the leads' own measures (`whole`: counts of whole leads).
 */
export interface AttributedFigures {
  attributed_leads: JsonNumber;
  attributed_conversions: JsonNumber;
  attributed_revenue: JsonNumber;
}

export function attributedFigures(m: TrendMeasures, whole: boolean): AttributedFigures {
  const units = (n: number) => (whole ? BigInt(n) * BigInt(CREDIT_UNITS) : BigInt(n));
  return {
    attributed_leads: creditJson(units(m.leads)),
    attributed_conversions: creditJson(units(m.converted)),
    attributed_revenue: moneyJson(m.revenue),
  };
}
