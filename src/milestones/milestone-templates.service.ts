import { assertVersion } from '../common/http/etag';
import { Injectable } from '@nestjs/common';
import { Transactional } from '../database/transactional';
import { AppError, conflict, notFound, raise, validationFailed } from '../common/errors/app-error';
import { ListResponse, toListResponse } from '../common/http/list.dto';
import { CODE_PATTERN } from '../common/validation/decorators';
import { AuditLogService } from '../tenancy/audit-log.service';
import { TenantContext } from '../tenancy/tenant-context';
import { TenantRegistry } from '../tenancy/tenant-registry';
import { restoreDeleted } from '../config-resource/restore';
import {
  CreateMilestoneTemplateDto,
  ListMilestoneTemplatesQueryDto,
  MilestoneTemplateResponseDto,
  UpdateMilestoneTemplateDto,
} from './dto/milestone-template.dto';
import { toMilestoneTemplateResponse } from './milestone.mapper';
import { MilestoneTemplateEntity, TemplateType } from './milestone-template.entity';
import { MilestoneTemplateRepository } from './milestone-template.repository';
import { MilestoneTypeRepository } from './milestone-type.repository';

const ENTITY = 'milestone_template';

/** A caller's string as an error message quotes it: JSON-quoted, cut to 60 characters. */
const quoted = (code: string) => JSON.stringify(code.length > 60 ? `${code.slice(0, 57)}...` : code);

/** Every field of `changes` already has that value on `current`. */
export const unchanged = <E extends object>(current: E, changes: Partial<E>) =>
  Object.entries(changes).every(([key, value]) => JSON.stringify(value ?? null) === JSON.stringify((current as Record<string, unknown>)[key] ?? null));

/**
 * Milestone templates (API.md §4): addressed by id; `sequence` holds 1..50 distinct codes of live
 * (not deleted) milestone types of the tenant; at most one default per template_type, kept in the
 * write's transaction by clearing the previous default (an audited update of that template).
 * Every template write first takes the tenant's lock (before any read, so that MySQL's snapshot starts
 * after the previous writer's commit): template writers of a tenant queue, so two new defaults of one
 * type can never both survive, and a PATCH without If-Match never fails on a concurrent one.
 */
@Injectable()
export class MilestoneTemplatesService {
  constructor(
    private readonly templates: MilestoneTemplateRepository,
    private readonly types: MilestoneTypeRepository,
    private readonly audit: AuditLogService,
    private readonly tenancy: TenantContext,
    private readonly registry: TenantRegistry,
  ) {}

  toResponse(e: MilestoneTemplateEntity): MilestoneTemplateResponseDto {
    return toMilestoneTemplateResponse(e);
  }

  async get(id: number): Promise<MilestoneTemplateEntity> {
    return (await this.templates.findById(id)) ?? raise(notFound('milestone template', id));
  }

  /** The tenant's live, active default template of a type (the timeline measures progress against it). */
  async findDefault(templateType: TemplateType): Promise<MilestoneTemplateEntity | null> {
    return (await this.templates.findDefaults(templateType)).find((t) => t.isActive) ?? null;
  }

  async list(q: ListMilestoneTemplatesQueryDto): Promise<ListResponse<MilestoneTemplateResponseDto>> {
    if (q.include_deleted) this.tenancy.requireAdmin('include_deleted');
    const page = { limit: q.limit, offset: q.offset };
    const rows = await this.templates.list(
      {
        includeInactive: q.include_inactive || q.include_deleted || q.is_active !== undefined,
        includeDeleted: q.include_deleted,
        isActive: q.is_active,
        templateType: q.template_type,
      },
      page,
    );
    return toListResponse(rows, page, toMilestoneTemplateResponse);
  }

  @Transactional()
  async create(dto: CreateMilestoneTemplateDto): Promise<MilestoneTemplateEntity> {
    await this.registry.lockCurrentTenant();
    const estimate = await this.checkSequence(dto.sequence);
    if (dto.is_default) await this.clearDefaults(dto.template_type);
    const created = await this.templates.insert({
      templateName: dto.template_name,
      templateType: dto.template_type,
      description: dto.description ?? null,
      isActive: dto.is_active ?? true,
      isDefault: dto.is_default ?? false,
      sequence: dto.sequence,
      estimatedDays: dto.estimated_days ?? estimate,
    });
    const stored = await this.get(created.id);
    await this.audit.record('create', ENTITY, stored.id, null, toMilestoneTemplateResponse(stored));
    return stored;
  }

