import { JsonNumber } from '../common/numbers/exact-json';
import { CREDIT_UNITS, creditJson } from '../common/analytics/attribution';
import { hundredths, moneyJson, percentOf, perUnit } from '../common/numbers/money';
import { percent, ratio } from '../common/numbers/rounding';
import { Measures } from './lead-contribution';

/**
 * The figures of SourcePerformanceMetrics (API.md §3), from summed measures. Money sums and the
 * rates made of them are exact (cents in bigints, common/numbers/money.ts); the count rates and the
 * average close time go through doubles, which hold them exactly enough for 2 decimals.
 */
export interface SourceFigures {
  leads_generated: JsonNumber;
  leads_contacted: JsonNumber;
  leads_qualified: JsonNumber;
  leads_converted: JsonNumber;
  leads_lost: JsonNumber;
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

/**
 * `credited`: the counts are credit units of a touch model (10^6 per lead: common/analytics/attribution.ts),
 * answered as exact decimals; rates are the same ratios, and per-lead money divides by whole leads.
 */
export function sourceFigures(m: Measures, credited = false): SourceFigures {
  const count = (n: number) => (credited ? creditJson(n) : n);
  const leads = credited ? m.leads / CREDIT_UNITS : m.leads;
  const converted = credited ? m.converted / CREDIT_UNITS : m.converted;
  // Money per lead: cents / leads, as cents × 10^6 / units under a touch model (exact on bigints).
  const perLead = (cents: bigint, n: number) => (credited ? hundredths(cents * BigInt(CREDIT_UNITS), BigInt(n)) : perUnit(cents, n));
  return {
    leads_generated: count(m.leads),
    leads_contacted: count(m.contacted),
    leads_qualified: count(m.qualified),
    leads_converted: count(m.converted),
    leads_lost: count(m.lost),
    conversion_rate: percent(m.converted, m.leads),
    qualification_rate: percent(m.qualified, m.leads),
    average_days_to_close: ratio(m.closeSeconds / 86_400, converted),
    total_value: moneyJson(m.expectedValue),
    revenue: moneyJson(m.revenue),
    total_cost: moneyJson(m.cost),
    cost_per_lead: leads === 0 ? null : perLead(m.cost, m.leads),
    cost_per_conversion: converted === 0 ? null : perLead(m.cost, m.converted),
    roi: percentOf(m.revenue - m.cost, m.cost),
  };
}
