import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsObject, IsOptional, IsString, Matches, Validate, ValidateNested } from 'class-validator';
import { TouchDto, TouchSummaryDto } from './touch.dto';
import { apiDay, IsCalendarDate } from '../../common/http/date-range.dto';
import { PageQueryDto } from '../../common/http/list.dto';
import { CODE_PATTERN, IsCode, IsMoney, IsNullable, IsOmittable } from '../../common/validation/decorators';
import { LEAD_STATUSES, LeadStatus } from '../lead.entity';
import { Timestamp } from './timestamp';
import { ApiInteger } from '../../common/http/api-integer';

export const MAX_BULK_LEADS = 5000;
const LEAD_CODE = /^[\x21-\x7E]([\x20-\x7E]{0,98}[\x21-\x7E])?$/;
export class CreateLeadDto {
  @ApiPropertyOptional({ description: 'Your external reference; unique among live leads', example: 'CRM-1042', maxLength: 100 })
  @IsOmittable()
  @IsString()
  @Matches(LEAD_CODE, { message: 'lead_code must be 1..100 printable ASCII characters without surrounding spaces' })
  lead_code?: string;

  @IsCode({
    optional: true,
    example: 'SOCIAL',
    description:
      'A live source of the tenant. Required unless a touch is given: a lead that names its source keeps the codes it names; ' +
      'one that only has a touch takes them from the first attribution rule matching it (UNMAPPED/UNMAPPED when none does)',
  })
  source_code?: string;

  @IsCode({ optional: true, example: 'FACEBOOK', description: 'A subsource of that source' })
  sub_source_code?: string;

  @IsCode({ optional: true, example: 'PAID', description: 'A live lead channel' })
  channel_code?: string;

  @IsCode({ optional: true, example: null, description: 'A live campaign' })
  campaign_code?: string;

  @ApiPropertyOptional({ enum: LEAD_STATUSES, default: 'new' })
  @IsOmittable()
  @IsIn(LEAD_STATUSES)
  status?: LeadStatus;

  @IsMoney({ default: 0 })
  expected_value?: number;

  @IsMoney({ description: 'Defaults to expected_value on conversion' })
  converted_value?: number;

  @IsMoney({ description: "Defaults to the subsource's cost_per_lead, else 0" })
  acquisition_cost?: number;

  @Timestamp('When the lead came in; defaults to now (set it to back-fill history); at most 5 minutes ahead', '2025-03-02T09:00:00Z')
  created_at?: string;

  @Timestamp('Stamped when the lead first reaches contacted (or a later stage, or a later stage timestamp is given); at most 5 minutes ahead')
  contacted_at?: string;

  @Timestamp('Stamped when the lead first reaches qualified (or a later stage, or converted_at is given); at most 5 minutes ahead')
  qualified_at?: string;

  @Timestamp('Stamped when the lead is converted; at most 5 minutes ahead')
  converted_at?: string;

  @Timestamp('Stamped when the lead is lost; at most 5 minutes ahead')
  lost_at?: string;

  @ApiPropertyOptional({ type: TouchDto, description: "The visit that brought the lead: its origin touch (the lead's first_touch, for good)" })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => TouchDto)
  touch?: TouchDto;
}

/** PATCH: references may be cleared with null (except the source); created_at is fixed at create. */
export class UpdateLeadDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 100 })
  @IsNullable()
  @IsString()
  @Matches(LEAD_CODE, { message: 'lead_code must be 1..100 printable ASCII characters without surrounding spaces' })
  lead_code?: string | null;

  @IsCode({ optional: true })
  source_code?: string;

  @ApiPropertyOptional({ type: String, nullable: true, pattern: CODE_PATTERN.source, maxLength: 50 })
  @IsNullable()
  @IsString()
  @Matches(/^[A-Z][A-Z0-9_]{0,49}$/, { message: 'sub_source_code must match ^[A-Z][A-Z0-9_]{0,49}$' })
  sub_source_code?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, pattern: CODE_PATTERN.source, maxLength: 50 })
  @IsNullable()
  @IsString()
  @Matches(/^[A-Z][A-Z0-9_]{0,49}$/, { message: 'channel_code must match ^[A-Z][A-Z0-9_]{0,49}$' })
  channel_code?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, pattern: CODE_PATTERN.source, maxLength: 50 })
  @IsNullable()
  @IsString()
  @Matches(/^[A-Z][A-Z0-9_]{0,49}$/, { message: 'campaign_code must match ^[A-Z][A-Z0-9_]{0,49}$' })
  campaign_code?: string | null;

  @ApiPropertyOptional({ enum: LEAD_STATUSES })
  @IsOmittable()
  @IsIn(LEAD_STATUSES)
  status?: LeadStatus;

  @IsMoney()
  expected_value?: number;

  @IsMoney()
  converted_value?: number;

  @IsMoney()
  acquisition_cost?: number;

  @Timestamp('Set or correct when the lead was first contacted')
  contacted_at?: string;

  @Timestamp('Set or correct when the lead was qualified')
  qualified_at?: string;

  @Timestamp('Set or correct when the lead was converted')
  converted_at?: string;

  @Timestamp('Set or correct when the lead was lost')
  lost_at?: string;
}

