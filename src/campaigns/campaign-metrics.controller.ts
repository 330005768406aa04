import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CodeParamPipe } from '../common/http/code-param.pipe';
import { ApiProblemResponses } from '../common/errors/problem.dto';
import { setEtag } from '../common/http/etag';
import { ListResponseDto } from '../common/http/list.dto';
import { ANY_ROLE, CAMPAIGN_WRITERS, Roles } from '../tenancy/roles.decorator';
import { CampaignMetricsService } from './campaign-metrics.service';
import { toCampaignMetricResponse } from './campaign.mapper';
import {
  BulkWriteCampaignMetricsDto,
  BulkWriteResultDto,
  CampaignMetricResponseDto,
  ListCampaignMetricsQueryDto,
  WriteCampaignMetricDto,
} from './dto/campaign-metric.dto';

/** `/campaigns/{campaign_code}/metrics`: daily per-channel figures. */
@ApiTags('Campaign metrics')
@ApiParam({ name: 'campaign_code', example: 'SPRING_2026' })
@Controller('campaigns')
export class CampaignMetricsController {
  constructor(private readonly metrics: CampaignMetricsService) {}

  @Get(':campaign_code/metrics')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'listCampaignMetrics',
    summary: "List a campaign's metrics",
    description: "A campaign's daily metric rows, by day then channel; filters channel_code, start_date and end_date.",
  })
  @ApiOkResponse({ type: ListResponseDto(CampaignMetricResponseDto) })
  @ApiProblemResponses(400, 404)
  list(@Param('campaign_code', CodeParamPipe) code: string, @Query() query: ListCampaignMetricsQueryDto) {
    return this.metrics.list(code, query);
  }

  @Put(':campaign_code/metrics')
  @Roles(...CAMPAIGN_WRITERS)
  @ApiOperation({
    operationId: 'putCampaignMetric',
    summary: 'Write one day of one channel',
    description:
      "Upsert of the (campaign, channel, day) row: the body is the whole row. 201 when new, 200 when it replaced a row. The channel must be one of the campaign's; 409 while the campaign's status does not allow editing.",
  })
  @ApiOkResponse({ type: CampaignMetricResponseDto, description: 'Replaced' })
  @ApiCreatedResponse({ type: CampaignMetricResponseDto, description: 'Created' })
  @ApiProblemResponses(400, 404, 409, 413, 415)
  async put(@Param('campaign_code', CodeParamPipe) code: string, @Body() body: WriteCampaignMetricDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { row, created } = await this.metrics.put(code, body);
    reply.status(created ? 201 : 200);
    setEtag(reply, row.version);
    return toCampaignMetricResponse(row, code);
  }

  @Post(':campaign_code/metrics/bulk')
  @HttpCode(200)
  @Roles(...CAMPAIGN_WRITERS)
  @ApiOperation({
    operationId: 'bulkWriteCampaignMetrics',
    summary: 'Write metric rows in bulk',
    description:
      'Up to 5,000 rows (body up to 8 MiB), all or nothing: on any invalid row, 400 names every bad row by index and nothing is stored. The same (channel, day) keeps the last write.',
  })
  @ApiOkResponse({ type: BulkWriteResultDto })
  @ApiProblemResponses(400, 404, 409, 413, 415)
  bulk(@Param('campaign_code', CodeParamPipe) code: string, @Body() body: BulkWriteCampaignMetricsDto) {
    return this.metrics.bulk(code, body.metrics);
  }
}
