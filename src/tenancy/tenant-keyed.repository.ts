import { Injectable } from '@nestjs/common';
import { EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { TenantTablesBase } from './tenant-tables';

/**
 * Base of small tables keyed by `tenant_id` + a natural key that records what happened once (a claim:
 * "this was done, by whoever inserted the key first") or how far a job has come. Reads carry the
 * tenant predicate; `claim` inserts a row unless its key is taken (TenantTables.insertIfAbsent) and
 * `updateWhere` is a guarded UPDATE of the tenant's rows. No ids, versions or soft delete.
 */
@Injectable()
export abstract class TenantKeyedRepository<E extends ObjectLiteral & { tenantId: string }> extends TenantTablesBase {
  protected abstract readonly target: EntityTarget<E>;
  protected abstract readonly alias: string;

  protected select(): SelectQueryBuilder<E> {
    return this.tables.select(this.target, this.alias);
  }

  /** Inserts the row (tenant_id from the context) unless its key is taken: whether this call took it. */
  protected claim(values: Partial<E>): Promise<boolean> {
    return this.tables.insertIfAbsent(this.target, values);
  }

  /** UPDATE of the tenant's rows matching `where` (column names): how many changed. */
  protected async updateWhere(set: QueryDeepPartialEntity<E>, where: string, params: Record<string, unknown>): Promise<number> {
    return (await this.tables.update(this.target, set, where, params).execute()).affected ?? 0;
  }
}