/**
 * The items are validated one by one by the service (validateRows), so that one answer names every
 * bad row, whether its shape or its references are wrong.
 */
export class BulkCreateLeadsDto {
  @ApiProperty({ type: [CreateLeadDto], maxItems: MAX_BULK_LEADS, minItems: 1 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_LEADS)
  leads: unknown[];
}

export class ListLeadsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description:
      'The live lead with exactly this lead_code, case-sensitive (at most one: codes are unique among live leads). ' +
      'Finds the lead a 409 DUPLICATE_CODE names.',
    example: 'CRM-1042',
    maxLength: 100,
  })
  @IsOmittable()
  @IsString()
  @Matches(LEAD_CODE, { message: 'lead_code must be 1..100 printable ASCII characters without surrounding spaces' })
  lead_code?: string;

  @IsCode({ optional: true, example: 'SOCIAL', description: 'Every source that has had this code, deleted ones included' })
  source_code?: string;

  @IsCode({ optional: true, example: 'FACEBOOK', description: 'Needs source_code (subsource codes are unique within a source); deleted subsources included' })
  sub_source_code?: string;

  @IsCode({ optional: true, example: 'PAID', description: 'Every lead channel that has had this code, deleted ones included' })
  channel_code?: string;

  @IsCode({ optional: true, example: null, description: 'Every campaign that has had this code, deleted ones included' })
  campaign_code?: string;

  @ApiPropertyOptional({ enum: LEAD_STATUSES })
  @IsOptional()
  @IsIn(LEAD_STATUSES)
  status?: LeadStatus;

  @ApiPropertyOptional(apiDay("Created on or after this day of the tenant's time zone"))
  @IsOptional()
  @Validate(IsCalendarDate)
  created_from?: string;

  @ApiPropertyOptional(apiDay("Created on or before this day of the tenant's time zone"))
  @IsOptional()
  @Validate(IsCalendarDate)
  created_to?: string;
}

export class LeadResponseDto {
  @ApiInteger()
  id: number;
  @ApiProperty({ type: String, nullable: true })
  lead_code: string | null;
  @ApiProperty()
  source_code: string;
  @ApiProperty({ type: String, nullable: true })
  sub_source_code: string | null;
  @ApiProperty({ type: String, nullable: true })
  channel_code: string | null;
  @ApiProperty({ type: String, nullable: true })
  campaign_code: string | null;
  @ApiProperty({ enum: LEAD_STATUSES })
  status: LeadStatus;
  @ApiProperty()
  expected_value: number;
  @ApiProperty({ type: Number, nullable: true })
  converted_value: number | null;
  @ApiProperty()
  acquisition_cost: number;
  @ApiProperty({ format: 'date-time' })
  created_at: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  contacted_at: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  qualified_at: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  converted_at: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lost_at: string | null;
  @ApiProperty({
    type: TouchSummaryDto,
    nullable: true,
    description: 'The first touch recorded for the lead (its origin when it came with one); it never changes',
  })
  first_touch: TouchSummaryDto | null;
  @ApiProperty({ type: TouchSummaryDto, nullable: true, description: 'The latest touch (occurred_at, then id)' })
  last_touch: TouchSummaryDto | null;
  @ApiProperty({ format: 'date-time' })
  updated_at: string;
  @ApiProperty()
  created_by: string;
  @ApiProperty()
  updated_by: string;
  @ApiInteger()
  version: number;
}

export class BulkCreateLeadsResponseDto {
  @ApiInteger({ description: 'How many leads were stored' })
  created: number;
  @ApiProperty({ type: [LeadResponseDto] })
  data: LeadResponseDto[];
}
