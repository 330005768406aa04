import { Column, DeleteDateColumn, PrimaryColumn } from 'typeorm';
import { idColumn, LIVE_EXPRESSION, timestampColumn } from '../database/columns';

/**
 * Columns every tenant-owned row has. `id`, `createdAt` and `updatedAt` are set by TenantScopedRepository (not by
 * database defaults) so that both engines store the same precision and tests can reason about them.
 */
export abstract class TenantOwnedEntity {
  /**
   * Numbered per tenant and table (IdSequences, given on insert): 1, 2, 3… in each tenant, so an id
   * tells nothing about other tenants. The primary key is `(tenant_id, id)`.
   */
  @PrimaryColumn(idColumn())
  id: number;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  tenantId: string;

  @Column(timestampColumn())
  createdAt: Date;

  @Column(timestampColumn())
  updatedAt: Date;

  @Column({ type: 'varchar', length: 128 })
  createdBy: string;

  @Column({ type: 'varchar', length: 128 })
  updatedBy: string;

  @DeleteDateColumn({ type: 'datetime', precision: 3, nullable: true })
  deletedAt: Date | null;

  @Column({ type: 'int', default: 1 })
  version: number;

  /** 1 while live, NULL once deleted: the last part of every soft-delete-aware unique key. */
  @Column({
    type: 'tinyint',
    nullable: true,
    generatedType: 'VIRTUAL',
    asExpression: LIVE_EXPRESSION,
    insert: false,
    update: false,
    select: false,
  })
  live: number | null;
}
