import { Injectable } from '@nestjs/common';
import { AuditAction, AuditChanges } from './audit-log.entity';
import { AuditLogRepository } from './audit-log.repository';

/** Fields that change on every write and say nothing about what the actor did. */
const BOOKKEEPING = new Set(['id', 'version', 'created_at', 'updated_at', 'created_by', 'updated_by']);

/** Whether JSON.stringify(v) is "null", without serialising a primitive. */
const isJsonNull = (v: unknown): boolean =>
  v === null || v === undefined ? true : typeof v === 'number' ? !Number.isFinite(v) : typeof v === 'object' ? JSON.stringify(v) === 'null' : false;

/**
 * Diff of two wire representations (response DTOs): the audit log speaks the API's field names and,
 * because response DTOs never carry secrets, can never leak one.
 */
export function diffRepresentations(before: object | null, after: object | null): AuditChanges {
  const changes: AuditChanges = {};
  // A create or a delete: every field of the one side that is not null (bulk writes make millions of
  // these, so primitives are not serialised to be compared with null).
  if (before === null || after === null) {
    const side = (before ?? after ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(side)) {
      const v = side[key] === undefined ? null : side[key];
      if (BOOKKEEPING.has(key) || isJsonNull(v)) continue;
      changes[key] = before === null ? [null, v] : [v, null];
    }
    return changes;
  }
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
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
