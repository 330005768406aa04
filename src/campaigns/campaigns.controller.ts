import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { CodeParamPipe } from '../common/config-resource/code-param.pipe';
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
  @ApiOperation({ summary: 'List campaigns, newest start_date first (filters campaign_type_code, status_code, channel_code)' })
  @ApiOkResponse({ type: ListResponseDto(CampaignResponseDto) })
  @ApiProblemResponses(400)
  list(@Query() query: ListCampaignsQueryDto) {
    return this.campaigns.list(query);
  }

  @Post()
  @Roles(...CAMPAIGN_WRITERS)
  @ApiOperation({ summary: 'Create a campaign (in the initial status unless status_code says otherwise)' })
  @ApiCreatedResponse({ type: CampaignResponseDto })
  @ApiProblemResponses(400, 409, 413, 415)
  async create(@Body() body: CreateCampaignDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.reply(reply, await this.campaigns.create(body));
  }

  @Get(':campaign_code')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'Get a campaign' })
  @ApiParam({ name: 'campaign_code' })
  @ApiOkResponse({ type: CampaignResponseDto })
  @ApiProblemResponses(404)
  async get(@Param('campaign_code', CodeParamPipe) code: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.reply(reply, await this.campaigns.get(code));
  }

  @Patch(':campaign_code')
  @Roles(...CAMPAIGN_WRITERS)
  @ApiOperation({ summary: 'Change a campaign (partial; 409 while its status does not allow editing)' })
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
  @ApiOperation({ summary: 'Delete a campaign (soft; it stops counting in analytics; restorable by an admin)' })
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
  @ApiOperation({ summary: 'Restore a deleted campaign (admin; 409 if its code was reused)' })
  @ApiParam({ name: 'campaign_code' })
  @ApiOkResponse({ type: CampaignResponseDto })
  @ApiProblemResponses(404, 409)
  async restore(@Param('campaign_code', CodeParamPipe) code: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.reply(reply, await this.campaigns.restore(code));
  }

  @Post(':campaign_code/transition')
  @HttpCode(200)
  @Roles(...CAMPAIGN_WRITERS)
  @ApiOperation({ summary: "Move the campaign to another status along the current status's allowed_transitions" })
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
