import { Column, Entity, PrimaryColumn } from 'typeorm';
import { dateColumn, decimalTransformer, idColumn } from '../../database/columns';

/** Leads and conversions credited to a campaign and campaign channel, in credit units (10^6 per lead). */
abstract class CampaignCreditMeasures {
  @Column({ type: 'bigint', default: 0, transformer: decimalTransformer })
  leads: number;

  @Column({ type: 'bigint', default: 0, transformer: decimalTransformer })
  converted: number;
}

/**
 * What the CRM attributes to campaigns, beside what their platforms report (campaign_metric_daily_stats):
 * live leads' credits per model (all five), creation day (the tenant's), campaign and campaign channel
 * (0 = none) of the credited point. Written by the lead writes (lead-sources' LeadRollups), read by
 * campaign analytics.
 */
@Entity('campaign_attribution_daily_stats')
export class CampaignAttributionDailyStatEntity extends CampaignCreditMeasures {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tenantId: string;

  @PrimaryColumn({ type: 'int', default: 0 })
  generation: number;

  @PrimaryColumn({ type: 'int' })
  model: number;

  @PrimaryColumn({ ...(dateColumn() as object), nullable: false })
  day: string;

  @PrimaryColumn(idColumn())
  campaignId: number;

  @PrimaryColumn(idColumn())
  campaignChannelId: number;
}

/** campaign_attribution_daily_stats summed per month (`month`: its first day), kept by the same writes. */
@Entity('campaign_attribution_monthly_stats')
export class CampaignAttributionMonthlyStatEntity extends CampaignCreditMeasures {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tenantId: string;

  @PrimaryColumn({ type: 'int', default: 0 })
  generation: number;

  @PrimaryColumn({ type: 'int' })
  model: number;

  @PrimaryColumn({ ...(dateColumn() as object), nullable: false })
  month: string;

  @PrimaryColumn(idColumn())
  campaignId: number;

  @PrimaryColumn(idColumn())
  campaignChannelId: number;
}
