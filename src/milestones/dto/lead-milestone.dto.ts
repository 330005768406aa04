import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, Validate } from 'class-validator';
import { apiDay, IsCalendarDate } from '../../common/http/date-range.dto';
import { BaseResponseDto } from '../../common/http/base-response.dto';
import { PageQueryDto, toBoolean } from '../../common/http/list.dto';
import {
  CodePointLength,
  HasNoControlCharacters,
  IsCode,
  IsDecimal,
  IsFlag,
  IsLabel,
  IsNullable,
  IsOmittable,
  IsSmallJsonObject,
  IsText,
} from '../../common/validation/decorators';
import { MILESTONE_STATUSES, MilestoneStatus, OUTCOMES, Outcome } from '../lead-milestone.entity';
import { ApiInteger } from '../../common/http/api-integer';

export const MAX_DOCUMENTS = 20;
const TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;

/** `HH:MM` becomes `HH:MM:SS`, so that times sort as text the way they sort as times. */
const normalizeTime = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{2}:\d{2}$/.test(value) ? `${value}:00` : value);

const Coordinate = (limit: number, example: number) => (target: object, key: string) => {
  ApiPropertyOptional({ type: Number, minimum: -limit, maximum: limit, nullable: true, example })(target, key);
  IsNullable()(target, key);
  IsDecimal(6)(target, key);
  Min(-limit)(target, key);
  Max(limit)(target, key);
};

export class CreateLeadMilestoneDto {
  @IsCode({ example: 'SITE_VISIT', description: 'An active milestone type of the tenant' })
  milestone_type_code: string;

  @ApiProperty({ ...apiDay("A calendar day, stored as typed; not before the day the lead was created (in the tenant's time zone)"), example: '2026-03-02' })
  @Validate(IsCalendarDate)
  achieved_date: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    pattern: TIME.source,
    maxLength: 8,
    example: '14:30',
    description: 'HH:MM or HH:MM:SS, the wall-clock time of achieved_date, stored as typed; answered as HH:MM:SS',
  })
  @IsNullable()
  @Transform(normalizeTime)
  @IsString()
  @Matches(TIME, { message: 'achieved_time must be HH:MM or HH:MM:SS' })
  achieved_time?: string | null;

  @ApiPropertyOptional({ enum: MILESTONE_STATUSES, default: 'completed' })
  @IsOmittable()
  @IsIn(MILESTONE_STATUSES)
  status?: MilestoneStatus;

  @IsText(5000, { description: "Refused (400) when the type's allows_notes is false" })
  notes?: string | null;

  @Coordinate(90, 48.8566)
  location_latitude?: number | null;

  @Coordinate(180, 2.3522)
  location_longitude?: number | null;

  @IsLabel(200)
  location_name?: string | null;

  @ApiInteger({ optional: true, nullable: true, minimum: 0, maximum: 1_000_000 })
  @IsNullable()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  duration_minutes?: number | null;

  @ApiPropertyOptional({ enum: OUTCOMES, nullable: true })
  @IsNullable()
  @IsIn(OUTCOMES)
  outcome?: Outcome | null;

  @IsFlag({ default: false })
  follow_up_required?: boolean;

  @ApiPropertyOptional({ ...apiDay(), nullable: true })
  @IsNullable()
  @Validate(IsCalendarDate)
  follow_up_date?: string | null;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', format: 'uri', pattern: '^https://', maxLength: 2000 },
    maxItems: MAX_DOCUMENTS,
    default: [],
    description: "https URLs; refused (400) when the type's allows_attachment is false",
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(MAX_DOCUMENTS)
  @IsString({ each: true })
  @CodePointLength(0, 2000, { each: true })
  @HasNoControlCharacters({}, { each: true })
  @IsUrl({ protocols: ['https'], require_protocol: true, require_tld: false }, { each: true, message: 'each document URL must be an https URL' })
  document_urls?: string[];

  @IsSmallJsonObject()
  metadata?: Record<string, unknown>;
}

/**
 * What a PATCH may change: the status and outcome, the notes and the follow-up, and when the
 * milestone was achieved (moving it in the lead's chain). Type, location, documents and metadata are
 * fixed at creation: record a new milestone (and delete the wrong one) to change them.
 */
export class UpdateLeadMilestoneDto extends PartialType(
  PickType(CreateLeadMilestoneDto, ['achieved_date', 'achieved_time', 'status', 'outcome', 'notes', 'follow_up_required', 'follow_up_date'] as const),
  { skipNullProperties: false },
) {}

export class ListLeadMilestonesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Also list soft-deleted milestones (admin only)', default: false })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  include_deleted: boolean = false;
}

export class LeadMilestoneResponseDto extends BaseResponseDto {
  @ApiInteger()
  lead_id: number;
  @ApiInteger()
  milestone_type_id: number;
  @ApiProperty({ example: 'SITE_VISIT' })
  type_code: string;
  @ApiProperty({ example: 'Site visit', description: "The type's name when the milestone was recorded" })
  type_name: string;
  @ApiProperty({ format: 'date' })
  achieved_date: string;
  @ApiProperty({ type: String, nullable: true, example: '14:30:00' })
  achieved_time: string | null;
  @ApiProperty({ enum: MILESTONE_STATUSES })
  status: MilestoneStatus;
  @ApiProperty({ type: String, nullable: true })
  notes: string | null;
  @ApiProperty({ type: Number, nullable: true })
  location_latitude: number | null;
  @ApiProperty({ type: Number, nullable: true })
  location_longitude: number | null;
  @ApiProperty({ type: String, nullable: true })
  location_name: string | null;
  @ApiInteger({ nullable: true })
  duration_minutes: number | null;
  @ApiProperty({ enum: OUTCOMES, nullable: true })
  outcome: Outcome | null;
  @ApiProperty()
  follow_up_required: boolean;
  @ApiProperty({ type: String, format: 'date', nullable: true })
  follow_up_date: string | null;
  @ApiProperty({ type: [String] })
  document_urls: string[];
  @ApiProperty({ type: 'object', additionalProperties: true })
  metadata: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true, description: 'Who set the status to completed; null unless completed' })
  completed_by: string | null;
  @ApiInteger({ nullable: true, description: "Whole days since the lead's previous live milestone; null for the first" })
  days_from_previous: number | null;
  @ApiProperty({ description: "days_from_previous > the type's sla_days (false without either)" })
  sla_breached: boolean;
}

export class TimelineMilestoneDto extends LeadMilestoneResponseDto {
  @ApiInteger({ description: "Whole days since the lead's first milestone" })
  cumulative_days: number;
  @ApiInteger({ nullable: true, description: "The type's current sla_days" })
  sla_days: number | null;
}

export class LeadTimelineResponseDto {
  @ApiInteger()
  lead_id: number;
  @ApiProperty({ type: [TimelineMilestoneDto], description: 'Live milestones in chain order (achieved_date, achieved_time, id)' })
  milestones: TimelineMilestoneDto[];
  @ApiInteger({ description: 'Whole days from the first to the last milestone; 0 with fewer than two' })
  total_days: number;
  @ApiProperty({ type: String, nullable: true, description: 'Type code of the last completed milestone in chain order' })
  current_milestone: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'First code of the default standard template not yet completed' })
  next_expected: string | null;
  @ApiInteger({ nullable: true, description: 'The default standard template (live and active), if any' })
  template_id: number | null;
  @ApiProperty({ type: Number, nullable: true, description: "Completed codes of that template's sequence / its length × 100" })
  progress_percent: number | null;
}
