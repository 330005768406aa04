import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { ApiProblemResponses } from '../common/errors/problem.dto';
import { parseIfMatch, setEtag } from '../common/http/etag';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { ListResponseDto } from '../common/http/list.dto';
import { ADMIN_ONLY, ANY_ROLE, CONFIG_WRITERS, Roles } from '../tenancy/roles.decorator';
import {
  CreateMilestoneTemplateDto,
  ListMilestoneTemplatesQueryDto,
  MilestoneTemplateResponseDto,
  UpdateMilestoneTemplateDto,
} from './dto/milestone-template.dto';
import { MilestoneTemplatesService } from './milestone-templates.service';
import { ApiIntegerParam } from '../common/http/api-integer';

const TEMPLATE_ID = new IdParamPipe('milestone template');

@ApiTags('Milestone templates')
@Controller('milestone-templates')
export class MilestoneTemplatesController {
  constructor(private readonly templates: MilestoneTemplatesService) {}

  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'listMilestoneTemplates',
    summary: 'List milestone templates',
    description: "The tenant's milestone templates, defaults first, then by template_name; filter by template_type.",
  })
  @ApiOkResponse({ type: ListResponseDto(MilestoneTemplateResponseDto) })
  @ApiProblemResponses(400)
  list(@Query() query: ListMilestoneTemplatesQueryDto) {
    return this.templates.list(query);
  }

  @Post()
  @Roles(...CONFIG_WRITERS)
  @ApiOperation({
    operationId: 'createMilestoneTemplate',
    summary: 'Create a milestone template',
    description:
      'The sequence names 1..50 distinct live milestone types; estimated_days defaults to the sum of their typical_duration_days. is_default clears the previous default of the same template_type.',
  })
  @ApiCreatedResponse({ type: MilestoneTemplateResponseDto })
  @ApiProblemResponses(400, 413, 415)
  async create(@Body() body: CreateMilestoneTemplateDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const row = await this.templates.create(body);
    setEtag(reply, row.version);
    return this.templates.toResponse(row);
  }

  @Get(':id')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'getMilestoneTemplate',
    summary: 'Get a milestone template',
    description: 'A live milestone template by id, with its version as ETag.',
  })
  @ApiIntegerParam('id')
  @ApiOkResponse({ type: MilestoneTemplateResponseDto })
  @ApiProblemResponses(404)
  async get(@Param('id', TEMPLATE_ID) id: number, @Res({ passthrough: true }) reply: FastifyReply) {
    const row = await this.templates.get(id);
    setEtag(reply, row.version);
    return this.templates.toResponse(row);
  }

  @Patch(':id')
  @Roles(...CONFIG_WRITERS)
  @ApiOperation({
    operationId: 'updateMilestoneTemplate',
    summary: 'Update a milestone template',
    description:
      'Partial update: omitted fields stay as they are; is_default clears the previous default of the same type. With If-Match, answers 412 unless the template is still at that version.',
  })
  @ApiIntegerParam('id')
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version you read, e.g. "3"' })
  @ApiOkResponse({ type: MilestoneTemplateResponseDto })
  @ApiProblemResponses(400, 404, 412, 413, 415)
  async update(
    @Param('id', TEMPLATE_ID) id: number,
    @Body() body: UpdateMilestoneTemplateDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const row = await this.templates.update(id, body, parseIfMatch(ifMatch));
    setEtag(reply, row.version);
    return this.templates.toResponse(row);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles(...CONFIG_WRITERS)
  @ApiOperation({
    operationId: 'deleteMilestoneTemplate',
    summary: 'Delete a milestone template',
    description: 'Soft delete (204); an admin can restore it. With If-Match, answers 412 unless the template is still at that version.',
  })
  @ApiIntegerParam('id')
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblemResponses(404, 412)
  async remove(@Param('id', TEMPLATE_ID) id: number, @Headers('if-match') ifMatch: string | undefined) {
    await this.templates.remove(id, parseIfMatch(ifMatch));
  }

  @Post(':id/restore')
  @HttpCode(200)
  @Roles(...ADMIN_ONLY)
  @ApiOperation({
    operationId: 'restoreMilestoneTemplate',
    summary: 'Restore a deleted milestone template',
    description: 'Brings a deleted template back; it is no longer the default if its template_type has another default now. Takes no body.',
  })
  @ApiIntegerParam('id')
  @ApiOkResponse({ type: MilestoneTemplateResponseDto })
  @ApiProblemResponses(404)
  async restore(@Param('id', TEMPLATE_ID) id: number, @Res({ passthrough: true }) reply: FastifyReply) {
    const row = await this.templates.restore(id);
    setEtag(reply, row.version);
    return this.templates.toResponse(row);
  }
}
