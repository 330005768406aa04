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
import { CampaignTemplateResponseDto, CreateCampaignTemplateDto, ListCampaignTemplatesQueryDto, UpdateCampaignTemplateDto } from './dto/campaign-template.dto';
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
  @ApiOperation({
    operationId: 'listCampaignTemplates',
    summary: 'List campaign templates',
    description: "The tenant's campaign templates, defaults first, then by template_name; filter campaign_type_code.",
  })
  @ApiOkResponse({ type: ListResponseDto(CampaignTemplateResponseDto) })
  @ApiProblemResponses(400)
  list(@Query() query: ListCampaignTemplatesQueryDto) {
    return this.templates.list(query);
  }

  @Post()
  @Roles(...CONFIG_WRITERS)
  @ApiOperation({
    operationId: 'createCampaignTemplate',
    summary: 'Create a campaign template',
    description: 'The campaign type, default channels and default budget type must be live codes of the tenant.',
  })
  @ApiCreatedResponse({ type: CampaignTemplateResponseDto })
  @ApiProblemResponses(400, 413, 415)
  async create(@Body() body: CreateCampaignTemplateDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.reply(reply, await this.templates.create(body));
  }

  @Get(':id')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'getCampaignTemplate',
    summary: 'Get a campaign template',
    description: 'A live campaign template by id, with its version as ETag.',
  })
  @ApiIntegerParam('id')
  @ApiOkResponse({ type: CampaignTemplateResponseDto })
  @ApiProblemResponses(404)
  async get(@Param('id', TEMPLATE_ID) id: number, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.reply(reply, await this.templates.get(id));
  }

  @Patch(':id')
  @Roles(...CONFIG_WRITERS)
  @ApiOperation({
    operationId: 'updateCampaignTemplate',
    summary: 'Update a campaign template',
    description: 'Partial update: omitted fields stay as they are. With If-Match, answers 412 unless the template is still at that version.',
  })
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
  @ApiOperation({
    operationId: 'deleteCampaignTemplate',
    summary: 'Delete a campaign template',
    description: 'Soft delete (204); an admin can restore it. With If-Match, answers 412 unless the template is still at that version.',
  })
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
  @ApiOperation({
    operationId: 'activateCampaignTemplate',
    summary: 'Activate a campaign template',
    description: 'Sets is_active to true and answers the template. Takes no body.',
  })
  @ApiIntegerParam('id')
  @ApiOkResponse({ type: CampaignTemplateResponseDto })
  @ApiProblemResponses(404)
  async activate(@Param('id', TEMPLATE_ID) id: number, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.reply(reply, await this.templates.setActive(id, true));
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @Roles(...CONFIG_WRITERS)
  @ApiOperation({
    operationId: 'deactivateCampaignTemplate',
    summary: 'Deactivate a campaign template',
    description: 'Sets is_active to false and answers the template; an inactive template cannot be instantiated (409). Takes no body.',
  })
  @ApiIntegerParam('id')
  @ApiOkResponse({ type: CampaignTemplateResponseDto })
  @ApiProblemResponses(404)
  async deactivate(@Param('id', TEMPLATE_ID) id: number, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.reply(reply, await this.templates.setActive(id, false));
  }

  @Post(':id/restore')
  @HttpCode(200)
  @Roles(...ADMIN_ONLY)
  @ApiOperation({
    operationId: 'restoreCampaignTemplate',
    summary: 'Restore a deleted campaign template',
    description: 'Brings a deleted template back. Takes no body.',
  })
  @ApiIntegerParam('id')
  @ApiOkResponse({ type: CampaignTemplateResponseDto })
  @ApiProblemResponses(404)
  async restore(@Param('id', TEMPLATE_ID) id: number, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.reply(reply, await this.templates.restore(id));
  }

  @Post(':id/instantiate')
  @Roles(...CAMPAIGN_WRITERS)
  @ApiOperation({
    operationId: 'instantiateCampaignTemplate',
    summary: 'Create a campaign from a template',
    description:
      "Copies the template's type, channels (allocated 0), budget, budget type, audience and KPIs; end_date is start + duration − 1 (the template's duration, else the type's typical duration, else open-ended). The body overrides any of these; an inactive template is 409.",
  })
  @ApiIntegerParam('id')
  @ApiCreatedResponse({ type: CampaignResponseDto })
  @ApiProblemResponses(400, 404, 409, 413, 415)
  async instantiate(@Param('id', TEMPLATE_ID) id: number, @Body() body: InstantiateCampaignDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const campaign = await this.campaigns.instantiate(id, body);
    setEtag(reply, campaign.version);
    return this.campaigns.toResponse(campaign);
  }
}
