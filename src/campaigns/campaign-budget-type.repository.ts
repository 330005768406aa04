import { Injectable } from '@nestjs/common';
import { CodedRepository } from '../config-resource/coded.repository';
import { CampaignBudgetTypeEntity } from './campaign-budget-type.entity';

@Injectable()
export class CampaignBudgetTypeRepository extends CodedRepository<CampaignBudgetTypeEntity> {
  protected readonly target = CampaignBudgetTypeEntity;
  protected readonly alias = 'cbudget';
  protected readonly codeProperty = 'budgetTypeCode';
  protected readonly nameProperty = 'budgetTypeName';
}
