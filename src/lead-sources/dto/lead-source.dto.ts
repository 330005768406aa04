import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { CreateIconColorConfigResourceDto, IconConfigResourceResponseDto, UpdateConfigResourceDto } from '../../config-resource/config-resource.dto';
import { ConfigListQueryDto } from '../../common/http/list.dto';
import { HasNoControlCharacters, IsCode, IsFlag, IsName, IsSmallJsonObject, TEXT_PATTERNS } from '../../common/validation/decorators';
import { SOURCE_TYPES, SourceType } from '../lead-source.entity';
import { ApiInteger } from '../../common/http/api-integer';

export class CreateLeadSourceDto extends CreateIconColorConfigResourceDto {
  @IsCode({ example: 'TRADE_FAIR' })
  source_code: string;

  @IsName({ example: 'Trade fair' })
  source_name: string;

  @ApiProperty({ enum: SOURCE_TYPES, example: 'event' })
  @IsIn(SOURCE_TYPES)
  source_type: SourceType;

  @IsFlag({ default: false })
  is_default?: boolean;

  @IsSmallJsonObject()
  metadata?: Record<string, unknown>;
}

export class UpdateLeadSourceDto extends UpdateConfigResourceDto(CreateLeadSourceDto, 'source_code') {}

export class ListLeadSourcesQueryDto extends ConfigListQueryDto {
  @ApiPropertyOptional({ enum: SOURCE_TYPES })
  @IsOptional()
  @IsIn(SOURCE_TYPES)
  source_type?: SourceType;

  @ApiPropertyOptional({
    description:
      'Substring of the code or the name, ignoring case and accents (cafe finds Café, CAFÉ finds cafe, abc finds ＡＢＣ); % and _ match literally; no control characters',
    minLength: 1,
    maxLength: 100,
    pattern: TEXT_PATTERNS.label,
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @HasNoControlCharacters()
  search?: string;
}

export class LeadSourceResponseDto extends IconConfigResourceResponseDto {
  @ApiProperty({ example: 'WEBSITE' })
  source_code: string;
  @ApiProperty({ example: 'Website' })
  source_name: string;
  @ApiProperty({ enum: SOURCE_TYPES })
  source_type: SourceType;
  @ApiProperty({ type: String, nullable: true, example: '#1E88E5' })
  color_hex: string | null;
  @ApiProperty()
  is_default: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true })
  metadata: Record<string, unknown>;
  @ApiInteger({ description: 'Live leads of this source, all time' })
  leads_generated: number;
  @ApiInteger({ description: 'Live converted leads of this source, all time' })
  conversion_count: number;
  @ApiProperty({ type: Number, nullable: true, description: 'conversion_count / leads_generated × 100; null with no leads' })
  conversion_rate: number | null;
}
