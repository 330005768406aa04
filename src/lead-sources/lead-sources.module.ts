import { Module, OnModuleInit } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { TenantDefaultsRegistry } from '../tenancy/tenant-defaults';
import { SourceAnalyticsController } from './analytics/source-analytics.controller';
import { SourceAnalyticsService } from './analytics/source-analytics.service';
import { LeadAttributionStatRepository, LeadDailyStatRepository } from './lead-daily-stat.repository';
import { LeadTouchRepository } from './attribution/lead-touch.repository';
import { LeadTouches } from './attribution/lead-touches.service';
import { LeadTouchesController } from './attribution/lead-touches.controller';
import { LeadRepository } from './lead.repository';
import { LeadsController } from './leads.controller';
import { LeadsService } from './leads.service';
import { LeadCreation } from './lead-creation';
import { LeadReferences } from './lead-references';
import { LeadRollups } from './lead-rollups';
import { ZoneRecompute } from '../tenancy/zone-recompute';
import { LeadLifecycle } from './lead-lifecycle';
import { LeadChannelRepository } from './lead-channel.repository';
import { LeadChannelsService } from './lead-channels.service';
import { LeadSourceRepository } from './lead-source.repository';
import { LeadChannelsController, LeadSourcesController } from './lead-sources.controller';
import { LeadSourcesDefaults } from './lead-sources.defaults';
import { LeadSourcesService } from './lead-sources.service';
import { LeadSubsourceRepository } from './lead-subsource.repository';
import { LeadSubsourcesController } from './lead-subsources.controller';
import { LeadSubsourcesService } from './lead-subsources.service';
import { AttributionResolver } from './attribution/attribution-resolver';
import { AttributionRuleRepository } from './attribution/attribution-rule.repository';
import { AttributionRulesController } from './attribution/attribution-rules.controller';
import { AttributionRulesService } from './attribution/attribution-rules.service';
import { AttributionTargets } from './attribution/attribution-targets';
import { LeadSubsourceCostRepository } from './lead-subsource-cost.repository';
import { SubsourceCosts } from './subsource-costs';

/**
 * Our HTTP routes of this module, mounted by CustomizationHttpModule with `http`. The subsource
 * controller first: its nested static segments must not be shadowed.
 */
export const LEAD_SOURCES_CONTROLLERS = [
  SourceAnalyticsController,
  LeadSubsourcesController,
  LeadSourcesController,
  LeadChannelsController,
  LeadTouchesController,
  AttributionRulesController,
  LeadsController,
];

/** Lead sources, subsources, lead channels, attribution rules, leads and lead-source analytics (API.md §3). */
@Module({
  // A lead may name a campaign of its tenant (campaigns ← lead-sources, DESIGN.md).
  imports: [CampaignsModule],
  providers: [
    LeadSourceRepository,
    LeadSubsourceRepository,
    LeadSubsourceCostRepository,
    SubsourceCosts,
    LeadChannelRepository,
    LeadSourcesService,
    LeadSubsourcesService,
    LeadChannelsService,
    LeadSourcesDefaults,
    LeadRepository,
    LeadDailyStatRepository,
    LeadAttributionStatRepository,
    LeadTouchRepository,
    LeadTouches,
    LeadReferences,
    LeadRollups,
    LeadCreation,
    LeadsService,
    SourceAnalyticsService,
    LeadLifecycle,
    AttributionRuleRepository,
    AttributionTargets,
    AttributionResolver,
    AttributionRulesService,
  ],
  exports: [
    LeadSourcesService,
    LeadSubsourcesService,
    LeadChannelsService,
    LeadsService,
    LeadTouches,
    SourceAnalyticsService,
    LeadLifecycle,
    AttributionResolver,
    AttributionRulesService,
  ],
})
export class LeadSourcesModule implements OnModuleInit {
  constructor(
    private readonly registry: TenantDefaultsRegistry,
    private readonly defaults: LeadSourcesDefaults,
    private readonly zones: ZoneRecompute,
    private readonly rollups: LeadRollups,
    private readonly leads: LeadRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.defaults);
    // A change of the tenant's zone recomputes the leads' daily rollup, in batches of lead ids.
    this.zones.useBatches({ batchEndAfter: (afterId, limit) => this.leads.batchEndAfter(afterId, limit) });
    this.zones.register({
      name: 'lead-sources',
      recompute: (afterId, throughId, target) => this.rollups.recompute(afterId, throughId, target),
      dropOtherGenerations: (keep, limit) => this.rollups.dropOtherGenerations(keep, limit),
      onSwitch: (zone) => this.rollups.redateActivity(zone),
    });
  }
}
