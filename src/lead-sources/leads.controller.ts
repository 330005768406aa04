import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblemResponses } from '../common/errors/problem.dto';
import { parseIfMatch, setEtag } from '../common/http/etag';
import { ApiIntegerParam } from '../common/http/api-integer';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { ListResponseDto } from '../common/http/list.dto';
import { ANY_ROLE, FACT_WRITERS, Roles } from '../tenancy/roles.decorator';
import { BulkCreateLeadsDto, BulkCreateLeadsResponseDto, CreateLeadDto, LeadResponseDto, ListLeadsQueryDto, UpdateLeadDto } from './dto/lead.dto';
import { LeadsService } from './leads.service';

/** Lead ids in the path; a malformed one is a lead not found. */
const LEAD_ID = new IdParamPipe('lead');

@ApiTags('Leads')
@Controller('leads')
export class LeadsController {
  constructor(private readonly leads: LeadsService) {}

  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'listLeads',
    summary: 'List leads',
    description:
      'Live leads, newest first (created_at desc, id desc). The code filters match every row that had the code, deleted ones included; created_from/created_to are inclusive days of the time zone of the tenant (GET /settings); sub_source_code needs source_code.',
  })
  @ApiOkResponse({ type: ListResponseDto(LeadResponseDto) })
  @ApiProblemResponses(400)
  list(@Query() query: ListLeadsQueryDto) {
    return this.leads.list(query);
  }

  @Post()
  @Roles(...FACT_WRITERS)
  @ApiOperation({
    operationId: 'createLead',
    summary: 'Record a lead',
    description:
      'The source must be a live source of the tenant (and the subsource one of its subsources). Stage timestamps are stamped from the status at created_at; created_at may be back-filled, at most 5 minutes ahead. A lead_code used by a live lead is 409.',
  })
  @ApiCreatedResponse({ type: LeadResponseDto })
  @ApiProblemResponses(400, 409, 413, 415)
  async create(@Body() body: CreateLeadDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { row, response } = await this.leads.create(body);
    setEtag(reply, row.version);
    return response;
  }

  @Post('bulk')
  @Roles(...FACT_WRITERS)
  @ApiOperation({
    operationId: 'createLeadsBulk',
    summary: 'Record leads in bulk',
    description:
      'Up to 5,000 leads (body up to 8 MiB), all or nothing: on any invalid row (duplicate lead_codes included), 400 names every bad row by index and nothing is stored.',
  })
  @ApiCreatedResponse({ type: BulkCreateLeadsResponseDto })
  @ApiProblemResponses(400, 413, 415)
  async createBulk(@Body() body: BulkCreateLeadsDto): Promise<BulkCreateLeadsResponseDto> {
    const { responses } = await this.leads.createBulk(body.leads);
    return { created: responses.length, data: responses };
  }

  @Get(':id')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'getLead',
    summary: 'Get a lead',
    description: 'A live lead by id, with its version as ETag.',
  })
  @ApiIntegerParam('id')
  @ApiOkResponse({ type: LeadResponseDto })
  @ApiProblemResponses(404)
  async get(@Param('id', LEAD_ID) id: number, @Res({ passthrough: true }) reply: FastifyReply) {
    const lead = await this.leads.get(id);
    setEtag(reply, lead.version);
    return this.leads.toResponse(lead);
  }

  @Patch(':id')
  @Roles(...FACT_WRITERS)
  @ApiOperation({
    operationId: 'updateLead',
    summary: 'Update a lead',
    description:
      'Partial update of status (stamps the stage timestamps reached the first time), values and references (those named must be live; moving to another source clears the subsource unless one is named). created_at is fixed. With If-Match, answers 412 unless the lead is still at that version.',
  })
  @ApiIntegerParam('id')
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiOkResponse({ type: LeadResponseDto })
  @ApiProblemResponses(400, 404, 409, 412, 413, 415)
  async update(
    @Param('id', LEAD_ID) id: number,
    @Body() body: UpdateLeadDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const lead = await this.leads.update(id, body, parseIfMatch(ifMatch));
    setEtag(reply, lead.version);
    return this.leads.toResponse(lead);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles(...FACT_WRITERS)
  @ApiOperation({
    operationId: 'deleteLead',
    summary: 'Delete a lead',
    description:
      'Soft delete (204): the lead and its milestones stop counting in analytics. There is no lead restore. With If-Match, answers 412 unless the lead is still at that version.',
  })
  @ApiIntegerParam('id')
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblemResponses(404, 412)
  async remove(@Param('id', LEAD_ID) id: number, @Headers('if-match') ifMatch: string | undefined) {
    await this.leads.remove(id, parseIfMatch(ifMatch));
  }
}
