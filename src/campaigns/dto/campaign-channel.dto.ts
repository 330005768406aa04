import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { CreateIconConfigResourceDto, IconConfigResourceResponseDto, UpdateConfigResourceDto } from '../../config-resource/config-resource.dto';
import { CodePointLength, HasNoControlCharacters, IsCode, IsFlag, IsName, IsNullable, IsSmallJsonObject } from '../../common/validation/decorators';
import { IsNullableMoney, IsNullablePercent } from './validators';

export class CreateCampaignChannelDto extends CreateIconConfigResourceDto {
  @IsCode({ example: 'LINKEDIN_ADS' })
  channel_code: string;

  @IsName({ example: 'LinkedIn Ads' })
  channel_name: string;

  @IsFlag({ default: false })
  is_default?: boolean;

  @IsNullableMoney('Typical cost per lead')
  average_cpl?: number | null;

  @IsNullableMoney('Typical cost per thousand impressions')
  average_cpm?: number | null;

  @IsNullablePercent('Typical ROI, in percent')
  average_roi?: number | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    writeOnly: true,
    minLength: 8,
    maxLength: 2048,
    description:
      'Write-only: stored encrypted (AES-256-GCM) and never returned; null removes it. Responses show integration_key_set and integration_key_last4.',
  })
  @IsNullable()
  @IsString()
  @CodePointLength(8, 2048)
  @HasNoControlCharacters()
  integration_key?: string | null;

  @IsSmallJsonObject()
  integration_data?: Record<string, unknown>;
}

export class UpdateCampaignChannelDto extends UpdateConfigResourceDto(CreateCampaignChannelDto, 'channel_code') {}

export class CampaignChannelResponseDto extends IconConfigResourceResponseDto {
  @ApiProperty({ example: 'EMAIL' })
  channel_code: string;
  @ApiProperty({ example: 'Email' })
  channel_name: string;
  @ApiProperty()
  is_default: boolean;
  @ApiProperty({ type: Number, nullable: true })
  average_cpl: number | null;
  @ApiProperty({ type: Number, nullable: true })
  average_cpm: number | null;
  @ApiProperty({ type: Number, nullable: true })
  average_roi: number | null;
  @ApiProperty({ description: 'Whether an integration key is stored' })
  integration_key_set: boolean;
  @ApiProperty({ type: String, nullable: true, example: 'x9Qz', description: 'Last four characters of the stored key' })
  integration_key_last4: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    readOnly: true,
    description: 'When the integration key was last set, rotated or removed; null while it never was',
  })
  integration_key_updated_at: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true })
  integration_data: Record<string, unknown>;
}
