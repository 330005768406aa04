import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CodeParamPipe } from '../common/http/code-param.pipe';
import { ApiProblemResponses } from '../common/errors/problem.dto';
import { parseIfMatch, setEtag } from '../common/http/etag';
import { ListResponseDto } from '../common/http/list.dto';
import { ADMIN_ONLY, ANY_ROLE, CAMPAIGN_WRITERS, Roles } from '../tenancy/roles.decorator';
import { CampaignEntity } from './campaign.entity';
import { CampaignsService } from './campaigns.service';
import { CampaignResponseDto, CreateCampaignDto, ListCampaignsQueryDto, TransitionCampaignDto, UpdateCampaignDto } from './dto/campaign.dto';

/** `/campaigns`: campaigns by code, their transitions, delete and restore. */
@ApiTags('Campaigns')
@Controller('campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  private reply(reply: FastifyReply, row: CampaignEntity): CampaignResponseDto {
    setEtag(reply, row.version);
    return this.campaigns.toResponse(row);
  }

  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'listCampaigns',
    summary: 'List campaigns',
    description: "The tenant's campaigns, newest start_date first; filters campaign_type_code, status_code and channel_code.",
  })
  @ApiOkResponse({ type: ListResponseDto(CampaignResponseDto) })
  @ApiProblemResponses(400)
  list(@Query() query: ListCampaignsQueryDto) {
    return this.campaigns.list(query);
  }

  @Post()
  @Roles(...CAMPAIGN_WRITERS)
  @ApiOperation({
    operationId: 'createCampaign',
    summary: 'Create a campaign',
    description:
      "Created in the tenant's initial status unless status_code says otherwise. The type, channels, budget type and status must be live codes of the tenant; a budget outside the type's min/max is 400; end_date may not precede start_date.",
  })
  @ApiCreatedResponse({ type: CampaignResponseDto })
  @ApiProblemResponses(400, 409, 413, 415)
  async create(@Body() body: CreateCampaignDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.reply(reply, await this.campaigns.create(body));
  }

  @Get(':campaign_code')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'getCampaign',
    summary: 'Get a campaign',
    description: 'A live campaign by code, with its channels, totals and its version as ETag.',
  })
  @ApiParam({ name: 'campaign_code' })
  @ApiOkResponse({ type: CampaignResponseDto })
  @ApiProblemResponses(404)
  async get(@Param('campaign_code', CodeParamPipe) code: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.reply(reply, await this.campaigns.get(code));
  }

  @Patch(':campaign_code')
  @Roles(...CAMPAIGN_WRITERS)
  @ApiOperation({
    operationId: 'updateCampaign',
    summary: 'Update a campaign',
    description:
      "Partial update: omitted fields stay as they are; the code cannot change. 409 while the campaign's status does not allow editing. With If-Match, answers 412 unless the campaign is still at that version.",
  })
  @ApiParam({ name: 'campaign_code' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version you read, e.g. "3"' })
  @ApiOkResponse({ type: CampaignResponseDto })
  @ApiProblemResponses(400, 404, 409, 412, 413, 415)
  async update(
    @Param('campaign_code', CodeParamPipe) code: string,
    @Body() body: UpdateCampaignDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.reply(reply, await this.campaigns.update(code, body, parseIfMatch(ifMatch)));
  }

  @Delete(':campaign_code')
  @HttpCode(204)
  @Roles(...CAMPAIGN_WRITERS)
  @ApiOperation({
    operationId: 'deleteCampaign',
    summary: 'Delete a campaign',
    description:
      'Soft delete (204): the campaign and its metrics stop counting in analytics until an admin restores it. With If-Match, answers 412 unless the campaign is still at that version.',
  })
  @ApiParam({ name: 'campaign_code' })
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblemResponses(404, 412)
  async remove(@Param('campaign_code', CodeParamPipe) code: string, @Headers('if-match') ifMatch: string | undefined) {
    await this.campaigns.remove(code, parseIfMatch(ifMatch));
  }

  @Post(':campaign_code/restore')
  @HttpCode(200)
  @Roles(...ADMIN_ONLY)
  @ApiOperation({
    operationId: 'restoreCampaign',
    summary: 'Restore a deleted campaign',
    description:
      'Brings back the most recently deleted campaign with this code, and its figures; 409 DUPLICATE_CODE if the code was reused meanwhile. Takes no body.',
  })
  @ApiParam({ name: 'campaign_code' })
  @ApiOkResponse({ type: CampaignResponseDto })
  @ApiProblemResponses(404, 409)
  async restore(@Param('campaign_code', CodeParamPipe) code: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.reply(reply, await this.campaigns.restore(code));
  }

  @Post(':campaign_code/transition')
  @HttpCode(200)
  @Roles(...CAMPAIGN_WRITERS)
  @ApiOperation({
    operationId: 'transitionCampaign',
    summary: 'Move a campaign to another status',
    description:
      "The target must be listed in the current status's allowed_transitions (an empty list allows any non-initial status) and a final status cannot be left: 409 otherwise. With If-Match, answers 412 unless the campaign is still at that version.",
  })
  @ApiParam({ name: 'campaign_code' })
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiOkResponse({ type: CampaignResponseDto })
  @ApiProblemResponses(400, 404, 409, 412, 413, 415)
  async transition(
    @Param('campaign_code', CodeParamPipe) code: string,
    @Body() body: TransitionCampaignDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.reply(reply, await this.campaigns.transition(code, body.status_code, parseIfMatch(ifMatch)));
  }
}
