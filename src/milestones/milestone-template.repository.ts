import { Injectable } from '@nestjs/common';
import { SelectQueryBuilder } from 'typeorm';
import { TemplateRepository } from '../config-resource/template.repository';
import { ListMilestoneTemplatesQueryDto } from './dto/milestone-template.dto';
import { MilestoneTemplateEntity } from './milestone-template.entity';

/** Milestone templates: one default per template_type. */
@Injectable()
export class MilestoneTemplateRepository extends TemplateRepository<MilestoneTemplateEntity> {
  protected readonly target = MilestoneTemplateEntity;
  protected readonly kindProperty = 'templateType';

  protected override applyFilters(qb: SelectQueryBuilder<MilestoneTemplateEntity>, query: ListMilestoneTemplatesQueryDto): void {
    if (query.template_type) qb.andWhere('tpl.templateType = :templateType', { templateType: query.template_type });
  }
}
