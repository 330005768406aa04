import { assertVersion } from '../common/http/etag';
import { Injectable } from '@nestjs/common';
import { Transactional } from '../database/transactional';
import { AppError, notFound, raise } from '../common/errors/app-error';
import { ListResponse, toListResponse } from '../common/http/list.dto';
import { AuditLogService } from '../tenancy/audit-log.service';
import { TenantContext } from '../tenancy/tenant-context';
import { TenantRegistry } from '../tenancy/tenant-registry';
import { restoreDeleted } from '../config-resource/restore';
import { CampaignReferences, ReferenceErrors } from './campaign-references';
import { budgetOutsideType } from './campaign-rules';
import { CampaignTemplateEntity } from './campaign-template.entity';
import { CampaignTemplateRepository } from './campaign-template.repository';
import { toCampaignTemplateResponse } from './campaign.mapper';
import { CampaignTemplateResponseDto, CreateCampaignTemplateDto, ListCampaignTemplatesQueryDto, UpdateCampaignTemplateDto } from './dto/campaign-template.dto';

const ENTITY = 'campaign_template';
const LABEL = 'campaign template';

/**
 * Campaign templates, addressed by id. They name a live, active type, channels and budget type of the
 * tenant (400 naming each bad code); at most one default template per campaign type (setting one
 * clears the other, in the same transaction). A type's deletion takes its templates with it.
 */
@Injectable()
export class CampaignTemplatesService {
  constructor(
    private readonly templates: CampaignTemplateRepository,
    private readonly refs: CampaignReferences,
    private readonly audit: AuditLogService,
    private readonly tenancy: TenantContext,
    private readonly registry: TenantRegistry,
  ) {}

  toResponse(e: CampaignTemplateEntity): CampaignTemplateResponseDto {
    return toCampaignTemplateResponse(e);
  }

  async get(id: number): Promise<CampaignTemplateEntity> {
    return (await this.templates.findById(id)) ?? raise(notFound(LABEL, id));
  }

  async list(q: ListCampaignTemplatesQueryDto): Promise<ListResponse<CampaignTemplateResponseDto>> {
    if (q.include_deleted) this.tenancy.requireAdmin('include_deleted');
    const page = { limit: q.limit, offset: q.offset };
    const rows = await this.templates.list(
      {
        includeInactive: q.include_inactive || q.include_deleted,
        includeDeleted: q.include_deleted,
        isActive: q.is_active,
        campaignTypeCode: q.campaign_type_code,
      },
      page,
    );
    return toListResponse(rows, page, toCampaignTemplateResponse);
  }

  /** DTO → columns, resolving codes; references the template already holds may stay inactive. */
  private async fields(dto: UpdateCampaignTemplateDto, current: CampaignTemplateEntity | null): Promise<Partial<CampaignTemplateEntity>> {
    const errs = new ReferenceErrors();
    const out: Partial<CampaignTemplateEntity> = {};
    if (dto.template_name !== undefined) out.templateName = dto.template_name;
    if (dto.description !== undefined) out.description = dto.description;
    if (dto.default_budget !== undefined) out.defaultBudget = dto.default_budget;
    if (dto.default_duration_days !== undefined) out.defaultDurationDays = dto.default_duration_days;
    if (dto.target_audience !== undefined) out.targetAudience = dto.target_audience;
    if (dto.kpis !== undefined) out.kpis = dto.kpis;
    if (dto.is_active !== undefined) out.isActive = dto.is_active;
    if (dto.is_default !== undefined) out.isDefault = dto.is_default;
    let type = current?.campaignType;
    if (dto.campaign_type_code !== undefined) {
      type = await this.refs.type(dto.campaign_type_code, 'campaign_type_code', errs, current?.campaignTypeId);
      if (type) out.campaignTypeId = type.id;
    }
    // A default budget outside the type's range could never be instantiated without an override:
    // checked when the budget or the type changes (like a campaign's budget).
    if (type && (dto.default_budget !== undefined || dto.campaign_type_code !== undefined)) {
      const outside = budgetOutsideType(out.defaultBudget !== undefined ? out.defaultBudget : (current?.defaultBudget ?? null), type);
      if (outside) errs.add('default_budget', outside.message.replace(/^budget/, 'default_budget'));
    }
    if (dto.default_channels !== undefined) {
      const held = new Set(current?.defaultChannels ?? []);
      await this.refs.channelList(dto.default_channels, (i) => `default_channels[${i}]`, errs, (row) => held.has(row.channelCode));
      out.defaultChannels = dto.default_channels;
    }
    if (dto.default_budget_type_code !== undefined) {
      if (dto.default_budget_type_code === null) out.defaultBudgetTypeId = null;
      else {
        const bt = await this.refs.budgetType(dto.default_budget_type_code, 'default_budget_type_code', errs, current?.defaultBudgetTypeId ?? undefined);
        if (bt) out.defaultBudgetTypeId = bt.id;
      }
    }
    errs.throwIfAny();
    return out;
  }

