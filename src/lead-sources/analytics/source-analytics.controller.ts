import { Controller, Get, Param, Query } from '@nestjs/common';
import { AnalyticsRoute } from '../../common/analytics/analytics-admission';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CodeParamPipe } from '../../common/config-resource/code-param.pipe';
import { ApiProblemResponses } from '../../common/errors/problem.dto';
import { DateRangeQueryDto, resolveDateRange } from '../../common/http/date-range.dto';
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
  @ApiOperation({ summary: 'Every source over a date range (leads by creation day), by leads_generated desc' })
  @ApiOkResponse({ type: AllSourcesPerformanceResponseDto })
  @ApiProblemResponses(400)
  all(@Query() query: DateRangeQueryDto) {
    return this.analytics.all(resolveDateRange(query));
  }

  @Get('analytics/trends')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'Leads, conversions and revenue per period and source, zero-filled' })
  @ApiOkResponse({ type: SourceTrendsResponseDto })
  @ApiProblemResponses(400, 404)
  trends(@Query() query: SourceTrendsQueryDto) {
    return this.analytics.trends(resolveDateRange(query), query.interval ?? 'day', query.source_code);
  }

  @Get(':source_code/performance')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: "One source's funnel, cost and ROI over a date range, with its subsources" })
  @ApiParam({ name: 'source_code' })
  @ApiOkResponse({ type: SourcePerformanceResponseDto })
  @ApiProblemResponses(400, 404)
  source(@Param('source_code', CodeParamPipe) code: string, @Query() query: DateRangeQueryDto) {
    return this.analytics.source(code, resolveDateRange(query));
  }

  @Get(':source_code/subsources/:sub_source_code/performance')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: "One subsource's figures over a date range" })
  @ApiParam({ name: 'source_code' })
  @ApiParam({ name: 'sub_source_code' })
  @ApiOkResponse({ type: SubsourcePerformanceResponseDto })
  @ApiProblemResponses(400, 404)
  subsource(
    @Param('source_code', CodeParamPipe) source: string,
    @Param('sub_source_code', CodeParamPipe) sub: string,
    @Query() query: DateRangeQueryDto,
  ) {
    return this.analytics.subsource(source, sub, resolveDateRange(query));
  }
}
