import { Injectable } from '@nestjs/common';
import { ConfigResourceService } from '../config-resource/config-resource.service';
import { validationFailed } from '../common/errors/app-error';
import { AuditLogService } from '../tenancy/audit-log.service';
import { TenantContext } from '../tenancy/tenant-context';
import { budgetGuidelineErrors } from './campaign-rules';
import { CampaignTemplateRepository } from './campaign-template.repository';
import { CampaignTypeEntity } from './campaign-type.entity';
import { CampaignTypeRepository } from './campaign-type.repository';
import { toCampaignTypeResponse } from './campaign.mapper';
import { CampaignTypeResponseDto } from './dto/campaign-type.dto';

@Injectable()
export class CampaignTypesService extends ConfigResourceService<CampaignTypeEntity, CampaignTypeResponseDto> {
  constructor(
    types: CampaignTypeRepository,
    private readonly templates: CampaignTemplateRepository,
    audit: AuditLogService,
    tenancy: TenantContext,
  ) {
    super(types, audit, tenancy, {
      entityType: 'campaign_type',
      label: 'campaign type',
      codeField: 'type_code',
      codeOf: (e) => e.typeCode,
      toResponse: toCampaignTypeResponse,
      createDefaults: { metadata: {} },
    });
  }

  /** min_budget ≤ recommended_budget ≤ max_budget, for the bounds that are set (after merging a PATCH). */
  protected override async validate(next: CampaignTypeEntity): Promise<void> {
    const errors = budgetGuidelineErrors({
      minBudget: next.minBudget ?? null,
      recommendedBudget: next.recommendedBudget ?? null,
      maxBudget: next.maxBudget ?? null,
    });
    if (errors.length > 0) throw validationFailed(errors, errors.map((e) => e.message).join('; '));
  }

  /** A type owns its templates: they go with it and come back with it. Campaigns keep pointing at it. */
  protected override async cascadeDelete(type: CampaignTypeEntity, deletedAt: Date): Promise<void> {
    await this.templates.softDeleteByType(type.id, deletedAt);
  }

  protected override async cascadeRestore(type: CampaignTypeEntity, deletedAt: Date): Promise<void> {
    await this.templates.restoreByType(type.id, deletedAt);
  }
}
