import { Controller, Get, Param, Query } from '@nestjs/common';
import { AnalyticsRoute } from '../../common/analytics/analytics-admission';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CodeParamPipe } from '../../common/http/code-param.pipe';
import { ApiProblemResponses } from '../../common/errors/problem.dto';
import { AttributedRangeQueryDto } from '../../common/http/date-range.dto';
import { ANY_ROLE, Roles } from '../../tenancy/roles.decorator';
import {
  AllSourcesPerformanceResponseDto,
  SourcePerformanceResponseDto,
  SourceTrendsQueryDto,
  SourceTrendsResponseDto,
  SubsourcePerformanceResponseDto,
} from './source-analytics.dto';
import { SourceAnalyticsService } from './source-analytics.service';

@ApiTags('Lead-source analytics')
@Controller('lead-sources')
@AnalyticsRoute()
export class SourceAnalyticsController {
  constructor(private readonly analytics: SourceAnalyticsService) {}

  @Get('analytics/performance')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'listLeadSourcePerformance',
    summary: 'Get every lead source’s performance',
    description:
      'Every source over a date range, counting live leads by the day they were created in the time zone of the tenant (a cohort view), by leads_generated desc, then code. Live sources with no leads appear with zeros.',
  })
  @ApiOkResponse({ type: AllSourcesPerformanceResponseDto })
  @ApiProblemResponses(400)
  all(@Query() query: AttributedRangeQueryDto) {
    return this.analytics.all(query);
  }

  @Get('analytics/trends')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'getLeadSourceTrends',
    summary: 'Get lead-source trends',
    description:
      'Leads, conversions and revenue per period (day, week or month; weeks start on the week_start setting) and source, zero-filled for every source with a lead in the range; source_code narrows to one code.',
  })
  @ApiOkResponse({ type: SourceTrendsResponseDto })
  @ApiProblemResponses(400, 404)
  trends(@Query() query: SourceTrendsQueryDto) {
    return this.analytics.trends(query);
  }

  @Get(':source_code/performance')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'getLeadSourcePerformance',
    summary: 'Get a lead source’s performance',
    description:
      'One live source over a date range: funnel counts, conversion and qualification rates, average days to close, value, revenue, cost per lead and per conversion, ROI, and the same figures per subsource.',
  })
  @ApiParam({ name: 'source_code' })
  @ApiOkResponse({ type: SourcePerformanceResponseDto })
  @ApiProblemResponses(400, 404)
  source(@Param('source_code', CodeParamPipe) code: string, @Query() query: AttributedRangeQueryDto) {
    return this.analytics.source(code, query);
  }

  @Get(':source_code/subsources/:sub_source_code/performance')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'getLeadSubsourcePerformance',
    summary: 'Get a subsource’s performance',
    description: "One live subsource over a date range: the same figures as a source's performance.",
  })
  @ApiParam({ name: 'source_code' })
  @ApiParam({ name: 'sub_source_code' })
  @ApiOkResponse({ type: SubsourcePerformanceResponseDto })
  @ApiProblemResponses(400, 404)
  subsource(
    @Param('source_code', CodeParamPipe) source: string,
    @Param('sub_source_code', CodeParamPipe) sub: string,
    @Query() query: AttributedRangeQueryDto,
  ) {
    return this.analytics.subsource(source, sub, query);
  }
}
