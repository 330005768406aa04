import { CampaignAllocationEntity } from '../campaigns/campaign-allocation.entity';
import { CampaignBudgetTypeEntity } from '../campaigns/campaign-budget-type.entity';
import { CampaignChannelEntity } from '../campaigns/campaign-channel.entity';
import { CampaignMetricDailyStatEntity } from '../campaigns/campaign-metric-daily-stat.entity';
import { CampaignMetricEntity } from '../campaigns/campaign-metric.entity';
import { CampaignStatusEntity } from '../campaigns/campaign-status.entity';
import { CampaignTemplateEntity } from '../campaigns/campaign-template.entity';
import { CampaignTypeEntity } from '../campaigns/campaign-type.entity';
import { CampaignEntity } from '../campaigns/campaign.entity';
import { AttributionRuleEntity } from '../lead-sources/attribution/attribution-rule.entity';
import { LeadChannelEntity } from '../lead-sources/lead-channel.entity';
import { LeadDailyStatEntity } from '../lead-sources/lead-daily-stat.entity';
import { LeadAttributionDailyStatEntity, LeadAttributionMonthlyStatEntity } from '../lead-sources/attribution/lead-attribution-stat.entity';
import { LeadTouchEntity } from '../lead-sources/attribution/lead-touch.entity';
import { CampaignAttributionDailyStatEntity, CampaignAttributionMonthlyStatEntity } from '../campaigns/analytics/campaign-attribution-stat.entity';
import { LeadMonthlyStatEntity } from '../lead-sources/lead-monthly-stat.entity';
import { LeadSourceEntity } from '../lead-sources/lead-source.entity';
import { LeadSubsourceEntity } from '../lead-sources/lead-subsource.entity';
import { LeadSubsourceCostEntity } from '../lead-sources/lead-subsource-cost.entity';
import { LeadEntity } from '../lead-sources/lead.entity';
import { LeadMilestoneEntity } from '../milestones/lead-milestone.entity';
import { MilestoneDailyStatEntity } from '../milestones/milestone-daily-stat.entity';
import { MilestoneTemplateEntity } from '../milestones/milestone-template.entity';
import { MilestoneTransitionLeadEntity } from '../milestones/milestone-transition-lead.entity';
import { OutboxEventEntity } from '../tenancy/event-outbox.entity';
import { WebhookDeliveryEntity } from '../webhooks/webhook-delivery.entity';
import { WebhookSubscriptionEntity } from '../webhooks/webhook-subscription.entity';
import { MilestoneTransitionMonthEntity } from '../milestones/milestone-transition-month.entity';
import { MilestoneTransitionStatEntity } from '../milestones/milestone-transition-stat.entity';
import { MilestoneTypeEntity } from '../milestones/milestone-type.entity';
import { SlaBreachEntity } from '../milestones/sla-breach.entity';
import { SlaScanProgressEntity } from '../milestones/sla-scan-progress.entity';
import { AuditLogEntity } from '../tenancy/audit-log.entity';
import { IdSequenceEntity } from '../tenancy/id-sequence.entity';
import { TenantEntity } from '../tenancy/tenant.entity';
import { TenantSettingsEntity } from '../tenancy/tenant-settings.entity';
import { ColumnNames } from './naming.strategy';

/**
 * Every entity of the module, for a host's DataSource (`entities: [...theirs, ...ENTITIES]`, or
 * `autoLoadEntities: true`, which finds them through the module's TypeOrmModule.forFeature).
 *
 * Our columns are snake_case (`tenantId` ↔ `tenant_id`) by our naming strategy. A host's DataSource
 * has its own strategy, so each of these entities carries its column names explicitly (stamped once
 * here, when the list is loaded): any strategy that keeps explicit names maps them to our schema.
 */
export const ENTITIES = ColumnNames.pin([
  CampaignAllocationEntity,
  CampaignBudgetTypeEntity,
  CampaignChannelEntity,
  CampaignMetricDailyStatEntity,
  CampaignMetricEntity,
  CampaignStatusEntity,
  CampaignTemplateEntity,
  CampaignTypeEntity,
  CampaignEntity,
  LeadChannelEntity,
  AttributionRuleEntity,
  LeadDailyStatEntity,
  LeadAttributionDailyStatEntity,
  LeadAttributionMonthlyStatEntity,
  LeadTouchEntity,
  CampaignAttributionDailyStatEntity,
  CampaignAttributionMonthlyStatEntity,
  LeadMonthlyStatEntity,
  LeadSourceEntity,
  LeadSubsourceEntity,
  LeadSubsourceCostEntity,
  LeadEntity,
  LeadMilestoneEntity,
  MilestoneDailyStatEntity,
  MilestoneTemplateEntity,
  MilestoneTransitionLeadEntity,
  MilestoneTransitionMonthEntity,
  MilestoneTransitionStatEntity,
  MilestoneTypeEntity,
  SlaBreachEntity,
  SlaScanProgressEntity,
  AuditLogEntity,
  IdSequenceEntity,
  TenantEntity,
  TenantSettingsEntity,
  OutboxEventEntity,
  WebhookSubscriptionEntity,
  WebhookDeliveryEntity,
]);
