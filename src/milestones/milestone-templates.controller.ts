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
  @ApiOperation({ summary: 'List milestone templates (defaults first, then by name)' })
  @ApiOkResponse({ type: ListResponseDto(MilestoneTemplateResponseDto) })
  @ApiProblemResponses(400)
  list(@Query() query: ListMilestoneTemplatesQueryDto) {
    return this.templates.list(query);
  }

  @Post()
  @Roles(...CONFIG_WRITERS)
  @ApiOperation({ summary: 'Create a milestone template (is_default clears the previous default of its type)' })
  @ApiCreatedResponse({ type: MilestoneTemplateResponseDto })
  @ApiProblemResponses(400, 413, 415)
  async create(@Body() body: CreateMilestoneTemplateDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const row = await this.templates.create(body);
    setEtag(reply, row.version);
    return this.templates.toResponse(row);
  }

  @Get(':id')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'Get a milestone template' })
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
  @ApiOperation({ summary: 'Change a milestone template (partial)' })
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
  @ApiOperation({ summary: 'Delete a milestone template (soft; restorable by an admin)' })
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
  @ApiOperation({ summary: 'Restore a deleted milestone template (admin); not the default if its type has another one now' })
  @ApiIntegerParam('id')
  @ApiOkResponse({ type: MilestoneTemplateResponseDto })
  @ApiProblemResponses(404)
  async restore(@Param('id', TEMPLATE_ID) id: number, @Res({ passthrough: true }) reply: FastifyReply) {
    const row = await this.templates.restore(id);
    setEtag(reply, row.version);
    return this.templates.toResponse(row);
  }
}
