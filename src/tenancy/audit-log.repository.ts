import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { BeforeCommit } from '../database/transaction-hooks';
import { InjectTxHost } from '../database/transactional';
import { AuditLogEntity } from './audit-log.entity';
import { TenantContext } from './tenant-context';
import { TenantTables } from './tenant-tables';

/**
 * Audit rows are append-only and have no soft delete, so they sit outside TenantScopedRepository;
 * they are scoped by the same core (TenantTables).
 */
@Injectable()
export class AuditLogRepository {
  private readonly tables: TenantTables;

  constructor(
    @InjectTxHost() txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    tenancy: TenantContext,
    private readonly beforeCommit: BeforeCommit,
  ) {
    this.tables = new TenantTables(txHost, tenancy);
  }

  /**
   * Appends entries in multi-row inserts (a bulk write audits each of its rows), as the last
   * statements of the write's transaction (BeforeCommit: their ids come from the tenant's audit
   * sequence, locked from there to the commit), in the order appended; at once outside a transaction.
   */
  async append(rows: Omit<AuditLogEntity, 'id' | 'tenantId' | 'actor' | 'at'>[], chunkSize = 500): Promise<void> {
    if (rows.length === 0) return;
    const { tenantId, userId } = this.tables.principal();
    const at = new Date();
    const insert = this.tables.inserter(AuditLogEntity);
    const entities = rows.map((row) => this.tables.create(AuditLogEntity, { ...row, tenantId, actor: userId, at }));
    await this.beforeCommit.run(async () => {
      await insert(
        entities.length,
        (firstId) => {
          entities.forEach((entity, i) => (entity.id = firstId + i));
          return entities;
        },
        chunkSize,
      );
    });
  }

  list(filter: { entityType?: string; entityKey?: string }, page: { limit: number; offset: number }) {
    const qb = this.tables.select(AuditLogEntity, 'a');
    if (filter.entityType) qb.andWhere('a.entityType = :entityType', { entityType: filter.entityType });
    if (filter.entityKey) qb.andWhere('a.entityKey = :entityKey', { entityKey: filter.entityKey });
    return qb.orderBy('a.id', 'DESC').offset(page.offset).limit(page.limit).getManyAndCount();
  }
}
