import { Injectable } from '@nestjs/common';
import { CodedRepository } from '../config-resource/coded.repository';
import { CampaignStatusEntity } from './campaign-status.entity';

@Injectable()
export class CampaignStatusRepository extends CodedRepository<CampaignStatusEntity> {
  protected readonly target = CampaignStatusEntity;
  protected readonly alias = 'cstatus';
  protected readonly codeProperty = 'statusCode';
  protected readonly nameProperty = 'statusName';

  /** The live initial status (at most one; see CampaignStatusesService). */
  findInitial(): Promise<CampaignStatusEntity | null> {
    return this.select().andWhere('cstatus.isInitial = :yes', { yes: true }).orderBy('cstatus.id', 'ASC').getOne();
  }

  findOtherInitials(exceptId: number): Promise<CampaignStatusEntity[]> {
    return this.select()
      .andWhere('cstatus.isInitial = :yes', { yes: true })
      .andWhere('cstatus.id <> :exceptId', { exceptId })
      .getMany();
  }

  /**
   * Serialises changes of the initial flag within a tenant. Must be the transaction's first statement:
   * a no-op UPDATE locks the tenant's status rows on MySQL (so the reads that follow see what a
   * concurrent promotion committed); SQLite transactions are serialised anyway.
   */
  async lockForInitialChange(): Promise<void> {
    await this.lockRows({});
  }
}
