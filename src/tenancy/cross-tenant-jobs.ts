import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { InjectTxHost } from '../database/transactional';
import { dialectOf } from '../database/sql-dialect';
import { groupBy } from '../common/group-by';

/** A row a job claimed: its tenant, id, and the version the claim gave it (the claim's token). */
export interface ClaimedRow {
  tenantId: string;
  id: number;
  version: number;
}

/**
 * Named cross-tenant statements for system jobs (the webhook relay), which act for no tenant: they
 * find work across tenants, then do each piece in its tenant's scope (TenantScope.run) through the
 * scoped repositories. Nothing else may read across tenants; these methods return keys only.
 *
 * The tables they work on follow one convention (webhook_deliveries does): `status`, `next_attempt_at`,
 * `lease_until` and `version` columns, keyed by `(tenant_id, id)`.
 */
@Injectable()
export class CrossTenantJobs {
  constructor(@InjectTxHost() private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  /**
   * Claims up to `limit` rows whose `status` is `pending`, whose `next_attempt_at` has come and that no
   * instance holds (`lease_until` empty or past), oldest due first: in one short transaction it selects
   * them `FOR UPDATE SKIP LOCKED` (MySQL 8 / MariaDB 10.6+: instances claiming at once take different
   * rows; SQLite: one process, one write transaction at a time), sets `lease_until = now + leaseMs` and
   * bumps `version`, and commits. The claimer then owns the rows until the lease ends: a write that names
   * the claimed version (TenantScopedRepository.updateLive with ifVersion) applies only while no other
   * claim came after, so a crashed instance's rows are retried once their lease expires, and a late
   * answer of a slow one cannot overwrite the next claimer's.
   */
  async claimDue(target: EntityTarget<ObjectLiteral>, limit: number, leaseMs: number, now = new Date()): Promise<ClaimedRow[]> {
    const mysql = dialectOf(this.txHost.tx.connection) === 'mysql';
    // READ COMMITTED on MySQL/MariaDB: the scan locks the rows it takes and no gaps, so the writes that
    // append to the table meanwhile never wait for it (SQLite: its default, one write transaction at a time).
    return this.txHost.withTransaction({ isolationLevel: mysql ? 'READ COMMITTED' : 'SERIALIZABLE' }, async () => {
      const manager: EntityManager = this.txHost.tx;
      const table = manager.connection.getMetadata(target).tableName;

      const rows = await this.query<{ tenant_id: string; id: number | string; version: number | string }>(
        manager,
        `SELECT tenant_id, id, version FROM ${table} WHERE status = 'pending' AND next_attempt_at <= :now AND (lease_until IS NULL OR lease_until <= :now) ` +
          `ORDER BY next_attempt_at LIMIT ${Number(limit)}${mysql ? ' FOR UPDATE SKIP LOCKED' : ''}`,
        { now },
      );
      // The rows are locked (MySQL) or the transaction is the only writer (SQLite): their versions move
      // from what was read to one more, so one UPDATE per tenant claims them all.
      const byTenant = groupBy(
        rows,
        (row) => row.tenant_id,
        (row) => Number(row.id),
      );
      const until = new Date(now.getTime() + leaseMs);
      for (const [tenantId, ids] of byTenant) {
        await this.query(manager, `UPDATE ${table} SET lease_until = :until, version = version + 1 WHERE tenant_id = :tenantId AND id IN (:...ids)`, {
          tenantId,
          ids,
          until,
        });
      }
      return rows.map((row) => ({ tenantId: row.tenant_id, id: Number(row.id), version: Number(row.version) + 1 }));
    });
  }

  /**
   * How many rows, across tenants, are `pending` and due by `now` (their attempt has come), counted up
   * to `cap` through the due index: work the instances have not got to yet (/metrics).
   */
  async countDue(target: EntityTarget<ObjectLiteral>, cap: number, now = new Date()): Promise<number> {
    const manager: EntityManager = this.txHost.tx;
    const table = manager.connection.getMetadata(target).tableName;
    const [row] = await this.query<{ n: number | string }>(
      manager,
      `SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${table} WHERE status = 'pending' AND next_attempt_at <= :now LIMIT ${Number(cap)}) due`,
      { now },
    );
    return Number(row?.n ?? 0);
  }

  /**
   * Deletes, across tenants, the rows whose `status` is one of `statuses` and were last updated before
   * `before` (retention of finished work). Answers how many went.
   */
  async purge(target: EntityTarget<ObjectLiteral>, statuses: string[], before: Date): Promise<number> {
    // A transaction of its own (on SQLite's one connection a bare write would join whichever request's
    // transaction is open); the (status, updated_at) index finds the rows without a scan of the table.
    return this.txHost.withTransaction(async () => {
      const manager: EntityManager = this.txHost.tx;
      const table = manager.connection.getMetadata(target).tableName;
      const [sql, params] = manager.connection.driver.escapeQueryWithParameters(
        `DELETE FROM ${table} WHERE status IN (:...statuses) AND updated_at < :before`,
        { statuses, before },
      );
      const result: unknown = await manager.query(sql, params);
      return Number((result as { affectedRows?: number })?.affectedRows ?? 0);
    });
  }

  /**
   * Tenants with time zone work (ZoneRecompute): a recomputation under way, or rows of replaced
   * generations retired before `retiredBefore`. One row per tenant is read (tenant_settings).
   */
  async tenantsWithZoneWork(retiredBefore: Date, limit: number): Promise<string[]> {
    return this.txHost.withTransaction(async () => {
      const rows = await this.query<{ tenant_id: string }>(
        this.txHost.tx,
        `SELECT tenant_id FROM tenant_settings WHERE recompute_generation IS NOT NULL OR retired_at <= :retiredBefore ORDER BY tenant_id LIMIT ${Number(limit)}`,
        { retiredBefore },
      );
      return rows.map((r) => r.tenant_id);
    });
  }

  private async query<T>(manager: EntityManager, sql: string, params: Record<string, unknown>): Promise<T[]> {
    const [text, bound] = manager.connection.driver.escapeQueryWithParameters(sql, params);
    return (await manager.query(text, bound)) as T[];
  }
}
