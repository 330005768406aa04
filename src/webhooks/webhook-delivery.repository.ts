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

  /** Applies only while the row is at `ifVersion` (the version its claim gave it, or the one read). */
  update(id: number, changes: QueryDeepPartialEntity<WebhookDeliveryEntity>, ifVersion: number): Promise<number> {
    return this.updateLive(id, changes, ifVersion);
  }
}
