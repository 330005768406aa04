import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { JsonNumber } from '../../common/numbers/exact-json';
import { ApiAttributionModel, TrendQueryDto } from '../../common/http/date-range.dto';
import { AttributionModel } from '../../common/analytics/attribution';
import { IsCode } from '../../common/validation/decorators';
import { ApiInteger } from '../../common/http/api-integer';
import { RangeResponseDto, WithRange, TrendRangeResponseDto } from '../../common/http/range-response.dto';

export class SourceFiguresDto {
  @ApiInteger({ description: 'Live leads created in the range' })
  leads_generated: number;
  @ApiInteger({ description: 'Of those, contacted_at set (contacted or a later stage)' })
  leads_contacted: number;
  @ApiInteger({ description: 'Of those, qualified_at set' })
  leads_qualified: number;
  @ApiInteger({ description: 'Of those, status converted' })
  leads_converted: number;
  @ApiInteger({ description: 'Of those, status lost' })
  leads_lost: number;
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

const WITH_MODEL = 'Present when `model` is given (without it the answer is the one of before models).';

/**
 * What the request's model credits (`?model=`, docs/attribution.md): beside the figures of the leads'
 * own codes, their leads, conversions and converted value shared over their touches. Under model=first
 * they equal leads_generated, leads_converted and revenue.
 */
export class AttributedSourceFiguresDto {
  @ApiPropertyOptional({
    type: Number,
    description: `Leads created in the range credited here under the model (exact, up to 6 decimals). ${WITH_MODEL}`,
    example: 12.5,
  })
  attributed_leads?: JsonNumber;
  @ApiPropertyOptional({ type: Number, description: `Of those credits, the ones of converted leads. ${WITH_MODEL}`, example: 3.333333 })
  attributed_conversions?: JsonNumber;
  @ApiPropertyOptional({
    type: Number,
    description: `Σ converted_value of converted leads, shared over their touches by the model (to the cent). ${WITH_MODEL}`,
  })
  attributed_revenue?: JsonNumber;
}

export class SourceFiguresWithAttributionDto extends IntersectionType(SourceFiguresDto, AttributedSourceFiguresDto) {}

export class SubsourcePerformanceDto extends SourceFiguresWithAttributionDto {
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

export class SourcePerformanceDto extends SourceFiguresWithAttributionDto {
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

export class SourceTrendPointDto extends AttributedSourceFiguresDto {
  @ApiProperty({ format: 'date', description: "The period's first day (weeks start on the tenant's week_start, Monday unless set)" })
  date: string;
  @ApiProperty()
  source_code: string;
  @ApiProperty()
  source_name: string;
  @ApiInteger({ description: 'Live leads created in the period' })
  leads_generated: number;
  @ApiInteger({ description: 'Of those, converted (by creation cohort)' })
  conversions: number;
  @ApiProperty({ type: Number, description: 'Σ converted_value of those conversions' })
  revenue: JsonNumber;
}

export class SourceTrendsResponseDto extends TrendRangeResponseDto {
  @ApiProperty({ type: [SourceTrendPointDto] })
  data: SourceTrendPointDto[];
}
