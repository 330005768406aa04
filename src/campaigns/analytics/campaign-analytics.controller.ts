import { Controller, Get, Param, Query } from '@nestjs/common';
import { AnalyticsRoute } from '../../common/analytics/analytics-admission';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CodeParamPipe } from '../../common/config-resource/code-param.pipe';
import { ApiProblemResponses } from '../../common/errors/problem.dto';
import { DateRangeQueryDto } from '../../common/http/date-range.dto';
import { ANY_ROLE, Roles } from '../../tenancy/roles.decorator';
import {
  CampaignTrendsDto,
  CampaignTrendsQueryDto,
  CampaignTypePerformanceDto,
  CampaignTypePerformanceListDto,
  ChannelPerformanceDto,
  ChannelPerformanceListDto,
} from '../dto/campaign-analytics.dto';
import { CampaignAnalyticsService } from './campaign-analytics.service';

/**
 * `/campaigns/analytics/...`. Registered before CampaignsController (and Fastify prefers static
 * segments anyway), so `analytics` is never read as a campaign code; codes are upper-case besides.
 */
@ApiTags('Campaign analytics')
@Controller('campaigns/analytics')
@AnalyticsRoute()
export class CampaignAnalyticsController {
  constructor(private readonly analytics: CampaignAnalyticsService) {}

  @Get('type/:type_code/performance')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'One campaign type over a date range (a deleted type reports its facts under its code)' })
  @ApiParam({ name: 'type_code', example: 'EMAIL_BLAST' })
  @ApiOkResponse({ type: CampaignTypePerformanceDto })
  @ApiProblemResponses(400, 404)
  type(@Param('type_code', CodeParamPipe) code: string, @Query() query: DateRangeQueryDto) {
    return this.analytics.typePerformance(code, query);
  }

  @Get('types')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'Every campaign type over a date range, by total_spent desc' })
  @ApiOkResponse({ type: CampaignTypePerformanceListDto })
  @ApiProblemResponses(400)
  types(@Query() query: DateRangeQueryDto) {
    return this.analytics.typesPerformance(query);
  }

  @Get('channel/:channel_code/performance')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'One campaign channel over a date range' })
  @ApiParam({ name: 'channel_code', example: 'EMAIL' })
  @ApiOkResponse({ type: ChannelPerformanceDto })
  @ApiProblemResponses(400, 404)
  channel(@Param('channel_code', CodeParamPipe) code: string, @Query() query: DateRangeQueryDto) {
    return this.analytics.channelPerformance(code, query);
  }

  @Get('channels')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'Every campaign channel over a date range, by total_spent desc' })
  @ApiOkResponse({ type: ChannelPerformanceListDto })
  @ApiProblemResponses(400)
  channels(@Query() query: DateRangeQueryDto) {
    return this.analytics.channelsPerformance(query);
  }

  @Get('trends')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'Zero-filled series per day, week or month (filters campaign_type_code, channel_code)' })
  @ApiOkResponse({ type: CampaignTrendsDto })
  @ApiProblemResponses(400)
  trends(@Query() query: CampaignTrendsQueryDto) {
    return this.analytics.trends(query);
  }
}
