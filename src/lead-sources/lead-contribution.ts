import { TimeZone } from '../common/analytics/time-zone';
import { centsOf } from '../common/numbers/money';
import { LeadStatus } from './lead.entity';

/** What a lead adds to the rollups and counters: the facts analytics sum, and nothing else. */
export interface LeadFacts {
  id: number;
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

/** Counts, and Σ whole seconds to close (numbers: exact far beyond any tenant's volume). */
export const COUNTS = ['leads', 'contacted', 'qualified', 'converted', 'lost', 'closeSeconds'] as const;
/** Money sums, in cents (bigint: exact at any size, common/numbers/money.ts). */
export const MONEY = ['expectedValue', 'revenue', 'cost'] as const;
export const MEASURES = [...COUNTS, ...MONEY] as const;
export type Measure = (typeof MEASURES)[number];
export type Measures = Record<(typeof COUNTS)[number], number> & Record<(typeof MONEY)[number], bigint>;
/** The measures a trend point shows (API.md §3 SourceTrendPoint): leads, conversions, revenue. */
export const TREND_COUNTS = ['leads', 'converted'] as const;
export const TREND_MONEY = ['revenue'] as const;
export type TrendMeasures = Pick<Measures, (typeof TREND_COUNTS)[number] | (typeof TREND_MONEY)[number]>;

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
  expectedValue: 0n,
  revenue: 0n,
  cost: 0n,
});

/** Adds `row`'s measures into `into` (times `sign`). */
export function addMeasures(into: Measures, row: Measures, sign: 1 | -1 = 1): void {
  for (const m of COUNTS) into[m] += sign * row[m];
  for (const m of MONEY) into[m] += BigInt(sign) * row[m];
}

/**
 * The contribution of one live lead (API.md §3 definitions) on the day it was created in `zone` (the
 * tenant's): contacted = contacted_at set, qualified = qualified_at set, converted/lost by status,
 * close time and revenue over converted leads only. Pure: the same function feeds the rollups, the
 * counters and the tests.
 */
export function contributionOf(lead: LeadFacts, zone: TimeZone): Contribution {
  const converted = lead.status === 'converted';
  return {
    day: zone.dayOf(lead.createdAt),
    sourceId: lead.sourceId,
    subSourceId: lead.subSourceId ?? 0,
    measures: {
      leads: 1,
      contacted: lead.contactedAt ? 1 : 0,
      qualified: lead.qualifiedAt ? 1 : 0,
      converted: converted ? 1 : 0,
      lost: lead.status === 'lost' ? 1 : 0,
      closeSeconds: converted && lead.convertedAt ? Math.round((lead.convertedAt.getTime() - lead.createdAt.getTime()) / 1000) : 0,
      expectedValue: centsOf(lead.expectedValue),
      revenue: converted ? centsOf(lead.convertedValue) : 0n,
      cost: centsOf(lead.acquisitionCost),
    },
  };
}

const keyOf = (c: Contribution) => `${c.day}|${c.sourceId}|${c.subSourceId}`;

/**
 * Sums signed contributions per rollup key (days in `zone`): `+1` for a lead that appears (or its new
 * state), `-1` for one that disappears (or its old state). An update is (old, −1) + (new, +1).
 */
export function netDeltas(changes: { lead: LeadFacts; sign: 1 | -1 }[], zone: TimeZone): Contribution[] {
  const byKey = new Map<string, Contribution>();
  for (const { lead, sign } of changes) {
    const c = contributionOf(lead, zone);
    const key = keyOf(c);
    const acc = byKey.get(key) ?? { ...c, measures: zeroMeasures() };
    addMeasures(acc.measures, c.measures, sign);
    byKey.set(key, acc);
  }
  return [...byKey.values()].filter((c) => COUNTS.some((m) => c.measures[m] !== 0) || MONEY.some((m) => c.measures[m] !== 0n));
}
