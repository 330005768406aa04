import { Injectable } from '@nestjs/common';
import { ConfigResourceService } from '../config-resource/config-resource.service';
import { AuditLogService } from '../tenancy/audit-log.service';
import { TenantContext } from '../tenancy/tenant-context';
import { LeadChannelResponseDto } from './dto/lead-channel.dto';
import { LeadChannelEntity } from './lead-channel.entity';
import { toLeadChannelResponse } from './lead-source.mapper';
import { LeadChannelRepository } from './lead-channel.repository';

@Injectable()
export class LeadChannelsService extends ConfigResourceService<LeadChannelEntity, LeadChannelResponseDto> {
  constructor(channels: LeadChannelRepository, audit: AuditLogService, tenancy: TenantContext) {
    super(channels, audit, tenancy, {
      entityType: 'lead_channel',
      label: 'lead channel',
      codeField: 'channel_code',
      codeOf: (e) => e.channelCode,
      toResponse: toLeadChannelResponse,
    });
  }
}
