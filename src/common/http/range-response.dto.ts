import { Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INTERVALS, Interval } from '../analytics/periods';

/** The range an analytics answer covers (inclusive days of the tenant's time zone), as its first fields. */
export class RangeResponseDto {
  @ApiProperty({ format: 'date' })
  start_date: string;
  @ApiProperty({ format: 'date' })
  end_date: string;
}

/** A trends answer's range and the interval its points are grouped by. */
export class TrendRangeResponseDto extends RangeResponseDto {
  @ApiPropertyOptional({ enum: INTERVALS })
  interval: Interval;
}

/** A one-row answer: the row's fields, then the range it covers (start_date, end_date). */
export function WithRange<Row extends Type<object>>(row: Row): Type<InstanceType<Row> & RangeResponseDto> {
  class RowWithRange extends row {
    @ApiProperty({ format: 'date' })
    start_date: string;
    @ApiProperty({ format: 'date' })
    end_date: string;
  }
  return RowWithRange as unknown as Type<InstanceType<Row> & RangeResponseDto>;
}
