import { AppError } from '../common/errors/app-error';
import { AuditLogService } from '../tenancy/audit-log.service';
import { TenantContext } from '../tenancy/tenant-context';
import { TenantRegistry } from '../tenancy/tenant-registry';
import { Restorable, restoreDeleted, RestoreSteps } from './restore';

interface Row extends Restorable {
  code: string;
}

describe('restoreDeleted', () => {
  const deletedAt = new Date('2026-03-01T10:00:00.000Z');
  const deleted: Row = { id: 4, code: 'SPRING', deletedAt };
  let calls: string[];
  let audited: unknown[][];

  function run(over: Partial<RestoreSteps<Row, object>> = {}, role = 'admin') {
    const ctx = {
      tenancy: {
        requireAdmin: () => {
          calls.push('admin');
          if (role !== 'admin') throw new AppError('FORBIDDEN', 'restore needs the admin role');
        },
      } as unknown as TenantContext,
      registry: { lockCurrentTenant: async () => void calls.push('lock') } as unknown as TenantRegistry,
      audit: { record: async (...args: unknown[]) => void audited.push(args) } as unknown as AuditLogService,
    };
    return restoreDeleted<Row, object>(ctx, {
      entityType: 'thing',
      label: 'thing',
      key: 'SPRING',
      findDeleted: async () => (calls.push('find'), deleted),
      codeTaken: async () => (calls.push('codeTaken'), false),
      restore: async (id, at) => (calls.push(`restore ${id} ${at.toISOString()}`), 1),
      cascade: async () => void calls.push('cascade'),
      reload: async (id) => (calls.push('reload'), { id, code: 'SPRING', deletedAt: null }),
      entityKey: (row) => row.code,
      toResponse: (row) => ({ code: row.code, ...(row.deletedAt ? { deleted_at: row.deletedAt.toISOString() } : {}) }),
      ...over,
    });
  }

  beforeEach(() => {
    calls = [];
    audited = [];
  });

  it('checks the role, locks first, restores by (id, deleted_at), cascades, and audits the deleted row as before', async () => {
    expect(await run()).toEqual({ id: 4, code: 'SPRING', deletedAt: null });
    expect(calls).toEqual(['admin', 'lock', 'find', 'codeTaken', 'restore 4 2026-03-01T10:00:00.000Z', 'cascade', 'reload']);
    expect(audited).toEqual([['restore', 'thing', 'SPRING', { code: 'SPRING', deleted_at: '2026-03-01T10:00:00.000Z' }, { code: 'SPRING' }]]);
  });

  it('answers 404 with no cascade and no audit entry when the restore matched no row (a concurrent one went first)', async () => {
    await expect(run({ restore: async () => 0 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(calls).not.toContain('cascade');
    expect(audited).toEqual([]);
  });

  it.each([
    ['a code held by a live row (409)', { codeTaken: async () => true }, 'admin', 'DUPLICATE_CODE'],
    ['a feature rule (409)', { refuse: async () => Promise.reject(new AppError('CONFLICT', 'no')) }, 'admin', 'CONFLICT'],
    ['a missing row (404)', { findDeleted: async () => null }, 'admin', 'NOT_FOUND'],
    ['a non-admin (403)', {}, 'manager', 'FORBIDDEN'],
  ] as [string, Partial<RestoreSteps<Row, object>>, string, string][])('refuses %s before writing anything', async (_what, over, role, code) => {
    await expect(run(over, role)).rejects.toMatchObject({ code });
    expect(calls.filter((c) => c.startsWith('restore') || c === 'cascade')).toEqual([]);
    expect(audited).toEqual([]);
    if (role !== 'admin') expect(calls).toEqual(['admin']);
  });
});
