import { Injectable } from '@nestjs/common';
import { SelectQueryBuilder } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ReadOptions, TenantScopedRepository } from '../tenancy/tenant-scoped.repository';
import { TenantOwnedEntity } from '../tenancy/tenant-owned.entity';
import { textKey } from '../common/text/text-key';
import { ConfigListFilter } from './list-filter';

export type { ConfigListFilter } from './list-filter';

/** A configuration row: addressed by a code, switchable on and off, listed in display order then by name. */
export interface CodedEntity extends TenantOwnedEntity {
  isActive: boolean;
  displayOrder: number;
  /** The name as search and list order compare it (textKey of the `nameProperty`). */
  nameKey: string;
}

/**
 * Queries shared by every code-addressed configuration table (sources, channels, types, statuses…).
 * A table whose codes are unique within a parent (subsources within a source) names `parentProperty`
 * and every method then takes the parent's id.
 */
@Injectable()
export abstract class CodedRepository<E extends CodedEntity> extends TenantScopedRepository<E> {
  /** Property holding the code, e.g. `sourceCode`. */
  protected abstract readonly codeProperty: keyof E & string;
  /** Property holding the display name, e.g. `sourceName`: `nameKey` is derived from it on every write. */
  protected abstract readonly nameProperty: keyof E & string;
  protected readonly parentProperty?: keyof E & string;

  protected override derived(values: Partial<E>): Partial<E> {
    const name = values[this.nameProperty];
    return typeof name === 'string' ? ({ nameKey: textKey(name) } as Partial<E>) : {};
  }

  /**
   * The list order of every configuration resource (API.md): display_order, then the name's key, then
   * the code, then id. The key and the code compare as bytes on both engines (docs/conventions.md, "Text, codes and
   * order"), so a page holds the same rows on SQLite and on MySQL/MariaDB.
   */
  protected inListOrder(qb: SelectQueryBuilder<E>): SelectQueryBuilder<E> {
    return qb
      .orderBy(`${this.alias}.displayOrder`, 'ASC')
      .addOrderBy(`${this.alias}.nameKey`, 'ASC')
      .addOrderBy(`${this.alias}.${this.codeProperty}`, 'ASC')
      .addOrderBy(`${this.alias}.id`, 'ASC');
  }

  private scoped(qb: SelectQueryBuilder<E>, parentId?: number): SelectQueryBuilder<E> {
    if (this.parentProperty) {
      if (parentId === undefined) throw new Error(`${this.alias}: a parent id is required`);
      qb.andWhere(`${this.alias}.${this.parentProperty} = :parentId`, { parentId });
    }
    return qb;
  }

  /** A resource's own list filters (the list query DTO's extra fields). */
  protected applyFilters(_qb: SelectQueryBuilder<E>, _query: object): void {}

  /** Rows by id, deleted ones included (facts keep pointing at a deleted row, and show its code). */
  findAnyByIds(ids: number[]): Promise<E[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.select({ includeDeleted: true }).andWhere(`${this.alias}.id IN (:...ids)`, { ids }).getMany();
  }

  findById(id: number, opts: ReadOptions = {}): Promise<E | null> {
    return this.select(opts).andWhere(`${this.alias}.id = :id`, { id }).getOne();
  }

  findByCode(code: string, parentId?: number): Promise<E | null> {
    return this.scoped(this.select(), parentId).andWhere(`${this.alias}.${this.codeProperty} = :code`, { code }).getOne();
  }

  /**
   * The live row a write is about to change, locked for the rest of the transaction, so that
   * concurrent writers of one row queue and each reads what the previous one wrote (else the version
   * guard of the UPDATE answers 412 to a request that set no If-Match, and the audit log records a
   * stale "before").
   *
   * MySQL: the row is found by code, then re-read by primary key with `FOR UPDATE` from its own table
   * (`super.select`, without the joins a subclass adds). That locking read returns the latest
   * committed columns and locks the primary-key record only: locking through the code's unique index
   * would take gap locks there, which deadlock with a concurrent delete of the row (its `live` turning
   * NULL inserts into that index). A row deleted meanwhile no longer matches (404). Joined rows are
   * kept from the first read (parents are addressed by immutable codes). SQLite needs no lock: its
   * write transactions run one at a time (SerializingTypeOrmAdapter).
   */
  async findByCodeForWrite(code: string, parentId?: number): Promise<E | null> {
    const found = await this.findByCode(code, parentId);
    if (!found || this.dialect !== 'mysql') return found;
    const fresh = await this.lockLive(found.id);
    return fresh ? Object.assign(found, fresh) : null;
  }

  findByCodes(codes: string[], parentId?: number): Promise<E[]> {
    if (codes.length === 0) return Promise.resolve([]);
    return this.scoped(this.select(), parentId).andWhere(`${this.alias}.${this.codeProperty} IN (:...codes)`, { codes }).getMany();
  }

  /** The most recently deleted row with this code (what `restore` brings back). */
  findDeletedByCode(code: string, parentId?: number): Promise<E | null> {
    return this.scoped(this.select({ includeDeleted: true }), parentId)
      .andWhere(`${this.alias}.${this.codeProperty} = :code`, { code })
      .andWhere(`${this.alias}.deletedAt IS NOT NULL`)
      .orderBy(`${this.alias}.deletedAt`, 'DESC')
      .addOrderBy(`${this.alias}.id`, 'DESC')
      .getOne();
  }

  list(filter: ConfigListFilter, page: { limit: number; offset: number }, parentId?: number): Promise<[E[], number]> {
    const qb = this.scoped(this.select({ includeDeleted: filter.includeDeleted }), parentId);
    if (filter.isActive !== undefined) qb.andWhere(`${this.alias}.isActive = :active`, { active: filter.isActive });
    else if (!filter.includeInactive) qb.andWhere(`${this.alias}.isActive = :active`, { active: true });
    if (filter.query) this.applyFilters(qb, filter.query);
    // TypeORM counts only when the page does not tell the total: a full page, or an empty one past
    // the first row (else total = offset + rows on the page).
    return this.inListOrder(qb).offset(page.offset).limit(page.limit).getManyAndCount();
  }

  insert(values: Partial<E>): Promise<E> {
    return this.insertOne(values);
  }

  update(id: number, changes: QueryDeepPartialEntity<E>, ifVersion?: number): Promise<number> {
    return this.updateLive(id, changes, ifVersion);
  }

  softDelete(id: number, deletedAt: Date, ifVersion?: number): Promise<number> {
    return this.softDeleteWhere('id = :id', { id }, deletedAt, ifVersion);
  }

  restore(id: number, deletedAt: Date): Promise<number> {
    return this.restoreWhere('id = :id', { id }, deletedAt);
  }
}
