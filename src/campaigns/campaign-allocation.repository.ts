import { Injectable } from '@nestjs/common';
import { SelectQueryBuilder } from 'typeorm';
import { DateRange } from '../common/http/date-range.dto';
import { TenantScopedRepository } from '../tenancy/tenant-scoped.repository';
import { moneySumSql } from '../database/sql-dialect';
import { moneyOf, num } from './analytics/campaign-metrics';
import { CampaignAllocationEntity } from './campaign-allocation.entity';
import { CampaignChannelEntity } from './campaign-channel.entity';
import { CampaignEntity } from './campaign.entity';
import { LaunchFacts, RAN_DURING, rangeParams, readLaunches } from './campaign.repository';

/** Allocation-level facts of one channel code, over the live campaigns that ran during a range. */
export interface ChannelCampaignFacts {
  channelCode: string;
  campaigns: number;
  /** Cents. */
  budget: bigint;
}

@Injectable()
export class CampaignAllocationRepository extends TenantScopedRepository<CampaignAllocationEntity> {
  protected readonly target = CampaignAllocationEntity;
  protected readonly alias = 'a';

  /** Live allocations with their channel (deleted or not), in the channels' display order. */
  listForCampaigns(campaignIds: number[]): Promise<CampaignAllocationEntity[]> {
    if (campaignIds.length === 0) return Promise.resolve([]);
    const qb = this.joinScoped(super.select({ includeDeleted: true }), CampaignChannelEntity, 'a_channel', 'a_channel.id = a.channelId', {
      mapTo: 'channel',
    });
    return qb
      .andWhere('a.deletedAt IS NULL')
      .andWhere('a.campaignId IN (:...campaignIds)', { campaignIds })
      .orderBy('a.campaignId', 'ASC')
      .addOrderBy('a_channel.displayOrder', 'ASC')
      .addOrderBy('a_channel.channelCode', 'ASC')
      .getMany();
  }

  insertAll(values: Partial<CampaignAllocationEntity>[]): Promise<CampaignAllocationEntity[]> {
    return values.length === 0 ? Promise.resolve([]) : this.insertMany(values);
  }

  updateBudget(id: number, allocatedBudget: number): Promise<number> {
    return this.updateLive(id, { allocatedBudget });
  }

  /** Removes a channel from a campaign (soft: its metric rows stay and keep counting). */
  softDelete(id: number, deletedAt: Date): Promise<number> {
    return this.softDeleteWhere('id = :id', { id }, deletedAt);
  }

  private facts(): SelectQueryBuilder<CampaignAllocationEntity> {
    const qb = this.joinScoped(super.select({ includeDeleted: true }), CampaignEntity, 'c', 'c.id = a.campaignId', { inner: true });
    return this.joinScoped(qb, CampaignChannelEntity, 'ch', 'ch.id = a.channelId', { inner: true })
      .andWhere('a.deletedAt IS NULL')
      .andWhere('c.deletedAt IS NULL');
  }

  /**
   * Per channel code (deleted channels included): live campaigns that ran during the range and have
   * the channel, and Σ their allocations to it. One row per allocation, so nothing fans out.
   */
  async factsByChannel(range: DateRange, channelCode?: string): Promise<ChannelCampaignFacts[]> {
    const qb = this.facts()
      .select('ch.channelCode', 'channelCode')
      .addSelect('COUNT(DISTINCT c.id)', 'campaigns')
      .addSelect(moneySumSql(this.dialect, 'a.allocatedBudget'), 'budget')
      .andWhere(RAN_DURING, rangeParams(range))
      .groupBy('ch.channelCode');
    if (channelCode !== undefined) qb.andWhere('ch.channelCode = :channelCode', { channelCode });
    const rows = await qb.getRawMany<Record<string, unknown>>();
    return rows.map((r) => ({ channelCode: String(r.channelCode), campaigns: num(r.campaigns), budget: moneyOf(r.budget) }));
  }

  /** Launches per day of campaigns that have the channel: count and Σ their allocation to it. */
  async launchesByDay(range: DateRange, channelCode: string, typeCode?: string): Promise<LaunchFacts[]> {
    const qb = this.facts()
      .select('c.startDate', 'day')
      .addSelect('COUNT(DISTINCT c.id)', 'launched')
      .addSelect(moneySumSql(this.dialect, 'a.allocatedBudget'), 'budget')
      .andWhere('c.startDate >= :rangeStart AND c.startDate <= :rangeEnd', rangeParams(range))
      .andWhere('ch.channelCode = :channelCode', { channelCode })
      .groupBy('c.startDate');
    return readLaunches(qb, this.joinScoped, typeCode);
  }
}
