import { Body, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblemResponses } from '../common/errors/problem.dto';
import { ApiIntegerParam } from '../common/http/api-integer';
import { setEtag } from '../common/http/etag';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { createTemplateController } from '../config-resource/template.controller';
import { CAMPAIGN_WRITERS, Roles } from '../tenancy/roles.decorator';
import { CampaignTemplatesService } from './campaign-templates.service';
import { CampaignsService } from './campaigns.service';
import { CampaignTemplateResponseDto, CreateCampaignTemplateDto, ListCampaignTemplatesQueryDto, UpdateCampaignTemplateDto } from './dto/campaign-template.dto';
import { CampaignResponseDto, InstantiateCampaignDto } from './dto/campaign.dto';

const TEMPLATE_ID = new IdParamPipe('campaign template');

/** The route only campaign templates have: a campaign from a template. */
class CampaignTemplateRoutes {
  @Inject(CampaignsService) private readonly campaigns!: CampaignsService;

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

/** `/campaign-templates`: templates by id, ordered is_default desc, template_name; and instantiation. */
export const CampaignTemplatesController = createTemplateController({
  path: 'campaign-templates',
  tag: 'Campaign templates',
  label: 'campaign template',
  service: CampaignTemplatesService,
  createDto: CreateCampaignTemplateDto,
  updateDto: UpdateCampaignTemplateDto,
  responseDto: CampaignTemplateResponseDto,
  listQueryDto: ListCampaignTemplatesQueryDto,
  descriptions: {
    list: "The tenant's campaign templates, defaults first, then by template_name; filter campaign_type_code.",
    create: 'The campaign type, default channels and default budget type must be live codes of the tenant.',
  },
  activation: {
    deactivate: 'Sets is_active to false and answers the template; an inactive template cannot be instantiated (409). Takes no body.',
  },
  routes: CampaignTemplateRoutes,
});
