/**
 * The public entry of the package: what a host Nest application may import. Everything else under
 * dist/ is internal and may change in any release. The list of names is pinned by
 * test/customization/public-surface.spec.ts: a change to it is a change of the package's API.
 */

// The module and its options.
export { CustomizationModule } from './customization/customization.module';
export { CustomizationOptionsError } from './customization/customization.options';
export type {
  CustomizationHttpOptions,
  CustomizationJwtOptions,
  CustomizationModuleAsyncOptions,
  CustomizationModuleExtras,
  CustomizationModuleOptions,
} from './customization/customization.options';

// The schema, for the host's DataSource and migration run.
export { ENTITIES } from './database/entities';
export { MIGRATIONS } from './database/migrations';

// Tenancy.
export { ROLES } from './tenancy/tenant-context';
export { TenantScope, TenantScopeNestingError } from './tenancy/tenant-scope';
export type { TenantScopeOptions } from './tenancy/tenant-scope';
export type { Principal, Role } from './tenancy/tenant-context';

// Errors.
export { AppError } from './common/errors/app-error';
export type { FieldError } from './common/errors/app-error';
export { ERROR_STATUS } from './common/errors/error-codes';
export type { ErrorCode } from './common/errors/error-codes';

// Services, for injection in the host.
export { LeadSourcesService } from './lead-sources/lead-sources.service';
export { LeadSubsourcesService } from './lead-sources/lead-subsources.service';
export { LeadChannelsService } from './lead-sources/lead-channels.service';
export { LeadsService } from './lead-sources/leads.service';
export { SourceAnalyticsService } from './lead-sources/analytics/source-analytics.service';
export { MilestoneTypesService } from './milestones/milestone-types.service';
export { MilestoneTemplatesService } from './milestones/milestone-templates.service';
export { LeadMilestonesService } from './milestones/lead-milestones.service';
export { MilestoneAnalyticsService } from './milestones/analytics/milestone-analytics.service';
export { CampaignTypesService } from './campaigns/campaign-types.service';
export { CampaignChannelsService } from './campaigns/campaign-channels.service';
export { CampaignStatusesService } from './campaigns/campaign-statuses.service';
export { CampaignBudgetTypesService } from './campaigns/campaign-budget-types.service';
export { CampaignTemplatesService } from './campaigns/campaign-templates.service';
export { CampaignsService } from './campaigns/campaigns.service';
export { CampaignMetricsService } from './campaigns/campaign-metrics.service';
export { CampaignAnalyticsService } from './campaigns/analytics/campaign-analytics.service';
export { AuditLogService } from './tenancy/audit-log.service';

// Inputs and answers of the services (the REST bodies and responses, snake_case as in the API).
export type { ListResponse } from './common/http/list.dto';
export type { DateRange } from './common/http/date-range.dto';
export type {
  CreateLeadSourceDto,
  UpdateLeadSourceDto,
  ListLeadSourcesQueryDto,
  LeadSourceResponseDto,
} from './lead-sources/dto/lead-source.dto';
export type { CreateLeadSubsourceDto, UpdateLeadSubsourceDto, LeadSubsourceResponseDto } from './lead-sources/dto/lead-subsource.dto';
export type { CreateLeadChannelDto, UpdateLeadChannelDto, LeadChannelResponseDto } from './lead-sources/dto/lead-channel.dto';
export type { CreateLeadDto, UpdateLeadDto, ListLeadsQueryDto, LeadResponseDto, BulkCreateLeadsResponseDto } from './lead-sources/dto/lead.dto';
export type {
  SourcePerformanceResponseDto,
  SubsourcePerformanceResponseDto,
  AllSourcesPerformanceResponseDto,
  SourceTrendsResponseDto,
} from './lead-sources/analytics/source-analytics.dto';
export type { CreateMilestoneTypeDto, UpdateMilestoneTypeDto, MilestoneTypeResponseDto } from './milestones/dto/milestone-type.dto';
export type {
  CreateMilestoneTemplateDto,
  UpdateMilestoneTemplateDto,
  MilestoneTemplateResponseDto,
} from './milestones/dto/milestone-template.dto';
export type {
  CreateLeadMilestoneDto,
  UpdateLeadMilestoneDto,
  ListLeadMilestonesQueryDto,
  LeadMilestoneResponseDto,
  LeadTimelineResponseDto,
} from './milestones/dto/lead-milestone.dto';
export type { CompletionResponseDto, TimeTrendsResponseDto, BottlenecksResponseDto } from './milestones/analytics/milestone-analytics.dto';
export type { CreateCampaignTypeDto, UpdateCampaignTypeDto, CampaignTypeResponseDto } from './campaigns/dto/campaign-type.dto';
export type { CreateCampaignChannelDto, UpdateCampaignChannelDto, CampaignChannelResponseDto } from './campaigns/dto/campaign-channel.dto';
export type { CreateCampaignStatusDto, UpdateCampaignStatusDto, CampaignStatusResponseDto } from './campaigns/dto/campaign-status.dto';
export type {
  CreateCampaignBudgetTypeDto,
  UpdateCampaignBudgetTypeDto,
  CampaignBudgetTypeResponseDto,
} from './campaigns/dto/campaign-budget-type.dto';
export type {
  CreateCampaignTemplateDto,
  UpdateCampaignTemplateDto,
  CampaignTemplateResponseDto,
} from './campaigns/dto/campaign-template.dto';
export type {
  CreateCampaignDto,
  UpdateCampaignDto,
  InstantiateCampaignDto,
  TransitionCampaignDto,
  ListCampaignsQueryDto,
  CampaignResponseDto,
} from './campaigns/dto/campaign.dto';
export type { WriteCampaignMetricDto, CampaignMetricResponseDto } from './campaigns/dto/campaign-metric.dto';
export type { CampaignTypePerformanceListDto, ChannelPerformanceListDto, CampaignTrendsDto } from './campaigns/dto/campaign-analytics.dto';

// Entities, as types: rows some service methods return. Data access goes through the services.
export type { LeadSourceEntity } from './lead-sources/lead-source.entity';
export type { LeadSubsourceEntity } from './lead-sources/lead-subsource.entity';
export type { LeadChannelEntity } from './lead-sources/lead-channel.entity';
export type { LeadEntity } from './lead-sources/lead.entity';
export type { MilestoneTypeEntity } from './milestones/milestone-type.entity';
export type { MilestoneTemplateEntity } from './milestones/milestone-template.entity';
export type { LeadMilestoneEntity } from './milestones/lead-milestone.entity';
export type { CampaignTypeEntity } from './campaigns/campaign-type.entity';
export type { CampaignChannelEntity } from './campaigns/campaign-channel.entity';
export type { CampaignStatusEntity } from './campaigns/campaign-status.entity';
export type { CampaignBudgetTypeEntity } from './campaigns/campaign-budget-type.entity';
export type { CampaignTemplateEntity } from './campaigns/campaign-template.entity';
export type { CampaignEntity } from './campaigns/campaign.entity';
export type { CampaignMetricEntity } from './campaigns/campaign-metric.entity';
export type { AuditLogEntity } from './tenancy/audit-log.entity';
