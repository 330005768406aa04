import { Injectable } from '@nestjs/common';
import { LeadEntity } from '../lead-sources/lead.entity';
import { RollupTarget, TenantCalendar } from '../tenancy/tenant-calendar';
import { LeadMilestoneEntity } from './lead-milestone.entity';
import { LeadMilestoneRepository } from './lead-milestone.repository';
import { ChainLinks, ChainMilestone, linkChain, netDeltas, sameLinks } from './milestone-chain';
import { MilestoneDailyStatRepository } from './milestone-daily-stat.repository';
import { MilestoneTransitionLeadRepository } from './milestone-transition-lead.repository';
import { MilestoneTransitionStatRepository } from './milestone-transition-stat.repository';

/** The links of a milestone out of the chain (deleted, or not linked yet). */
export const NO_LINKS: ChainLinks = { daysFromPrevious: null, previousTypeId: null, pairPreviousDate: null };

/** Stands for the ids new rows will get: above every stored id, in the order given. */
export const PROVISIONAL_ID = 2 ** 52;

/** What the chain needs of a row about to be inserted (its id and links come later). */
export const chainFactsOf = (r: Partial<LeadMilestoneEntity>): Omit<ChainMilestone, 'id'> => ({
  milestoneTypeId: r.milestoneTypeId!,
  typeCode: r.typeCode!,
  achievedDate: r.achievedDate!,
  achievedTime: r.achievedTime!,
  status: r.status!,
  followUpRequired: r.followUpRequired!,
  ...NO_LINKS,
});

export const linksOf = (m: ChainLinks): ChainLinks => ({
  daysFromPrevious: m.daysFromPrevious,
  previousTypeId: m.previousTypeId,
  pairPreviousDate: m.pairPreviousDate,
});

/**
 * Steps 3 and 4 of every milestone write (LeadMilestonesService): re-derive the links of a lead's
 * chain and store those that changed, then add (chain as it is) − (chain as it was) to the rollups
 * (milestone-chain.ts: daily counts, the duration histogram with its monthly copy, the distinct-lead
 * cells), so the analytics fast path never drifts from the facts. Runs inside the write's
 * transaction, which holds the lead's lock.
 */
@Injectable()
export class MilestoneChainUpkeep {
  constructor(
    private readonly milestones: LeadMilestoneRepository,
    private readonly daily: MilestoneDailyStatRepository,
    private readonly transitions: MilestoneTransitionStatRepository,
    private readonly transitionLeads: MilestoneTransitionLeadRepository,
    private readonly calendar: TenantCalendar,
  ) {}

  /** After a write to the lead's stored rows: links the chain as it is now and moves the rollups from `before`. */
  async rechain(lead: LeadEntity, before: ChainMilestone[]): Promise<void> {
    const after = await this.milestones.findChainFacts(lead.id);
    await this.storeLinks(after);
    await this.addChainChange(lead, before, after);
  }

  /**
   * Links `chain` (one lead's live milestones, rows to come with ids from PROVISIONAL_ID) and gives
   * each its links in memory; stores the links that changed of the rows already stored.
   */
  async storeLinks(chain: ChainMilestone[]): Promise<void> {
    const links = linkChain(chain);
    for (const m of chain) {
      const derived = links.get(m.id)!;
      if (sameLinks(m, derived)) continue;
      if (m.id < PROVISIONAL_ID) await this.milestones.setLinks(m.id, derived);
      Object.assign(m, derived);
    }
  }

  /** Adds (chain as it is) − (chain as it was) of one lead to the rollups. */
  async addChainChange(lead: LeadEntity, before: ChainMilestone[], after: ChainMilestone[]): Promise<void> {
    const leadOf = { id: lead.id, createdAt: lead.createdAt };
    await this.addChanges([
      ...before.map((milestone) => ({ milestone, sign: -1 as const, lead: leadOf })),
      ...after.map((milestone) => ({ milestone, sign: 1 as const, lead: leadOf })),
    ]);
  }

  /**
   * Adds signed milestone changes, each with its lead, to the three rollups, netted: the daily one
   * counts time to hit from the lead's creation day in the tenant's zone (and, while a change of zone
   * is applied to a lead already recomputed, in the new zone too: TenantCalendar); the transition
   * ones hold calendar dates only.
   */
  async addChanges(changes: MilestoneChange[]): Promise<void> {
    // First of all rollup rows: the shared lock that orders this write against a zone change's batches.
    const calendar = await this.calendar.forWrite();
    const deltas = netDeltas(changes.map((c) => ({ milestone: c.milestone, sign: c.sign, leadCreatedDay: calendar.zone.dayOf(c.lead.createdAt) })));
    await this.daily.add(deltas.daily, calendar.generation);
    await this.transitions.add(deltas.transitions);
    await this.transitionLeads.add(deltas.leads);
    const passed = changes.filter((c) => calendar.nextFor(c.lead.id) !== null);
    if (passed.length > 0) await this.addDaily(passed, calendar.nextFor(passed[0].lead.id)!);
  }

  /** A zone change's batch: adds the live milestones of the live leads with ids in (afterId, throughId] to `target`'s daily rows. */
  async recompute(afterId: number, throughId: number, target: RollupTarget): Promise<void> {
    const rows = await this.milestones.findChainFactsOfLeadRange(afterId, throughId);
    await this.addDaily(
      rows.map((milestone) => ({ milestone, sign: 1 as const, lead: { id: milestone.leadId, createdAt: milestone.leadCreatedAt } })),
      target,
    );
  }

  /** Deletes up to `limit` daily rows of generations other than `keep` (no read uses them any more); answers how many went. */
  dropOtherGenerations(keep: number[], limit: number): Promise<number> {
    return this.daily.dropOtherGenerations(keep, limit);
  }

  private async addDaily(changes: MilestoneChange[], target: RollupTarget): Promise<void> {
    const deltas = netDeltas(changes.map((c) => ({ milestone: c.milestone, sign: c.sign, leadCreatedDay: target.zone.dayOf(c.lead.createdAt) })));
    await this.daily.add(deltas.daily, target.generation);
  }
}

/** A milestone as it is (+1) or as it was (−1), with its lead's id and creation instant. */
export interface MilestoneChange {
  milestone: ChainMilestone;
  sign: 1 | -1;
  lead: { id: number; createdAt: Date };
}
