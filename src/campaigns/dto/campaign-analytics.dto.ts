import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { JsonNumber } from '../../common/numbers/exact-json';
import { INTERVALS, Interval } from '../../common/analytics/periods';
import { TrendQueryDto } from '../../common/http/date-range.dto';
import { CODE_PATTERN } from '../../common/validation/decorators';
import { ApiInteger } from '../../common/http/api-integer';
import { RangeResponseDto, WithRange } from '../../common/http/range-response.dto';

export class CampaignTrendsQueryDto extends TrendQueryDto {
  @ApiPropertyOptional({ pattern: CODE_PATTERN.source, maxLength: 50, description: 'Only campaigns of this type' })
  @IsOptional()
  @IsString()
  @Matches(CODE_PATTERN)
  campaign_type_code?: string;

  @ApiPropertyOptional({ pattern: CODE_PATTERN.source, maxLength: 50, description: 'Only this channel (its allocations and its metric rows)' })
  @IsOptional()
  @IsString()
  @Matches(CODE_PATTERN)
  channel_code?: string;
}

const rate = (description: string) => ApiProperty({ type: Number, nullable: true, description: `${description}; null when the denominator is 0` });

const WITH_MODEL = 'Present when `model` is given (without it the answer is the one of before models).';

/**
 * What the CRM attributes to a campaign type or channel beside what the platforms report: live leads
 * created in the range credited under the request's model (docs/attribution.md).
 */
export class AttributedFiguresDto {
  @ApiPropertyOptional({
    type: Number,
    description: `Leads created in the range credited to it under the model (first: whole leads; others up to 6 decimals). ${WITH_MODEL}`,
  })
  attributed_leads?: JsonNumber;
  @ApiPropertyOptional({ type: Number, description: `Of those credits, the ones of converted leads. ${WITH_MODEL}` })
  attributed_conversions?: JsonNumber;
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: `attributed_leads / total_leads × 100 (the CRM against the platforms); null when the denominator is 0. ${WITH_MODEL}`,
  })
  attributed_leads_percent?: JsonNumber | null;
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: `attributed_conversions / total_conversions × 100; null when the denominator is 0. ${WITH_MODEL}`,
  })
  attributed_conversions_percent?: JsonNumber | null;
}

/** One type's figures over a range (a row of GET /campaigns/analytics/types). */
export class CampaignTypePerformanceRowDto extends AttributedFiguresDto {
  @ApiProperty({ example: 'EMAIL_BLAST' })
  type_code: string;
  @ApiProperty({ example: 'Email blast' })
  type_name: string;
  @ApiInteger({ description: 'Live campaigns of the type that ran during the range' })
  total_campaigns: number;
  @ApiInteger({ description: 'Of those, campaigns whose status is neither initial nor final' })
  active_campaigns: number;
  @ApiInteger({ description: 'Of those, campaigns in a final status' })
  completed_campaigns: number;
  @ApiProperty({ type: Number, description: 'Σ budget of those campaigns' })
  total_budget: JsonNumber;
  @ApiProperty({ type: Number, description: 'Σ spend of metric rows dated in the range' })
  total_spent: JsonNumber;
  @ApiInteger({ format: 'int64' })
  total_leads: JsonNumber;
  @ApiInteger({ format: 'int64' })
  total_conversions: JsonNumber;
  @ApiProperty({ type: Number })
  total_revenue: JsonNumber;
  @rate('Σspent / Σleads')
  average_cpl: JsonNumber | null;
  @rate('(Σrevenue − Σspent) / Σspent × 100')
  roi: JsonNumber | null;
  @rate('Σconversions / Σleads × 100')
  conversion_rate: JsonNumber | null;
}

/** GET /campaigns/analytics/type/{type_code}/performance: one row, with its range. */
export class CampaignTypePerformanceDto extends WithRange(CampaignTypePerformanceRowDto) {}

export class CampaignTypePerformanceListDto extends RangeResponseDto {
  @ApiProperty({ type: [CampaignTypePerformanceRowDto] })
  data: CampaignTypePerformanceRowDto[];
}

/** One channel's figures over a range (a row of GET /campaigns/analytics/channels). */
export class ChannelPerformanceRowDto extends AttributedFiguresDto {
  @ApiProperty({ example: 'EMAIL' })
  channel_code: string;
  @ApiProperty({ example: 'Email' })
  channel_name: string;
  @ApiInteger({ description: 'Live campaigns that ran during the range and have this channel' })
  campaign_count: number;
  @ApiProperty({ type: Number, description: 'Σ allocated_budget of those campaigns for this channel' })
  total_budget: JsonNumber;
  @ApiProperty({ type: Number })
  total_spent: JsonNumber;
  @ApiInteger({ format: 'int64' })
  total_impressions: JsonNumber;
  @ApiInteger({ format: 'int64' })
  total_clicks: JsonNumber;
  @ApiInteger({ format: 'int64' })
  total_leads: JsonNumber;
  @ApiInteger({ format: 'int64' })
  total_conversions: JsonNumber;
  @ApiProperty({ type: Number })
  total_revenue: JsonNumber;
  @rate('spent / leads')
  cpl: JsonNumber | null;
  @rate('spent / impressions × 1000')
  cpm: JsonNumber | null;
  @rate('clicks / impressions × 100')
  ctr: JsonNumber | null;
  @rate('spent / clicks')
  cpc: JsonNumber | null;
  @rate('conversions / leads × 100')
  conversion_rate: JsonNumber | null;
  @rate('(revenue − spent) / spent × 100')
  roi: JsonNumber | null;
}

/** GET /campaigns/analytics/channel/{channel_code}/performance: one row, with its range. */
export class ChannelPerformanceDto extends WithRange(ChannelPerformanceRowDto) {}

export class ChannelPerformanceListDto extends RangeResponseDto {
  @ApiProperty({ type: [ChannelPerformanceRowDto] })
  data: ChannelPerformanceRowDto[];
}

export class CampaignTrendPointDto {
  @ApiProperty({ format: 'date', description: "The period's first day (weeks start on the tenant's week_start, Monday unless set)" })
  date: string;
  @ApiInteger({ description: 'Live campaigns whose start_date falls in the period (and in the range)' })
  campaigns_launched: number;
  @ApiProperty({ type: Number, description: 'Σ budget of those campaigns (Σ allocated_budget of the channel with channel_code)' })
  budget_allocated: JsonNumber;
  @ApiProperty({ type: Number })
  spend: JsonNumber;
  @ApiInteger({ format: 'int64' })
  impressions: JsonNumber;
  @ApiInteger({ format: 'int64' })
  clicks: JsonNumber;
  @ApiInteger({ format: 'int64' })
  leads_generated: JsonNumber;
  @ApiInteger({ format: 'int64' })
  conversions: JsonNumber;
  @ApiProperty({ type: Number })
  revenue: JsonNumber;
  @rate('spend / leads_generated')
  cpl: JsonNumber | null;
  @rate('(revenue − spend) / spend × 100')
  roi: JsonNumber | null;
}

export class CampaignTrendsDto extends RangeResponseDto {
  @ApiProperty({ enum: INTERVALS })
  interval: Interval;
  @ApiProperty({ type: [CampaignTrendPointDto] })
  data: CampaignTrendPointDto[];
}
