import { Injectable } from '@nestjs/common';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { TenantScopedRepository } from '../tenancy/tenant-scoped.repository';
import { DeliveryStatus, WebhookDeliveryEntity } from './webhook-delivery.entity';

@Injectable()
export class WebhookDeliveryRepository extends TenantScopedRepository<WebhookDeliveryEntity> {
  protected readonly target = WebhookDeliveryEntity;
  protected readonly alias = 'd';

  findById(id: number): Promise<WebhookDeliveryEntity | null> {
    return this.select().andWhere('d.id = :id', { id }).getOne();
  }

  list(subscriptionId: number, status: DeliveryStatus | undefined, page: { limit: number; offset: number }): Promise<[WebhookDeliveryEntity[], number]> {
    const qb = this.select().andWhere('d.subscriptionId = :subscriptionId', { subscriptionId });
    if (status) qb.andWhere('d.status = :status', { status });
    return qb.orderBy('d.id', 'DESC').offset(page.offset).limit(page.limit).getManyAndCount();
  }

  override insertMany(values: Partial<WebhookDeliveryEntity>[]): Promise<WebhookDeliveryEntity[]> {
    return super.insertMany(values);
  }

  /**
   * Puts the subscription's dead deliveries back to pending, due at `now`, with a new retry window
   * (their attempts keep counting). Answers how many.
   */
  async reviveDead(subscriptionId: number, now: Date): Promise<number> {
    const dead = await this.select()
      .select(['d.id'])
      .andWhere('d.subscriptionId = :subscriptionId AND d.status = :dead', { subscriptionId, dead: 'dead' })
      .getMany();
    await this.replaceEach(dead.map((d) => ({ id: d.id, values: { status: 'pending' as const, nextAttemptAt: now, firstAttemptAt: null, leaseUntil: null } })));
    return dead.length;
  }

  /** Applies only while the row is at `ifVersion` (the version its claim gave it, or the one read). */
  update(id: number, changes: QueryDeepPartialEntity<WebhookDeliveryEntity>, ifVersion: number): Promise<number> {
    return this.updateLive(id, changes, ifVersion);
  }
}
