import { assertVersion } from '../common/http/etag';
import { unchanged } from '../common/patch';
import { Inject } from '@nestjs/common';
import { Transactional } from '../database/transactional';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditLogService } from '../tenancy/audit-log.service';
import { TenantContext } from '../tenancy/tenant-context';
import { changedMeanwhile, duplicateCode, notFound, raise } from '../common/errors/app-error';
import { TenantRegistry } from '../tenancy/tenant-registry';
import { restoreDeleted } from './restore';
import { ListResponse, toListResponse } from '../common/http/list.dto';
import { CodedEntity, CodedRepository } from './coded.repository';
import { dtoToEntityFields } from './dto-fields';
import { ConfigListQuery, toListFilter } from './list-filter';

export type { ConfigListQuery } from './list-filter';

export interface ConfigResourceOptions<E extends CodedEntity, R> {
  /** `lead_source`: the audit log's entity_type. */
  entityType: string;
  /** `lead source`: how messages name one row. */
  label: string;
  /** Wire name of the code field, e.g. `source_code` (for error fields). */
  codeField: string;
  codeOf(entity: E): string;
  toResponse(entity: E): R;
  /** Server defaults applied on create before the body's fields (JSON fields default to {} or []). */
  createDefaults?: Partial<E>;
}

/**
 * The rules every code-addressed configuration resource shares (API.md §1): codes unique among live
 * rows of the tenant, immutable; PATCH partial with If-Match; soft delete with cascade; admin-only
 * restore that refuses a reused code; activate/deactivate; each write audited in its transaction.
 * A resource adds its own rules by overriding the hooks (validate, cascade) or wrapping methods.
 */
export abstract class ConfigResourceService<E extends CodedEntity, R extends object> {
  /** The tenant lock (restores; docs/concurrency.md). Injected by property so that subclasses keep their constructors. */
  @Inject(TenantRegistry) protected readonly registry!: TenantRegistry;

  protected constructor(
    protected readonly repository: CodedRepository<E>,
    protected readonly audit: AuditLogService,
    protected readonly tenancy: TenantContext,
    protected readonly options: ConfigResourceOptions<E, R>,
  ) {}

  /** Resource rules on a create or an update (after merging), e.g. min ≤ recommended ≤ max. */
  protected async validate(_next: E, _previous: E | null): Promise<void> {}
  /** Soft-delete what the row owns, stamped with the same `deletedAt`. */
  protected async cascadeDelete(_entity: E, _deletedAt: Date): Promise<void> {}
  /** Bring back what `cascadeDelete` took, by the same `deletedAt`. */
  protected async cascadeRestore(_entity: E, _deletedAt: Date): Promise<void> {}
  /** Extra fields on create (defaults the DTO does not carry, parent ids). */
  protected async prepareCreate(_fields: Partial<E>, _parentId?: number): Promise<void> {}
  /** Extra fields on update (derived columns); `fields` holds the DTO's changes already. */
  protected async prepareUpdate(_fields: Partial<E>, _current: E): Promise<void> {}

  protected entityKey(entity: E): string {
    return this.options.codeOf(entity);
  }

  toResponse(entity: E): R {
    return this.options.toResponse(entity);
  }

  /** For other modules: the live rows with these codes (deleted ones are not found), in no particular order. */
  findByCodes(codes: string[], parentId?: number): Promise<E[]> {
    return this.repository.findByCodes([...new Set(codes)], parentId);
  }

  async get(code: string, parentId?: number): Promise<E> {
    return (await this.repository.findByCode(code, parentId)) ?? raise(notFound(this.options.label, code));
  }

  /** A row about to be written, locked until the write's transaction ends (see findByCodeForWrite). */
  protected async getForWrite(code: string, parentId?: number): Promise<E> {
    return (await this.repository.findByCodeForWrite(code, parentId)) ?? raise(notFound(this.options.label, code));
  }

  async list(query: ConfigListQuery, parentId?: number): Promise<ListResponse<R>> {
    const { filter, page } = toListFilter(query, this.tenancy);
    return toListResponse(await this.repository.list(filter, page, parentId), page, (e) => this.options.toResponse(e));
  }

  @Transactional()
  async create(dto: object, parentId?: number): Promise<E> {
    const fields = { ...this.options.createDefaults, ...dtoToEntityFields<E>(dto) } as Partial<E>;
    await this.prepareCreate(fields, parentId);
    const code = this.options.codeOf(fields as E);
    if (await this.repository.findByCode(code, parentId)) throw duplicateCode(this.options.label, code);
    await this.validate(fields as E, null);
    const created = await this.repository.insert(fields);
    const stored = (await this.repository.findById(created.id)) ?? raise(notFound(this.options.label, code));
    await this.audit.record('create', this.options.entityType, this.entityKey(stored), null, this.options.toResponse(stored));
    return stored;
  }

  @Transactional()
  async update(code: string, dto: object, ifMatch?: number, parentId?: number): Promise<E> {
    const current = await this.getForWrite(code, parentId);
    assertVersion(current, ifMatch);
    const fields = dtoToEntityFields<E>(dto);
    await this.prepareUpdate(fields, current);
    await this.validate({ ...current, ...fields }, current);
    return this.applyUpdate(current, fields, 'update');
  }

  /** Writes `fields` to a live row read in this transaction, guarded by its version, and audits it. */
  protected async applyUpdate(current: E, fields: Partial<E>, action: 'update' | 'activate' | 'deactivate'): Promise<E> {
    // A PATCH that changes nothing writes nothing: no new version, no audit entry.
    if (unchanged(current, fields)) return current;
    const changed = await this.repository.update(current.id, fields as QueryDeepPartialEntity<E>, current.version);
    if (changed === 0) throw changedMeanwhile(this.options.label);
    const after = (await this.repository.findById(current.id)) ?? raise(notFound(this.options.label));
    await this.audit.record(action, this.options.entityType, this.entityKey(after), this.options.toResponse(current), this.options.toResponse(after));
    return after;
  }

  @Transactional()
  async setActive(code: string, active: boolean, parentId?: number): Promise<E> {
    const current = await this.getForWrite(code, parentId);
    if (current.isActive === active) return current;
    return this.applyUpdate(current, { isActive: active } as Partial<E>, active ? 'activate' : 'deactivate');
  }

  @Transactional()
  async remove(code: string, ifMatch?: number, parentId?: number): Promise<void> {
    const current = await this.getForWrite(code, parentId);
    assertVersion(current, ifMatch);
    const deletedAt = new Date();
    await this.cascadeDelete(current, deletedAt);
    const changed = await this.repository.softDelete(current.id, deletedAt, current.version);
    if (changed === 0) throw changedMeanwhile(this.options.label);
    await this.audit.record('delete', this.options.entityType, this.entityKey(current), this.options.toResponse(current), null);
  }

  @Transactional()
  async restore(code: string, parentId?: number): Promise<E> {
    return restoreDeleted(
      { tenancy: this.tenancy, registry: this.registry, audit: this.audit },
      {
        entityType: this.options.entityType,
        label: this.options.label,
        key: code,
        findDeleted: () => this.repository.findDeletedByCode(code, parentId),
        codeTaken: async () => (await this.repository.findByCode(code, parentId)) !== null,
        restore: (id, deletedAt) => this.repository.restore(id, deletedAt),
        cascade: (deleted, deletedAt) => this.cascadeRestore(deleted, deletedAt),
        reload: (id) => this.repository.findById(id),
        entityKey: (row) => this.entityKey(row),
        toResponse: (row) => this.options.toResponse(row),
      },
    );
  }
}
