import { applyDecorators, Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Patch, Post, Query, Res, Type } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblemResponses } from '../common/errors/problem.dto';
import { ApiIntegerParam } from '../common/http/api-integer';
import { parseIfMatch, setEtag } from '../common/http/etag';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { ListResponseDto } from '../common/http/list.dto';
import { ADMIN_ONLY, ANY_ROLE, CONFIG_WRITERS, Roles } from '../tenancy/roles.decorator';
import { ConfigListQuery } from './list-filter';
import { TemplateEntity } from './template.repository';
import { TemplateService } from './template.service';

export interface TemplateControllerOptions<E extends TemplateEntity, R extends object> {
  /** `campaign-templates`. */
  path: string;
  tag: string;
  /** `campaign template`, for summaries, operation ids and the 404 of a bad id. */
  label: string;
  service: Type<TemplateService<E, R>>;
  createDto: Type<object>;
  updateDto: Type<object>;
  responseDto: Type<R>;
  listQueryDto: Type<object>;
  /** What the kind's list, create, update and restore say beyond the shared wording. */
  descriptions: { list: string; create: string; update?: string; restore?: string };
  /** The activate and deactivate routes, for a kind that has them, with what deactivating means. */
  activation?: { deactivate: string };
  /**
   * A class with the kind's own routes (dependencies by property injection); they come after the
   * shared routes, in the router and in the OpenAPI document.
   */
  routes?: Type<object>;
}

/** The decorators when the route exists for this kind; nothing (no route) otherwise. */
const routeIf = (exists: boolean, ...decorators: MethodDecorator[]): MethodDecorator => (exists ? applyDecorators(...decorators) : () => undefined);

/**
 * Builds the routes every template kind has (API.md §4, §5), addressed by id: list, create, get,
 * patch, delete, restore; activate and deactivate for a kind with `activation`. Each kind supplies its
 * DTOs, service and wording; the rules live in TemplateService.
 */
