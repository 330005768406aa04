import { ApiProperty } from '@nestjs/swagger';
import { Max, Min, Validate, ValidateIf } from 'class-validator';
import { apiDay, IsCalendarDate } from '../../common/http/date-range.dto';
import { IsDecimal, MONEY_MAX } from '../../common/validation/decorators';

/** POST /lead-sources/{source_code}/subsources/{sub_source_code}/costs: both fields required. */
export class CreateSubsourceCostDto {
  @ApiProperty({ type: Number, minimum: 0, maximum: MONEY_MAX, multipleOf: 0.01, example: 20, description: 'The cost of one lead from valid_from on' })
  @IsDecimal(2)
  @Min(0)
  @Max(MONEY_MAX)
  cost_per_lead: number;

  @ApiProperty({
    ...apiDay("The first day (of the tenant's time zone) the cost is in force; not after the tenant's today; null: from the beginning"),
    nullable: true,
    example: '2026-03-01',
  })
  @ValidateIf((_o, value) => value !== null)
  @Validate(IsCalendarDate)
  valid_from: string | null;
}

export class SubsourceCostResponseDto {
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2026-03-01', description: 'First day in force; null: from the beginning' })
  valid_from: string | null;
  @ApiProperty({ example: 20 })
  cost_per_lead: number;
  @ApiProperty({ format: 'date-time' })
  created_at: string;
  @ApiProperty({ example: 'user-1' })
  created_by: string;
  @ApiProperty({ format: 'date-time', description: 'When the cost of this day was last replaced (created_at if never)' })
  updated_at: string;
  @ApiProperty({ example: 'user-1' })
  updated_by: string;
}

export class SubsourceCostListDto {
  @ApiProperty({ type: [SubsourceCostResponseDto], description: 'By valid_from, the entry from the beginning first' })
  data: SubsourceCostResponseDto[];
}
