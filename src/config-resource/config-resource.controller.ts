import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Patch, Post, Query, Res, Type } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ANY_ROLE, ADMIN_ONLY, Roles } from '../tenancy/roles.decorator';
import { Role } from '../tenancy/tenant-context';
import { ApiProblemResponses } from '../common/errors/problem.dto';
import { parseIfMatch, setEtag } from '../common/http/etag';
import { ConfigListQueryDto, ListResponseDto } from '../common/http/list.dto';
import { CodeParamPipe } from '../common/http/code-param.pipe';
import { CodedEntity } from './coded.repository';
import { ConfigListQuery, ConfigResourceService } from './config-resource.service';

export interface ConfigControllerOptions<E extends CodedEntity, R extends object, Q extends ConfigListQueryDto> {
  path: string;
  tag: string;
  /** `{channel_code}` in the route. */
  codeParam: string;
  /** `lead channel`, for summaries and operation ids. */
  label: string;
  /** Default: the label + `s`. */
  plural?: string;
  service: Type<ConfigResourceService<E, R>>;
  createDto: Type<object>;
  updateDto: Type<object>;
  responseDto: Type<R>;
  listQueryDto?: Type<Q>;
  writers: Role[];
}

/**
 * Builds the eight routes every code-addressed configuration resource has (API.md §1, §3, §5): list,
 * create, get, patch, delete, activate, deactivate, restore. Each resource supplies its DTOs, service
 * and roles; the rules live in ConfigResourceService.
 */