export function createTemplateController<E extends TemplateEntity, R extends object>(o: TemplateControllerOptions<E, R>): Type<unknown> {
  // `campaign template` → `CampaignTemplate`, for operation ids such as listCampaignTemplates.
  const one = o.label.replace(/(^|\s)(\w)/g, (_m, _s, c: string) => c.toUpperCase());
  const many = `${one}s`;
  const plural = `${o.label}s`;
  const TEMPLATE_ID = new IdParamPipe(o.label);
  const ListDto = ListResponseDto(o.responseDto);
  const activation = o.activation !== undefined;
  const ifMatchRule = 'With If-Match, answers 412 unless the template is still at that version.';

  @ApiTags(o.tag)
  @Controller(o.path)
  class TemplateController extends (o.routes ?? class {}) {
    constructor(@Inject(o.service) readonly templates: TemplateService<E, R>) {
      super();
    }

    reply(reply: FastifyReply, row: E): R {
      setEtag(reply, row.version);
      return this.templates.toResponse(row);
    }

    @Get()
    @Roles(...ANY_ROLE)
    @ApiOperation({ operationId: `list${many}`, summary: `List ${plural}`, description: o.descriptions.list })
    @ApiOkResponse({ type: ListDto })
    @ApiProblemResponses(400)
    list(@Query() query: object) {
      return this.templates.list(query as ConfigListQuery);
    }

    @Post()
    @Roles(...CONFIG_WRITERS)
    @ApiOperation({ operationId: `create${one}`, summary: `Create a ${o.label}`, description: o.descriptions.create })
    @ApiCreatedResponse({ type: o.responseDto })
    @ApiProblemResponses(400, 413, 415)
    async create(@Body() body: object, @Res({ passthrough: true }) reply: FastifyReply) {
      return this.reply(reply, await this.templates.create(body));
    }

    @Get(':id')
    @Roles(...ANY_ROLE)
    @ApiOperation({ operationId: `get${one}`, summary: `Get a ${o.label}`, description: `A live ${o.label} by id, with its version as ETag.` })
    @ApiIntegerParam('id')
    @ApiOkResponse({ type: o.responseDto })
    @ApiProblemResponses(404)
    async get(@Param('id', TEMPLATE_ID) id: number, @Res({ passthrough: true }) reply: FastifyReply) {
      return this.reply(reply, await this.templates.get(id));
    }

    @Patch(':id')
    @Roles(...CONFIG_WRITERS)
    @ApiOperation({
      operationId: `update${one}`,
      summary: `Update a ${o.label}`,
      description: `Partial update: omitted fields stay as they are${o.descriptions.update ?? ''}. ${ifMatchRule}`,
    })
    @ApiIntegerParam('id')
    @ApiHeader({ name: 'If-Match', required: false, description: 'The version you read, e.g. "3"' })
    @ApiOkResponse({ type: o.responseDto })
    @ApiProblemResponses(400, 404, 412, 413, 415)
    async update(
      @Param('id', TEMPLATE_ID) id: number,
      @Body() body: object,
      @Headers('if-match') ifMatch: string | undefined,
      @Res({ passthrough: true }) reply: FastifyReply,
    ) {
      return this.reply(reply, await this.templates.update(id, body, parseIfMatch(ifMatch)));
    }

    @Delete(':id')
    @HttpCode(204)
    @Roles(...CONFIG_WRITERS)
    @ApiOperation({
      operationId: `delete${one}`,
      summary: `Delete a ${o.label}`,
      description: `Soft delete (204); an admin can restore it. ${ifMatchRule}`,
    })
    @ApiIntegerParam('id')
    @ApiHeader({ name: 'If-Match', required: false })
    @ApiNoContentResponse({ description: 'Deleted' })
    @ApiProblemResponses(404, 412)
    async remove(@Param('id', TEMPLATE_ID) id: number, @Headers('if-match') ifMatch: string | undefined) {
      await this.templates.remove(id, parseIfMatch(ifMatch));
    }

    @routeIf(
      activation,
      Post(':id/activate'),
      HttpCode(200),
      Roles(...CONFIG_WRITERS),
      ApiOperation({
        operationId: `activate${one}`,
        summary: `Activate a ${o.label}`,
        description: 'Sets is_active to true and answers the template. Takes no body.',
      }),
      ApiIntegerParam('id'),
      ApiOkResponse({ type: o.responseDto }),
      ApiProblemResponses(404),
    )
    async activate(@Param('id', TEMPLATE_ID) id: number, @Res({ passthrough: true }) reply: FastifyReply) {
      return this.reply(reply, await this.templates.setActive(id, true));
    }

    @routeIf(
      activation,
      Post(':id/deactivate'),
      HttpCode(200),
      Roles(...CONFIG_WRITERS),
      ApiOperation({ operationId: `deactivate${one}`, summary: `Deactivate a ${o.label}`, description: o.activation?.deactivate }),
      ApiIntegerParam('id'),
      ApiOkResponse({ type: o.responseDto }),
      ApiProblemResponses(404),
    )
    async deactivate(@Param('id', TEMPLATE_ID) id: number, @Res({ passthrough: true }) reply: FastifyReply) {
      return this.reply(reply, await this.templates.setActive(id, false));
    }

    @Post(':id/restore')
    @HttpCode(200)
    @Roles(...ADMIN_ONLY)
    @ApiOperation({
      operationId: `restore${one}`,
      summary: `Restore a deleted ${o.label}`,
      description: `Brings a deleted template back${o.descriptions.restore ?? ''}. Takes no body.`,
    })
    @ApiIntegerParam('id')
    @ApiOkResponse({ type: o.responseDto })
    @ApiProblemResponses(404)
    async restore(@Param('id', TEMPLATE_ID) id: number, @Res({ passthrough: true }) reply: FastifyReply) {
      return this.reply(reply, await this.templates.restore(id));
    }
  }
  // TypeScript emits `Object` for the generic parameters; name the real DTO classes so that the global
  // ValidationPipe validates them and Swagger documents them, as for any controller.
  const paramTypes: [string, unknown[]][] = [
    ['list', [o.listQueryDto]],
    ['create', [o.createDto, Object]],
    ['update', [Number, o.updateDto, String, Object]],
  ];
  for (const [method, types] of paramTypes) {
    Reflect.defineMetadata('design:paramtypes', types, TemplateController.prototype, method);
  }
  Object.defineProperty(TemplateController, 'name', { value: `${many}Controller` });
  return TemplateController;
}
