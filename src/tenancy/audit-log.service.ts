import { Injectable } from '@nestjs/common';
import { AuditAction, AuditChanges } from './audit-log.entity';
import { AuditLogRepository } from './audit-log.repository';

/** Fields that change on every write and say nothing about what the actor did. */
const BOOKKEEPING = new Set(['id', 'version', 'created_at', 'updated_at', 'created_by', 'updated_by']);

/**
 * Diff of two wire representations (response DTOs): the audit log speaks the API's field names and,
 * because response DTOs never carry secrets, can never leak one.
 */
export function diffRepresentations(before: object | null, after: object | null): AuditChanges {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const changes: AuditChanges = {};
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (BOOKKEEPING.has(key)) continue;
    const x = b[key] === undefined ? null : b[key];
    const y = a[key] === undefined ? null : a[key];
    if (JSON.stringify(x) !== JSON.stringify(y)) changes[key] = [x, y];
  }
  return changes;
}

@Injectable()
export class AuditLogService {
  constructor(private readonly repository: AuditLogRepository) {}

  /** Must be called inside the write's transaction (a @Transactional() service method). */
  record(action: AuditAction, entityType: string, entityKey: string | number, before: object | null, after: object | null) {
    return this.recordMany([{ action, entityType, entityKey, before, after }]);
  }

  /** One entry per written row, inserted together (bulk writes). */
  recordMany(entries: { action: AuditAction; entityType: string; entityKey: string | number; before: object | null; after: object | null }[]) {
    return this.repository.append(
      entries.map((e) => ({
        action: e.action,
        entityType: e.entityType,
        entityKey: String(e.entityKey),
        changes: diffRepresentations(e.before, e.after),
      })),
    );
  }

  list(filter: { entityType?: string; entityKey?: string }, page: { limit: number; offset: number }) {
    return this.repository.list(filter, page);
  }
}
