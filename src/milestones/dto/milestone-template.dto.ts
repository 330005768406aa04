import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { BaseResponseDto } from '../../common/http/base-response.dto';
import { ConfigListQueryDto } from '../../common/http/list.dto';
import { CODE_PATTERN, HasNoControlCharacters, IsFlag, IsName, IsNullable, IsText } from '../../common/validation/decorators';
import { TEMPLATE_TYPES, TemplateType } from '../milestone-template.entity';
import { ApiInteger } from '../../common/http/api-integer';

export const MAX_SEQUENCE = 50;

export class CreateMilestoneTemplateDto {
  @IsName({ example: 'Enterprise pipeline' })
  template_name: string;

  @ApiProperty({ enum: TEMPLATE_TYPES, example: 'standard' })
  @IsIn(TEMPLATE_TYPES)
  template_type: TemplateType;

  @IsText(2000)
  description?: string | null;

  @IsFlag({ default: true })
  is_active?: boolean;

  @IsFlag({ default: false, description: 'At most one default per template_type: setting one clears the others' })
  is_default?: boolean;

  @ApiProperty({
    type: 'array',
    items: { type: 'string', pattern: CODE_PATTERN.source, maxLength: 50 },
    minItems: 1,
    maxItems: MAX_SEQUENCE,
    example: ['LEAD_GENERATED', 'CONTACTED', 'CONVERTED'],
    description:
      'Distinct codes of live milestone types of the tenant, in pipeline order (else 400 naming the malformed, unknown or deleted, and repeated codes)',
  })
  // The shape only: the codes themselves are checked by the service, whose 400 names the bad ones.
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SEQUENCE)
  @IsString({ each: true })
  @HasNoControlCharacters({}, { each: true })
  sequence: string[];

  @ApiInteger({
    optional: true,
    nullable: true,
    minimum: 0,
    maximum: 100_000,
    description: 'Default (or null): Σ typical_duration_days of the sequence, recomputed when the sequence changes',
  })
  @IsNullable()
  @IsInt()
  @Min(0)
  @Max(100_000)
  estimated_days?: number | null;
}

export class UpdateMilestoneTemplateDto extends PartialType(CreateMilestoneTemplateDto, { skipNullProperties: false }) {}

export class ListMilestoneTemplatesQueryDto extends ConfigListQueryDto {
  @ApiPropertyOptional({ enum: TEMPLATE_TYPES })
  @IsOptional()
  @IsIn(TEMPLATE_TYPES)
  template_type?: TemplateType;
}

export class MilestoneTemplateResponseDto extends BaseResponseDto {
  @ApiProperty()
  template_name: string;
  @ApiProperty({ enum: TEMPLATE_TYPES })
  template_type: TemplateType;
  @ApiProperty({ type: String, nullable: true })
  description: string | null;
  @ApiProperty()
  is_active: boolean;
  @ApiProperty()
  is_default: boolean;
  @ApiProperty({ type: [String] })
  sequence: string[];
  @ApiInteger()
  estimated_days: number;
}
