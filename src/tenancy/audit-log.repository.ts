import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Repository } from 'typeorm';
import { bulkInsert } from '../database/bulk-insert';
import { BeforeCommit } from '../database/transaction-hooks';
import { InjectTxHost } from '../database/transactional';
import { AuditLogEntity } from './audit-log.entity';
import { allocateIds } from './id-sequences';
import { TenantContext } from './tenant-context';

/** Audit rows are append-only and have no soft delete, so they sit outside TenantScopedRepository. */
@Injectable()
export class AuditLogRepository {
  constructor(
    @InjectTxHost() private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly tenancy: TenantContext,
    private readonly beforeCommit: BeforeCommit,
  ) {}

  private get repo(): Repository<AuditLogEntity> {
    return this.txHost.tx.getRepository(AuditLogEntity);
  }

  /**
   * Appends entries in multi-row inserts (a bulk write audits each of its rows), as the last
   * statements of the write's transaction (BeforeCommit: their ids come from the tenant's audit
   * sequence, locked from there to the commit), in the order appended; at once outside a transaction.
   */
  async append(rows: Omit<AuditLogEntity, 'id' | 'tenantId' | 'actor' | 'at'>[], chunkSize = 500): Promise<void> {
    if (rows.length === 0) return;
    const { tenantId, userId } = this.tenancy.require();
    const at = new Date();
    const manager = this.txHost.tx;
    const metadata = this.repo.metadata;
    const entities = rows.map((row) => this.repo.create({ ...row, tenantId, actor: userId, at }));
    await this.beforeCommit.run(async () => {
      const firstId = await allocateIds(manager, tenantId, metadata.tableName, entities.length);
      entities.forEach((entity, i) => (entity.id = firstId + i));
      await bulkInsert(manager, metadata, entities, chunkSize);
    });
  }

  list(filter: { entityType?: string; entityKey?: string }, page: { limit: number; offset: number }) {
    const { tenantId } = this.tenancy.require();
    const qb = this.repo.createQueryBuilder('a').where('a.tenantId = :tenantId', { tenantId });
    if (filter.entityType) qb.andWhere('a.entityType = :entityType', { entityType: filter.entityType });
    if (filter.entityKey) qb.andWhere('a.entityKey = :entityKey', { entityKey: filter.entityKey });
    return qb.orderBy('a.id', 'DESC').offset(page.offset).limit(page.limit).getManyAndCount();
  }
}
