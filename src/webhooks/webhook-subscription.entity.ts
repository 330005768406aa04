import { Column, Entity } from 'typeorm';
import { jsonColumn } from '../database/columns';
import { TenantOwnedEntity } from '../tenancy/tenant-owned.entity';

/**
 * `webhook_subscriptions`: where a tenant's domain events are POSTed. The signing secret is write-only:
 * only its sealed form (SecretBox, AES-256-GCM, bound to the tenant) and its last four characters are stored.
 */
@Entity('webhook_subscriptions')
export class WebhookSubscriptionEntity extends TenantOwnedEntity {
  @Column({ type: 'varchar', length: 2048 })
  url: string;

  /** Names of DOMAIN_EVENTS, at least one. */
  @Column(jsonColumn())
  eventTypes: string[];

  /** `v1.<iv>.<tag>.<ciphertext>` of the `whsec_…` secret; never leaves the service except to sign. */
  @Column({ type: 'text' })
  secretSealed: string;

  @Column({ type: 'varchar', length: 4 })
  secretLast4: string;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;

  @Column({ type: 'text', nullable: true })
  description: string | null;
}
