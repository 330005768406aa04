import { Injectable } from '@nestjs/common';
import { toDay } from '../common/analytics/dates';
import { LeadFacts, netDeltas } from './lead-contribution';
import { LeadDailyStatRepository } from './lead-daily-stat.repository';
import { LeadSourceRepository } from './lead-source.repository';
import { LeadSubsourceRepository } from './lead-subsource.repository';

/**
 * The figures every lead write keeps in step with the live leads, in the write's transaction: the
 * daily rollup (with its monthly copy) and the lead counters of sources and subsources. A write
 * subtracts the lead's old contribution and adds its new one (lead-contribution.ts), so the fast
 * path can never drift from the facts.
 */
@Injectable()
export class LeadRollups {
  constructor(
    private readonly stats: LeadDailyStatRepository,
    private readonly sources: LeadSourceRepository,
    private readonly subsources: LeadSubsourceRepository,
  ) {}

  /** Adds the signed contributions of `changes` (+1: the lead as it is, −1: as it was) to the rollup and the counters. */
  async add(changes: { lead: LeadFacts; sign: 1 | -1 }[]): Promise<void> {
    const deltas = netDeltas(changes);
    await this.stats.add(deltas);
    const bySource = new Map<number, { leads: number; converted: number }>();
    const bySub = new Map<number, { leads: number; converted: number; cost: bigint }>();
    for (const d of deltas) {
      const s = bySource.get(d.sourceId) ?? { leads: 0, converted: 0 };
      s.leads += d.measures.leads;
      s.converted += d.measures.converted;
      bySource.set(d.sourceId, s);
      if (d.subSourceId !== 0) {
        const sub = bySub.get(d.subSourceId) ?? { leads: 0, converted: 0, cost: 0n };
        sub.leads += d.measures.leads;
        sub.converted += d.measures.converted;
        sub.cost += d.measures.cost;
        bySub.set(d.subSourceId, sub);
      }
    }
    // last_activity_date: the latest creation day among the leads written to the subsource.
    const lastDay = new Map<number, string>();
    for (const { lead, sign } of changes) {
      if (sign !== 1 || !lead.subSourceId) continue;
      const day = toDay(lead.createdAt);
      if ((lastDay.get(lead.subSourceId) ?? '') < day) lastDay.set(lead.subSourceId, day);
    }
    for (const [id, s] of bySource) await this.sources.addLeadCounters(id, s.leads, s.converted);
    for (const id of new Set([...bySub.keys(), ...lastDay.keys()])) {
      const s = bySub.get(id) ?? { leads: 0, converted: 0, cost: 0n };
      await this.subsources.addLeadCounters(id, s.leads, s.converted, s.cost, lastDay.get(id));
    }
  }
}
