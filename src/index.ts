/**
 * The public entry of the package: what a host Nest application may import. Everything else under
 * dist/ is internal and may change in any release. The list of names is pinned by
 * test/customization/public-surface.e2e-spec.ts: a change to it is a change of the package's API.
 */

// The module and its options.
export { CustomizationModule } from './customization/customization.module';
export { CustomizationOptionsError } from './customization/customization.options';
export type {
  CustomizationHttpOptions,
  CustomizationJwtOptions,
  CustomizationWebhookOptions,
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

// Domain events, emitted after commit through the host's EventEmitter2 (EventEmitterModule.forRoot()).
export { DOMAIN_EVENTS } from './events/domain-events';
export type {
  CampaignStatusChangedEvent,
  DomainEvent,
  DomainEventBase,
  DomainEventMap,
  DomainEventName,
  LeadConvertedEvent,
  LeadCreatedEvent,
  LeadDeletedEvent,
  LeadStatusChangedEvent,
  MilestoneRecordedEvent,
  MilestoneSlaBreachedEvent,
} from './events/domain-events';

// Webhooks: what a receiver of our signed POSTs verifies them with (docs/webhooks.md).
export { verifyWebhook } from './webhooks/signature';
export type { WebhookHeaders } from './webhooks/signature';

// Errors.
export { AppError } from './common/errors/app-error';
export type { FieldError } from './common/errors/app-error';
export { ERROR_STATUS } from './common/errors/error-codes';
export type { ErrorCode } from './common/errors/error-codes';

// Services, for injection in the host. The methods meant for hosts validate their input as their
// routes do (src/common/validation/validate-input.ts lists them; docs/embedding.md); call them
// inside TenantScope.run.
export { LeadsService } from './lead-sources/leads.service';
export { LeadTouches } from './lead-sources/attribution/lead-touches.service';
export { LeadMilestonesService } from './milestones/lead-milestones.service';
export { SourceAnalyticsService } from './lead-sources/analytics/source-analytics.service';
export { CampaignsService } from './campaigns/campaigns.service';
export { TenantSettingsService } from './tenancy/tenant-settings.service';

// Inputs and answers of those methods (the REST bodies, queries and responses, snake_case as in the API).
export type { ListResponse } from './common/http/list.dto';
export type { DateRangeQueryDto, AttributedRangeQueryDto } from './common/http/date-range.dto';
export { ATTRIBUTION_MODELS } from './common/analytics/attribution';
export type { AttributionModel } from './common/analytics/attribution';
export type { TouchDto, TouchResponseDto, TouchSummaryDto } from './lead-sources/dto/touch.dto';
export type { TenantSettingsResponseDto, UpdateTenantSettingsDto } from './tenancy/tenant-settings.dto';
export type { CreateLeadDto, UpdateLeadDto, ListLeadsQueryDto, LeadResponseDto } from './lead-sources/dto/lead.dto';
export type {
  CreateLeadMilestoneDto,
  ListLeadMilestonesQueryDto,
  LeadMilestoneResponseDto,
  LeadTimelineResponseDto,
} from './milestones/dto/lead-milestone.dto';
export type {
  SourcePerformanceResponseDto,
  SubsourcePerformanceResponseDto,
  AllSourcesPerformanceResponseDto,
  SourceTrendsQueryDto,
  SourceTrendsResponseDto,
} from './lead-sources/analytics/source-analytics.dto';
export type { ListCampaignsQueryDto, CampaignResponseDto } from './campaigns/dto/campaign.dto';

// Entities, as types: the rows some of those methods return. Data access goes through the services.
export type { LeadWithRefs } from './lead-sources/lead.repository';
export type { LeadEntity } from './lead-sources/lead.entity';
export type { LeadSourceEntity } from './lead-sources/lead-source.entity';
export type { LeadSubsourceEntity } from './lead-sources/lead-subsource.entity';
export type { LeadChannelEntity } from './lead-sources/lead-channel.entity';
export type { LeadMilestoneEntity } from './milestones/lead-milestone.entity';
export type { CampaignEntity } from './campaigns/campaign.entity';
