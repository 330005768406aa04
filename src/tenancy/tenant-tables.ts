import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral, SelectQueryBuilder, UpdateQueryBuilder } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { bulkInsert } from '../database/bulk-insert';
import { InjectTxHost } from '../database/transactional';
import { Dialect, dialectOf, isDuplicateKeyError, upsertAddSql } from '../database/sql-dialect';
import { allocateIds } from './id-sequences';
import { Principal, TenantContext } from './tenant-context';

/** Rows per upsert statement: keeps statements well under placeholder limits on both engines. */
const UPSERT_CHUNK = 400;

/** Which rows of a table a statement names: property → value, or → values (an IN list). */
export type RowMatch = Record<string, unknown>;

/**
 * The one scoping core of data access, shared by the three bases (TenantScopedRepository for the
 * tenant-owned tables, TenantRollupRepository for the rollups, AuditLogRepository for the audit log):
 *
 * - the tenant comes from the context (TenantContext, which throws outside a request or a scope);
 * - every read it starts carries the tenant predicate, and every join it adds repeats it on the
 *   joined table (ids are per tenant: `(tenant_id, id)` is the key, so a join without it would reach
 *   another tenant's row);
 * - every row it writes gets `tenant_id` from the context, and every UPDATE names the tenant;
 * - statements run in the current transaction (the TransactionHost), in the dialect it reports.
 *
 * Each base makes its own and holds it privately (it is not a provider; the decorators say what the
 * bases inject): feature repositories see only the bases' named methods, never this object, the
 * transaction host or SQL text of their own.
 */
@Injectable()
export class TenantTables {
  constructor(
    @InjectTxHost() private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly tenancy: TenantContext,
  ) {}

  /** The principal in context (tenant, actor, role). */
  principal(): Principal {
    return this.tenancy.require();
  }

  /** The SQL dialect queries run in. */
  get dialect(): Dialect {
    return dialectOf(this.txHost.tx.connection);
  }

  metadata(target: EntityTarget<ObjectLiteral>): EntityMetadata {
    return this.txHost.tx.connection.getMetadata(target);
  }

  /** An entity instance of `target` (TypeORM's create), not yet stored. */
  create<T extends ObjectLiteral>(target: EntityTarget<T>, values: Partial<T>): T {
    return this.txHost.tx.getRepository(target).create(values as T);
  }

  /** A read of `target` under `alias`, with the tenant predicate; soft-deleted rows hidden unless asked. */
  select<T extends ObjectLiteral>(target: EntityTarget<T>, alias: string, includeDeleted = false): SelectQueryBuilder<T> {
    const { tenantId } = this.tenancy.require();
    const qb = this.txHost.tx.getRepository(target).createQueryBuilder(alias).where(`${alias}.tenantId = :tenantId`, { tenantId });
    return includeDeleted ? qb.withDeleted() : qb;
  }

  /**
   * Joins a tenant-owned entity on a condition, with the tenant predicate on the joined table added to
   * the condition. With `mapTo`, the joined row is loaded into that (non-column) property of the result.
   */
  join<T extends ObjectLiteral, J extends ObjectLiteral>(
    qb: SelectQueryBuilder<T>,
    entity: new () => J,
    alias: string,
    on: string,
    opts: { mapTo?: string; inner?: boolean } = {},
  ): SelectQueryBuilder<T> {
    const { tenantId } = this.tenancy.require();
    const condition = `${on} AND ${alias}.tenantId = :tenantId`;
    const params = { tenantId };
    if (opts.mapTo) {
      const property = `${qb.alias}.${opts.mapTo}`;
      return opts.inner ? qb.innerJoinAndMapOne(property, entity, alias, condition, params) : qb.leftJoinAndMapOne(property, entity, alias, condition, params);
    }
    return opts.inner ? qb.innerJoin(entity, alias, condition, params) : qb.leftJoin(entity, alias, condition, params);
  }

  /**
   * Adds `EXISTS (SELECT 1 FROM <entity> <alias> WHERE <tenant predicate> …)` to `qb`: `build` adds the
   * correlation, its conditions and its joins (through `join`) to the sub-query. Soft-deleted rows of
   * the sub-query count unless `build` excludes them.
   */
  whereExists<T extends ObjectLiteral, S extends ObjectLiteral>(
    qb: SelectQueryBuilder<T>,
    entity: EntityTarget<S>,
    alias: string,
    build: (sub: SelectQueryBuilder<S>) => SelectQueryBuilder<S>,
  ): SelectQueryBuilder<T> {
    const sub = build(this.select(entity, alias, true).select('1'));
    return qb.andWhere(`EXISTS (${sub.getQuery()})`, sub.getParameters());
  }

