import { duplicateCode, notFound, raise } from '../common/errors/app-error';
import { AuditLogService } from '../tenancy/audit-log.service';
import { TenantContext } from '../tenancy/tenant-context';
import { TenantRegistry } from '../tenancy/tenant-registry';

/** A soft-deletable row: what a restore needs to know of it. */
export interface Restorable {
  id: number;
  deletedAt: Date | null;
}

/** What one feature supplies to the restore flow; every step runs in the caller's transaction. */
export interface RestoreSteps<E extends Restorable, R extends object> {
  /** The audit log's entity_type, e.g. `campaign`. */
  entityType: string;
  /** How messages name one row, e.g. `campaign template`. */
  label: string;
  /** What the request named (a code or an id), for the 404. */
  key: string | number;
  /** The most recently deleted row the request names. */
  findDeleted(): Promise<E | null>;
  /** For code-addressed rows: whether a live row holds the deleted row's code now (409 DUPLICATE_CODE). */
  codeTaken?(deleted: E): Promise<boolean>;
  /** Feature rules that refuse the restore (e.g. a sequence naming types deleted since); throws. */
  refuse?(deleted: E): Promise<void>;
  /** Brings the row back by (id, deleted_at): answers the number of rows changed (0 or 1). */
  restore(id: number, deletedAt: Date): Promise<number>;
  /** What follows the row back: rows its delete cascaded to, rollup moves, a default it may no longer hold. */
  cascade?(deleted: E, deletedAt: Date): Promise<void>;
  /** The row as restored (after the cascade). */
  reload(id: number): Promise<E | null>;
  entityKey(row: E): string | number;
  toResponse(row: E): R;
}

/**
 * THE restore of every soft-deleted row (configuration resources, campaigns, templates). Runs inside
 * the caller's @Transactional() method:
 * 1. admin only (403);
 * 2. the tenant lock, as the transaction's first statement (docs/concurrency.md): restores of a tenant
 *    queue, so the reads below see what a previous restore committed;
 * 3. the deleted row (404), refused when a live row holds its code (409) or a feature rule says so;
 * 4. the row back by (id, deleted_at), checking the count: 0 means a concurrent restore got there
 *    first, answered like a restore that came after it (404), with no cascade and no audit entry;
 * 5. the feature's cascade;
 * 6. one audit entry whose `before` is the deleted row, so the diff shows deleted_at going back to null.
 */
export async function restoreDeleted<E extends Restorable, R extends object>(
  ctx: { tenancy: TenantContext; registry: TenantRegistry; audit: AuditLogService },
  steps: RestoreSteps<E, R>,
): Promise<E> {
  ctx.tenancy.requireAdmin('restore');
  await ctx.registry.lockCurrentTenant();
  const deleted = (await steps.findDeleted()) ?? raise(notFound(`deleted ${steps.label}`, steps.key));
  if (steps.codeTaken && (await steps.codeTaken(deleted))) throw duplicateCode(steps.label, String(steps.key));
  if (steps.refuse) await steps.refuse(deleted);
  const deletedAt = deleted.deletedAt!;
  if ((await steps.restore(deleted.id, deletedAt)) === 0) throw notFound(`deleted ${steps.label}`, steps.key);
  if (steps.cascade) await steps.cascade(deleted, deletedAt);
  const restored = (await steps.reload(deleted.id)) ?? raise(notFound(steps.label, steps.key));
  await ctx.audit.record('restore', steps.entityType, steps.entityKey(restored), steps.toResponse(deleted), steps.toResponse(restored));
  return restored;
}
