import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { DateRangeQueryDto, TrendQueryDto } from '../../common/http/date-range.dto';
import { toPlainNumber } from '../../common/http/list.dto';
import { IsCode } from '../../common/validation/decorators';
import { ApiInteger } from '../../common/http/api-integer';
import { RangeResponseDto, TrendRangeResponseDto } from '../../common/http/range-response.dto';

export class CompletionRowDto {
  @ApiProperty()
  type_code: string;
  @ApiProperty()
  type_name: string;
  @ApiInteger({ description: 'Live milestones of this type achieved in the range' })
  total: number;
  @ApiInteger()
  completed: number;
  @ApiInteger({ description: 'pending + in_progress' })
  in_progress: number;
  @ApiInteger()
  skipped: number;
  @ApiInteger()
  failed: number;
  @ApiProperty({ type: Number, nullable: true, description: 'completed / total × 100; null without milestones' })
  completion_rate: number | null;
}

export class CompletionResponseDto extends RangeResponseDto {
  @ApiProperty({
    type: [CompletionRowDto],
    description: 'Every live type (zeros included), and deleted types with milestones in the range; by completion_rate desc, nulls last, then type_code',
  })
  details: CompletionRowDto[];
  @ApiProperty({ format: 'date-time', description: 'When this answer was computed' })
  timestamp: string;
}

export class TimeTrendsQueryDto extends TrendQueryDto {
  @IsCode({
    optional: true,
    example: 'SITE_VISIT',
    description: 'Only this code: every type that has or had it (a deleted one, a code re-used after a delete); 404 when none ever had it',
  })
  @IsOptional()
  type_code?: string;
}

export class TimeTrendPointDto {
  @ApiProperty({ format: 'date', description: "The period's first day (weeks start on the tenant's week_start, Monday unless set)" })
  date: string;
  @ApiProperty()
  type_code: string;
  @ApiInteger({ description: 'Live milestones of this type achieved in the period' })
  milestone_count: number;
  @ApiProperty({ type: Number, nullable: true, description: "Mean whole days from the lead's creation day to achieved_date" })
  average_time_to_hit: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'completed / milestone_count × 100' })
  completion_rate: number | null;
  @ApiInteger({ description: 'Of those, follow_up_required' })
  follow_up_required: number;
}

export class TimeTrendsResponseDto extends TrendRangeResponseDto {
  @ApiProperty({ type: [TimeTrendPointDto], description: 'One row per period and type with milestones in it; by date, then type_code' })
  data: TimeTrendPointDto[];
}

export class BottlenecksQueryDto extends DateRangeQueryDto {
  @ApiPropertyOptional({
    type: Number,
    minimum: 0,
    default: 0,
    description: 'Only transition groups whose average_days (as answered, 2 decimals) is at least this; a plain decimal (`2`, `2.5`, `.5`), anything else 400',
  })
  @IsOptional()
  @Transform(toPlainNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100_000)
  min_average_days?: number;

  @ApiInteger({ optional: true, minimum: 1, maximum: 2_147_483_647, description: "Only pairs that are consecutive in this template's sequence" })
  @IsOptional()
  @Transform(toPlainNumber)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  template_id?: number;
}

export class BottleneckDto {
  @ApiProperty({ description: 'Type code of A' })
  from_milestone: string;
  @ApiProperty({ description: 'Type code of B' })
  to_milestone: string;
  @ApiProperty()
  from_name: string;
  @ApiProperty()
  to_name: string;
  @ApiInteger({ description: 'Consecutive live milestones A→B of a lead, B achieved in the range' })
  transitions: number;
  @ApiInteger({ description: 'Distinct leads among them' })
  leads_affected: number;
  @ApiProperty()
  average_days: number;
  @ApiProperty({ description: 'Exact median (mean of the two middle values for an even count)' })
  median_days: number;
  @ApiProperty({ description: 'Nearest-rank 90th percentile' })
  p90_days: number;
  @ApiProperty({ description: 'Transitions whose B is completed / transitions × 100' })
  completion_rate: number;
  @ApiProperty({ type: Number, nullable: true, description: "Transitions longer than B's sla_days / transitions × 100; null when B has no sla_days" })
  sla_breach_percent: number | null;
}

export class BottlenecksResponseDto extends RangeResponseDto {
  @ApiProperty({ type: [BottleneckDto], description: 'By average_days desc, then from and to codes' })
  data: BottleneckDto[];
}
