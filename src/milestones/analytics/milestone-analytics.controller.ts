import { Controller, Get, Query } from '@nestjs/common';
import { AnalyticsRoute } from '../../common/analytics/analytics-admission';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../../common/errors/problem.dto';
import { DateRangeQueryDto, resolveDateRange } from '../../common/http/date-range.dto';
import { ANY_ROLE, Roles } from '../../tenancy/roles.decorator';
import { TenantCalendar } from '../../tenancy/tenant-calendar';
import { BottlenecksQueryDto, BottlenecksResponseDto, CompletionResponseDto, TimeTrendsQueryDto, TimeTrendsResponseDto } from './milestone-analytics.dto';
import { MilestoneAnalyticsService } from './milestone-analytics.service';

/** Static paths: registered before `/milestones/:lead_id/…`, and Fastify prefers static segments anyway. */
@ApiTags('Milestone analytics')
@Controller('milestones/analytics')
@AnalyticsRoute()
export class MilestoneAnalyticsController {
  constructor(
    private readonly analytics: MilestoneAnalyticsService,
    private readonly calendar: TenantCalendar,
  ) {}

  /** The range rules of API.md §1, "today" being the tenant's. */
  private async range(query: DateRangeQueryDto) {
    return resolveDateRange(query, (await this.calendar.read()).today());
  }

  @Get('completion')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'getMilestoneCompletion',
    summary: 'Get milestone completion',
    description:
      'Per live milestone type (zero rows included): milestones achieved in the range by status, and the completion rate; ordered by completion_rate desc, nulls last.',
  })
  @ApiOkResponse({ type: CompletionResponseDto })
  @ApiProblemResponses(400)
  async completion(@Query() query: DateRangeQueryDto) {
    return this.analytics.completion(await this.range(query));
  }

  @Get('time-trends')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'getMilestoneTimeTrends',
    summary: 'Get milestone time trends',
    description:
      "Per period (day, week or month) and type with milestones in the range: count, average days from the lead's creation to achieved_date, completion rate and follow-ups required; type_code narrows to one type.",
  })
  @ApiOkResponse({ type: TimeTrendsResponseDto })
  @ApiProblemResponses(400, 404)
  async timeTrends(@Query() query: TimeTrendsQueryDto) {
    return this.analytics.timeTrends(await this.range(query), query.interval ?? 'day', query.type_code);
  }

  @Get('bottlenecks')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'getMilestoneBottlenecks',
    summary: 'Get milestone bottlenecks',
    description:
      'Transitions between consecutive milestones of each lead whose target is achieved in the range, grouped by (from, to): count, leads affected, mean, exact median and p90 days, completion rate and SLA breach percentage; only groups with average_days ≥ min_average_days, slowest first. template_id keeps the pairs consecutive in that template.',
  })
  @ApiOkResponse({ type: BottlenecksResponseDto })
  @ApiProblemResponses(400, 404)
  async bottlenecks(@Query() query: BottlenecksQueryDto) {
    return this.analytics.bottlenecks(await this.range(query), query.min_average_days ?? 0, query.template_id);
  }
}
