import { Injectable } from '@nestjs/common';
import { SelectQueryBuilder } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { textKey } from '../common/text/text-key';
import { ReadOptions, TenantScopedRepository } from '../tenancy/tenant-scoped.repository';
import { CampaignBudgetTypeEntity } from './campaign-budget-type.entity';
import { CampaignTemplateEntity } from './campaign-template.entity';
import { CampaignTypeEntity } from './campaign-type.entity';

export interface TemplateListFilter {
  includeInactive: boolean;
  includeDeleted: boolean;
  isActive?: boolean;
  campaignTypeCode?: string;
}

@Injectable()
export class CampaignTemplateRepository extends TenantScopedRepository<CampaignTemplateEntity> {
  protected readonly target = CampaignTemplateEntity;
  protected readonly alias = 'tpl';

  /** `nameKey` follows the template name (textKey): list order compares it as bytes on both engines. */
  protected override derived(values: Partial<CampaignTemplateEntity>): Partial<CampaignTemplateEntity> {
    return typeof values.templateName === 'string' ? { nameKey: textKey(values.templateName) } : {};
  }

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

  findById(id: number, opts: ReadOptions = {}): Promise<CampaignTemplateEntity | null> {
    return this.select(opts).andWhere('tpl.id = :id', { id }).getOne();
  }

  findDeletedById(id: number): Promise<CampaignTemplateEntity | null> {
    return this.select({ includeDeleted: true }).andWhere('tpl.id = :id', { id }).andWhere('tpl.deletedAt IS NOT NULL').getOne();
  }

  /** Order of API.md §5: is_default desc, template_name (as its key), then id for a stable page. */
  list(filter: TemplateListFilter, page: { limit: number; offset: number }): Promise<[CampaignTemplateEntity[], number]> {
    const qb = this.select({ includeDeleted: filter.includeDeleted });
    if (filter.isActive !== undefined) qb.andWhere('tpl.isActive = :active', { active: filter.isActive });
    else if (!filter.includeInactive) qb.andWhere('tpl.isActive = :active', { active: true });
    if (filter.campaignTypeCode) qb.andWhere('tpl_type.typeCode = :typeCode', { typeCode: filter.campaignTypeCode });
    return qb
      .orderBy('tpl.isDefault', 'DESC')
      .addOrderBy('tpl.nameKey', 'ASC')
      .addOrderBy('tpl.id', 'ASC')
      .offset(page.offset)
      .limit(page.limit)
      .getManyAndCount();
  }

  findOtherDefaults(campaignTypeId: number, exceptId: number): Promise<CampaignTemplateEntity[]> {
    return this.select()
      .andWhere('tpl.campaignTypeId = :campaignTypeId', { campaignTypeId })
      .andWhere('tpl.isDefault = :yes', { yes: true })
      .andWhere('tpl.id <> :exceptId', { exceptId })
      .getMany();
  }

  /**
   * Serialises default-flag changes among the tenant's templates: a no-op UPDATE that locks their rows
   * on MySQL; it must be the transaction's first statement (see CampaignStatusRepository).
   */
  async lockForDefaultChange(): Promise<void> {
    await this.lockRows({}, { includeDeleted: true });
  }

  /** The template's row lock (by primary key: no gap locks), as the first statement of a write; deleted rows too (restore). */
  async lockRow(id: number): Promise<void> {
    await this.lockRows({ id }, { includeDeleted: true });
  }

  insert(values: Partial<CampaignTemplateEntity>): Promise<CampaignTemplateEntity> {
    return this.insertOne(values);
  }

  update(id: number, changes: Partial<CampaignTemplateEntity>, ifVersion?: number): Promise<number> {
    return this.updateLive(id, changes as QueryDeepPartialEntity<CampaignTemplateEntity>, ifVersion);
  }

  softDelete(id: number, deletedAt: Date, ifVersion?: number): Promise<number> {
    return this.softDeleteWhere('id = :id', { id }, deletedAt, ifVersion);
  }

  restore(id: number, deletedAt: Date): Promise<number> {
    return this.restoreWhere('id = :id', { id }, deletedAt);
  }

  /** A deleted campaign type takes its templates with it (same deletedAt, so restore brings them back). */
  softDeleteByType(campaignTypeId: number, deletedAt: Date): Promise<number> {
    return this.softDeleteWhere('campaign_type_id = :campaignTypeId', { campaignTypeId }, deletedAt);
  }

  restoreByType(campaignTypeId: number, deletedAt: Date): Promise<number> {
    return this.restoreWhere('campaign_type_id = :campaignTypeId', { campaignTypeId }, deletedAt);
  }
}
