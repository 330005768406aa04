import { Injectable } from '@nestjs/common';
import { SelectQueryBuilder } from 'typeorm';
import { TemplateRepository } from '../config-resource/template.repository';
import { ReadOptions } from '../tenancy/tenant-scoped.repository';
import { CampaignBudgetTypeEntity } from './campaign-budget-type.entity';
import { CampaignTemplateEntity } from './campaign-template.entity';
import { CampaignTypeEntity } from './campaign-type.entity';
import { ListCampaignTemplatesQueryDto } from './dto/campaign-template.dto';

/** Campaign templates: one default per campaign type; reads carry the type and the default budget type. */
@Injectable()
export class CampaignTemplateRepository extends TemplateRepository<CampaignTemplateEntity> {
  protected readonly target = CampaignTemplateEntity;
  protected readonly kindProperty = 'campaignTypeId';

  /**
   * Every read carries its type and budget type, even deleted ones (their codes stay visible); the
   * soft-delete filter is therefore switched off for the query and restated for the template.
   */
  protected override select(opts: ReadOptions = {}, alias = this.alias): SelectQueryBuilder<CampaignTemplateEntity> {
    let qb = super.select({ includeDeleted: true }, alias);
    qb = this.joinScoped(qb, CampaignTypeEntity, 'tpl_type', `tpl_type.id = ${alias}.campaignTypeId`, { mapTo: 'campaignType' });
    qb = this.joinScoped(qb, CampaignBudgetTypeEntity, 'tpl_budget', `tpl_budget.id = ${alias}.defaultBudgetTypeId`, {
      mapTo: 'defaultBudgetType',
    });
    return opts.includeDeleted ? qb : qb.andWhere(`${alias}.deletedAt IS NULL`);
  }

  protected override applyFilters(qb: SelectQueryBuilder<CampaignTemplateEntity>, query: ListCampaignTemplatesQueryDto): void {
    if (query.campaign_type_code) qb.andWhere('tpl_type.typeCode = :typeCode', { typeCode: query.campaign_type_code });
  }

  /** A deleted campaign type takes its templates with it (same deletedAt, so restore brings them back). */
  softDeleteByType(campaignTypeId: number, deletedAt: Date): Promise<number> {
    return this.softDeleteWhere('campaign_type_id = :campaignTypeId', { campaignTypeId }, deletedAt);
  }

  restoreByType(campaignTypeId: number, deletedAt: Date): Promise<number> {
    return this.restoreWhere('campaign_type_id = :campaignTypeId', { campaignTypeId }, deletedAt);
  }
}
