import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { ApiProblemResponses } from '../common/errors/problem.dto';
import { parseIfMatch, setEtag } from '../common/http/etag';
import { ListResponseDto } from '../common/http/list.dto';
import { ADMIN_ONLY, ANY_ROLE, CAMPAIGN_WRITERS, CONFIG_WRITERS, Roles } from '../tenancy/roles.decorator';
import { CampaignTemplateEntity } from './campaign-template.entity';
import { CampaignTemplatesService } from './campaign-templates.service';
import { CampaignsService } from './campaigns.service';
import {
  CampaignTemplateResponseDto,
  CreateCampaignTemplateDto,
  ListCampaignTemplatesQueryDto,
  UpdateCampaignTemplateDto,
} from './dto/campaign-template.dto';
import { CampaignResponseDto, InstantiateCampaignDto } from './dto/campaign.dto';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { ApiIntegerParam } from '../common/http/api-integer';

const TEMPLATE_ID = new IdParamPipe('campaign template');

/** `/campaign-templates`: templates by id, ordered is_default desc, template_name; and instantiation. */
@ApiTags('Campaign templates')
@Controller('campaign-templates')
export class CampaignTemplatesController {
  constructor(
    private readonly templates: CampaignTemplatesService,
    private readonly campaigns: CampaignsService,
  ) {}

  private reply(reply: FastifyReply, row: CampaignTemplateEntity): CampaignTemplateResponseDto {
    setEtag(reply, row.version);
    return this.templates.toResponse(row);
  }

  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'List campaign templates (filter campaign_type_code)' })
  @ApiOkResponse({ type: ListResponseDto(CampaignTemplateResponseDto) })
  @ApiProblemResponses(400)
  list(@Query() query: ListCampaignTemplatesQueryDto) {
    return this.templates.list(query);
  }

  @Post()
  @Roles(...CONFIG_WRITERS)
  @ApiOperation({ summary: 'Create a campaign template' })
  @ApiCreatedResponse({ type: CampaignTemplateResponseDto })
  @ApiProblemResponses(400, 413, 415)
  async create(@Body() body: CreateCampaignTemplateDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.reply(reply, await this.templates.create(body));
  }

  @Get(':id')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'Get a campaign template' })
  @ApiIntegerParam('id')
  @ApiOkResponse({ type: CampaignTemplateResponseDto })
  @ApiProblemResponses(404)
  async get(@Param('id', TEMPLATE_ID) id: number, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.reply(reply, await this.templates.get(id));
  }

  @Patch(':id')
  @Roles(...CONFIG_WRITERS)
  @ApiOperation({ summary: 'Change a campaign template (partial)' })
  @ApiIntegerParam('id')
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version you read, e.g. "3"' })
  @ApiOkResponse({ type: CampaignTemplateResponseDto })
  @ApiProblemResponses(400, 404, 412, 413, 415)
  async update(
    @Param('id', TEMPLATE_ID) id: number,
    @Body() body: UpdateCampaignTemplateDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.reply(reply, await this.templates.update(id, body, parseIfMatch(ifMatch)));
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles(...CONFIG_WRITERS)
  @ApiOperation({ summary: 'Delete a campaign template (soft; restorable by an admin)' })
  @ApiIntegerParam('id')
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblemResponses(404, 412)
  async remove(@Param('id', TEMPLATE_ID) id: number, @Headers('if-match') ifMatch: string | undefined) {
    await this.templates.remove(id, parseIfMatch(ifMatch));
  }

  @Post(':id/activate')
  @HttpCode(200)
  @Roles(...CONFIG_WRITERS)
  @ApiOperation({ summary: 'Activate a campaign template' })
  @ApiIntegerParam('id')
  @ApiOkResponse({ type: CampaignTemplateResponseDto })
  @ApiProblemResponses(404)
  async activate(@Param('id', TEMPLATE_ID) id: number, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.reply(reply, await this.templates.setActive(id, true));
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @Roles(...CONFIG_WRITERS)
  @ApiOperation({ summary: 'Deactivate a campaign template' })
  @ApiIntegerParam('id')
  @ApiOkResponse({ type: CampaignTemplateResponseDto })
  @ApiProblemResponses(404)
  async deactivate(@Param('id', TEMPLATE_ID) id: number, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.reply(reply, await this.templates.setActive(id, false));
  }

  @Post(':id/restore')
  @HttpCode(200)
  @Roles(...ADMIN_ONLY)
  @ApiOperation({ summary: 'Restore a deleted campaign template (admin)' })
  @ApiIntegerParam('id')
  @ApiOkResponse({ type: CampaignTemplateResponseDto })
  @ApiProblemResponses(404)
  async restore(@Param('id', TEMPLATE_ID) id: number, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.reply(reply, await this.templates.restore(id));
  }

  @Post(':id/instantiate')
  @Roles(...CAMPAIGN_WRITERS)
  @ApiOperation({ summary: "Create a campaign from the template's defaults, with the body's overrides" })
  @ApiIntegerParam('id')
  @ApiCreatedResponse({ type: CampaignResponseDto })
  @ApiProblemResponses(400, 404, 409, 413, 415)
  async instantiate(@Param('id', TEMPLATE_ID) id: number, @Body() body: InstantiateCampaignDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const campaign = await this.campaigns.instantiate(id, body);
    setEtag(reply, campaign.version);
    return this.campaigns.toResponse(campaign);
  }
}
