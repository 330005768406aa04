import { createConfigResourceController } from '../config-resource/config-resource.controller';
import { CONFIG_WRITERS } from '../tenancy/roles.decorator';
import { CreateLeadChannelDto, LeadChannelResponseDto, UpdateLeadChannelDto } from './dto/lead-channel.dto';
import { CreateLeadSourceDto, LeadSourceResponseDto, ListLeadSourcesQueryDto, UpdateLeadSourceDto } from './dto/lead-source.dto';
import { LeadChannelsService } from './lead-channels.service';
import { LeadSourcesService } from './lead-sources.service';

/** `/lead-sources`: list (filters source_type, is_active, search), create, get, patch, delete, restore, (de)activate. */
export const LeadSourcesController = createConfigResourceController({
  path: 'lead-sources',
  tag: 'Lead sources',
  codeParam: 'source_code',
  label: 'lead source',
  service: LeadSourcesService,
  createDto: CreateLeadSourceDto,
  updateDto: UpdateLeadSourceDto,
  responseDto: LeadSourceResponseDto,
  listQueryDto: ListLeadSourcesQueryDto,
  writers: CONFIG_WRITERS,
});

/** `/lead-channels`: the tenant's lead channel vocabulary. */
export const LeadChannelsController = createConfigResourceController({
  path: 'lead-channels',
  tag: 'Lead channels',
  codeParam: 'channel_code',
  label: 'lead channel',
  service: LeadChannelsService,
  createDto: CreateLeadChannelDto,
  updateDto: UpdateLeadChannelDto,
  responseDto: LeadChannelResponseDto,
  writers: CONFIG_WRITERS,
});
