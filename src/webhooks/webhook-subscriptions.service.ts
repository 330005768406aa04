import { Inject, Injectable } from '@nestjs/common';
import { changedMeanwhile, conflict, fieldInvalid, notFound, raise } from '../common/errors/app-error';
import { SecretBox } from '../common/crypto/secret-box';
import { assertVersion } from '../common/http/etag';
import { withBase } from '../common/http/base-response.dto';
import { ListResponse, toListResponse } from '../common/http/list.dto';
import { unchanged } from '../common/patch';
import { Transactional } from '../database/transactional';
import { AuditLogService } from '../tenancy/audit-log.service';
import { TenantContext } from '../tenancy/tenant-context';
import {
  CreateWebhookSubscriptionDto,
  ListDeliveriesQueryDto,
  UpdateWebhookSubscriptionDto,
  WebhookDeliveryResponseDto,
  WebhookSubscriptionResponseDto,
} from './dto/webhook-subscription.dto';
import { generateSecret, secretKey } from './signature';
import { checkTargetWithin, TargetRefused } from './target-guard';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WEBHOOK_SETTINGS, WebhookSettings } from './webhook-settings';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';
import { WebhookSubscriptionRepository } from './webhook-subscription.repository';

/** The SecretBox webhook secrets are sealed with (from the module's encryption key). */
export const WEBHOOK_SECRET_BOX = Symbol('WEBHOOK_SECRET_BOX');

const ENTITY_TYPE = 'webhook_subscription';
const LABEL = 'webhook subscription';

export const toSubscriptionResponse = (e: WebhookSubscriptionEntity): WebhookSubscriptionResponseDto =>
  withBase<WebhookSubscriptionResponseDto>(e, {
    url: e.url,
    event_types: e.eventTypes,
    secret_last4: e.secretLast4,
    active: e.isActive,
    description: e.description,
  });

export const toDeliveryResponse = (d: WebhookDeliveryEntity): WebhookDeliveryResponseDto => ({
  id: d.id,
  event_id: d.eventId,
  event_type: d.eventType,
  status: d.status,
  attempts: d.attempts,
  last_status_code: d.lastHttpStatus,
  last_error: d.lastError,
  next_attempt_at: d.nextAttemptAt ? d.nextAttemptAt.toISOString() : null,
  delivered_at: d.deliveredAt ? d.deliveredAt.toISOString() : null,
  created_at: d.createdAt.toISOString(),
});

/**
 * `/webhook-subscriptions`: a tenant's webhook targets (admin only), versioned and audited like every
 * resource, with a write-only signing secret sealed at rest; and their delivery logs.
 */
@Injectable()
export class WebhookSubscriptionsService {
  constructor(
    private readonly subscriptions: WebhookSubscriptionRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly audit: AuditLogService,
    private readonly tenancy: TenantContext,
    @Inject(WEBHOOK_SECRET_BOX) private readonly box: SecretBox,
    @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings,
  ) {}

  /** Sealed secrets are bound to their purpose and tenant: a ciphertext copied elsewhere does not open. */
  private context(): string {
    return `webhook_subscriptions.secret:${this.tenancy.require().tenantId}`;
  }

  /** The clear secret of a subscription, to sign a delivery (never for a response). */
  revealSecret(subscription: WebhookSubscriptionEntity): string {
    return this.box.open(subscription.secretSealed, this.context());
  }

  /**
   * Before the write's transaction opens (a name lookup may take up to the timeout: no lock or connection
   * waits for it), bounded by WEBHOOK_TIMEOUT_MS; a name that does not resolve in time is taken as one
   * that does not resolve yet (every attempt checks again).
   */
  private async checkUrl(url: string): Promise<void> {
    try {
      await checkTargetWithin(url, this.settings.allowPrivateTargets, this.settings.timeoutMs, 'accept');
    } catch (error) {
      if (error instanceof TargetRefused) throw fieldInvalid('url', error.message);
      throw error;
    }
  }

  private sealed(secret: string): Pick<WebhookSubscriptionEntity, 'secretSealed' | 'secretLast4'> {
    if (!secretKey(secret)) throw fieldInvalid('secret', 'secret must be whsec_ followed by the base64 of 24 to 64 bytes');
    return { secretSealed: this.box.seal(secret, this.context()), secretLast4: secret.slice(-4) };
  }

