import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblemResponses } from '../common/errors/problem.dto';
import { ApiIntegerParam } from '../common/http/api-integer';
import { parseIfMatch, setEtag } from '../common/http/etag';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { ListResponseDto, PageQueryDto } from '../common/http/list.dto';
import { ADMIN_ONLY, Roles } from '../tenancy/roles.decorator';
import {
  CreatedWebhookSubscriptionResponseDto,
  CreateWebhookSubscriptionDto,
  ListDeliveriesQueryDto,
  RetriedDeliveriesResponseDto,
  UpdateWebhookSubscriptionDto,
  WebhookDeliveryResponseDto,
  WebhookSubscriptionResponseDto,
} from './dto/webhook-subscription.dto';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service';

const SUBSCRIPTION_ID = new IdParamPipe('webhook subscription');

/** `/webhook-subscriptions`: where the tenant's domain events are delivered, and the delivery logs (admin only). */
@ApiTags('Webhooks')
@Controller('webhook-subscriptions')
export class WebhookSubscriptionsController {
  constructor(private readonly subscriptions: WebhookSubscriptionsService) {}

  @Get()
  @Roles(...ADMIN_ONLY)
  @ApiOperation({
    operationId: 'listWebhookSubscriptions',
    summary: 'List webhook subscriptions',
    description: "The tenant's live subscriptions, oldest first. Secrets are never listed.",
  })
  @ApiOkResponse({ type: ListResponseDto(WebhookSubscriptionResponseDto) })
  @ApiProblemResponses(400)
  list(@Query() query: PageQueryDto) {
    return this.subscriptions.list({ limit: query.limit, offset: query.offset });
  }

  @Post()
  @Roles(...ADMIN_ONLY)
  @ApiOperation({
    operationId: 'createWebhookSubscription',
    summary: 'Create a webhook subscription',
    description:
      'Events of the listed types are POSTed to url, signed (Standard Webhooks; docs/webhooks.md). The url must be https and reach a public address (loopback, private, link-local and reserved addresses are refused, also behind a host name). Without a secret one is generated: this response is the only one that carries it (a secret sent in the body is not echoed).',
  })
  @ApiCreatedResponse({ type: CreatedWebhookSubscriptionResponseDto })
  @ApiProblemResponses(400, 413, 415)
  async create(
    @Body() body: CreateWebhookSubscriptionDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CreatedWebhookSubscriptionResponseDto | WebhookSubscriptionResponseDto> {
    const { row, secret } = await this.subscriptions.create(body);
    setEtag(reply, row.version);
    // A generated secret is shown this once; one the client chose is not echoed.
    return body.secret === undefined ? { ...this.subscriptions.toResponse(row), secret } : this.subscriptions.toResponse(row);
  }

  @Get(':id')
  @Roles(...ADMIN_ONLY)
  @ApiOperation({
    operationId: 'getWebhookSubscription',
    summary: 'Get a webhook subscription',
    description: 'A live subscription, with its version as ETag; the secret shows as secret_last4 only.',
  })
  @ApiIntegerParam('id')
  @ApiOkResponse({ type: WebhookSubscriptionResponseDto })
  @ApiProblemResponses(404)
  async get(@Param('id', SUBSCRIPTION_ID) id: number, @Res({ passthrough: true }) reply: FastifyReply) {
    const row = await this.subscriptions.get(id);
    setEtag(reply, row.version);
    return this.subscriptions.toResponse(row);
  }

  @Patch(':id')
  @Roles(...ADMIN_ONLY)
  @ApiOperation({
    operationId: 'updateWebhookSubscription',
    summary: 'Update a webhook subscription',
    description:
      'Partial update: omitted fields stay as they are; a secret replaces the stored one (rotation) and is not returned. With If-Match, answers 412 unless the subscription is still at that version.',
  })
  @ApiIntegerParam('id')
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version you read, e.g. "3"' })
  @ApiOkResponse({ type: WebhookSubscriptionResponseDto })
  @ApiProblemResponses(400, 404, 412, 413, 415)
  async update(
    @Param('id', SUBSCRIPTION_ID) id: number,
    @Body() body: UpdateWebhookSubscriptionDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const row = await this.subscriptions.update(id, body, parseIfMatch(ifMatch));
    setEtag(reply, row.version);
    return this.subscriptions.toResponse(row);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles(...ADMIN_ONLY)
  @ApiOperation({
    operationId: 'deleteWebhookSubscription',
    summary: 'Delete a webhook subscription',
    description:
      'Soft delete (204): nothing more is delivered to it; its pending deliveries end as dead. With If-Match, answers 412 unless the subscription is still at that version.',
  })
  @ApiIntegerParam('id')
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblemResponses(404, 412)
  async remove(@Param('id', SUBSCRIPTION_ID) id: number, @Headers('if-match') ifMatch: string | undefined) {
    await this.subscriptions.remove(id, parseIfMatch(ifMatch));
  }

  @Get(':id/deliveries')
  @Roles(...ADMIN_ONLY)
  @ApiOperation({
    operationId: 'listWebhookDeliveries',
    summary: 'List the deliveries of a webhook subscription',
    description:
      'The delivery log, newest first: one row per event for this subscription, with its status (pending, delivered, dead), attempts, the last answer or error and the next attempt. Finished deliveries are kept for at least 7 days.',
  })
  @ApiIntegerParam('id')
  @ApiOkResponse({ type: ListResponseDto(WebhookDeliveryResponseDto) })
  @ApiProblemResponses(400, 404)
  deliveries(@Param('id', SUBSCRIPTION_ID) id: number, @Query() query: ListDeliveriesQueryDto) {
    return this.subscriptions.listDeliveries(id, query);
  }

  @Post(':id/deliveries/retry')
  @HttpCode(200)
  @Roles(...ADMIN_ONLY)
  @ApiOperation({
    operationId: 'retryDeadWebhookDeliveries',
    summary: 'Send the dead deliveries of a webhook subscription again',
    description:
      'Puts every dead delivery of the subscription back to pending, due now, with a new retry window; each keeps its webhook-id, so receivers de-duplicate as before. Answers how many; 0 when none is dead. 409 while the subscription is inactive. Takes no body.',
  })
  @ApiIntegerParam('id')
  @ApiOkResponse({ type: RetriedDeliveriesResponseDto })
  @ApiProblemResponses(404, 409)
  retryDead(@Param('id', SUBSCRIPTION_ID) id: number) {
    return this.subscriptions.retryDead(id);
  }
}
