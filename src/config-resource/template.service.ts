import { unchanged } from '../common/patch';
import { assertVersion } from '../common/http/etag';
import { Transactional } from '../database/transactional';
import { changedMeanwhile, notFound, raise } from '../common/errors/app-error';
import { ListResponse, toListResponse } from '../common/http/list.dto';
import { AuditLogService } from '../tenancy/audit-log.service';
import { TenantContext } from '../tenancy/tenant-context';
import { TenantRegistry } from '../tenancy/tenant-registry';
import { ConfigListQuery, toListFilter } from './list-filter';
import { restoreDeleted } from './restore';
import { TemplateEntity, TemplateRepository } from './template.repository';

export interface TemplateOptions<E extends TemplateEntity, R> {
  /** `campaign_template`: the audit log's entity_type. */
  entityType: string;
  /** `campaign template`: how messages name one row. */
  label: string;
  toResponse(entity: E): R;
  /** Server defaults applied on create before the body's fields (JSON fields default to {} or []). */
  createDefaults?: Partial<E>;
  /** Whether a PATCH that changes nothing writes nothing (no new version, no audit entry). */
  unchangedWritesNothing: boolean;
}

/**
 * The rules every template kind shares (API.md §4, §5): addressed by id; at most one default per kind,
 * kept in the write's transaction by clearing the previous default (an audited update of that
 * template); PATCH partial with If-Match; soft delete; admin-only restore (the shared flow), which
 * brings a former default back as a non-default when its kind has another one now.
 *
 * Locking (docs/concurrency.md): every template write takes the tenant lock as its first statement,
 * so template writers of a tenant queue: two new defaults of one kind can never both survive, and a
 * PATCH without If-Match never fails on a concurrent one. A feature supplies `fieldsOf` (its DTO to
 * columns, with its reference checks) and, if any, `refuseRestore`.
 */
export abstract class TemplateService<E extends TemplateEntity, R extends object> {
  protected constructor(
    protected readonly repository: TemplateRepository<E>,
    protected readonly audit: AuditLogService,
    protected readonly tenancy: TenantContext,
    protected readonly registry: TenantRegistry,
    protected readonly options: TemplateOptions<E, R>,
  ) {}

  /** The DTO's fields as columns, checked (400 naming each bad field); `current` is null on create. */
  protected abstract fieldsOf(dto: object, current: E | null): Promise<Partial<E>>;
  /** Feature rules that refuse a restore (throws). */
  protected async refuseRestore(_deleted: E): Promise<void> {}

  toResponse(entity: E): R {
    return this.options.toResponse(entity);
  }

  async get(id: number): Promise<E> {
    return (await this.repository.findById(id)) ?? raise(notFound(this.options.label, id));
  }

  async list(query: ConfigListQuery): Promise<ListResponse<R>> {
    const { filter, page } = toListFilter(query, this.tenancy);
    return toListResponse(await this.repository.list(filter, page), page, (e) => this.options.toResponse(e));
  }

  @Transactional()
  async create(dto: object): Promise<E> {
    await this.registry.lockCurrentTenant();
    const fields = { ...this.options.createDefaults, ...(await this.fieldsOf(dto, null)) } as Partial<E>;
    if (fields.isDefault) await this.clearDefaults(this.repository.kindOf(fields));
    const created = await this.repository.insert(fields);
    const stored = await this.get(created.id);
    await this.audit.record('create', this.options.entityType, stored.id, null, this.options.toResponse(stored));
    return stored;
  }

  /** Partial. Becoming the default of a kind (by is_default or by a change of kind) clears that kind's previous default. */
  @Transactional()
  async update(id: number, dto: object, ifMatch?: number): Promise<E> {
    await this.registry.lockCurrentTenant();
    const current = await this.get(id);
    assertVersion(current, ifMatch);
    const changes = await this.fieldsOf(dto, current);
    if (this.options.unchangedWritesNothing && unchanged(current, changes)) return current;
    const next = { ...current, ...changes };
    if (next.isDefault) await this.clearDefaults(this.repository.kindOf(next), current.id);
    return this.apply(current, changes, 'update');
  }

  @Transactional()
  async setActive(id: number, active: boolean): Promise<E> {
    await this.registry.lockCurrentTenant();
    const current = await this.get(id);
    return current.isActive === active ? current : this.apply(current, { isActive: active } as Partial<E>, active ? 'activate' : 'deactivate');
  }

  @Transactional()
  async remove(id: number, ifMatch?: number): Promise<void> {
    await this.registry.lockCurrentTenant();
    const current = await this.get(id);
    assertVersion(current, ifMatch);
    if ((await this.repository.softDelete(current.id, new Date(), current.version)) === 0) throw changedMeanwhile(this.options.label);
    await this.audit.record('delete', this.options.entityType, current.id, this.options.toResponse(current), null);
  }

  @Transactional()
  async restore(id: number): Promise<E> {
    return restoreDeleted(
      { tenancy: this.tenancy, registry: this.registry, audit: this.audit },
      {
        entityType: this.options.entityType,
        label: this.options.label,
        key: id,
        findDeleted: () => this.repository.findDeletedById(id),
        refuse: (deleted) => this.refuseRestore(deleted),
        restore: (rowId, deletedAt) => this.repository.restore(rowId, deletedAt),
        cascade: async (deleted) => {
          if (deleted.isDefault && (await this.repository.findDefaults(this.repository.kindOf(deleted), deleted.id)).length > 0) {
            await this.repository.update(deleted.id, { isDefault: false } as Partial<E>);
          }
        },
        reload: (rowId) => this.repository.findById(rowId),
        entityKey: (row) => row.id,
        toResponse: (row) => this.options.toResponse(row),
      },
    );
  }

  /** Writes `fields` to a template read in this transaction, guarded by its version, and audits it. */
  private async apply(current: E, fields: Partial<E>, action: 'update' | 'activate' | 'deactivate'): Promise<E> {
    if ((await this.repository.update(current.id, fields, current.version)) === 0) throw changedMeanwhile(this.options.label);
    const after = await this.get(current.id);
    await this.audit.record(action, this.options.entityType, current.id, this.options.toResponse(current), this.options.toResponse(after));
    return after;
  }

  /** The kind's other defaults become non-defaults, each row locked first and its update audited. */
  private async clearDefaults(kind: unknown, exceptId?: number): Promise<void> {
    for (const other of await this.repository.findDefaults(kind, exceptId)) {
      const locked = await this.repository.findByIdForWrite(other.id);
      if (locked) await this.apply(locked, { isDefault: false } as Partial<E>, 'update');
    }
  }
}
