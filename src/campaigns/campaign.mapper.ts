import { withBase } from '../common/http/base-response.dto';
import { CampaignBudgetTypeEntity } from './campaign-budget-type.entity';
import { CampaignChannelEntity } from './campaign-channel.entity';
import { CampaignMetricEntity } from './campaign-metric.entity';
import { CampaignStatusEntity } from './campaign-status.entity';
import { CampaignTemplateEntity } from './campaign-template.entity';
import { CampaignTypeEntity } from './campaign-type.entity';
import { CampaignEntity } from './campaign.entity';
import { CampaignBudgetTypeResponseDto } from './dto/campaign-budget-type.dto';
import { CampaignChannelResponseDto } from './dto/campaign-channel.dto';
import { CampaignMetricResponseDto } from './dto/campaign-metric.dto';
import { CampaignStatusResponseDto } from './dto/campaign-status.dto';
import { CampaignTemplateResponseDto } from './dto/campaign-template.dto';
import { CampaignTypeResponseDto } from './dto/campaign-type.dto';
import { CampaignResponseDto } from './dto/campaign.dto';

/** Entity → response DTO, field by field (whitelist). Secrets have no field to land in. */

export const toCampaignTypeResponse = (e: CampaignTypeEntity): CampaignTypeResponseDto =>
  withBase(e, {
    type_code: e.typeCode,
    type_name: e.typeName,
    description: e.description,
    icon: e.icon,
    color_hex: e.colorHex,
    display_order: e.displayOrder,
    is_active: e.isActive,
    is_default: e.isDefault,
    typical_duration_days: e.typicalDurationDays,
    min_budget: e.minBudget,
    max_budget: e.maxBudget,
    recommended_budget: e.recommendedBudget,
    metadata: e.metadata,
  });

export const toCampaignChannelResponse = (e: CampaignChannelEntity): CampaignChannelResponseDto =>
  withBase(e, {
    channel_code: e.channelCode,
    channel_name: e.channelName,
    description: e.description,
    icon: e.icon,
    display_order: e.displayOrder,
    is_active: e.isActive,
    is_default: e.isDefault,
    average_cpl: e.averageCpl,
    average_cpm: e.averageCpm,
    average_roi: e.averageRoi,
    integration_key_set: e.integrationKeySealed !== null,
    integration_key_last4: e.integrationKeyLast4,
    integration_key_updated_at: e.integrationKeyUpdatedAt ? e.integrationKeyUpdatedAt.toISOString() : null,
    integration_data: e.integrationData,
  });

export const toCampaignStatusResponse = (e: CampaignStatusEntity): CampaignStatusResponseDto =>
  withBase(e, {
    status_code: e.statusCode,
    status_name: e.statusName,
    description: e.description,
    color_hex: e.colorHex,
    display_order: e.displayOrder,
    is_active: e.isActive,
    is_initial: e.isInitial,
    is_final: e.isFinal,
    allows_editing: e.allowsEditing,
    allowed_transitions: e.allowedTransitions,
  });

export const toCampaignBudgetTypeResponse = (e: CampaignBudgetTypeEntity): CampaignBudgetTypeResponseDto =>
  withBase(e, {
    budget_type_code: e.budgetTypeCode,
    budget_type_name: e.budgetTypeName,
    description: e.description,
    display_order: e.displayOrder,
    is_active: e.isActive,
  });

export const toCampaignTemplateResponse = (e: CampaignTemplateEntity): CampaignTemplateResponseDto =>
  withBase(e, {
    template_name: e.templateName,
    campaign_type_code: e.campaignType?.typeCode ?? '',
    description: e.description,
    default_channels: e.defaultChannels,
    default_budget: e.defaultBudget,
    default_budget_type_code: e.defaultBudgetType?.budgetTypeCode ?? null,
    default_duration_days: e.defaultDurationDays,
    target_audience: e.targetAudience,
    kpis: e.kpis,
    is_active: e.isActive,
    is_default: e.isDefault,
  });

export const toCampaignResponse = (e: CampaignEntity): CampaignResponseDto =>
  withBase(e, {
    campaign_code: e.campaignCode,
    campaign_name: e.campaignName,
    campaign_type_code: e.campaignType?.typeCode ?? '',
    status_code: e.status?.statusCode ?? '',
    budget_type_code: e.budgetType?.budgetTypeCode ?? null,
    budget: e.budget,
    start_date: e.startDate,
    end_date: e.endDate,
    channels: (e.allocations ?? []).map((a) => ({ channel_code: a.channel?.channelCode ?? '', allocated_budget: a.allocatedBudget })),
    target_audience: e.targetAudience,
    kpis: e.kpis,
    template_id: e.templateId,
    total_spent: e.totalSpent,
    total_leads: e.totalLeads,
    total_conversions: e.totalConversions,
    total_revenue: e.totalRevenue,
  });

export const toCampaignMetricResponse = (e: CampaignMetricEntity, campaignCode: string): CampaignMetricResponseDto =>
  withBase(e, {
    campaign_code: campaignCode,
    channel_code: e.channel?.channelCode ?? '',
    metric_date: e.metricDay,
    impressions: e.impressions,
    clicks: e.clicks,
    leads_generated: e.leadsGenerated,
    conversions: e.conversions,
    spend: e.spend,
    revenue: e.revenue,
  });
