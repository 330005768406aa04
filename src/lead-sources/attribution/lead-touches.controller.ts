import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../../common/errors/problem.dto';
import { ApiIntegerParam } from '../../common/http/api-integer';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { ListResponseDto, PageQueryDto } from '../../common/http/list.dto';
import { ANY_ROLE, FACT_WRITERS, Roles } from '../../tenancy/roles.decorator';
import { TouchDto, TouchResponseDto } from '../dto/touch.dto';
import { LeadTouches, MAX_TOUCHES_PER_LEAD } from './lead-touches.service';

const LEAD_ID = new IdParamPipe('lead');

@ApiTags('Leads')
@Controller('leads')
export class LeadTouchesController {
  constructor(private readonly touches: LeadTouches) {}

  @Get(':id/touches')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'listLeadTouches',
    summary: "List a lead's touches",
    description: "The lead's touches in path order (occurred_at, then id), each with where its credit goes (attributed_to).",
  })
  @ApiIntegerParam('id')
  @ApiOkResponse({ type: ListResponseDto(TouchResponseDto) })
  @ApiProblemResponses(400, 404)
  list(@Param('id', LEAD_ID) id: number, @Query() query: PageQueryDto) {
    return this.touches.list(id, query);
  }

  @Post(':id/touches')
  @Roles(...FACT_WRITERS)
  @ApiOperation({
    operationId: 'recordLeadTouch',
    summary: 'Record a later touch of a lead',
    description:
      "A later visit of the lead, attributed by the tenant's attribution rules as they are now (UNMAPPED when none matches). " +
      `occurred_at defaults to now and may not be before the lead's first point; a lead keeps at most ${MAX_TOUCHES_PER_LEAD} touches (409 past that). ` +
      "The lead's attribution credits move at once; its first_touch never changes.",
  })
  @ApiIntegerParam('id')
  @ApiCreatedResponse({ type: TouchResponseDto })
  @ApiProblemResponses(400, 404, 409, 413, 415)
  record(@Param('id', LEAD_ID) id: number, @Body() body: TouchDto) {
    return this.touches.record(id, body);
  }
}
