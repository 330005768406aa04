import { Injectable } from '@nestjs/common';
import { EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { TenantOwnedEntity } from './tenant-owned.entity';
import { RowMatch, TenantTables, TenantTablesBase } from './tenant-tables';

export interface ReadOptions {
  includeDeleted?: boolean;
}

/** Properties an update never takes from its caller: the row's identity and tenant, and its version (kept by the base). */
const KEPT_BY_THE_BASE = ['id', 'tenantId', 'version'] as const;

/**
 * THE data-access base. Every query of a tenant-owned table starts here: reads carry the tenant
 * predicate and hide soft-deleted rows unless asked; inserts set the tenant and the actor; UPDATE and
 * soft delete name the tenant and the live-row predicate themselves (TypeORM adds it to SELECT only).
 * There is no way to pass a tenant id in: it comes from TenantContext, which throws when absent.
 *
 * The underlying TypeORM Repository is resolved per call from the TransactionHost, so a query made
 * inside a @Transactional() service method joins that transaction (audit rows, cascades, rollups).
 */
@Injectable()
export abstract class TenantScopedRepository<E extends TenantOwnedEntity> extends TenantTablesBase {
  protected abstract readonly target: EntityTarget<E>;
  protected abstract readonly alias: string;

  /** Every read starts here. Subclasses may override it to join what every read needs. */
  protected select(opts: ReadOptions = {}, alias = this.alias): SelectQueryBuilder<E> {
    return this.tableSelect(opts, alias);
  }

  /** The table alone, with the tenant predicate (no joins a subclass adds). */
  private tableSelect(opts: ReadOptions, alias: string): SelectQueryBuilder<E> {
    return this.tables.select(this.target, alias, opts.includeDeleted);
  }

  /**
   * Joins another tenant-owned entity on a condition, repeating the tenant predicate so that a
   * foreign key can never reach another tenant's row. With `mapTo`, the joined row is loaded into
   * that (non-column) property of the result.
   */
  protected readonly joinScoped: TenantTables['join'] = (...args) => this.tables.join(...args);

  /**
   * Keeps the rows of `qb` for which a row of another tenant-owned entity exists: `build` correlates
   * the sub-query (alias `alias`, tenant predicate already there, deleted rows included unless it
   * excludes them) and may join further tables with `joinScoped`.
   */
  protected whereExists<S extends ObjectLiteral>(
    qb: SelectQueryBuilder<E>,
    entity: EntityTarget<S>,
    alias: string,
    build: (sub: SelectQueryBuilder<S>) => SelectQueryBuilder<S>,
  ): SelectQueryBuilder<E> {
    return this.tables.whereExists(qb, entity, alias, build);
  }

  /** A read of another tenant-owned entity (the tenant predicate on it), for what this table's writes check. */
  protected selectOf<T extends TenantOwnedEntity>(entity: EntityTarget<T>, alias: string, opts: ReadOptions = {}): SelectQueryBuilder<T> {
    return this.tables.select(entity, alias, opts.includeDeleted);
  }

  /**
   * Re-reads a live row by primary key and locks it until the transaction ends (MySQL: a locking read
   * by primary key, which returns the latest committed columns and takes no gap locks). Concurrent
   * writers of one row then queue instead of failing the version guard. SQLite needs no lock: its
   * write transactions already run one at a time (SerializingTypeOrmAdapter).
   */
  protected async lockLive(id: number): Promise<E | null> {
    const qb = this.tableSelect({}, this.alias).andWhere(`${this.alias}.id = :id`, { id });
    if (this.dialect === 'mysql') qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  /**
   * Columns this table derives from the values written (a name's key, `nameKey`): merged into every
   * insert, and into every update that sets what they derive from. None by default.
   */
  protected derived(_values: Partial<E>): Partial<E> {
    return {};
  }

  protected async insertOne(values: Partial<E>): Promise<E> {
    const [row] = await this.insertMany([values]);
    return row;
  }

  /** Inserts rows with the next ids of this table in the tenant (IdSequences), in the order given. */
  protected async insertMany(values: Partial<E>[], chunkSize = 500): Promise<E[]> {
    const { tenantId, userId } = this.tenancy.require();
    const now = new Date();
    return this.tables.inserter(this.target)(
      values.length,
      (firstId) =>
        values.map((v, i) =>
          this.tables.create(this.target, {
            ...v,
            ...this.derived(v),
            id: firstId + i,
            tenantId,
            createdBy: userId,
            updatedBy: userId,
            createdAt: v.createdAt ?? now,
            updatedAt: now,
            version: 1,
          } as Partial<E>),
        ),
      chunkSize,
    );
  }

  /**
   * Guarded UPDATE of one live row: bumps `version`, stamps the actor, and with `ifVersion` only
   * applies when the stored version matches. Returns the number of rows changed (0 or 1); bumping
   * the version also makes the count reliable on MySQL, which counts changed rows only.
   */
  protected async updateLive(id: number, changes: QueryDeepPartialEntity<E>, ifVersion?: number): Promise<number> {
    const { userId } = this.tenancy.require();
    // A caller's changes never move a row to another tenant, renumber it or set its version: refused
    // here, whatever the layers above checked (a programming error, so an Error, not a 4xx).
    refuseKept('updateLive', changes as object);
    const set = {
      ...changes,
      ...this.derived(changes as Partial<E>),
      updatedBy: userId,
      updatedAt: new Date(),
      version: () => 'version + 1',
    } as QueryDeepPartialEntity<E>;
    const qb = this.tables.update(this.target, set, 'id = :id AND deleted_at IS NULL', { id });
    if (ifVersion !== undefined) qb.andWhere('version = :ifVersion', { ifVersion });
    return (await qb.execute()).affected ?? 0;
  }

  /**
   * Soft delete of live rows matching `where` (column names, not properties), all stamped with the
   * same `deletedAt` so that a restore can bring back exactly what one delete cascaded to.
   */
  protected async softDeleteWhere(where: string, params: Record<string, unknown>, deletedAt: Date, ifVersion?: number): Promise<number> {
    const { userId } = this.tenancy.require();
    const set = { deletedAt, updatedBy: userId, updatedAt: new Date(), version: () => 'version + 1' } as QueryDeepPartialEntity<E>;
    const qb = this.tables.update(this.target, set, `deleted_at IS NULL AND (${where})`, params);
    if (ifVersion !== undefined) qb.andWhere('version = :ifVersion', { ifVersion });
    return (await qb.execute()).affected ?? 0;
  }

  /** Brings back rows deleted at exactly `deletedAt` (a row and what its delete cascaded to). */
  protected async restoreWhere(where: string, params: Record<string, unknown>, deletedAt: Date): Promise<number> {
    const { userId } = this.tenancy.require();
    const set = { deletedAt: null, updatedBy: userId, updatedAt: new Date(), version: () => 'version + 1' } as QueryDeepPartialEntity<E>;
    const qb = this.tables.update(this.target, set, `deleted_at = :deletedAt AND (${where})`, { ...params, deletedAt });
    return (await qb.execute()).affected ?? 0;
  }

  /**
   * Adds to derived counter columns of one row (live or deleted: facts keep counting under a deleted
   * row). Not a user edit, so `version` and `updated_*` stay as they are. `increments` maps
   * properties to deltas; `sets` assigns computed values (e.g. a last-activity date).
   */
  protected async adjustCounters(
    id: number,
    increments: Partial<Record<keyof E & string, number | bigint>>,
    sets: Record<string, unknown> = {},
  ): Promise<void> {
    const metadata = this.tables.metadata(this.target);
    const assignments: Record<string, () => string> = {};
    const params: Record<string, unknown> = { id };
    Object.entries(increments).forEach(([property, delta], i) => {
      if (!delta) return;
      const column = metadata.findColumnWithPropertyName(property)!.databaseName;
      assignments[property] = () => `${column} + :d${i}`;
      params[`d${i}`] = delta;
    });
    const set = { ...assignments, ...sets };
    if (Object.keys(set).length === 0) return;
    refuseKept('adjustCounters', set);
    await this.tables.update(this.target, set as QueryDeepPartialEntity<E>, 'id = :id', params).execute();
  }

  /**
   * Stores columns of one row that are derived from other rows (totals, chain links), live or deleted.
   * Not a user edit: `version` and `updated_*` stay as they are, so a client's If-Match stays valid.
   */
  protected setDerived(id: number, values: Partial<E>): Promise<void> {
    return this.adjustCounters(id, {}, values);
  }

  /**
   * Replaces columns of many rows (live or deleted), each with its own values, a few hundred rows per
   * statement (`col = CASE id WHEN … THEN … END`) instead of one UPDATE per row. Stamps the actor and
   * bumps `version` like every other edit. Every row sets the same properties (those of the first).
   */
  protected async replaceEach(rows: { id: number; values: Partial<E> }[], chunkSize = 400): Promise<void> {
    if (rows.length === 0) return;
    refuseKept('replaceEach', rows[0].values);
    const { userId } = this.tenancy.require();
    const stamp = { version: () => 'version + 1', updatedBy: userId, updatedAt: new Date() };
    await this.tables.updateEach(this.target, rows as { id: number; values: Record<string, unknown> }[], stamp, chunkSize);
  }

  /**
   * Locks this table's rows of the tenant that match (property → value, or → values for a list)
   * until the transaction ends, with a no-op UPDATE: on MySQL the matched rows' write locks (name the
   * primary key or a whole unique key, e.g. `{ campaignCode, live: 1 }`, so that no gap is locked);
   * SQLite write transactions already run one at a time. Live rows only unless `includeDeleted`; `{}`
   * locks all of them. With `of`, the rows of another tenant-owned table (what this table's writes
   * hang on, e.g. the leads of imported milestones).
   */
  protected lockRows(match: RowMatch, opts: { includeDeleted?: boolean; of?: EntityTarget<TenantOwnedEntity> } = {}): Promise<void> {
    return this.tables.lock(opts.of ?? this.target, match, opts.includeDeleted ?? false);
  }
}

/** Identity, tenant and version are the base's: refused in what a caller sets. */
function refuseKept(method: string, values: object): void {
  const guarded = KEPT_BY_THE_BASE.filter((property) => property in values);
  if (guarded.length > 0) throw new Error(`${method}: ${guarded.join(', ')} cannot be changed by an update`);
}
