import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { idColumn, timestampColumn } from '../database/columns';

export const AUDIT_ACTIONS = ['create', 'update', 'delete', 'restore', 'activate', 'deactivate', 'transition'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export type AuditChanges = Record<string, [unknown, unknown]>;

/** Append-only record of every write, written in the write's own transaction (API.md §6). */
@Entity('audit_log')
@Index('ix_audit_log__entity_type__entity_key__id', ['tenantId', 'entityType', 'entityKey', 'id'])
export class AuditLogEntity {
  /** Numbered per tenant (IdSequences), like every tenant-owned row: the key is `(tenant_id, id)`. */
  @PrimaryColumn(idColumn())
  id: number;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  tenantId: string;

  @Column(timestampColumn())
  at: Date;

  @Column({ type: 'varchar', length: 128 })
  actor: string;

  @Column({ type: 'varchar', length: 16 })
  action: AuditAction;

  @Column({ type: 'varchar', length: 64 })
  entityType: string;

  @Column({ type: 'varchar', length: 191 })
  entityKey: string;

  @Column({ type: 'simple-json' })
  changes: AuditChanges;
}
