import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
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
  @ApiOperation({ summary: 'List live leads, newest first' })
  @ApiOkResponse({ type: ListResponseDto(LeadResponseDto) })
  @ApiProblemResponses(400)
  list(@Query() query: ListLeadsQueryDto) {
    return this.leads.list(query);
  }

  @Post()
  @Roles(...FACT_WRITERS)
  @ApiOperation({ summary: 'Record a lead' })
  @ApiCreatedResponse({ type: LeadResponseDto })
  @ApiProblemResponses(400, 409, 413, 415)
  async create(@Body() body: CreateLeadDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { row, response } = await this.leads.create(body);
    setEtag(reply, row.version);
    return response;
  }

  @Post('bulk')
  @Roles(...FACT_WRITERS)
  @ApiOperation({ summary: 'Record up to 5,000 leads, all or nothing (400 names every bad row by index)' })
  @ApiCreatedResponse({ type: BulkCreateLeadsResponseDto })
  @ApiProblemResponses(400, 413, 415)
  async createBulk(@Body() body: BulkCreateLeadsDto): Promise<BulkCreateLeadsResponseDto> {
    const { responses } = await this.leads.createBulk(body.leads);
    return { created: responses.length, data: responses };
  }

  @Get(':id')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'Get a lead' })
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
  @ApiOperation({ summary: 'Change a lead: status (stamps stage timestamps), values, references' })
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
  @ApiOperation({ summary: 'Delete a lead (soft): it stops counting in analytics' })
  @ApiIntegerParam('id')
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblemResponses(404, 412)
  async remove(@Param('id', LEAD_ID) id: number, @Headers('if-match') ifMatch: string | undefined) {
    await this.leads.remove(id, parseIfMatch(ifMatch));
  }
}
