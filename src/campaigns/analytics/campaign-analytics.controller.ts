import { Controller, Get, Param, Query } from '@nestjs/common';
import { AnalyticsRoute } from '../../common/analytics/analytics-admission';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CodeParamPipe } from '../../common/http/code-param.pipe';
import { ApiProblemResponses } from '../../common/errors/problem.dto';
import { AttributedRangeQueryDto } from '../../common/http/date-range.dto';
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
  @ApiOperation({
    operationId: 'getCampaignTypePerformance',
    summary: 'Get a campaign type’s performance',
    description:
      'One campaign type over a date range: campaigns, budget, spend, leads, conversions, revenue, CPL, ROI and conversion rate. A deleted type still reports its facts under its code; an unknown code is 404.',
  })
  @ApiParam({ name: 'type_code', example: 'EMAIL_BLAST' })
  @ApiOkResponse({ type: CampaignTypePerformanceDto })
  @ApiProblemResponses(400, 404)
  type(@Param('type_code', CodeParamPipe) code: string, @Query() query: AttributedRangeQueryDto) {
    return this.analytics.typePerformance(code, query);
  }

  @Get('types')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'listCampaignTypePerformance',
    summary: 'Get every campaign type’s performance',
    description: 'Every campaign type over a date range, by total_spent desc, then code.',
  })
  @ApiOkResponse({ type: CampaignTypePerformanceListDto })
  @ApiProblemResponses(400)
  types(@Query() query: AttributedRangeQueryDto) {
    return this.analytics.typesPerformance(query);
  }

  @Get('channel/:channel_code/performance')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'getCampaignChannelPerformance',
    summary: 'Get a campaign channel’s performance',
    description:
      'One campaign channel over a date range: campaigns, allocated budget, spend, impressions, clicks, leads, conversions, revenue, CPL, CPM, CTR, CPC, conversion rate and ROI.',
  })
  @ApiParam({ name: 'channel_code', example: 'EMAIL' })
  @ApiOkResponse({ type: ChannelPerformanceDto })
  @ApiProblemResponses(400, 404)
  channel(@Param('channel_code', CodeParamPipe) code: string, @Query() query: AttributedRangeQueryDto) {
    return this.analytics.channelPerformance(code, query);
  }

  @Get('channels')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'listCampaignChannelPerformance',
    summary: 'Get every campaign channel’s performance',
    description: 'Every campaign channel over a date range, by total_spent desc, then code.',
  })
  @ApiOkResponse({ type: ChannelPerformanceListDto })
  @ApiProblemResponses(400)
  channels(@Query() query: AttributedRangeQueryDto) {
    return this.analytics.channelsPerformance(query);
  }

  @Get('trends')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'getCampaignTrends',
    summary: 'Get campaign trends',
    description:
      'A zero-filled series per day, week or month: campaigns launched, budget, spend, impressions, clicks, leads, conversions, revenue, CPL and ROI; filters campaign_type_code and channel_code.',
  })
  @ApiOkResponse({ type: CampaignTrendsDto })
  @ApiProblemResponses(400)
  trends(@Query() query: CampaignTrendsQueryDto) {
    return this.analytics.trends(query);
  }
}