  toResponse(e: WebhookSubscriptionEntity): WebhookSubscriptionResponseDto {
    return toSubscriptionResponse(e);
  }

  async get(id: number): Promise<WebhookSubscriptionEntity> {
    return (await this.subscriptions.findById(id)) ?? raise(notFound(LABEL, id));
  }

  async list(page: { limit: number; offset: number }): Promise<ListResponse<WebhookSubscriptionResponseDto>> {
    return toListResponse(await this.subscriptions.list(page), page, toSubscriptionResponse);
  }

  /** Answers the stored row and the secret (generated when the body has none), which only this answer carries. */
  async create(dto: CreateWebhookSubscriptionDto): Promise<{ row: WebhookSubscriptionEntity; secret: string }> {
    await this.checkUrl(dto.url);
    return this.insert(dto);
  }

  @Transactional()
  private async insert(dto: CreateWebhookSubscriptionDto): Promise<{ row: WebhookSubscriptionEntity; secret: string }> {
    const secret = dto.secret ?? generateSecret();
    const created = await this.subscriptions.insert({
      url: dto.url,
      eventTypes: dto.event_types,
      ...this.sealed(secret),
      isActive: dto.active ?? true,
      description: dto.description ?? null,
    });
    const row = (await this.subscriptions.findById(created.id)) ?? raise(notFound(LABEL, created.id));
    await this.audit.record('create', ENTITY_TYPE, row.id, null, toSubscriptionResponse(row));
    return { row, secret };
  }

  async update(id: number, dto: UpdateWebhookSubscriptionDto, ifMatch?: number): Promise<WebhookSubscriptionEntity> {
    if (dto.url !== undefined) await this.checkUrl(dto.url);
    return this.change(id, dto, ifMatch);
  }

  @Transactional()
  private async change(id: number, dto: UpdateWebhookSubscriptionDto, ifMatch?: number): Promise<WebhookSubscriptionEntity> {
    const current = (await this.subscriptions.findForWrite(id)) ?? raise(notFound(LABEL, id));
    assertVersion(current, ifMatch);
    const fields: Partial<WebhookSubscriptionEntity> = {};
    if (dto.url !== undefined) fields.url = dto.url;
    if (dto.event_types !== undefined) fields.eventTypes = dto.event_types;
    if (dto.active !== undefined) fields.isActive = dto.active;
    if (dto.description !== undefined) fields.description = dto.description;
    const rotated = dto.secret !== undefined ? this.sealed(dto.secret) : {};
    if (unchanged(current, fields) && dto.secret === undefined) return current;
    const changed = await this.subscriptions.update(id, { ...fields, ...rotated }, current.version);
    if (changed === 0) throw changedMeanwhile(LABEL);
    const after = (await this.subscriptions.findById(id)) ?? raise(notFound(LABEL, id));
    await this.audit.record('update', ENTITY_TYPE, id, toSubscriptionResponse(current), toSubscriptionResponse(after));
    return after;
  }

  /** Soft delete: its pending deliveries end as dead (the relay finds the subscription gone). */
  @Transactional()
  async remove(id: number, ifMatch?: number): Promise<void> {
    const current = (await this.subscriptions.findForWrite(id)) ?? raise(notFound(LABEL, id));
    assertVersion(current, ifMatch);
    const changed = await this.subscriptions.softDelete(id, new Date(), current.version);
    if (changed === 0) throw changedMeanwhile(LABEL);
    await this.audit.record('delete', ENTITY_TYPE, id, toSubscriptionResponse(current), null);
  }

  async listDeliveries(id: number, query: ListDeliveriesQueryDto): Promise<ListResponse<WebhookDeliveryResponseDto>> {
    await this.get(id);
    const page = { limit: query.limit, offset: query.offset };
    return toListResponse(await this.deliveries.list(id, query.status, page), page, toDeliveryResponse);
  }

  /** Every dead delivery of the subscription is sent again, under its own event id (docs/webhooks.md). */
  @Transactional()
  async retryDead(id: number): Promise<{ retried: number }> {
    const subscription = await this.get(id);
    if (!subscription.isActive) throw conflict('The subscription is inactive: activate it before sending its dead deliveries again');
    const retried = await this.deliveries.reviveDead(id, new Date());
    if (retried > 0) await this.audit.record('update', ENTITY_TYPE, id, { dead_deliveries_retried: null }, { dead_deliveries_retried: retried });
    return { retried };
  }
}
