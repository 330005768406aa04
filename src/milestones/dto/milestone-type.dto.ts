import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { CreateIconColorConfigResourceDto, IconConfigResourceResponseDto, UpdateConfigResourceDto } from '../../config-resource/config-resource.dto';
import { IsCode, IsFlag, IsName, IsNullable, IsOmittable, IsSmallJsonObject } from '../../common/validation/decorators';
import { MILESTONE_CATEGORIES, MilestoneCategory } from '../milestone-type.entity';
import { ApiInteger } from '../../common/http/api-integer';

/** Whole days, 0..3650, nullable (null: not set). */
const Days = (description: string) => (target: object, key: string) => {
  ApiInteger({ optional: true, minimum: 0, maximum: 3650, nullable: true, description })(target, key);
  IsNullable()(target, key);
  IsInt()(target, key);
  Min(0)(target, key);
  Max(3650)(target, key);
};

export class CreateMilestoneTypeDto extends CreateIconColorConfigResourceDto {
  @IsCode({ example: 'DEMO' })
  type_code: string;

  @IsName({ example: 'Demo' })
  type_name: string;

  @ApiPropertyOptional({ enum: MILESTONE_CATEGORIES, default: 'action' })
  @IsOmittable()
  @IsIn(MILESTONE_CATEGORIES)
  category?: MilestoneCategory;

  @IsFlag({ default: false })
  is_required?: boolean;

  @IsFlag({ default: false, description: 'Cannot be skipped: a skipped milestone of this type is refused (409)' })
  is_mandatory?: boolean;

  @Days('How long this step usually takes; templates sum it into estimated_days')
  typical_duration_days?: number | null;

  @Days('A transition into this type lasting longer breaches its SLA')
  sla_days?: number | null;

  @IsFlag({ default: true, description: 'Milestones of this type may carry document_urls' })
  allows_attachment?: boolean;

  @IsFlag({ default: true, description: 'Milestones of this type may carry location fields' })
  allows_location?: boolean;

  @IsFlag({ default: true, description: 'Milestones of this type may carry notes' })
  allows_notes?: boolean;

  @IsSmallJsonObject()
  metadata?: Record<string, unknown>;
}

export class UpdateMilestoneTypeDto extends UpdateConfigResourceDto(CreateMilestoneTypeDto, 'type_code') {}

export class MilestoneTypeResponseDto extends IconConfigResourceResponseDto {
  @ApiProperty({ example: 'SITE_VISIT' })
  type_code: string;
  @ApiProperty({ example: 'Site visit' })
  type_name: string;
  @ApiProperty({ enum: MILESTONE_CATEGORIES })
  category: MilestoneCategory;
  @ApiProperty({ type: String, nullable: true, example: '#1E88E5' })
  color_hex: string | null;
  @ApiProperty()
  is_required: boolean;
  @ApiProperty()
  is_mandatory: boolean;
  @ApiInteger({ nullable: true })
  typical_duration_days: number | null;
  @ApiInteger({ nullable: true })
  sla_days: number | null;
  @ApiProperty()
  allows_attachment: boolean;
  @ApiProperty()
  allows_location: boolean;
  @ApiProperty()
  allows_notes: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true })
  metadata: Record<string, unknown>;
}
