import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CodeParamPipe } from '../common/http/code-param.pipe';
import { ApiProblemResponses } from '../common/errors/problem.dto';
import { parseIfMatch, setEtag } from '../common/http/etag';
import { ConfigListQueryDto, ListResponseDto } from '../common/http/list.dto';
import { ADMIN_ONLY, ANY_ROLE, CONFIG_WRITERS, Roles } from '../tenancy/roles.decorator';
import { CreateLeadSubsourceDto, LeadSubsourceResponseDto, UpdateLeadSubsourceDto } from './dto/lead-subsource.dto';
import { LeadSourcesService } from './lead-sources.service';
import { LeadSubsourcesService } from './lead-subsources.service';
import { LeadSubsourceEntity } from './lead-subsource.entity';
import { CreateSubsourceCostDto, SubsourceCostListDto, SubsourceCostResponseDto } from './dto/subsource-cost.dto';
import { toSubsourceCostResponse } from './subsource-costs';

const SUB = ':source_code/subsources/:sub_source_code';

/** `/lead-sources/{source_code}/subsources`: a source's subsources; codes are unique within the source. */
@ApiTags('Lead subsources')
@ApiParam({ name: 'source_code', example: 'SOCIAL' })
@Controller('lead-sources')
export class LeadSubsourcesController {
  constructor(
    private readonly sources: LeadSourcesService,
    private readonly subsources: LeadSubsourcesService,
  ) {}

  private async sourceId(code: string): Promise<number> {
    return (await this.sources.get(code)).id;
  }

  private reply(reply: FastifyReply, row: LeadSubsourceEntity): LeadSubsourceResponseDto {
    setEtag(reply, row.version);
    return this.subsources.toResponse(row);
  }

