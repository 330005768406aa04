import { Global, Module } from '@nestjs/common';
import { ENCRYPTION_KEY, SecretBox } from '../common/crypto/secret-box';
import { EventOutbox } from '../tenancy/event-outbox';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookRelay } from './webhook-relay';
import { WebhookSubscriptionRepository } from './webhook-subscription.repository';
import { WEBHOOK_SECRET_BOX, WebhookSubscriptionsService } from './webhook-subscriptions.service';
import { WebhookSubscriptionsController } from './webhook-subscriptions.controller';

/** Our HTTP routes of this module (mounted by CustomizationModule with `http` and `webhooks`). */
export const WEBHOOKS_CONTROLLERS = [WebhookSubscriptionsController];

/**
 * Webhooks (docs/webhooks.md): the outbox every domain event is also written to (EventOutbox, which
 * DomainEventPublisher finds here: global, so the publisher of TenancyModule sees it), the
 * subscriptions, and the relay that delivers (when the settings say this process delivers). Needs
 * WEBHOOK_SETTINGS and ENCRYPTION_KEY from CustomizationModule.
 */
@Global()
@Module({
  providers: [
    { provide: WEBHOOK_SECRET_BOX, inject: [ENCRYPTION_KEY], useFactory: (key: Buffer) => new SecretBox(key) },
    EventOutbox,
    WebhookSubscriptionRepository,
    WebhookDeliveryRepository,
    WebhookSubscriptionsService,
    WebhookRelay,
  ],
  exports: [EventOutbox, WebhookSubscriptionsService, WebhookRelay],
})
export class WebhooksModule {}
