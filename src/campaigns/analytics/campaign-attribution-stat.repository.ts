import { Injectable } from '@nestjs/common';
import { exactTextSql } from '../../database/sql-dialect';
import { TenantRollupRepository } from '../../tenancy/tenant-rollup.repository';
import { CampaignAttributionDailyStatEntity, CampaignAttributionMonthlyStatEntity } from './campaign-attribution-stat.entity';

/** A signed change of one row: a model, a creation day (the tenant's), a campaign and a campaign channel (0 = none). */
export interface CampaignCreditDelta {
  model: number;
  day: string;
  campaignId: number;
  campaignChannelId: number;
  /** Credit units (10^6 per lead). */
  leads: number;
  converted: number;
}

/** Credited leads and conversions of one (campaign, campaign channel) over a range, in credit units. */
export interface CampaignCredits {
  campaignId: number;
  campaignChannelId: number;
  leads: bigint;
  converted: bigint;
}

/**
 * campaign_attribution_daily_stats and its monthly copy: what the CRM credits to campaigns and campaign
 * channels under each model. Written with the lead writes (lead-sources' LeadRollups); zoned like every
 * rollup keyed by a lead's creation day.
 */
@Injectable()
export class CampaignAttributionStatRepository extends TenantRollupRepository<CampaignAttributionDailyStatEntity> {
  protected readonly target = CampaignAttributionDailyStatEntity;
  protected readonly alias = 's';
  protected readonly table = 'campaign_attribution_daily_stats';
  protected readonly keyColumns = ['tenant_id', 'model', 'day', 'campaign_id', 'campaign_channel_id'];
  protected readonly measureColumns = ['leads', 'converted'];
  protected override readonly months = { table: 'campaign_attribution_monthly_stats', target: CampaignAttributionMonthlyStatEntity };
  protected override readonly zoned = true;

  add(deltas: CampaignCreditDelta[], generation: number): Promise<void> {
    return this.addDeltas(
      deltas.map((d) => [d.model, d.day, d.campaignId, d.campaignChannelId, d.leads, d.converted]),
      generation,
    );
  }

  dropOtherGenerations(keep: number[], limit: number): Promise<number> {
    return this.deleteOtherGenerations(keep, limit);
  }

  /** Credits per (campaign, campaign channel) of leads created on days in [startDay, endDay] (whole months from the monthly copy). */
  async credits(generation: number, model: number, startDay: string, endDay: string): Promise<CampaignCredits[]> {
    return this.overRange(
      generation,
      startDay,
      endDay,
      async (qb, within, params) => {
        qb.select('s.campaignId', 'campaignId')
          .addSelect('s.campaignChannelId', 'campaignChannelId')
          .addSelect(exactTextSql(this.dialect, 'COALESCE(SUM(s.leads), 0)'), 'leads')
          .addSelect(exactTextSql(this.dialect, 'COALESCE(SUM(s.converted), 0)'), 'converted')
          .andWhere('s.model = :model', { model })
          .andWhere(within, params)
          .groupBy('s.campaignId')
          .addGroupBy('s.campaignChannelId');
        return (await qb.getRawMany<Record<string, string | number>>()).map((r) => ({
          campaignId: Number(r.campaignId),
          campaignChannelId: Number(r.campaignChannelId),
          leads: BigInt(r.leads),
          converted: BigInt(r.converted),
        }));
      },
      (r) => `${r.campaignId}|${r.campaignChannelId}`,
      (into, r) => {
        into.leads += r.leads;
        into.converted += r.converted;
      },
    );
  }
}
