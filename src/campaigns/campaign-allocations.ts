import { Injectable } from '@nestjs/common';
import { CampaignAllocationEntity } from './campaign-allocation.entity';
import { CampaignAllocationRepository } from './campaign-allocation.repository';
import { CampaignReferences, ReferenceErrors } from './campaign-references';
import { CampaignEntity } from './campaign.entity';
import { CampaignChannelInputDto } from './dto/campaign.dto';

/** A channel of a campaign and the budget allocated to it, resolved from a request. */
export interface ChannelAllocation {
  channelId: number;
  allocatedBudget: number;
}

/**
 * A campaign's channels (campaign_channels): read with the campaign, resolved from a request's channel
 * codes, and replaced as a set on PATCH. Runs in the caller's transaction, after its campaign lock.
 */
@Injectable()
export class CampaignAllocations {
  constructor(
    private readonly allocations: CampaignAllocationRepository,
    private readonly refs: CampaignReferences,
  ) {}

  /** The campaign with its live channels loaded. */
  async attach(campaign: CampaignEntity): Promise<CampaignEntity> {
    campaign.allocations = await this.allocations.listForCampaigns([campaign.id]);
    return campaign;
  }

  /** A page of campaigns with their channels: one query for the whole page. */
  async attachToPage(rows: CampaignEntity[]): Promise<void> {
    const byCampaign = new Map<number, CampaignAllocationEntity[]>();
    for (const a of await this.allocations.listForCampaigns(rows.map((r) => r.id))) {
      byCampaign.set(a.campaignId, [...(byCampaign.get(a.campaignId) ?? []), a]);
    }
    for (const r of rows) r.allocations = byCampaign.get(r.id) ?? [];
  }

  /** Channel codes → ids, each listed once; channels the campaign already has may stay even if inactive. */
  async resolve(input: CampaignChannelInputDto[], errs: ReferenceErrors, held: CampaignAllocationEntity[]): Promise<ChannelAllocation[]> {
    const heldIds = new Set(held.map((a) => a.channelId));
    const rows = await this.refs.channelList(
      input.map((c) => c.channel_code),
      (i) => `channels[${i}].channel_code`,
      errs,
      (row) => heldIds.has(row.id),
    );
    const seen = new Set<string>();
    input.forEach((c, i) => {
      if (seen.has(c.channel_code)) errs.add(`channels[${i}].channel_code`, `channel ${c.channel_code} is listed twice`);
      seen.add(c.channel_code);
    });
    return input.flatMap((c, i) => (rows[i] ? [{ channelId: rows[i]!.id, allocatedBudget: c.allocated_budget ?? 0 }] : []));
  }

  /** The channels of a new campaign. */
  async insert(campaignId: number, channels: ChannelAllocation[]): Promise<void> {
    await this.allocations.insertAll(channels.map((c) => ({ campaignId, channelId: c.channelId, allocatedBudget: c.allocatedBudget })));
  }

  /** The new channel set replaces the old: changed budgets updated, new channels added, dropped ones soft-deleted. */
  async replace(campaignId: number, held: CampaignAllocationEntity[], next: ChannelAllocation[]): Promise<void> {
    const heldByChannel = new Map(held.map((a) => [a.channelId, a]));
    const nextIds = new Set(next.map((n) => n.channelId));
    const now = new Date();
    for (const a of held) if (!nextIds.has(a.channelId)) await this.allocations.softDelete(a.id, now);
    const added: Partial<CampaignAllocationEntity>[] = [];
    for (const n of next) {
      const existing = heldByChannel.get(n.channelId);
      if (!existing) added.push({ campaignId, channelId: n.channelId, allocatedBudget: n.allocatedBudget });
      else if (existing.allocatedBudget !== n.allocatedBudget) await this.allocations.updateBudget(existing.id, n.allocatedBudget);
    }
    await this.allocations.insertAll(added);
  }
}
