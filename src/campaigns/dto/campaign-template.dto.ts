import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { BaseResponseDto } from '../../common/http/base-response.dto';
import { ConfigListQueryDto } from '../../common/http/list.dto';
import { CODE_PATTERN, IsCode, IsFlag, IsName, IsSmallJsonObject, IsText } from '../../common/validation/decorators';
import { IsCodeList, IsKpis, IsNullableCode, IsNullableDays, IsNullableMoney } from './validators';
import { ApiInteger } from '../../common/http/api-integer';

export class CreateCampaignTemplateDto {
  @IsName({ example: 'Spring newsletter' })
  template_name: string;

  @IsCode({ example: 'EMAIL_BLAST', description: 'A live, active campaign type of the tenant' })
  campaign_type_code: string;

  @IsText(2000)
  description?: string | null;

  @IsCodeList(50, ['EMAIL', 'FACEBOOK'], 'Live, active campaign channel codes of the tenant')
  default_channels?: string[];

  @IsNullableMoney()
  default_budget?: number | null;

  @IsNullableCode('TOTAL', 'A live, active budget type of the tenant')
  default_budget_type_code?: string | null;

  @IsNullableDays('Length of an instantiated campaign (end_date = start_date + days − 1); default: the type’s typical_duration_days')
  default_duration_days?: number | null;

  @IsSmallJsonObject()
  target_audience?: Record<string, unknown>;

  @IsKpis()
  kpis?: string[];

  @IsFlag({ default: true })
  is_active?: boolean;

  @IsFlag({ default: false, description: 'At most one default template per campaign type: setting one clears the other' })
  is_default?: boolean;
}

export class UpdateCampaignTemplateDto extends PartialType(CreateCampaignTemplateDto, { skipNullProperties: false }) {}

export class ListCampaignTemplatesQueryDto extends ConfigListQueryDto {
  @ApiPropertyOptional({ pattern: CODE_PATTERN.source, maxLength: 50 })
  @IsOptional()
  @IsString()
  @Matches(CODE_PATTERN)
  campaign_type_code?: string;
}

export class CampaignTemplateResponseDto extends BaseResponseDto {
  @ApiProperty({ example: 'Spring newsletter' })
  template_name: string;
  @ApiProperty({ example: 'EMAIL_BLAST' })
  campaign_type_code: string;
  @ApiProperty({ type: String, nullable: true })
  description: string | null;
  @ApiProperty({ type: [String], example: ['EMAIL'] })
  default_channels: string[];
  @ApiProperty({ type: Number, nullable: true })
  default_budget: number | null;
  @ApiProperty({ type: String, nullable: true })
  default_budget_type_code: string | null;
  @ApiInteger({ nullable: true })
  default_duration_days: number | null;
  @ApiProperty({ type: 'object', additionalProperties: true })
  target_audience: Record<string, unknown>;
  @ApiProperty({ type: [String] })
  kpis: string[];
  @ApiProperty()
  is_active: boolean;
  @ApiProperty()
  is_default: boolean;
}
