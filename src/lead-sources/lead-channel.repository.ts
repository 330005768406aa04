import { Injectable } from '@nestjs/common';
import { CodedRepository } from '../config-resource/coded.repository';
import { LeadChannelEntity } from './lead-channel.entity';

@Injectable()
export class LeadChannelRepository extends CodedRepository<LeadChannelEntity> {
  protected readonly target = LeadChannelEntity;
  protected readonly alias = 'channel';
  protected readonly codeProperty = 'channelCode';
  protected readonly nameProperty = 'channelName';
}