  @Get(':source_code/subsources')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'listLeadSubsources',
    summary: "List a source's subsources",
    description: 'The subsources of a live source, by display_order, then sub_source_name; inactive and deleted ones as for every configuration list.',
  })
  @ApiOkResponse({ type: ListResponseDto(LeadSubsourceResponseDto) })
  @ApiProblemResponses(400, 404)
  async list(@Param('source_code', CodeParamPipe) source: string, @Query() query: ConfigListQueryDto) {
    return this.subsources.list(query, await this.sourceId(source));
  }

  @Post(':source_code/subsources')
  @Roles(...CONFIG_WRITERS)
  @ApiOperation({
    operationId: 'createLeadSubsource',
    summary: 'Create a subsource',
    description: 'Under a live source; the subsource code is unique within its source among live rows (409 DUPLICATE_CODE).',
  })
  @ApiCreatedResponse({ type: LeadSubsourceResponseDto })
  @ApiProblemResponses(400, 404, 409, 413, 415)
  async create(@Param('source_code', CodeParamPipe) source: string, @Body() body: CreateLeadSubsourceDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.reply(reply, await this.subsources.createUnder(source, body));
  }

  @Get(SUB)
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'getLeadSubsource',
    summary: 'Get a subsource',
    description: 'A live subsource with its counters (leads, conversions, total cost, last activity) and its version as ETag.',
  })
  @ApiOkResponse({ type: LeadSubsourceResponseDto })
  @ApiProblemResponses(404)
  async get(
    @Param('source_code', CodeParamPipe) source: string,
    @Param('sub_source_code', CodeParamPipe) code: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.reply(reply, await this.subsources.get(code, await this.sourceId(source)));
  }

  @Patch(SUB)
  @Roles(...CONFIG_WRITERS)
  @ApiOperation({
    operationId: 'updateLeadSubsource',
    summary: 'Update a subsource',
    description:
      'Partial update: omitted fields stay as they are; the code cannot change. With If-Match, answers 412 unless the subsource is still at that version.',
  })
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiOkResponse({ type: LeadSubsourceResponseDto })
  @ApiProblemResponses(400, 404, 412, 413, 415)
  async update(
    @Param('source_code', CodeParamPipe) source: string,
    @Param('sub_source_code', CodeParamPipe) code: string,
    @Body() body: UpdateLeadSubsourceDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.reply(reply, await this.subsources.update(code, body, parseIfMatch(ifMatch), await this.sourceId(source)));
  }

  @Delete(SUB)
  @HttpCode(204)
  @Roles(...CONFIG_WRITERS)
  @ApiOperation({
    operationId: 'deleteLeadSubsource',
    summary: 'Delete a subsource',
    description:
      'Soft delete (204): leads that name it keep naming it and still count under its code; an admin can restore it. With If-Match, answers 412 unless it is still at that version.',
  })
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblemResponses(404, 412)
  async remove(
    @Param('source_code', CodeParamPipe) source: string,
    @Param('sub_source_code', CodeParamPipe) code: string,
    @Headers('if-match') ifMatch: string | undefined,
  ) {
    await this.subsources.remove(code, parseIfMatch(ifMatch), await this.sourceId(source));
  }

  @Post(`${SUB}/activate`)
  @HttpCode(200)
  @Roles(...CONFIG_WRITERS)
  @ApiOperation({
    operationId: 'activateLeadSubsource',
    summary: 'Activate a subsource',
    description: 'Sets is_active to true and answers the subsource. Takes no body.',
  })
  @ApiOkResponse({ type: LeadSubsourceResponseDto })
  @ApiProblemResponses(404)
  async activate(
    @Param('source_code', CodeParamPipe) source: string,
    @Param('sub_source_code', CodeParamPipe) code: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.reply(reply, await this.subsources.setActive(code, true, await this.sourceId(source)));
  }

  @Post(`${SUB}/deactivate`)
  @HttpCode(200)
  @Roles(...CONFIG_WRITERS)
  @ApiOperation({
    operationId: 'deactivateLeadSubsource',
    summary: 'Deactivate a subsource',
    description: 'Sets is_active to false and answers the subsource. Takes no body.',
  })
  @ApiOkResponse({ type: LeadSubsourceResponseDto })
  @ApiProblemResponses(404)
  async deactivate(
    @Param('source_code', CodeParamPipe) source: string,
    @Param('sub_source_code', CodeParamPipe) code: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.reply(reply, await this.subsources.setActive(code, false, await this.sourceId(source)));
  }

  @Post(`${SUB}/restore`)
  @HttpCode(200)
  @Roles(...ADMIN_ONLY)
  @ApiOperation({
    operationId: 'restoreLeadSubsource',
    summary: 'Restore a deleted subsource',
    description:
      'Brings back the most recently deleted subsource with this code, under a live source; 409 DUPLICATE_CODE if the code was reused meanwhile. Takes no body.',
  })
  @ApiOkResponse({ type: LeadSubsourceResponseDto })
  @ApiProblemResponses(404, 409)
  async restore(
    @Param('source_code', CodeParamPipe) source: string,
    @Param('sub_source_code', CodeParamPipe) code: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.reply(reply, await this.subsources.restoreUnder(source, code));
  }

  @Get(`${SUB}/costs`)
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'listLeadSubsourceCosts',
    summary: "A subsource's cost history",
    description:
      "The cost_per_lead of a live subsource by the day it is in force from (a day of the tenant's time zone), ordered by valid_from, the entry from the beginning (valid_from null) first. A new lead without acquisition_cost takes the cost in force on its created_at day.",
  })
  @ApiOkResponse({ type: SubsourceCostListDto })
  @ApiProblemResponses(404)
  async costs(@Param('source_code', CodeParamPipe) source: string, @Param('sub_source_code', CodeParamPipe) code: string): Promise<SubsourceCostListDto> {
    return { data: (await this.subsources.costHistory(code, await this.sourceId(source))).map(toSubsourceCostResponse) };
  }

  @Post(`${SUB}/costs`)
  @Roles(...CONFIG_WRITERS)
  @ApiOperation({
    operationId: 'putLeadSubsourceCost',
    summary: "Set a subsource's cost from a day",
    description:
      "Sets the cost_per_lead in force from valid_from (not after the tenant's today; null: from the beginning) until the next entry's day: 201 with a new entry, 200 when it replaces that day's entry. Stored leads keep their acquisition_cost; the subsource's cost_per_lead follows when the latest entry changes (a new version).",
  })
  @ApiCreatedResponse({ type: SubsourceCostResponseDto })
  @ApiOkResponse({ type: SubsourceCostResponseDto })
  @ApiProblemResponses(400, 404, 413, 415)
  async putCost(
    @Param('source_code', CodeParamPipe) source: string,
    @Param('sub_source_code', CodeParamPipe) code: string,
    @Body() body: CreateSubsourceCostDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SubsourceCostResponseDto> {
    const { entry, created } = await this.subsources.putCost(code, body, await this.sourceId(source));
    reply.status(created ? 201 : 200);
    return toSubsourceCostResponse(entry);
  }
}
