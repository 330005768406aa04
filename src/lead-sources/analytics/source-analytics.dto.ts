import { ApiProperty } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { JsonNumber } from '../../common/numbers/exact-json';
import { ApiAttributionModel, TrendQueryDto } from '../../common/http/date-range.dto';
import { AttributionModel } from '../../common/analytics/attribution';
import { IsCode } from '../../common/validation/decorators';
import { RangeResponseDto, WithRange, TrendRangeResponseDto } from '../../common/http/range-response.dto';

/** A count: whole under the default model; under a touch model, credited leads (exact, up to 6 decimals). */
const Count = (description: string) =>
  ApiProperty({ type: Number, description: `${description}. Under a touch model (model=…), credited leads, up to 6 decimals`, example: 12 });

export class SourceFiguresDto {
  @Count('Live leads created in the range')
  leads_generated: JsonNumber;
  @Count('Of those, contacted_at set (contacted or a later stage)')
  leads_contacted: JsonNumber;
  @Count('Of those, qualified_at set')
  leads_qualified: JsonNumber;
  @Count('Of those, status converted')
  leads_converted: JsonNumber;
  @Count('Of those, status lost')
  leads_lost: JsonNumber;
  @ApiProperty({ type: Number, nullable: true, description: 'converted / generated × 100' })
  conversion_rate: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'qualified / generated × 100' })
  qualification_rate: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Mean days from created_at to converted_at over converted leads' })
  average_days_to_close: number | null;
  @ApiProperty({ type: Number, description: 'Σ expected_value' })
  total_value: JsonNumber;
  @ApiProperty({ type: Number, description: 'Σ converted_value of converted leads' })
  revenue: JsonNumber;
  @ApiProperty({ type: Number, description: 'Σ acquisition_cost' })
  total_cost: JsonNumber;
  @ApiProperty({ type: Number, nullable: true, description: 'total_cost / generated' })
  cost_per_lead: JsonNumber | null;
  @ApiProperty({ type: Number, nullable: true, description: 'total_cost / converted' })
  cost_per_conversion: JsonNumber | null;
  @ApiProperty({ type: Number, nullable: true, description: '(revenue − total_cost) / total_cost × 100' })
  roi: JsonNumber | null;
}

export class SubsourcePerformanceDto extends SourceFiguresDto {
  @ApiProperty()
  sub_source_code: string;
  @ApiProperty()
  sub_source_name: string;
}

export class SubsourcePerformanceResponseDto extends SubsourcePerformanceDto {
  @ApiProperty()
  source_code: string;
  @ApiProperty({ format: 'date' })
  start_date: string;
  @ApiProperty({ format: 'date' })
  end_date: string;
}

export class SourcePerformanceDto extends SourceFiguresDto {
  @ApiProperty()
  source_code: string;
  @ApiProperty()
  source_name: string;
  @ApiProperty({ type: [SubsourcePerformanceDto] })
  sub_sources: SubsourcePerformanceDto[];
}

export class SourcePerformanceResponseDto extends WithRange(SourcePerformanceDto) {}

export class AllSourcesPerformanceResponseDto extends RangeResponseDto {
  @ApiProperty({ type: [SourcePerformanceDto], description: 'Ordered by leads_generated desc, then source_code' })
  data: SourcePerformanceDto[];
}

export class SourceTrendsQueryDto extends TrendQueryDto {
  @IsCode({ optional: true, description: 'Only this source' })
  @IsOptional()
  source_code?: string;

  @ApiAttributionModel()
  model?: AttributionModel;
}

export class SourceTrendPointDto {
  @ApiProperty({ format: 'date', description: "The period's first day (weeks start on the tenant's week_start, Monday unless set)" })
  date: string;
  @ApiProperty()
  source_code: string;
  @ApiProperty()
  source_name: string;
  @Count('Live leads created in the period')
  leads_generated: JsonNumber;
  @Count('Of those, converted (by creation cohort)')
  conversions: JsonNumber;
  @ApiProperty({ type: Number, description: 'Σ converted_value of those conversions' })
  revenue: JsonNumber;
}

export class SourceTrendsResponseDto extends TrendRangeResponseDto {
  @ApiProperty({ type: [SourceTrendPointDto] })
  data: SourceTrendPointDto[];
}
