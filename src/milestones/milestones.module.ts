import { Module, OnModuleInit } from '@nestjs/common';
import { LeadLifecycle } from '../lead-sources/lead-lifecycle';
import { LeadSourcesModule } from '../lead-sources/lead-sources.module';
import { TenantDefaultsRegistry } from '../tenancy/tenant-defaults';
import { MilestoneAnalyticsController } from './analytics/milestone-analytics.controller';
import { MilestoneAnalyticsService } from './analytics/milestone-analytics.service';
import { LeadMilestoneRepository } from './lead-milestone.repository';
import { LeadMilestonesController } from './lead-milestones.controller';
import { LeadMilestonesService } from './lead-milestones.service';
import { MilestoneChainUpkeep } from './milestone-chain-upkeep';
import { ZoneRecompute } from '../tenancy/zone-recompute';
import { MilestoneDailyStatRepository } from './milestone-daily-stat.repository';
import { MilestoneHistoryImport } from './milestone-history-import';
import { MilestoneTemplateRepository } from './milestone-template.repository';
import { MilestoneTemplatesController } from './milestone-templates.controller';
import { MilestoneTemplatesService } from './milestone-templates.service';
import { MilestoneTransitionLeadRepository } from './milestone-transition-lead.repository';
import { MilestoneTransitionStatRepository } from './milestone-transition-stat.repository';
import { MilestoneTypeRepository } from './milestone-type.repository';
import { MilestoneTypesController } from './milestone-types.controller';
import { MilestoneTypesService } from './milestone-types.service';
import { MilestonesDefaults } from './milestones.defaults';
import { SlaBreachAnnouncer } from './sla-breach-announcer';
import { SlaBreachScan } from './sla-breach-scan';
import { SlaBreachRepository, SlaScanProgressRepository } from './sla-breach.repository';

/**
 * Our HTTP routes of this module, mounted by CustomizationHttpModule with `http`. Analytics first: its
 * static paths come before `/milestones/:lead_id`.
 */
export const MILESTONES_CONTROLLERS = [MilestoneAnalyticsController, MilestoneTypesController, MilestoneTemplatesController, LeadMilestonesController];

/** Milestone types, templates, lead milestones, the lead timeline and milestone analytics (API.md §4). */
@Module({
  imports: [LeadSourcesModule],
  providers: [
    MilestoneTypeRepository,
    MilestoneTemplateRepository,
    LeadMilestoneRepository,
    MilestoneDailyStatRepository,
    MilestoneTransitionStatRepository,
    MilestoneTransitionLeadRepository,
    MilestoneTypesService,
    MilestoneTemplatesService,
    MilestoneChainUpkeep,
    MilestoneHistoryImport,
    LeadMilestonesService,
    MilestoneAnalyticsService,
    MilestonesDefaults,
    SlaBreachRepository,
    SlaScanProgressRepository,
    SlaBreachAnnouncer,
    SlaBreachScan,
  ],
  exports: [MilestoneTypesService, MilestoneTemplatesService, LeadMilestonesService, MilestoneAnalyticsService, SlaBreachScan],
})
export class MilestonesModule implements OnModuleInit {
  constructor(
    private readonly registry: TenantDefaultsRegistry,
    private readonly defaults: MilestonesDefaults,
    private readonly leadLifecycle: LeadLifecycle,
    private readonly leadMilestones: LeadMilestonesService,
    private readonly zones: ZoneRecompute,
    private readonly chain: MilestoneChainUpkeep,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.defaults);
    // A deleted lead's milestones go with it, in the same transaction.
    this.leadLifecycle.onDelete({ name: 'milestones', onLeadDeleted: (lead, at) => this.leadMilestones.removeAllOfLead(lead, at) });
    // Time to hit counts from the lead's creation day: a change of the tenant's zone recomputes it.
    this.zones.register({
      name: 'milestones',
      recompute: (afterId, throughId, target) => this.chain.recompute(afterId, throughId, target),
      dropOtherGenerations: (keep, limit) => this.chain.dropOtherGenerations(keep, limit),
    });
  }
}
