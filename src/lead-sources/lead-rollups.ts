import { Injectable } from '@nestjs/common';
import { TimeZone } from '../common/analytics/time-zone';
import { RollupTarget, TenantCalendar } from '../tenancy/tenant-calendar';
import { Contribution, netDeltas } from './lead-contribution';
import { LeadAttributionStatRepository, LeadDailyStatRepository } from './lead-daily-stat.repository';
import { LeadSourceRepository } from './lead-source.repository';
import { LeadSubsourceRepository } from './lead-subsource.repository';
import { LeadRepository } from './lead.repository';
import { AttributedLead, attributionDeltas, TouchFacts } from './attribution/attribution-contribution';
import { LeadTouchRepository } from './attribution/lead-touch.repository';
import { CampaignAttributionStatRepository } from '../campaigns/analytics/campaign-attribution-stat.repository';

/**
 * A lead as it is (+1) or as it was (−1). `touches`: its touches at that moment, when the caller has
 * them (a create, a new touch); otherwise they are read (a lead's touches change only through
 * LeadTouches, which passes them).
 */
export type Change = { lead: AttributedLead; sign: 1 | -1; touches?: TouchFacts[] };

/**
 * The figures every lead write keeps in step with the live leads, in the write's transaction: the
 * daily rollup (with its monthly copy), the lead counters of sources and subsources, and the
 * attribution rollups (the touch models' source figures, every model's campaign credits: pure in
 * attribution/attribution-contribution.ts). A write
 * subtracts the lead's old contribution and adds its new one (lead-contribution.ts), so the fast
 * path can never drift from the facts.
 *
 * The rollup's days are the tenant's (TenantCalendar): while a change of zone is applied, a write to
 * a lead the recomputation has passed keeps the new days too (docs/time-zones.md).
 */
@Injectable()
export class LeadRollups {
  constructor(
    private readonly stats: LeadDailyStatRepository,
    private readonly sources: LeadSourceRepository,
    private readonly subsources: LeadSubsourceRepository,
    private readonly leads: LeadRepository,
    private readonly calendar: TenantCalendar,
    private readonly touches: LeadTouchRepository,
    private readonly sourceCredits: LeadAttributionStatRepository,
    private readonly campaignCredits: CampaignAttributionStatRepository,
  ) {}

  /** Adds the signed contributions of `changes` (+1: the lead as it is, −1: as it was) to the rollup and the counters. */
  async add(changes: Change[]): Promise<void> {
    // First of all rollup rows: the shared lock that orders this write against a zone change's batches.
    const calendar = await this.calendar.forWrite();
    const deltas = netDeltas(changes, calendar.zone);
    const withTouches = await this.withTouches(changes);
    await this.addAll(deltas, withTouches, calendar);
    const passed = withTouches.filter((c) => calendar.nextFor(c.lead.id) !== null);
    const next = passed.length > 0 ? calendar.nextFor(passed[0].lead.id)! : null;
    if (next) await this.addAll(netDeltas(passed, next.zone), passed, next);
    await this.addCounters(deltas, changes, calendar.zone);
  }

  /** The lead rollup's `deltas` and the attribution credits of `changes`, to `target`'s rows (days in its zone). */
  private async addAll(deltas: Contribution[], changes: Required<Change>[], target: RollupTarget): Promise<void> {
    await this.stats.add(deltas, target.generation);
    const credits = attributionDeltas(changes, target.zone);
    await this.sourceCredits.add(credits.sources, target.generation);
    await this.campaignCredits.add(credits.campaigns, target.generation);
  }

  /** `changes` with their touches: those given, the others read (one query for all of them). */
  private async withTouches(changes: Change[]): Promise<Required<Change>[]> {
    const missing = changes.filter((c) => c.touches === undefined).map((c) => c.lead.id);
    const read = missing.length > 0 ? await this.touches.ofLeads(missing) : new Map<number, TouchFacts[]>();
    return changes.map((c) => ({ ...c, touches: c.touches ?? read.get(c.lead.id) ?? [] }));
  }

  /**
   * A zone change's batch: adds the live leads with ids in (afterId, throughId] to `target`'s rows
   * (their days in its zone). The counters are the same in every zone: they stay.
   */
  async recompute(afterId: number, throughId: number, target: RollupTarget): Promise<void> {
    const leads = await this.leads.findLiveInRange(afterId, throughId);
    const touches = await this.touches.ofLeadRange(afterId, throughId);
    const changes = leads.map((lead) => ({ lead, sign: 1 as const, touches: touches.get(lead.id) ?? [] }));
    await this.addAll(netDeltas(changes, target.zone), changes, target);
  }

  /** Deletes up to `limit` rollup rows of generations other than `keep` (no read uses them any more); answers how many went. */
  async dropOtherGenerations(keep: number[], limit: number): Promise<number> {
    let deleted = 0;
    for (const rollup of [this.stats, this.sourceCredits, this.campaignCredits]) {
      if (deleted < limit) deleted += await rollup.dropOtherGenerations(keep, limit - deleted);
    }
    return deleted;
  }

  /** At the switch to `zone`: each subsource's last_activity_date is the day there of its latest lead's creation. */
  async redateActivity(zone: TimeZone): Promise<void> {
    for (const sub of await this.subsources.findWithActivity()) {
      const day = zone.dayOf(sub.lastActivityAt!);
      if (day !== sub.lastActivityDate) await this.subsources.setLastActivityDate(sub.id, day);
    }
  }

  /** The sources' and subsources' counters, from the netted `deltas` of `changes` (days in `zone`). */
  private async addCounters(deltas: Contribution[], changes: Change[], zone: TimeZone): Promise<void> {
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
    // last_activity_at/_date: the latest creation (and its day in the tenant's zone) among the leads written to the subsource.
    const latest = new Map<number, { at: Date; day: string }>();
    for (const { lead, sign } of changes) {
      if (sign !== 1 || !lead.subSourceId) continue;
      const known = latest.get(lead.subSourceId);
      if (!known || known.at < lead.createdAt) latest.set(lead.subSourceId, { at: lead.createdAt, day: zone.dayOf(lead.createdAt) });
    }
    for (const [id, s] of bySource) await this.sources.addLeadCounters(id, s.leads, s.converted);
    for (const id of new Set([...bySub.keys(), ...latest.keys()])) {
      const s = bySub.get(id) ?? { leads: 0, converted: 0, cost: 0n };
      await this.subsources.addLeadCounters(id, s.leads, s.converted, s.cost, latest.get(id));
    }
  }
}
