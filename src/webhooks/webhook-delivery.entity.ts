import { Column, Entity, Index } from 'typeorm';
import { idColumn, timestampColumn } from '../database/columns';
import { TenantOwnedEntity } from '../tenancy/tenant-owned.entity';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * `webhook_deliveries`: one event for one subscription, and its attempts. Made by the relay from the
 * outbox (one per matching active subscription), with the body it signs on every attempt, so retries
 * send the same bytes under the same `webhook-id`. `lease_until` marks a delivery an instance has
 * claimed (CrossTenantJobs.claimDue); a crashed instance's claim expires and another one retries.
 */
@Entity('webhook_deliveries')
@Index('ux_webhook_deliveries__subscription_id__event_id', ['tenantId', 'subscriptionId', 'eventId'], { unique: true })
@Index('ix_webhook_deliveries__subscription_id__id', ['tenantId', 'subscriptionId', 'id'])
@Index('ix_webhook_deliveries__status__next_attempt_at', ['status', 'nextAttemptAt'])
@Index('ix_webhook_deliveries__status__updated_at', ['status', 'updatedAt'])
export class WebhookDeliveryEntity extends TenantOwnedEntity {
  @Column(idColumn())
  subscriptionId: number;

  /** The event's id: the `webhook-id` header, the receiver's idempotency key. */
  @Column({ type: 'varchar', length: 40 })
  eventId: string;

  @Column({ type: 'varchar', length: 64 })
  eventType: string;

  /** The JSON body POSTed (and signed) on every attempt. */
  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'varchar', length: 16 })
  status: DeliveryStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  /** When the next attempt is due (pending); null once delivered or dead. */
  @Column(timestampColumn({ nullable: true }))
  nextAttemptAt: Date | null;

  /** Until when an instance holds it (an attempt in flight). */
  @Column(timestampColumn({ nullable: true }))
  leaseUntil: Date | null;

  @Column(timestampColumn({ nullable: true }))
  firstAttemptAt: Date | null;

  /** The last answer's HTTP status (`last_status_code` in the API; a column named `…_code` would read as a code). */
  @Column({ type: 'int', nullable: true })
  lastHttpStatus: number | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column(timestampColumn({ nullable: true }))
  deliveredAt: Date | null;
}
