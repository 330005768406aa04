import { Controller, Get, Query } from '@nestjs/common';
import { AnalyticsRoute } from '../../common/analytics/analytics-admission';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../../common/errors/problem.dto';
import { DateRangeQueryDto, resolveDateRange } from '../../common/http/date-range.dto';
import { ANY_ROLE, Roles } from '../../tenancy/roles.decorator';
import { BottlenecksQueryDto, BottlenecksResponseDto, CompletionResponseDto, TimeTrendsQueryDto, TimeTrendsResponseDto } from './milestone-analytics.dto';
import { MilestoneAnalyticsService } from './milestone-analytics.service';

/** Static paths: registered before `/milestones/:lead_id/…`, and Fastify prefers static segments anyway. */
@ApiTags('Milestone analytics')
@Controller('milestones/analytics')
@AnalyticsRoute()
export class MilestoneAnalyticsController {
  constructor(private readonly analytics: MilestoneAnalyticsService) {}

  @Get('completion')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'Per type: milestones achieved in the range by status, and the completion rate' })
  @ApiOkResponse({ type: CompletionResponseDto })
  @ApiProblemResponses(400)
  completion(@Query() query: DateRangeQueryDto) {
    return this.analytics.completion(resolveDateRange(query));
  }

  @Get('time-trends')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'Per period and type: milestones, average days from lead creation, completion rate, follow-ups' })
  @ApiOkResponse({ type: TimeTrendsResponseDto })
  @ApiProblemResponses(400, 404)
  timeTrends(@Query() query: TimeTrendsQueryDto) {
    return this.analytics.timeTrends(resolveDateRange(query), query.interval ?? 'day', query.type_code);
  }

  @Get('bottlenecks')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'Transitions between consecutive milestones of a lead: durations (mean, median, p90), completion, SLA breaches' })
  @ApiOkResponse({ type: BottlenecksResponseDto })
  @ApiProblemResponses(400, 404)
  bottlenecks(@Query() query: BottlenecksQueryDto) {
    return this.analytics.bottlenecks(resolveDateRange(query), query.min_average_days ?? 0, query.template_id);
  }
}
