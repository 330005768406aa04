import { Injectable } from '@nestjs/common';
import { SelectQueryBuilder } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { textKey } from '../common/text/text-key';
import { TenantOwnedEntity } from '../tenancy/tenant-owned.entity';
import { ReadOptions, TenantScopedRepository } from '../tenancy/tenant-scoped.repository';
import { ConfigListFilter } from './list-filter';

/** A template row: addressed by id, named, switchable on and off, at most one default per kind. */
export interface TemplateEntity extends TenantOwnedEntity {
  templateName: string;
  /** The name as list order compares it (textKey of templateName), kept on every write. */
  nameKey: string;
  isActive: boolean;
  isDefault: boolean;
}

/**
 * Queries every template table shares (campaign templates, milestone templates). A feature names the
 * property holding the kind a template belongs to (`kindProperty`: at most one default per kind), and
 * may join what its reads carry (override `select`) and filter its lists (`applyFilters`).
 */
@Injectable()
export abstract class TemplateRepository<E extends TemplateEntity> extends TenantScopedRepository<E> {
  protected readonly alias = 'tpl';
  /** E.g. `campaignTypeId`, `templateType`. */
  protected abstract readonly kindProperty: keyof E & string;

  protected override derived(values: Partial<E>): Partial<E> {
    return typeof values.templateName === 'string' ? ({ nameKey: textKey(values.templateName) } as Partial<E>) : {};
  }

  /** The kind a template belongs to (one default per kind). */
  kindOf(row: Partial<E>): unknown {
    return row[this.kindProperty];
  }

  /** A feature's own list filters (the list query's extra fields). */
  protected applyFilters(_qb: SelectQueryBuilder<E>, _query: object): void {}

  findById(id: number, opts: ReadOptions = {}): Promise<E | null> {
    return this.select(opts).andWhere(`${this.alias}.id = :id`, { id }).getOne();
  }

  /**
   * The live template a write is about to change, its row locked until the transaction ends (MySQL:
   * re-read by primary key with FOR UPDATE, the latest committed columns; joined rows are kept from
   * the first read). SQLite needs no lock: its write transactions run one at a time.
   */
  async findByIdForWrite(id: number): Promise<E | null> {
    const found = await this.findById(id);
    if (!found || this.dialect !== 'mysql') return found;
    const fresh = await this.lockLive(found.id);
    return fresh ? Object.assign(found, fresh) : null;
  }

  /** A deleted template (what restore brings back). */
  findDeletedById(id: number): Promise<E | null> {
    return this.select({ includeDeleted: true }).andWhere(`${this.alias}.id = :id`, { id }).andWhere(`${this.alias}.deletedAt IS NOT NULL`).getOne();
  }

  /** Live defaults of a kind (normally at most one), but `exceptId`, by id. */
  findDefaults(kind: unknown, exceptId?: number): Promise<E[]> {
    const qb = this.select().andWhere(`${this.alias}.${this.kindProperty} = :kind`, { kind }).andWhere(`${this.alias}.isDefault = :yes`, { yes: true });
    if (exceptId !== undefined) qb.andWhere(`${this.alias}.id <> :exceptId`, { exceptId });
    return qb.orderBy(`${this.alias}.id`, 'ASC').getMany();
  }

  /** Order of API.md §4 and §5: is_default desc, template_name (as its key), then id for a stable page. */
  list(filter: ConfigListFilter, page: { limit: number; offset: number }): Promise<[E[], number]> {
    const qb = this.select({ includeDeleted: filter.includeDeleted });
    if (filter.isActive !== undefined) qb.andWhere(`${this.alias}.isActive = :active`, { active: filter.isActive });
    else if (!filter.includeInactive) qb.andWhere(`${this.alias}.isActive = :active`, { active: true });
    if (filter.query) this.applyFilters(qb, filter.query);
    return qb
      .orderBy(`${this.alias}.isDefault`, 'DESC')
      .addOrderBy(`${this.alias}.nameKey`, 'ASC')
      .addOrderBy(`${this.alias}.id`, 'ASC')
      .offset(page.offset)
      .limit(page.limit)
      .getManyAndCount();
  }

  insert(values: Partial<E>): Promise<E> {
    return this.insertOne(values);
  }

  update(id: number, changes: Partial<E>, ifVersion?: number): Promise<number> {
    return this.updateLive(id, changes as QueryDeepPartialEntity<E>, ifVersion);
  }

  softDelete(id: number, deletedAt: Date, ifVersion?: number): Promise<number> {
    return this.softDeleteWhere('id = :id', { id }, deletedAt, ifVersion);
  }

  restore(id: number, deletedAt: Date): Promise<number> {
    return this.restoreWhere('id = :id', { id }, deletedAt);
  }
}
