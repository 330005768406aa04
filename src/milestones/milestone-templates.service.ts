import { Injectable } from '@nestjs/common';
import { conflict, validationFailed } from '../common/errors/app-error';
import { CODE_PATTERN } from '../common/validation/decorators';
import { TemplateService } from '../config-resource/template.service';
import { AuditLogService } from '../tenancy/audit-log.service';
import { TenantContext } from '../tenancy/tenant-context';
import { TenantRegistry } from '../tenancy/tenant-registry';
import { CreateMilestoneTemplateDto, MilestoneTemplateResponseDto, UpdateMilestoneTemplateDto } from './dto/milestone-template.dto';
import { toMilestoneTemplateResponse } from './milestone.mapper';
import { MilestoneTemplateEntity, TemplateType } from './milestone-template.entity';
import { MilestoneTemplateRepository } from './milestone-template.repository';
import { MilestoneTypeRepository } from './milestone-type.repository';

/** A caller's string as an error message quotes it: JSON-quoted, cut to 60 characters. */
const quoted = (code: string) => JSON.stringify(code.length > 60 ? `${code.slice(0, 57)}...` : code);

/**
 * Milestone templates (API.md §4): the shared template rules (TemplateService: addressed by id, one
 * default per template_type, the tenant lock first) plus their own: `sequence` holds 1..50 distinct
 * codes of live (not deleted) milestone types of the tenant, and estimated_days follows it unless given.
 */
@Injectable()
export class MilestoneTemplatesService extends TemplateService<MilestoneTemplateEntity, MilestoneTemplateResponseDto> {
  constructor(
    private readonly templates: MilestoneTemplateRepository,
    private readonly types: MilestoneTypeRepository,
    audit: AuditLogService,
    tenancy: TenantContext,
    registry: TenantRegistry,
  ) {
    super(templates, audit, tenancy, registry, {
      entityType: 'milestone_template',
      label: 'milestone template',
      toResponse: toMilestoneTemplateResponse,
      unchangedWritesNothing: true,
    });
  }

  /** The tenant's live, active default template of a type (the timeline measures progress against it). */
  async findDefault(templateType: TemplateType): Promise<MilestoneTemplateEntity | null> {
    return (await this.templates.findDefaults(templateType)).find((t) => t.isActive) ?? null;
  }

  /**
   * On create, every column. On update, partial: a new sequence is checked like on create;
   * estimated_days follows the sequence unless given (null asks for the default again).
   */
  protected async fieldsOf(dto: UpdateMilestoneTemplateDto, current: MilestoneTemplateEntity | null): Promise<Partial<MilestoneTemplateEntity>> {
    if (current === null) {
      const create = dto as CreateMilestoneTemplateDto;
      const estimate = await this.checkSequence(create.sequence);
      return {
        templateName: create.template_name,
        templateType: create.template_type,
        description: create.description ?? null,
        isActive: create.is_active ?? true,
        isDefault: create.is_default ?? false,
        sequence: create.sequence,
        estimatedDays: create.estimated_days ?? estimate,
      };
    }
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
    return changes;
  }

  /**
   * A sequence must name live types (API.md §4): one naming a type deleted meanwhile is refused, 409
   * naming those codes (a restore cannot edit the sequence; creating or restoring the types first
   * lets it through).
   */
  protected override async refuseRestore(deleted: MilestoneTemplateEntity): Promise<void> {
    const live = new Set((await this.types.findByCodes(deleted.sequence)).map((t) => t.typeCode));
    const dead = deleted.sequence.filter((code) => !live.has(code));
    if (dead.length > 0) {
      throw conflict(`the template's sequence names milestone types that are not live: ${dead.join(', ')}; create or restore them first`);
    }
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
      ...(malformed.length > 0
        ? [{ field: 'sequence', message: `sequence has malformed codes (a code matches ${CODE_PATTERN.source}): ${malformed.map(quoted).join(', ')}` }]
        : []),
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
}
