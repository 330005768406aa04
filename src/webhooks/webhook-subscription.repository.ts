import { Injectable } from '@nestjs/common';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { TenantScopedRepository } from '../tenancy/tenant-scoped.repository';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';

@Injectable()
export class WebhookSubscriptionRepository extends TenantScopedRepository<WebhookSubscriptionEntity> {
  protected readonly target = WebhookSubscriptionEntity;
  protected readonly alias = 'sub';

  findById(id: number, includeDeleted = false): Promise<WebhookSubscriptionEntity | null> {
    return this.select({ includeDeleted }).andWhere('sub.id = :id', { id }).getOne();
  }

  /** A live subscription locked until the write's transaction ends. */
  findForWrite(id: number): Promise<WebhookSubscriptionEntity | null> {
    return this.lockLive(id);
  }

  list(page: { limit: number; offset: number }): Promise<[WebhookSubscriptionEntity[], number]> {
    return this.select().orderBy('sub.id', 'ASC').offset(page.offset).limit(page.limit).getManyAndCount();
  }

  /** The tenant's live, active subscriptions (few per tenant: their event types are matched in code). */
  active(): Promise<WebhookSubscriptionEntity[]> {
    return this.select().andWhere('sub.isActive = :active', { active: true }).getMany();
  }

  insert(values: Partial<WebhookSubscriptionEntity>): Promise<WebhookSubscriptionEntity> {
    return this.insertOne(values);
  }

  update(id: number, changes: QueryDeepPartialEntity<WebhookSubscriptionEntity>, ifVersion: number): Promise<number> {
    return this.updateLive(id, changes, ifVersion);
  }

  softDelete(id: number, deletedAt: Date, ifVersion: number): Promise<number> {
    return this.softDeleteWhere('id = :id', { id }, deletedAt, ifVersion);
  }
}
