import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { timestampColumn } from '../database/columns';

export const AUDIT_ACTIONS = ['create', 'update', 'delete', 'restore', 'activate', 'deactivate', 'transition'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export type AuditChanges = Record<string, [unknown, unknown]>;

/** Append-only record of every write, written in the write's own transaction (API.md §6). */
@Entity('audit_log')
@Index('ix_audit_log__id', ['tenantId', 'id'])
@Index('ix_audit_log__entity_type__entity_key__id', ['tenantId', 'entityType', 'entityKey', 'id'])
export class AuditLogEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 64 })
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
