import { ApiProperty } from '@nestjs/swagger';
import { CreateIconColorConfigResourceDto, IconConfigResourceResponseDto, UpdateConfigResourceDto } from '../../config-resource/config-resource.dto';
import { IsCode, IsFlag, IsName, IsSmallJsonObject } from '../../common/validation/decorators';
import { IsNullableDays, IsNullableMoney } from './validators';
import { ApiInteger } from '../../common/http/api-integer';

export class CreateCampaignTypeDto extends CreateIconColorConfigResourceDto {
  @IsCode({ example: 'WEBINAR' })
  type_code: string;

  @IsName({ example: 'Webinar' })
  type_name: string;

  @IsFlag({ default: false })
  is_default?: boolean;

  @IsNullableDays('Typical length of a campaign of this type; instantiation uses it when the template has no duration')
  typical_duration_days?: number | null;

  @IsNullableMoney('A campaign of this type may not have a smaller budget')
  min_budget?: number | null;

  @IsNullableMoney('A campaign of this type may not have a larger budget')
  max_budget?: number | null;

  @IsNullableMoney('Between min_budget and max_budget where they are given')
  recommended_budget?: number | null;

  @IsSmallJsonObject()
  metadata?: Record<string, unknown>;
}

export class UpdateCampaignTypeDto extends UpdateConfigResourceDto(CreateCampaignTypeDto, 'type_code') {}

export class CampaignTypeResponseDto extends IconConfigResourceResponseDto {
  @ApiProperty({ example: 'EMAIL_BLAST' })
  type_code: string;
  @ApiProperty({ example: 'Email blast' })
  type_name: string;
  @ApiProperty({ type: String, nullable: true })
  color_hex: string | null;
  @ApiProperty()
  is_default: boolean;
  @ApiInteger({ nullable: true })
  typical_duration_days: number | null;
  @ApiProperty({ type: Number, nullable: true })
  min_budget: number | null;
  @ApiProperty({ type: Number, nullable: true })
  max_budget: number | null;
  @ApiProperty({ type: Number, nullable: true })
  recommended_budget: number | null;
  @ApiProperty({ type: 'object', additionalProperties: true })
  metadata: Record<string, unknown>;
}