  @Transactional()
  async create(dto: CreateCampaignTemplateDto): Promise<CampaignTemplateEntity> {
    if (dto.is_default === true) await this.templates.lockForDefaultChange();
    const fields = { defaultChannels: [], targetAudience: {}, kpis: [], ...(await this.fields(dto, null)) };
    const created = await this.templates.insert(fields);
    const stored = await this.get(created.id);
    await this.audit.record('create', ENTITY, stored.id, null, toCampaignTemplateResponse(stored));
    if (stored.isDefault) await this.clearOtherDefaults(stored);
    return stored;
  }

  @Transactional()
  async update(id: number, dto: UpdateCampaignTemplateDto, ifMatch?: number): Promise<CampaignTemplateEntity> {
    // First statements: later reads then see what a concurrent writer committed (no 412 without If-Match).
    if (dto.is_default === true || dto.campaign_type_code !== undefined) await this.templates.lockForDefaultChange();
    else await this.templates.lockRow(id);
    const current = await this.get(id);
    assertVersion(current, ifMatch);
    const updated = await this.apply(current, await this.fields(dto, current), 'update');
    if (updated.isDefault) await this.clearOtherDefaults(updated);
    return updated;
  }

  @Transactional()
  async setActive(id: number, active: boolean): Promise<CampaignTemplateEntity> {
    await this.templates.lockRow(id);
    const current = await this.get(id);
    return current.isActive === active ? current : this.apply(current, { isActive: active }, active ? 'activate' : 'deactivate');
  }

  @Transactional()
  async remove(id: number, ifMatch?: number): Promise<void> {
    await this.templates.lockRow(id);
    const current = await this.get(id);
    assertVersion(current, ifMatch);
    const changed = await this.templates.softDelete(current.id, new Date(), current.version);
    if (changed === 0) throw new AppError('PRECONDITION_FAILED', `The ${LABEL} changed meanwhile; read it again`);
    await this.audit.record('delete', ENTITY, current.id, toCampaignTemplateResponse(current), null);
  }

  /** Admin only (the shared restore flow). A template that was its type's default comes back as non-default if the type has another one now. */
  @Transactional()
  async restore(id: number): Promise<CampaignTemplateEntity> {
    return restoreDeleted({ tenancy: this.tenancy, registry: this.registry, audit: this.audit }, {
      entityType: ENTITY,
      label: LABEL,
      key: id,
      findDeleted: () => this.templates.findDeletedById(id),
      restore: (rowId, deletedAt) => this.templates.restore(rowId, deletedAt),
      cascade: async (deleted) => {
        if (deleted.isDefault && (await this.templates.findOtherDefaults(deleted.campaignTypeId, deleted.id)).length > 0) {
          await this.templates.update(deleted.id, { isDefault: false });
        }
      },
      reload: (rowId) => this.templates.findById(rowId),
      entityKey: (row) => row.id,
      toResponse: toCampaignTemplateResponse,
    });
  }

  private async apply(
    current: CampaignTemplateEntity,
    fields: Partial<CampaignTemplateEntity>,
    action: 'update' | 'activate' | 'deactivate',
  ): Promise<CampaignTemplateEntity> {
    const changed = await this.templates.update(current.id, fields, current.version);
    if (changed === 0) throw new AppError('PRECONDITION_FAILED', `The ${LABEL} changed meanwhile; read it again`);
    const after = await this.get(current.id);
    await this.audit.record(action, ENTITY, current.id, toCampaignTemplateResponse(current), toCampaignTemplateResponse(after));
    return after;
  }

  private async clearOtherDefaults(keep: CampaignTemplateEntity): Promise<void> {
    for (const other of await this.templates.findOtherDefaults(keep.campaignTypeId, keep.id)) {
      await this.apply(other, { isDefault: false }, 'update');
    }
  }
}
