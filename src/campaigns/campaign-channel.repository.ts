import { Injectable } from '@nestjs/common';
import { CodedRepository } from '../config-resource/coded.repository';
import { CampaignChannelEntity } from './campaign-channel.entity';

@Injectable()
export class CampaignChannelRepository extends CodedRepository<CampaignChannelEntity> {
  protected readonly target = CampaignChannelEntity;
  protected readonly alias = 'cchannel';
  protected readonly codeProperty = 'channelCode';
  protected readonly nameProperty = 'channelName';

  /** Every channel, deleted ones too (analytics report facts under the code of a deleted channel). */
  listAllWithDeleted(code?: string): Promise<CampaignChannelEntity[]> {
    const qb = this.select({ includeDeleted: true });
    if (code !== undefined) qb.andWhere('cchannel.channelCode = :code', { code });
    return this.inListOrder(qb).getMany();
  }
}
