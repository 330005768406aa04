import { createConfigResourceController } from '../config-resource/config-resource.controller';
import { CONFIG_WRITERS } from '../tenancy/roles.decorator';
import { CampaignBudgetTypesService } from './campaign-budget-types.service';
import { CampaignChannelsService } from './campaign-channels.service';
import { CampaignStatusesService } from './campaign-statuses.service';
import { CampaignTypesService } from './campaign-types.service';
import { CampaignBudgetTypeResponseDto, CreateCampaignBudgetTypeDto, UpdateCampaignBudgetTypeDto } from './dto/campaign-budget-type.dto';
import { CampaignChannelResponseDto, CreateCampaignChannelDto, UpdateCampaignChannelDto } from './dto/campaign-channel.dto';
import { CampaignStatusResponseDto, CreateCampaignStatusDto, UpdateCampaignStatusDto } from './dto/campaign-status.dto';
import { CampaignTypeResponseDto, CreateCampaignTypeDto, UpdateCampaignTypeDto } from './dto/campaign-type.dto';

/** The four code-addressed campaign vocabularies (API.md §5): the eight shared routes each, ordered display_order, name. */

export const CampaignTypesController = createConfigResourceController({
  path: 'campaign-types',
  tag: 'Campaign types',
  codeParam: 'type_code',
  label: 'campaign type',
  service: CampaignTypesService,
  createDto: CreateCampaignTypeDto,
  updateDto: UpdateCampaignTypeDto,
  responseDto: CampaignTypeResponseDto,
  writers: CONFIG_WRITERS,
});

export const CampaignChannelsController = createConfigResourceController({
  path: 'campaign-channels',
  tag: 'Campaign channels',
  codeParam: 'channel_code',
  label: 'campaign channel',
  service: CampaignChannelsService,
  createDto: CreateCampaignChannelDto,
  updateDto: UpdateCampaignChannelDto,
  responseDto: CampaignChannelResponseDto,
  writers: CONFIG_WRITERS,
});

export const CampaignStatusesController = createConfigResourceController({
  path: 'campaign-statuses',
  tag: 'Campaign statuses',
  codeParam: 'status_code',
  label: 'campaign status',
  plural: 'campaign statuses',
  service: CampaignStatusesService,
  createDto: CreateCampaignStatusDto,
  updateDto: UpdateCampaignStatusDto,
  responseDto: CampaignStatusResponseDto,
  writers: CONFIG_WRITERS,
});

export const CampaignBudgetTypesController = createConfigResourceController({
  path: 'campaign-budget-types',
  tag: 'Campaign budget types',
  codeParam: 'budget_type_code',
  label: 'campaign budget type',
  service: CampaignBudgetTypesService,
  createDto: CreateCampaignBudgetTypeDto,
  updateDto: UpdateCampaignBudgetTypeDto,
  responseDto: CampaignBudgetTypeResponseDto,
  writers: CONFIG_WRITERS,
});
