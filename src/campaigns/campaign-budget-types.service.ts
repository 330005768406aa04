import { Injectable } from '@nestjs/common';
import { ConfigResourceService } from '../config-resource/config-resource.service';
import { AuditLogService } from '../tenancy/audit-log.service';
import { TenantContext } from '../tenancy/tenant-context';
import { CampaignBudgetTypeEntity } from './campaign-budget-type.entity';
import { CampaignBudgetTypeRepository } from './campaign-budget-type.repository';
import { toCampaignBudgetTypeResponse } from './campaign.mapper';
import { CampaignBudgetTypeResponseDto } from './dto/campaign-budget-type.dto';

@Injectable()
export class CampaignBudgetTypesService extends ConfigResourceService<CampaignBudgetTypeEntity, CampaignBudgetTypeResponseDto> {
  constructor(budgetTypes: CampaignBudgetTypeRepository, audit: AuditLogService, tenancy: TenantContext) {
    super(budgetTypes, audit, tenancy, {
      entityType: 'campaign_budget_type',
      label: 'campaign budget type',
      codeField: 'budget_type_code',
      codeOf: (e) => e.budgetTypeCode,
      toResponse: toCampaignBudgetTypeResponse,
    });
  }
}
