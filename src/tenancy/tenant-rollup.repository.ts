import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { dialectOf, upsertAddSql } from '../database/sql-dialect';
import { TenantContext } from './tenant-context';

/** Rows per upsert statement: keeps statements well under placeholder limits on both engines. */
const CHUNK = 400;

/**
 * Base of rollup tables (daily counts and sums keyed by `tenant_id` + dimensions). Reads carry the
 * tenant predicate; writes add deltas to the keyed rows (creating them on first use) and always
 * set `tenant_id` from the context. Called inside the fact write's transaction, so a rollup can
 * never drift from its facts.
 */
@Injectable()
export abstract class TenantRollupRepository<E extends ObjectLiteral & { tenantId: string }> {
  protected abstract readonly target: EntityTarget<E>;
  protected abstract readonly alias: string;
  /** Table and columns (snake_case) of the upsert. */
  protected abstract readonly table: string;
  protected abstract readonly keyColumns: string[];
  protected abstract readonly measureColumns: string[];

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    protected readonly tenancy: TenantContext,
  ) {}

  protected select(): SelectQueryBuilder<E> {
    const { tenantId } = this.tenancy.require();
    return this.txHost.tx.getRepository(this.target).createQueryBuilder(this.alias).where(`${this.alias}.tenantId = :tenantId`, { tenantId });
  }

  /**
   * Adds each row's measures to its key. `rows` hold the key columns except tenant_id, then the
   * measures, in the declared order. Rows whose measures are all zero are skipped.
   */
  protected async addDeltas(rows: (string | number)[][]): Promise<void> {
    const { tenantId } = this.tenancy.require();
    const keys = this.keyColumns.length - 1; // tenant_id comes from the context
    const live = rows.filter((r) => r.slice(keys).some((v) => v !== 0));
    if (live.length === 0) return;
    const manager = this.txHost.tx;
    const dialect = dialectOf(manager.connection);
    for (let i = 0; i < live.length; i += CHUNK) {
      const chunk = live.slice(i, i + CHUNK);
      const sql = upsertAddSql(dialect, this.table, this.keyColumns, this.measureColumns, chunk.length);
      await manager.query(sql, chunk.flatMap((r) => [tenantId, ...r]));
    }
  }
}
