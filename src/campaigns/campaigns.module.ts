import { Module, OnModuleInit } from '@nestjs/common';
import { ENCRYPTION_KEY, SecretBox } from '../common/crypto/secret-box';
import { TenantDefaultsRegistry } from '../tenancy/tenant-defaults';
import { CampaignAnalyticsController } from './analytics/campaign-analytics.controller';
import { CampaignAnalyticsService } from './analytics/campaign-analytics.service';
import { CampaignAllocationRepository } from './campaign-allocation.repository';
import { CampaignBudgetTypeRepository } from './campaign-budget-type.repository';
import { CampaignBudgetTypesService } from './campaign-budget-types.service';
import { CampaignChannelRepository } from './campaign-channel.repository';
import { CAMPAIGN_SECRET_BOX, CampaignChannelsService } from './campaign-channels.service';
import { CampaignBudgetTypesController, CampaignChannelsController, CampaignStatusesController, CampaignTypesController } from './campaign-config.controller';
import { CampaignAttributionStatRepository } from './analytics/campaign-attribution-stat.repository';
import { CampaignMetricDailyStatRepository } from './campaign-metric-daily-stat.repository';
import { CampaignMetricRepository } from './campaign-metric.repository';
import { CampaignMetricsController } from './campaign-metrics.controller';
import { CampaignMetricsService } from './campaign-metrics.service';
import { CampaignReferences } from './campaign-references';
import { CampaignAllocations } from './campaign-allocations';
import { CampaignChecks } from './campaign-checks';
import { CampaignMetricMoves } from './campaign-metric-moves';
import { CampaignStatusRepository } from './campaign-status.repository';
import { CampaignStatusesService } from './campaign-statuses.service';
import { CampaignTemplateRepository } from './campaign-template.repository';
import { CampaignTemplatesController } from './campaign-templates.controller';
import { CampaignTemplatesService } from './campaign-templates.service';
import { CampaignTypeRepository } from './campaign-type.repository';
import { CampaignTypesService } from './campaign-types.service';
import { CampaignRepository } from './campaign.repository';
import { CampaignsController } from './campaigns.controller';
import { CampaignsDefaults } from './campaigns.defaults';
import { CampaignsService } from './campaigns.service';

/**
 * Our HTTP routes of this module, mounted by CustomizationHttpModule with `http`. Analytics first: its
 * static `campaigns/analytics/...` routes are never read as a campaign code.
 */
export const CAMPAIGNS_CONTROLLERS = [
  CampaignAnalyticsController,
  CampaignTypesController,
  CampaignChannelsController,
  CampaignStatusesController,
  CampaignBudgetTypesController,
  CampaignTemplatesController,
  CampaignMetricsController,
  CampaignsController,
];

/**
 * Campaign vocabulary (types, channels, statuses, budget types), templates, campaigns with their
 * workflow, daily per-channel metrics and campaign analytics (API.md §5). Exports its services for
 * the leads module (CampaignsService.findLiveByCode) and other Nest services of the ERP.
 */
@Module({
  providers: [
    // The key was checked by the module's options (32 bytes); SecretBox re-checks it.
    { provide: CAMPAIGN_SECRET_BOX, inject: [ENCRYPTION_KEY], useFactory: (key: Buffer) => new SecretBox(key) },
    CampaignTypeRepository,
    CampaignChannelRepository,
    CampaignStatusRepository,
    CampaignBudgetTypeRepository,
    CampaignTemplateRepository,
    CampaignRepository,
    CampaignAllocationRepository,
    CampaignMetricRepository,
    CampaignMetricDailyStatRepository,
    CampaignAttributionStatRepository,
    CampaignReferences,
    CampaignAllocations,
    CampaignChecks,
    CampaignMetricMoves,
    CampaignTypesService,
    CampaignChannelsService,
    CampaignStatusesService,
    CampaignBudgetTypesService,
    CampaignTemplatesService,
    CampaignsService,
    CampaignMetricsService,
    CampaignAnalyticsService,
    CampaignsDefaults,
  ],
  exports: [
    CampaignsService,
    CampaignTypesService,
    CampaignChannelsService,
    CampaignStatusesService,
    CampaignBudgetTypesService,
    CampaignTemplatesService,
    CampaignMetricsService,
    CampaignAnalyticsService,
    // Lead writes keep the campaign credits (lead-sources' LeadRollups) in their own transactions.
    CampaignAttributionStatRepository,
  ],
})
export class CampaignsModule implements OnModuleInit {
  constructor(
    private readonly registry: TenantDefaultsRegistry,
    private readonly defaults: CampaignsDefaults,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.defaults);
  }
}