  /**
   * Inserts `count` rows of `target` numbered with the next ids of their table in the tenant
   * (IdSequences): `make` builds them from the first id, in the order given; `tenant_id` is set from
   * the context on each. The transaction is the one open when `inserter` is called, so a deferred
   * insert (the audit log's, just before the commit) still runs in it.
   */
  inserter<T extends ObjectLiteral>(target: EntityTarget<T>): (count: number, make: (firstId: number) => T[], chunkSize?: number) => Promise<T[]> {
    const { tenantId } = this.tenancy.require();
    const manager = this.txHost.tx;
    const metadata = manager.connection.getMetadata(target);
    return async (count, make, chunkSize = 500) => {
      const rows = make(await allocateIds(manager, tenantId, metadata.tableName, count));
      for (const row of rows) (row as ObjectLiteral).tenantId = tenantId;
      await bulkInsert(manager, metadata, rows, chunkSize);
      return rows;
    };
  }

  /**
   * Inserts one row of `target` (tenant_id from the context) unless its key is taken: answers whether
   * it went in. A plain INSERT whose duplicate-key error is the answer "taken" (only the statement
   * fails, the transaction goes on), so of several transactions racing to insert one key exactly one
   * wins; on MySQL/MariaDB the others wait on the winner's uncommitted row and lose once it commits
   * (or win, if it rolls back). The same on SQLite, MariaDB and MySQL 8.
   */
  async insertIfAbsent<T extends ObjectLiteral>(target: EntityTarget<T>, values: Partial<T>): Promise<boolean> {
    const { tenantId } = this.tenancy.require();
    try {
      await this.txHost.tx
        .getRepository(target)
        .createQueryBuilder()
        .insert()
        .values({ ...values, tenantId } as unknown as QueryDeepPartialEntity<T>)
        .execute();
      return true;
    } catch (e) {
      if (isDuplicateKeyError(e)) return false;
      throw e;
    }
  }

  /**
   * An UPDATE of the tenant's rows of `target`: the where is `tenant_id = :tenantId AND (<where>)`
   * (column names); the caller may add conditions and executes it.
   */
  update<T extends ObjectLiteral>(
    target: EntityTarget<T>,
    set: QueryDeepPartialEntity<T>,
    where: string,
    params: Record<string, unknown>,
  ): UpdateQueryBuilder<T> {
    const { tenantId } = this.tenancy.require();
    return this.txHost.tx
      .getRepository(target)
      .createQueryBuilder()
      .update()
      .set(set)
      .where(`tenant_id = :tenantId AND (${where})`, { ...params, tenantId });
  }

  /**
   * The tenant's rows of `target` matching `match` (and, unless `includeDeleted`, live), as SQL:
   * `tenant_id = :tenantId [AND deleted_at IS NULL] AND col = :m0 AND col IN (:...m1) …`.
   */
  private matching(target: EntityTarget<ObjectLiteral>, match: RowMatch, includeDeleted: boolean): [string, Record<string, unknown>] {
    const metadata = this.metadata(target);
    const { tenantId } = this.tenancy.require();
    const conditions = ['tenant_id = :tenantId'];
    if (!includeDeleted) conditions.push('deleted_at IS NULL');
    const params: Record<string, unknown> = { tenantId };
    Object.entries(match).forEach(([property, value], i) => {
      const column = columnOf(metadata, property);
      conditions.push(Array.isArray(value) ? `${column} IN (:...m${i})` : `${column} = :m${i}`);
      params[`m${i}`] = value;
    });
    return [conditions.join(' AND '), params];
  }

  /**
   * Locks the tenant's rows of `target` matching `match` until the transaction ends, with a no-op
   * UPDATE (`version = version`): MySQL takes the matched rows' write locks (and the index records the
   * search used: name a whole unique key, or the primary key, to take no gap locks); SQLite runs one
   * write transaction at a time, which this makes the current one. Nothing visible changes.
   */
  async lock(target: EntityTarget<ObjectLiteral>, match: RowMatch, includeDeleted: boolean): Promise<void> {
    const [where, params] = this.matching(target, match, includeDeleted);
    await this.query(`UPDATE ${this.metadata(target).tableName} SET version = version WHERE ${where}`, params);
  }

  /**
   * The raw rows of `qb` (a read this object started), with a shared lock on each until the
   * transaction ends: `LOCK IN SHARE MODE` on MySQL and MariaDB alike (MySQL 8 also calls it FOR SHARE,
   * which MariaDB does not know). Writers of those rows wait for the lock holders; other readers with a
   * shared lock do not. SQLite runs one write transaction at a time: a plain read is enough there.
   */
  async rawShared<R>(qb: SelectQueryBuilder<ObjectLiteral>): Promise<R[]> {
    if (this.dialect !== 'mysql') return qb.getRawMany<R>();
    const [sql, params] = qb.getQueryAndParameters();
    return this.txHost.tx.query(`${sql} LOCK IN SHARE MODE`, params);
  }

