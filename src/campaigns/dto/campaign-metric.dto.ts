import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { BaseResponseDto } from '../../common/http/base-response.dto';
import { PageQueryDto } from '../../common/http/list.dto';
import { CODE_PATTERN, IsCode, IsMoney } from '../../common/validation/decorators';
import { IsCount, IsDay } from './validators';
import { ApiInteger } from '../../common/http/api-integer';

export const MAX_BULK_METRICS = 5000;

/** One day of one channel. A PUT replaces the whole row: omitted figures are 0. */
export class WriteCampaignMetricDto {
  @IsCode({ example: 'EMAIL', description: "One of the campaign's channels" })
  channel_code: string;

  @IsDay({ required: true, example: '2026-03-02' })
  metric_date: string;

  @IsCount()
  impressions?: number;

  @IsCount('At most impressions')
  clicks?: number;

  @IsCount()
  leads_generated?: number;

  @IsCount()
  conversions?: number;

  @IsMoney({ default: 0 })
  spend?: number;

  @IsMoney({ default: 0 })
  revenue?: number;
}

export class BulkWriteCampaignMetricsDto {
  @ApiProperty({ type: [WriteCampaignMetricDto], minItems: 1, maxItems: MAX_BULK_METRICS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_METRICS)
  @ValidateNested({ each: true })
  @Type(() => WriteCampaignMetricDto)
  metrics: WriteCampaignMetricDto[];
}

export class BulkWriteResultDto {
  @ApiProperty({ example: 'SPRING_2026' })
  campaign_code: string;
  @ApiInteger({ description: 'Distinct (channel, day) rows written; a key repeated in the body counts once (its last row wins)' })
  written: number;
  @ApiInteger()
  created: number;
  @ApiInteger()
  updated: number;
}

export class ListCampaignMetricsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ pattern: CODE_PATTERN.source, maxLength: 50 })
  @IsOptional()
  @IsString()
  @Matches(CODE_PATTERN)
  channel_code?: string;

  @IsDay({ description: 'First day, inclusive' })
  start_date?: string;

  @IsDay({ description: 'Last day, inclusive' })
  end_date?: string;
}

export class CampaignMetricResponseDto extends BaseResponseDto {
  @ApiProperty({ example: 'SPRING_2026' })
  campaign_code: string;
  @ApiProperty({ example: 'EMAIL' })
  channel_code: string;
  @ApiProperty({ format: 'date' })
  metric_date: string;
  @ApiInteger()
  impressions: number;
  @ApiInteger()
  clicks: number;
  @ApiInteger()
  leads_generated: number;
  @ApiInteger()
  conversions: number;
  @ApiProperty()
  spend: number;
  @ApiProperty()
  revenue: number;
}
