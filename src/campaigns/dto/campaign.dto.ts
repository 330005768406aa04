import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, Matches, Min, ValidateNested } from 'class-validator';
import { BaseResponseDto } from '../../common/http/base-response.dto';
import { PageQueryDto, toBoolean } from '../../common/http/list.dto';
import { CODE_PATTERN, IsCode, IsMoney, IsName, IsOmittable, IsSmallJsonObject } from '../../common/validation/decorators';
import { IsDay, IsKpis, IsNullableCode, IsNullableMoney } from './validators';
import { ApiInteger } from '../../common/http/api-integer';

export class CampaignChannelInputDto {
  @IsCode({ example: 'EMAIL', description: 'A live, active campaign channel of the tenant' })
  channel_code: string;

  @IsMoney({ default: 0, description: 'Budget allocated to this channel' })
  allocated_budget?: number;
}

export class CreateCampaignDto {
  @IsCode({ example: 'SPRING_2026' })
  campaign_code: string;

  @IsName({ example: 'Spring 2026 newsletter' })
  campaign_name: string;

  @IsCode({ example: 'EMAIL_BLAST', description: 'A live, active campaign type of the tenant' })
  campaign_type_code: string;

  @IsCode({ optional: true, example: 'DRAFT', description: 'Default: the initial status. Later changes go through /transition.' })
  status_code?: string;

  @IsNullableCode('TOTAL', 'A live, active budget type of the tenant')
  budget_type_code?: string | null;

  @IsNullableMoney("Within the type's min_budget..max_budget where they are set")
  budget?: number | null;

  @IsDay({ required: true, example: '2026-03-01' })
  start_date: string;

  @IsDay({ nullable: true, example: '2026-03-31', description: 'On or after start_date; null = open-ended' })
  end_date?: string | null;

  @ApiPropertyOptional({ type: [CampaignChannelInputDto], maxItems: 50, default: [] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CampaignChannelInputDto)
  channels?: CampaignChannelInputDto[];

  @IsSmallJsonObject()
  target_audience?: Record<string, unknown>;

  @IsKpis()
  kpis?: string[];

  @ApiInteger({ optional: true, minimum: 1, maximum: 2_147_483_647, description: 'The live template this campaign follows (set by instantiate)' })
  @IsOmittable()
  @IsInt()
  @Min(1)
  template_id?: number;
}

/**
 * Partial; the code is immutable, the status moves only through /transition and the template is
 * where the campaign came from. `channels`, when sent, replaces the whole set.
 */
export class UpdateCampaignDto extends PartialType(OmitType(CreateCampaignDto, ['campaign_code', 'status_code', 'template_id'] as const), {
  skipNullProperties: false,
}) {}

/** A template's defaults, overridden by whatever is sent here. */
export class InstantiateCampaignDto extends PartialType(
  OmitType(CreateCampaignDto, ['campaign_code', 'campaign_name', 'start_date', 'campaign_type_code', 'template_id'] as const),
  { skipNullProperties: false },
) {
  @IsCode({ example: 'SPRING_2026' })
  campaign_code: string;

  @IsName({ example: 'Spring 2026 newsletter' })
  campaign_name: string;

  @IsDay({ required: true, example: '2026-03-01' })
  start_date: string;
}

export class TransitionCampaignDto {
  @IsCode({ example: 'ACTIVE', description: 'The status to move to' })
  status_code: string;
}

export class ListCampaignsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ pattern: CODE_PATTERN.source, maxLength: 50 })
  @IsOptional()
  @IsString()
  @Matches(CODE_PATTERN)
  campaign_type_code?: string;

  @ApiPropertyOptional({ pattern: CODE_PATTERN.source, maxLength: 50 })
  @IsOptional()
  @IsString()
  @Matches(CODE_PATTERN)
  status_code?: string;

  @ApiPropertyOptional({ pattern: CODE_PATTERN.source, maxLength: 50, description: 'Campaigns that have this channel' })
  @IsOptional()
  @IsString()
  @Matches(CODE_PATTERN)
  channel_code?: string;

  @ApiPropertyOptional({ description: 'Also list soft-deleted campaigns (admin only)', default: false })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  include_deleted: boolean = false;
}

export class CampaignChannelAllocationDto {
  @ApiProperty({ example: 'EMAIL' })
  channel_code: string;
  @ApiProperty({ example: 2500 })
  allocated_budget: number;
}

export class CampaignResponseDto extends BaseResponseDto {
  @ApiProperty({ example: 'SPRING_2026' })
  campaign_code: string;
  @ApiProperty({ example: 'Spring 2026 newsletter' })
  campaign_name: string;
  @ApiProperty({ example: 'EMAIL_BLAST' })
  campaign_type_code: string;
  @ApiProperty({ example: 'DRAFT' })
  status_code: string;
  @ApiProperty({ type: String, nullable: true, example: 'TOTAL' })
  budget_type_code: string | null;
  @ApiProperty({ type: Number, nullable: true, example: 10000 })
  budget: number | null;
  @ApiProperty({ format: 'date' })
  start_date: string;
  @ApiProperty({ type: String, format: 'date', nullable: true })
  end_date: string | null;
  @ApiProperty({ type: [CampaignChannelAllocationDto] })
  channels: CampaignChannelAllocationDto[];
  @ApiProperty({ type: 'object', additionalProperties: true })
  target_audience: Record<string, unknown>;
  @ApiProperty({ type: [String] })
  kpis: string[];
  @ApiInteger({ nullable: true })
  template_id: number | null;
  @ApiProperty({ description: 'Σ spend of its metric rows' })
  total_spent: number;
  @ApiInteger({ format: 'int64', description: 'Σ leads_generated of its metric rows' })
  total_leads: number;
  @ApiInteger({ format: 'int64', description: 'Σ conversions of its metric rows' })
  total_conversions: number;
  @ApiProperty({ description: 'Σ revenue of its metric rows' })
  total_revenue: number;
}
