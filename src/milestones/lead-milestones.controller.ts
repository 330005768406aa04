import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblemResponses } from '../common/errors/problem.dto';
import { parseIfMatch, setEtag } from '../common/http/etag';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { ListResponseDto } from '../common/http/list.dto';
import { ANY_ROLE, FACT_WRITERS, Roles } from '../tenancy/roles.decorator';
import {
  CreateLeadMilestoneDto,
  LeadMilestoneResponseDto,
  LeadTimelineResponseDto,
  ListLeadMilestonesQueryDto,
  UpdateLeadMilestoneDto,
} from './dto/lead-milestone.dto';
import { LeadMilestonesService } from './lead-milestones.service';
import { ApiIntegerParam } from '../common/http/api-integer';

const LEAD_ID = new IdParamPipe('lead');
const MILESTONE_ID = new IdParamPipe('lead milestone');

/**
 * `/milestones/{lead_id}` (a lead's milestones and timeline) and `/lead-milestones/{id}` (one
 * milestone). Lead ids are numeric (IdParamPipe): `/milestones/analytics/…` never reaches here.
 */
@ApiTags('Lead milestones')
@Controller()
export class LeadMilestonesController {
  constructor(private readonly milestones: LeadMilestonesService) {}

  @Get('milestones/:lead_id')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'listLeadMilestones',
    summary: "List a lead's milestones",
    description:
      "A lead's live milestones, by achieved_date, achieved_time (a milestone without a time first within its day), then id; each with days_from_previous. 404 for a lead of another tenant.",
  })
  @ApiIntegerParam('lead_id')
  @ApiOkResponse({ type: ListResponseDto(LeadMilestoneResponseDto) })
  @ApiProblemResponses(400, 404)
  list(@Param('lead_id', LEAD_ID) leadId: number, @Query() query: ListLeadMilestonesQueryDto) {
    return this.milestones.list(leadId, query);
  }

  @Post('milestones/:lead_id')
  @Roles(...FACT_WRITERS)
  @ApiOperation({
    operationId: 'createLeadMilestone',
    summary: 'Record a milestone of a lead',
    description:
      "The type must be a live, active milestone type of the tenant; achieved_date may not precede the lead's creation day and may be in the future (planned). A back-dated milestone is inserted in the chain and every days_from_previous of the lead stays right. Location, documents and notes only where the type allows them (400); skipped on a mandatory type is 409.",
  })
  @ApiIntegerParam('lead_id')
  @ApiCreatedResponse({ type: LeadMilestoneResponseDto })
  @ApiProblemResponses(400, 404, 409, 413, 415)
  async create(@Param('lead_id', LEAD_ID) leadId: number, @Body() body: CreateLeadMilestoneDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { row, response } = await this.milestones.create(leadId, body);
    setEtag(reply, row.version);
    return response;
  }

  @Get('milestones/:lead_id/timeline')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'getLeadTimeline',
    summary: "Get a lead's timeline",
    description:
      "The lead's milestones with cumulative days and SLA breaches, the current milestone, the next expected one and the progress against the tenant's default standard template.",
  })
  @ApiIntegerParam('lead_id')
  @ApiOkResponse({ type: LeadTimelineResponseDto })
  @ApiProblemResponses(404)
  timeline(@Param('lead_id', LEAD_ID) leadId: number) {
    return this.milestones.timeline(leadId);
  }

  @Patch('lead-milestones/:id')
  @Roles(...FACT_WRITERS)
  @ApiOperation({
    operationId: 'updateLeadMilestone',
    summary: 'Update a lead milestone',
    description:
      'Partial update of status, outcome, notes, follow-up and achieved date/time (a move in the chain keeps every days_from_previous right); type, location, documents and metadata are fixed. With If-Match, answers 412 unless the milestone is still at that version.',
  })
  @ApiIntegerParam('id')
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version you read, e.g. "3"' })
  @ApiOkResponse({ type: LeadMilestoneResponseDto })
  @ApiProblemResponses(400, 404, 409, 412, 413, 415)
  async update(
    @Param('id', MILESTONE_ID) id: number,
    @Body() body: UpdateLeadMilestoneDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const row = await this.milestones.update(id, body, parseIfMatch(ifMatch));
    setEtag(reply, row.version);
    return this.milestones.toResponse(row);
  }

  @Delete('lead-milestones/:id')
  @HttpCode(204)
  @Roles(...FACT_WRITERS)
  @ApiOperation({
    operationId: 'deleteLeadMilestone',
    summary: 'Delete a lead milestone',
    description:
      "Soft delete (204): the milestone leaves every read and figure, and the chain closes over it (its successor's days_from_previous is recomputed). With If-Match, answers 412 unless it is still at that version.",
  })
  @ApiIntegerParam('id')
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblemResponses(404, 412)
  async remove(@Param('id', MILESTONE_ID) id: number, @Headers('if-match') ifMatch: string | undefined) {
    await this.milestones.remove(id, parseIfMatch(ifMatch));
  }
}
