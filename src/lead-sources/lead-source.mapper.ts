import { withBase } from '../common/http/base-response.dto';
import { moneyJson } from '../common/numbers/money';
import { percent } from '../common/numbers/rounding';
import { joinCents } from '../database/columns';
import { LeadChannelResponseDto } from './dto/lead-channel.dto';
import { LeadSourceResponseDto } from './dto/lead-source.dto';
import { LeadSubsourceResponseDto } from './dto/lead-subsource.dto';
import { LeadChannelEntity } from './lead-channel.entity';
import { LeadSourceEntity } from './lead-source.entity';
import { LeadSubsourceEntity } from './lead-subsource.entity';

export const toLeadSourceResponse = (e: LeadSourceEntity): LeadSourceResponseDto =>
  withBase(e, {
    source_code: e.sourceCode,
    source_name: e.sourceName,
    source_type: e.sourceType,
    description: e.description,
    icon: e.icon,
    color_hex: e.colorHex,
    display_order: e.displayOrder,
    is_active: e.isActive,
    is_default: e.isDefault,
    metadata: e.metadata,
    leads_generated: e.leadsGenerated,
    conversion_count: e.conversionCount,
    conversion_rate: percent(e.conversionCount, e.leadsGenerated),
  });

export const toLeadSubsourceResponse = (e: LeadSubsourceEntity): LeadSubsourceResponseDto =>
  withBase(e, {
    source_code: e.source?.sourceCode ?? '',
    sub_source_code: e.subSourceCode,
    sub_source_name: e.subSourceName,
    description: e.description,
    icon: e.icon,
    display_order: e.displayOrder,
    is_active: e.isActive,
    cost_per_lead: e.costPerLead,
    metadata: e.metadata,
    leads_generated: e.leadsGenerated,
    conversion_count: e.conversionCount,
    conversion_rate: percent(e.conversionCount, e.leadsGenerated),
    total_cost: moneyJson(joinCents(e.totalCostHi, e.totalCostLo)),
    last_activity_date: e.lastActivityDate,
  });

export const toLeadChannelResponse = (e: LeadChannelEntity): LeadChannelResponseDto =>
  withBase(e, {
    channel_code: e.channelCode,
    channel_name: e.channelName,
    description: e.description,
    icon: e.icon,
    display_order: e.displayOrder,
    is_active: e.isActive,
  });