  /**
   * Partial. A new sequence is checked like on create; estimated_days follows the sequence unless
   * given (null asks for the default again). Becoming the default of a type, by is_default or by a
   * template_type change, clears that type's previous default.
   */
  @Transactional()
  async update(id: number, dto: UpdateMilestoneTemplateDto, ifMatch?: number): Promise<MilestoneTemplateEntity> {
    await this.registry.lockCurrentTenant();
    const current = await this.get(id);
    assertVersion(current, ifMatch);
    const changes: Partial<MilestoneTemplateEntity> = {};
    if (dto.template_name !== undefined) changes.templateName = dto.template_name;
    if (dto.template_type !== undefined) changes.templateType = dto.template_type;
    if (dto.description !== undefined) changes.description = dto.description;
    if (dto.is_active !== undefined) changes.isActive = dto.is_active;
    if (dto.is_default !== undefined) changes.isDefault = dto.is_default;
    if (dto.sequence !== undefined) {
      const estimate = await this.checkSequence(dto.sequence);
      changes.sequence = dto.sequence;
      changes.estimatedDays = dto.estimated_days ?? estimate;
    } else if (dto.estimated_days === null) {
      changes.estimatedDays = await this.estimate(current.sequence);
    } else if (dto.estimated_days !== undefined) {
      changes.estimatedDays = dto.estimated_days;
    }
    // A PATCH that changes nothing writes nothing: no new version, no audit entry.
    if (unchanged(current, changes)) return current;
    const next = { ...current, ...changes };
    if (next.isDefault && (!current.isDefault || next.templateType !== current.templateType)) {
      await this.clearDefaults(next.templateType, current.id);
    }
    if ((await this.templates.update(current.id, changes, current.version)) === 0) {
      throw new AppError('PRECONDITION_FAILED', 'The milestone template changed meanwhile; read it again');
    }
    const after = await this.get(current.id);
    await this.audit.record('update', ENTITY, current.id, toMilestoneTemplateResponse(current), toMilestoneTemplateResponse(after));
    return after;
  }

  @Transactional()
  async remove(id: number, ifMatch?: number): Promise<void> {
    await this.registry.lockCurrentTenant();
    const current = await this.get(id);
    assertVersion(current, ifMatch);
    if ((await this.templates.softDelete(current.id, current.version)) === 0) {
      throw new AppError('PRECONDITION_FAILED', 'The milestone template changed meanwhile; read it again');
    }
    await this.audit.record('delete', ENTITY, current.id, toMilestoneTemplateResponse(current), null);
  }

  /**
   * Brings a deleted template back as it was. If its type has another default meanwhile, that one
   * stays the default and the restored template comes back as a non-default. A sequence must name
   * live types (API.md §4): one naming a type deleted meanwhile is refused, 409 naming those codes
   * (a restore cannot edit the sequence; creating or restoring the types first lets it through).
   */
  @Transactional()
  async restore(id: number): Promise<MilestoneTemplateEntity> {
    return restoreDeleted({ tenancy: this.tenancy, registry: this.registry, audit: this.audit }, {
      entityType: ENTITY,
      label: 'milestone template',
      key: id,
      findDeleted: () => this.templates.findDeletedById(id),
      refuse: async (deleted) => {
        const live = new Set((await this.types.findByCodes(deleted.sequence)).map((t) => t.typeCode));
        const dead = deleted.sequence.filter((code) => !live.has(code));
        if (dead.length > 0) {
          throw conflict(`the template's sequence names milestone types that are not live: ${dead.join(', ')}; create or restore them first`);
        }
      },
      restore: (rowId, deletedAt) => this.templates.restore(rowId, deletedAt),
      cascade: async (deleted) => {
        if (deleted.isDefault && (await this.templates.findDefaults(deleted.templateType)).some((t) => t.id !== deleted.id)) {
          await this.templates.update(deleted.id, { isDefault: false });
        }
      },
      reload: (rowId) => this.templates.findById(rowId),
      entityKey: (row) => row.id,
      toResponse: toMilestoneTemplateResponse,
    });
  }

  /**
   * 400 naming every malformed code (quoted, a long one cut short), every repeated code and every
   * code that is not a live type of the tenant; else Σ typical_duration_days.
   */
  private async checkSequence(sequence: string[]): Promise<number> {
    const malformed = [...new Set(sequence.filter((code) => !CODE_PATTERN.test(code)))];
    const seen = new Set<string>();
    const repeated = [...new Set(sequence.filter((code) => (seen.has(code) ? true : (seen.add(code), false))))].filter((code) => CODE_PATTERN.test(code));
    const codes = [...seen].filter((code) => CODE_PATTERN.test(code));
    const live = new Map((await this.types.findByCodes(codes)).map((t) => [t.typeCode, t]));
    const unknown = codes.filter((code) => !live.has(code));
    const errors = [
      ...(malformed.length > 0 ? [{ field: 'sequence', message: `sequence has malformed codes (a code matches ${CODE_PATTERN.source}): ${malformed.map(quoted).join(', ')}` }] : []),
      ...(repeated.length > 0 ? [{ field: 'sequence', message: `sequence repeats ${repeated.join(', ')}` }] : []),
      ...(unknown.length > 0 ? [{ field: 'sequence', message: `sequence names unknown milestone types: ${unknown.join(', ')}` }] : []),
    ];
    if (errors.length > 0) throw validationFailed(errors, errors.map((e) => e.message).join('; '));
    return codes.reduce((sum, code) => sum + (live.get(code)!.typicalDurationDays ?? 0), 0);
  }

  /** Σ typical_duration_days of the live types among the codes (a deleted type adds nothing). */
  private async estimate(sequence: string[]): Promise<number> {
    return (await this.types.findByCodes(sequence)).reduce((sum, t) => sum + (t.typicalDurationDays ?? 0), 0);
  }

  private async clearDefaults(templateType: TemplateType, exceptId?: number): Promise<void> {
    for (const other of await this.templates.findDefaults(templateType)) {
      if (other.id === exceptId) continue;
      await this.templates.update(other.id, { isDefault: false });
      const after = await this.get(other.id);
      await this.audit.record('update', ENTITY, other.id, toMilestoneTemplateResponse(other), toMilestoneTemplateResponse(after));
    }
  }
}
