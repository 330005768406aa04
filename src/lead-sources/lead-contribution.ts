import { toDay } from '../common/analytics/dates';
import { LeadStatus } from './lead.entity';

/** What a lead adds to the rollups and counters: the facts analytics sum, and nothing else. */
export interface LeadFacts {
  sourceId: number;
  subSourceId: number | null;
  status: LeadStatus;
  createdAt: Date;
  contactedAt: Date | null;
  qualifiedAt: Date | null;
  convertedAt: Date | null;
  expectedValue: number;
  convertedValue: number | null;
  acquisitionCost: number;
}

export const MEASURES = ['leads', 'contacted', 'qualified', 'converted', 'lost', 'closeSeconds', 'expectedValue', 'revenue', 'cost'] as const;
export type Measure = (typeof MEASURES)[number];
const MONEY: Measure[] = ['expectedValue', 'revenue', 'cost'];
export type Measures = Record<Measure, number>;

export interface Contribution {
  day: string;
  sourceId: number;
  /** 0 when the lead has no subsource. */
  subSourceId: number;
  measures: Measures;
}

export const zeroMeasures = (): Measures => ({
  leads: 0,
  contacted: 0,
  qualified: 0,
  converted: 0,
  lost: 0,
  closeSeconds: 0,
  expectedValue: 0,
  revenue: 0,
  cost: 0,
});

/**
 * The contribution of one live lead (API.md §3 definitions): contacted = contacted_at set,
 * qualified = qualified_at set, converted/lost by status, close time and revenue over converted
 * leads only. Pure: the same function feeds the rollups, the counters and the tests.
 */
export function contributionOf(lead: LeadFacts): Contribution {
  const converted = lead.status === 'converted';
  return {
    day: toDay(lead.createdAt),
    sourceId: lead.sourceId,
    subSourceId: lead.subSourceId ?? 0,
    measures: {
      leads: 1,
      contacted: lead.contactedAt ? 1 : 0,
      qualified: lead.qualifiedAt ? 1 : 0,
      converted: converted ? 1 : 0,
      lost: lead.status === 'lost' ? 1 : 0,
      closeSeconds: converted && lead.convertedAt ? Math.round((lead.convertedAt.getTime() - lead.createdAt.getTime()) / 1000) : 0,
      expectedValue: lead.expectedValue,
      revenue: converted ? (lead.convertedValue ?? 0) : 0,
      cost: lead.acquisitionCost,
    },
  };
}

const keyOf = (c: Contribution) => `${c.day}|${c.sourceId}|${c.subSourceId}`;

/**
 * Sums signed contributions per rollup key: `+1` for a lead that appears (or its new state), `-1`
 * for one that disappears (or its old state). An update is (old, −1) + (new, +1).
 */
export function netDeltas(changes: { lead: LeadFacts; sign: 1 | -1 }[]): Contribution[] {
  const byKey = new Map<string, Contribution>();
  for (const { lead, sign } of changes) {
    const c = contributionOf(lead);
    const key = keyOf(c);
    const acc = byKey.get(key) ?? { ...c, measures: zeroMeasures() };
    for (const m of MEASURES) acc.measures[m] += sign * c.measures[m];
    byKey.set(key, acc);
  }
  // Money in cents: a sum of signed float amounts must not leave 1e-13 residues behind.
  for (const c of byKey.values()) {
    for (const m of MONEY) c.measures[m] = Math.round(c.measures[m] * 100) / 100;
  }
  return [...byKey.values()].filter((c) => MEASURES.some((m) => Math.abs(c.measures[m]) > 1e-9));
}
