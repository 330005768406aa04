import { Injectable } from '@nestjs/common';
import { toDay } from '../common/analytics/dates';
import { LeadEntity } from '../lead-sources/lead.entity';
import { LeadMilestoneEntity } from './lead-milestone.entity';
import { LeadMilestoneRepository } from './lead-milestone.repository';
import { ChainLinks, ChainMilestone, linkChain, netDeltas, RollupDeltas, sameLinks } from './milestone-chain';
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
    await this.addDeltas(
      netDeltas(
        [...before.map((milestone) => ({ milestone, sign: -1 as const })), ...after.map((milestone) => ({ milestone, sign: 1 as const }))],
        toDay(lead.createdAt),
      ),
    );
  }

  /** Adds netted deltas (netDeltas) to the three rollups. */
  async addDeltas(deltas: RollupDeltas): Promise<void> {
    await this.daily.add(deltas.daily);
    await this.transitions.add(deltas.transitions);
    await this.transitionLeads.add(deltas.leads);
  }
}
