import { Injectable } from '@nestjs/common';
import { CodedRepository } from '../config-resource/coded.repository';
import { MilestoneTypeEntity } from './milestone-type.entity';

@Injectable()
export class MilestoneTypeRepository extends CodedRepository<MilestoneTypeEntity> {
  protected readonly target = MilestoneTypeEntity;
  protected readonly alias = 'mtype';
  protected readonly codeProperty = 'typeCode';
  protected readonly nameProperty = 'typeName';

  /**
   * Every type row, deleted ones included, whose code is one of `codes`: a code re-used after a
   * delete has several rows, and analytics report them all under that one code.
   */
  findAnyByCodes(codes: string[]): Promise<MilestoneTypeEntity[]> {
    if (codes.length === 0) return Promise.resolve([]);
    return this.select({ includeDeleted: true }).andWhere('mtype.typeCode IN (:...codes)', { codes }).getMany();
  }

  /** Every live type (active or not), in list order. */
  findAllLive(): Promise<MilestoneTypeEntity[]> {
    return this.inListOrder(this.select()).getMany();
  }
}
