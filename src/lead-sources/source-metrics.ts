import { percent, ratio, round2 } from '../common/numbers/rounding';
import { Measures } from './lead-contribution';

/** The figures of SourcePerformanceMetrics (API.md §3), from summed measures. */
export interface SourceFigures {
  leads_generated: number;
  leads_contacted: number;
  leads_qualified: number;
  leads_converted: number;
  leads_lost: number;
  conversion_rate: number | null;
  qualification_rate: number | null;
  average_days_to_close: number | null;
  total_value: number;
  revenue: number;
  total_cost: number;
  cost_per_lead: number | null;
  cost_per_conversion: number | null;
  roi: number | null;
}

export function sourceFigures(m: Measures): SourceFigures {
  const revenue = round2(m.revenue);
  const cost = round2(m.cost);
  return {
    leads_generated: m.leads,
    leads_contacted: m.contacted,
    leads_qualified: m.qualified,
    leads_converted: m.converted,
    leads_lost: m.lost,
    conversion_rate: percent(m.converted, m.leads),
    qualification_rate: percent(m.qualified, m.leads),
    average_days_to_close: ratio(m.closeSeconds / 86_400, m.converted),
    total_value: round2(m.expectedValue),
    revenue,
    total_cost: cost,
    cost_per_lead: ratio(cost, m.leads),
    cost_per_conversion: ratio(cost, m.converted),
    roi: percent(revenue - cost, cost),
  };
}
