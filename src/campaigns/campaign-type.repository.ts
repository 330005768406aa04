import { Injectable } from '@nestjs/common';
import { CodedRepository } from '../config-resource/coded.repository';
import { CampaignTypeEntity } from './campaign-type.entity';

@Injectable()
export class CampaignTypeRepository extends CodedRepository<CampaignTypeEntity> {
  protected readonly target = CampaignTypeEntity;
  protected readonly alias = 'ctype';
  protected readonly codeProperty = 'typeCode';
  protected readonly nameProperty = 'typeName';

  /** Every type, deleted ones too (analytics report facts under the code of a deleted type). */
  listAllWithDeleted(code?: string): Promise<CampaignTypeEntity[]> {
    const qb = this.select({ includeDeleted: true });
    if (code !== undefined) qb.andWhere('ctype.typeCode = :code', { code });
    return this.inListOrder(qb).getMany();
  }
}
