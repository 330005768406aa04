import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblemResponses } from '../../common/errors/problem.dto';
import { ApiIntegerParam } from '../../common/http/api-integer';
import { parseIfMatch, setEtag } from '../../common/http/etag';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { ConfigListQueryDto, ListResponseDto } from '../../common/http/list.dto';
import { ADMIN_ONLY, ANY_ROLE, Roles } from '../../tenancy/roles.decorator';
import {
  AttributionDryRunDto,
  AttributionDryRunResponseDto,
  AttributionRuleResponseDto,
  CreateAttributionRuleDto,
  UpdateAttributionRuleDto,
} from './attribution-rule.dto';
import { AttributionRuleEntity } from './attribution-rule.entity';
import { AttributionRulesService } from './attribution-rules.service';

const RULE_ID = new IdParamPipe('attribution rule');
const IF_MATCH = 'With If-Match, answers 412 unless the rule is still at that version.';

/**
 * `/attribution-rules`: how a touch's UTM parameters map to a lead source, subsource, channel,
 * campaign and campaign channel (docs/attribution.md, "Mapping rules"). Every role reads; writes, the
 * restore and the dry-run are the admin's.
 */
@ApiTags('Attribution rules')
@Controller('attribution-rules')
export class AttributionRulesController {
  constructor(private readonly rules: AttributionRulesService) {}

  private reply(reply: FastifyReply, row: AttributionRuleEntity): AttributionRuleResponseDto {
    setEtag(reply, row.version);
    return this.rules.toResponse(row);
  }

  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'listAttributionRules',
    summary: 'List attribution rules',
    description: 'In the order resolution tries them: priority, then id. Inactive and deleted rules as for every configuration list.',
  })
  @ApiOkResponse({ type: ListResponseDto(AttributionRuleResponseDto) })
  @ApiProblemResponses(400)
  list(@Query() query: ConfigListQueryDto) {
    return this.rules.list(query);
  }

  @Post()
  @Roles(...ADMIN_ONLY)
  @ApiOperation({
    operationId: 'createAttributionRule',
    summary: 'Create an attribution rule',
    description:
      'At least one condition (utm_source, utm_medium, utm_campaign). The codes must name live rows of the tenant, the subsource one of that source (400 naming each bad field).',
  })
  @ApiCreatedResponse({ type: AttributionRuleResponseDto })
  @ApiProblemResponses(400, 413, 415)
  async create(@Body() body: CreateAttributionRuleDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.reply(reply, await this.rules.create(body));
  }

  @Post('dry-run')
  @HttpCode(200)
  @Roles(...ADMIN_ONLY)
  @ApiOperation({
    operationId: 'dryRunAttributionRules',
    summary: 'Resolve a touch without recording it',
    description:
      'What a touch with these UTM parameters resolves to now: the first active rule in (priority, id) order that matches and whose codes are all live, the rules that matched before it but were skipped (a code no longer live), or UNMAPPED/UNMAPPED when none applies. Every field is optional; an empty touch is unmapped.',
  })
  @ApiOkResponse({ type: AttributionDryRunResponseDto })
  @ApiProblemResponses(400, 413, 415)
  dryRun(@Body() body: AttributionDryRunDto) {
    return this.rules.dryRun(body);
  }

  @Get(':id')
  @Roles(...ANY_ROLE)
  @ApiOperation({ operationId: 'getAttributionRule', summary: 'Get an attribution rule', description: 'A live rule by id, with its version as ETag.' })
  @ApiIntegerParam('id')
  @ApiOkResponse({ type: AttributionRuleResponseDto })
  @ApiProblemResponses(404)
  async get(@Param('id', RULE_ID) id: number, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.reply(reply, await this.rules.get(id));
  }

  @Patch(':id')
  @Roles(...ADMIN_ONLY)
  @ApiOperation({
    operationId: 'updateAttributionRule',
    summary: 'Update an attribution rule',
    description: `Partial update: omitted fields stay as they are; null removes a condition or an optional code; a new source_code clears sub_source_code unless the body names one. Codes the body names anew must be live. ${IF_MATCH}`,
  })
  @ApiIntegerParam('id')
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version you read, e.g. "3"' })
  @ApiOkResponse({ type: AttributionRuleResponseDto })
  @ApiProblemResponses(400, 404, 412, 413, 415)
  async update(
    @Param('id', RULE_ID) id: number,
    @Body() body: UpdateAttributionRuleDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.reply(reply, await this.rules.update(id, body, parseIfMatch(ifMatch)));
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles(...ADMIN_ONLY)
  @ApiOperation({
    operationId: 'deleteAttributionRule',
    summary: 'Delete an attribution rule',
    description: `Soft delete (204): the rule is no longer tried; leads it placed keep their codes; an admin can restore it. ${IF_MATCH}`,
  })
  @ApiIntegerParam('id')
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblemResponses(404, 412)
  async remove(@Param('id', RULE_ID) id: number, @Headers('if-match') ifMatch: string | undefined) {
    await this.rules.remove(id, parseIfMatch(ifMatch));
  }

  @Post(':id/restore')
  @HttpCode(200)
  @Roles(...ADMIN_ONLY)
  @ApiOperation({
    operationId: 'restoreAttributionRule',
    summary: 'Restore a deleted attribution rule',
    description: 'Brings a deleted rule back as it was; a code deleted meanwhile makes it skipped at resolution, not refused. Takes no body.',
  })
  @ApiIntegerParam('id')
  @ApiOkResponse({ type: AttributionRuleResponseDto })
  @ApiProblemResponses(404)
  async restore(@Param('id', RULE_ID) id: number, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.reply(reply, await this.rules.restore(id));
  }
}
