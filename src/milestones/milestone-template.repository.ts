import { Injectable } from '@nestjs/common';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { textKey } from '../common/text/text-key';
import { ReadOptions, TenantScopedRepository } from '../tenancy/tenant-scoped.repository';
import { MilestoneTemplateEntity, TemplateType } from './milestone-template.entity';

export interface TemplateListFilter {
  includeInactive: boolean;
  includeDeleted: boolean;
  isActive?: boolean;
  templateType?: TemplateType;
}

@Injectable()
export class MilestoneTemplateRepository extends TenantScopedRepository<MilestoneTemplateEntity> {
  protected readonly target = MilestoneTemplateEntity;
  protected readonly alias = 'tpl';

  /** `nameKey` follows the template name (textKey): list order compares it as bytes on both engines. */
  protected override derived(values: Partial<MilestoneTemplateEntity>): Partial<MilestoneTemplateEntity> {
    return typeof values.templateName === 'string' ? { nameKey: textKey(values.templateName) } : {};
  }

  findById(id: number, opts: ReadOptions = {}): Promise<MilestoneTemplateEntity | null> {
    return this.select(opts).andWhere('tpl.id = :id', { id }).getOne();
  }

  /** A deleted template (what restore brings back). */
  findDeletedById(id: number): Promise<MilestoneTemplateEntity | null> {
    return this.select({ includeDeleted: true }).andWhere('tpl.id = :id AND tpl.deletedAt IS NOT NULL', { id }).getOne();
  }

  /** Live defaults of a template type (normally at most one). */
  findDefaults(templateType: TemplateType): Promise<MilestoneTemplateEntity[]> {
    return this.select()
      .andWhere('tpl.templateType = :templateType AND tpl.isDefault = :yes', { templateType, yes: true })
      .orderBy('tpl.id', 'ASC')
      .getMany();
  }

  list(filter: TemplateListFilter, page: { limit: number; offset: number }): Promise<[MilestoneTemplateEntity[], number]> {
    const qb = this.select({ includeDeleted: filter.includeDeleted });
    if (filter.isActive !== undefined) qb.andWhere('tpl.isActive = :active', { active: filter.isActive });
    else if (!filter.includeInactive) qb.andWhere('tpl.isActive = :active', { active: true });
    if (filter.templateType) qb.andWhere('tpl.templateType = :templateType', { templateType: filter.templateType });
    return qb
      .orderBy('tpl.isDefault', 'DESC')
      .addOrderBy('tpl.nameKey', 'ASC')
      .addOrderBy('tpl.id', 'ASC')
      .offset(page.offset)
      .limit(page.limit)
      .getManyAndCount();
  }

  insert(values: Partial<MilestoneTemplateEntity>): Promise<MilestoneTemplateEntity> {
    return this.insertOne(values);
  }

  update(id: number, changes: QueryDeepPartialEntity<MilestoneTemplateEntity>, ifVersion?: number): Promise<number> {
    return this.updateLive(id, changes, ifVersion);
  }

  softDelete(id: number, ifVersion?: number): Promise<number> {
    return this.softDeleteWhere('id = :id', { id }, new Date(), ifVersion);
  }

  restore(id: number, deletedAt: Date): Promise<number> {
    return this.restoreWhere('id = :id', { id }, deletedAt);
  }
}
