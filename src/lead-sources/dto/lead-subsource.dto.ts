import { JsonNumber } from '../../common/numbers/exact-json';
import { ApiProperty } from '@nestjs/swagger';
import { CreateIconConfigResourceDto, IconConfigResourceResponseDto, UpdateConfigResourceDto } from '../../config-resource/config-resource.dto';
import { IsCode, IsMoney, IsName, IsSmallJsonObject } from '../../common/validation/decorators';
import { ApiInteger } from '../../common/http/api-integer';

export class CreateLeadSubsourceDto extends CreateIconConfigResourceDto {
  @IsCode({ example: 'INSTAGRAM' })
  sub_source_code: string;

  @IsName({ example: 'Instagram' })
  sub_source_name: string;

  @IsMoney({ default: 0, description: 'Default acquisition cost of a lead from this subsource' })
  cost_per_lead?: number;

  @IsSmallJsonObject()
  metadata?: Record<string, unknown>;
}

export class UpdateLeadSubsourceDto extends UpdateConfigResourceDto(CreateLeadSubsourceDto, 'sub_source_code') {}

export class LeadSubsourceResponseDto extends IconConfigResourceResponseDto {
  @ApiProperty({ example: 'SOCIAL' })
  source_code: string;
  @ApiProperty({ example: 'FACEBOOK' })
  sub_source_code: string;
  @ApiProperty({ example: 'Facebook' })
  sub_source_name: string;
  @ApiProperty({ example: 12.5 })
  cost_per_lead: number;
  @ApiProperty({ type: 'object', additionalProperties: true })
  metadata: Record<string, unknown>;
  @ApiInteger()
  leads_generated: number;
  @ApiInteger()
  conversion_count: number;
  @ApiProperty({ type: Number, nullable: true })
  conversion_rate: number | null;
  @ApiProperty({ type: Number, description: 'Σ acquisition_cost of its live leads' })
  total_cost: JsonNumber;
  @ApiProperty({ type: String, format: 'date', nullable: true })
  last_activity_date: string | null;
}