export function createConfigResourceController<E extends CodedEntity, R extends object, Q extends ConfigListQueryDto>(
  o: ConfigControllerOptions<E, R, Q>,
): Type<unknown> {
  const codeParam = `:${o.codeParam}`;
  const plural = o.plural ?? `${o.label}s`;
  // `lead source` → `LeadSource`, for operation ids such as listLeadSources, getLeadSource.
  const pascal = (words: string) => words.replace(/(^|\s)(\w)/g, (_m, _s, c: string) => c.toUpperCase());
  const one = pascal(o.label);
  const many = pascal(plural);
  const ListDto = ListResponseDto(o.responseDto);
  const QueryDto = o.listQueryDto ?? ConfigListQueryDto;

  @ApiTags(o.tag)
  @Controller(o.path)
  class ConfigResourceController {
    constructor(@Inject(o.service) readonly service: ConfigResourceService<E, R>) {}

    @Get()
    @Roles(...ANY_ROLE)
    @ApiOperation({
      operationId: `list${many}`,
      summary: `List ${plural}`,
      description: `The tenant's ${plural}, by display_order, then name. Inactive rows only with include_inactive=true; soft-deleted ones only with include_deleted=true (admin).`,
    })
    @ApiOkResponse({ type: ListDto })
    @ApiProblemResponses(400)
    list(@Query() query: Q) {
      return this.service.list(query as unknown as ConfigListQuery);
    }

    @Post()
    @Roles(...o.writers)
    @ApiOperation({
      operationId: `create${one}`,
      summary: `Create a ${o.label}`,
      description: `Answers 201 with the stored row (server defaults applied) and its ETag. The code must be unused among the tenant's live ${plural} (409 DUPLICATE_CODE); a deleted row's code may be reused.`,
    })
    @ApiBody({ type: o.createDto })
    @ApiCreatedResponse({ type: o.responseDto })
    @ApiProblemResponses(400, 409, 413, 415)
    async create(@Body() body: object, @Res({ passthrough: true }) reply: FastifyReply) {
      const row = await this.service.create(body);
      setEtag(reply, row.version);
      return this.toResponse(row);
    }

    @Get(codeParam)
    @Roles(...ANY_ROLE)
    @ApiOperation({
      operationId: `get${one}`,
      summary: `Get a ${o.label}`,
      description: `A live ${o.label} by its code, with its version as ETag. A code of another tenant, a deleted one or one that cannot be a code answers 404.`,
    })
    @ApiParam({ name: o.codeParam })
    @ApiOkResponse({ type: o.responseDto })
    @ApiProblemResponses(400, 404)
    async get(@Param(o.codeParam, CodeParamPipe) code: string, @Res({ passthrough: true }) reply: FastifyReply) {
      const row = await this.service.get(code);
      setEtag(reply, row.version);
      return this.toResponse(row);
    }

    @Patch(codeParam)
    @Roles(...o.writers)
    @ApiOperation({
      operationId: `update${one}`,
      summary: `Update a ${o.label}`,
      description: `Partial update: omitted fields stay as they are; the code cannot change (sending it is 400). With If-Match, answers 412 unless the row is still at that version. A PATCH that changes nothing keeps the version.`,
    })
    @ApiParam({ name: o.codeParam })
    @ApiHeader({ name: 'If-Match', required: false, description: 'The version you read, e.g. "3"' })
    @ApiBody({ type: o.updateDto })
    @ApiOkResponse({ type: o.responseDto })
    @ApiProblemResponses(400, 404, 409, 412, 413, 415)
    async update(
      @Param(o.codeParam, CodeParamPipe) code: string,
      @Body() body: object,
      @Headers('if-match') ifMatch: string | undefined,
      @Res({ passthrough: true }) reply: FastifyReply,
    ) {
      const row = await this.service.update(code, body, parseIfMatch(ifMatch));
      setEtag(reply, row.version);
      return this.toResponse(row);
    }

    @Delete(codeParam)
    @HttpCode(204)
    @Roles(...o.writers)
    @ApiOperation({
      operationId: `delete${one}`,
      summary: `Delete a ${o.label}`,
      description: `Soft delete (204): the row leaves every read and its code becomes free, facts that point at it keep pointing at it, and an admin can restore it. With If-Match, answers 412 unless the row is still at that version.`,
    })
    @ApiParam({ name: o.codeParam })
    @ApiHeader({ name: 'If-Match', required: false })
    @ApiNoContentResponse({ description: 'Deleted' })
    @ApiProblemResponses(404, 412)
    async remove(@Param(o.codeParam, CodeParamPipe) code: string, @Headers('if-match') ifMatch: string | undefined) {
      await this.service.remove(code, parseIfMatch(ifMatch));
    }

    @Post(`${codeParam}/activate`)
    @HttpCode(200)
    @Roles(...o.writers)
    @ApiOperation({
      operationId: `activate${one}`,
      summary: `Activate a ${o.label}`,
      description: `Sets is_active to true and answers the row. Takes no body.`,
    })
    @ApiParam({ name: o.codeParam })
    @ApiOkResponse({ type: o.responseDto })
    @ApiProblemResponses(404)
    async activate(@Param(o.codeParam, CodeParamPipe) code: string, @Res({ passthrough: true }) reply: FastifyReply) {
      const row = await this.service.setActive(code, true);
      setEtag(reply, row.version);
      return this.toResponse(row);
    }

    @Post(`${codeParam}/deactivate`)
    @HttpCode(200)
    @Roles(...o.writers)
    @ApiOperation({
      operationId: `deactivate${one}`,
      summary: `Deactivate a ${o.label}`,
      description: `Sets is_active to false and answers the row: it leaves the default list (include_inactive=true still shows it). Takes no body.`,
    })
    @ApiParam({ name: o.codeParam })
    @ApiOkResponse({ type: o.responseDto })
    @ApiProblemResponses(404)
    async deactivate(@Param(o.codeParam, CodeParamPipe) code: string, @Res({ passthrough: true }) reply: FastifyReply) {
      const row = await this.service.setActive(code, false);
      setEtag(reply, row.version);
      return this.toResponse(row);
    }

    @Post(`${codeParam}/restore`)
    @HttpCode(200)
    @Roles(...ADMIN_ONLY)
    @ApiOperation({
      operationId: `restore${one}`,
      summary: `Restore a deleted ${o.label}`,
      description: `Brings back the most recently deleted ${o.label} with this code, with what its delete cascaded to; 409 DUPLICATE_CODE if the code was reused meanwhile. Takes no body.`,
    })
    @ApiParam({ name: o.codeParam })
    @ApiOkResponse({ type: o.responseDto })
    @ApiProblemResponses(404, 409)
    async restore(@Param(o.codeParam, CodeParamPipe) code: string, @Res({ passthrough: true }) reply: FastifyReply) {
      const row = await this.service.restore(code);
      setEtag(reply, row.version);
      return this.toResponse(row);
    }

    toResponse(row: E): R {
      return this.service.toResponse(row);
    }
  }
  // TypeScript emits `Object` as the parameter type of a generic class; name the real DTO classes so
  // that the global ValidationPipe validates them and Swagger documents them, as for any controller.
  const paramTypes: [string, unknown[]][] = [
    ['list', [QueryDto]],
    ['create', [o.createDto, Object]],
    ['update', [String, o.updateDto, String, Object]],
  ];
  for (const [method, types] of paramTypes) {
    Reflect.defineMetadata('design:paramtypes', types, ConfigResourceController.prototype, method);
  }
  Object.defineProperty(ConfigResourceController, 'name', {
    value: `${o.tag.replace(/[^A-Za-z]/g, '')}Controller`,
  });
  return ConfigResourceController;
}
