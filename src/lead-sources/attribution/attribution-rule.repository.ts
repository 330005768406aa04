import { Injectable } from '@nestjs/common';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ConfigListFilter } from '../../config-resource/list-filter';
import { TenantScopedRepository } from '../../tenancy/tenant-scoped.repository';
import { AttributionRuleEntity } from './attribution-rule.entity';

/** A tenant's attribution rules: few per tenant, read whole for each resolution. */
@Injectable()
export class AttributionRuleRepository extends TenantScopedRepository<AttributionRuleEntity> {
  protected readonly target = AttributionRuleEntity;
  protected readonly alias = 'rule';

  findById(id: number): Promise<AttributionRuleEntity | null> {
    return this.select().andWhere('rule.id = :id', { id }).getOne();
  }

  /** A live rule locked until the write's transaction ends (concurrent writers of one rule queue). */
  findForWrite(id: number): Promise<AttributionRuleEntity | null> {
    return this.lockLive(id);
  }

  /** A deleted rule (what restore brings back). */
  findDeletedById(id: number): Promise<AttributionRuleEntity | null> {
    return this.select({ includeDeleted: true }).andWhere('rule.id = :id', { id }).andWhere('rule.deletedAt IS NOT NULL').getOne();
  }

  /** The live, active rules, in the order resolution tries them. */
  findActive(): Promise<AttributionRuleEntity[]> {
    return this.select().andWhere('rule.isActive = :active', { active: true }).orderBy('rule.priority', 'ASC').addOrderBy('rule.id', 'ASC').getMany();
  }

  /** By priority, then id; inactive and deleted rules as every configuration list shows them. */
  list(filter: ConfigListFilter, page: { limit: number; offset: number }): Promise<[AttributionRuleEntity[], number]> {
    const qb = this.select({ includeDeleted: filter.includeDeleted });
    if (filter.isActive !== undefined) qb.andWhere('rule.isActive = :active', { active: filter.isActive });
    else if (!filter.includeInactive) qb.andWhere('rule.isActive = :active', { active: true });
    return qb.orderBy('rule.priority', 'ASC').addOrderBy('rule.id', 'ASC').offset(page.offset).limit(page.limit).getManyAndCount();
  }

  insert(values: Partial<AttributionRuleEntity>): Promise<AttributionRuleEntity> {
    return this.insertOne(values);
  }

  update(id: number, changes: QueryDeepPartialEntity<AttributionRuleEntity>, ifVersion: number): Promise<number> {
    return this.updateLive(id, changes, ifVersion);
  }

  softDelete(id: number, deletedAt: Date, ifVersion: number): Promise<number> {
    return this.softDeleteWhere('id = :id', { id }, deletedAt, ifVersion);
  }

  restore(id: number, deletedAt: Date): Promise<number> {
    return this.restoreWhere('id = :id', { id }, deletedAt);
  }
}