  /**
   * One UPDATE per chunk that sets each row's own values (`col = CASE id WHEN :id0 THEN :v0 … END`),
   * plus `also` (column → SQL expression or value) on every row, on the tenant's rows with these ids.
   */
  async updateEach(
    target: EntityTarget<ObjectLiteral>,
    rows: { id: number; values: Record<string, unknown> }[],
    also: Record<string, unknown>,
    chunkSize: number,
  ): Promise<void> {
    const metadata = this.metadata(target);
    const properties = rows.length > 0 ? Object.keys(rows[0].values) : [];
    for (let i = 0; i < rows.length; i += chunkSize) {
      const part = rows.slice(i, i + chunkSize);
      const params: Record<string, unknown> = {};
      part.forEach((r, j) => {
        params[`id${j}`] = r.id;
        properties.forEach((p, k) => (params[`v${k}_${j}`] = r.values[p]));
      });
      const sets = properties.map((p, k) => `${columnOf(metadata, p)} = CASE id ${part.map((_r, j) => `WHEN :id${j} THEN :v${k}_${j}`).join(' ')} END`);
      Object.entries(also).forEach(([property, value], k) => {
        sets.push(`${columnOf(metadata, property)} = ${typeof value === 'function' ? (value as () => string)() : `:a${k}`}`);
        if (typeof value !== 'function') params[`a${k}`] = value;
      });
      const [where, scope] = this.matching(target, { id: part.map((r) => r.id) }, true);
      await this.query(`UPDATE ${metadata.tableName} SET ${sets.join(', ')} WHERE ${where}`, { ...params, ...scope });
    }
  }

  /**
   * Adds each row's measures to its key in a rollup table (creating the row on first use): `rows` hold
   * the key columns after `tenant_id` (which comes from the context), then the measures.
   */
  async upsertAdd(table: string, keyColumns: string[], measureColumns: string[], rows: (string | number | bigint)[][]): Promise<void> {
    if (rows.length === 0) return;
    const { tenantId } = this.tenancy.require();
    const manager = this.txHost.tx;
    const dialect = dialectOf(manager.connection);
    for (let i = 0; i < rows.length; i += UPSERT_CHUNK) {
      const chunk = rows.slice(i, i + UPSERT_CHUNK);
      const sql = upsertAddSql(dialect, table, keyColumns, measureColumns, chunk.length);
      await manager.query(
        sql,
        chunk.flatMap((r) => [tenantId, ...r]),
      );
    }
  }

  /**
   * Deletes at most `limit` of the tenant's rows of `table` matching `where` (column names), in one
   * statement: a bounded piece of a large delete. Answers how many went.
   */
  async deleteSome(table: string, where: string, params: Record<string, unknown>, limit: number): Promise<number> {
    const { tenantId } = this.tenancy.require();
    const manager: EntityManager = this.txHost.tx;
    const condition = `tenant_id = :tenantId AND (${where})`;
    const sql =
      this.dialect === 'mysql'
        ? `DELETE FROM ${table} WHERE ${condition} LIMIT ${Number(limit)}`
        : `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${condition} LIMIT ${Number(limit)})`;
    const [text, bound] = manager.connection.driver.escapeQueryWithParameters(sql, { ...params, tenantId });
    const runner = manager.queryRunner;
    if (!runner) throw new Error('deleteSome runs inside a transaction');
    return (await runner.query(text, bound, true)).affected ?? 0;
  }

  /** A statement written here, in src/tenancy, with `:name` parameters (the tenant's among them). */
  private async query(sql: string, params: Record<string, unknown>): Promise<void> {
    const manager: EntityManager = this.txHost.tx;
    const [text, bound] = manager.connection.driver.escapeQueryWithParameters(sql, params);
    await manager.query(text, bound);
  }
}

/** The column of a property (a typo is a programming error, caught on first use). */
function columnOf(metadata: EntityMetadata, property: string): string {
  const column = metadata.findColumnWithPropertyName(property);
  if (!column) throw new Error(`${metadata.tableName} has no column for property ${property}`);
  return column.databaseName;
}

/**
 * What the two repository bases (TenantScopedRepository, TenantRollupRepository) start from: their own
 * scoping core, made from what Nest injects, and the dialect queries run in. `tables` is for the bases
 * in src/tenancy only: feature repositories use the bases' named methods (test/architecture/data-access.spec.ts).
 */
@Injectable()
export abstract class TenantTablesBase {
  /** The scoping core (tenant, tenant predicate, transaction, dialect), shared with the other bases. */
  protected readonly tables: TenantTables;

  constructor(
    @InjectTxHost() txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    protected readonly tenancy: TenantContext,
  ) {
    this.tables = new TenantTables(txHost, tenancy);
  }

  /** The SQL dialect queries run in, for the rare dialect switch (feature code never reaches the connection). */
  protected get dialect(): Dialect {
    return this.tables.dialect;
  }
}
