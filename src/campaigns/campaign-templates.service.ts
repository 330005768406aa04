import { Injectable } from '@nestjs/common';
import { TemplateService } from '../config-resource/template.service';
import { AuditLogService } from '../tenancy/audit-log.service';
import { TenantContext } from '../tenancy/tenant-context';
import { TenantRegistry } from '../tenancy/tenant-registry';
import { CampaignReferences, ReferenceErrors } from './campaign-references';
import { budgetOutsideType } from './campaign-rules';
import { CampaignTemplateEntity } from './campaign-template.entity';
import { CampaignTemplateRepository } from './campaign-template.repository';
import { toCampaignTemplateResponse } from './campaign.mapper';
import { CampaignTemplateResponseDto, UpdateCampaignTemplateDto } from './dto/campaign-template.dto';

/**
 * Campaign templates: the shared template rules (TemplateService: addressed by id, one default per
 * campaign type, the tenant lock first) plus their own fields. They name a live, active type,
 * channels and budget type of the tenant (400 naming each bad code). A type's deletion takes its
 * templates with it (CampaignTypesService).
 */
@Injectable()
export class CampaignTemplatesService extends TemplateService<CampaignTemplateEntity, CampaignTemplateResponseDto> {
  constructor(
    templates: CampaignTemplateRepository,
    private readonly refs: CampaignReferences,
    audit: AuditLogService,
    tenancy: TenantContext,
    registry: TenantRegistry,
  ) {
    super(templates, audit, tenancy, registry, {
      entityType: 'campaign_template',
      label: 'campaign template',
      toResponse: toCampaignTemplateResponse,
      createDefaults: { defaultChannels: [], targetAudience: {}, kpis: [] },
      unchangedWritesNothing: false,
    });
  }

  /** DTO → columns, resolving codes; references the template already holds may stay inactive. */
  protected async fieldsOf(dto: UpdateCampaignTemplateDto, current: CampaignTemplateEntity | null): Promise<Partial<CampaignTemplateEntity>> {
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
      await this.refs.channelList(
        dto.default_channels,
        (i) => `default_channels[${i}]`,
        errs,
        (row) => held.has(row.channelCode),
      );
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
}
