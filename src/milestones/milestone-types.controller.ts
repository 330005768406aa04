import { createConfigResourceController } from '../config-resource/config-resource.controller';
import { CONFIG_WRITERS } from '../tenancy/roles.decorator';
import { CreateMilestoneTypeDto, MilestoneTypeResponseDto, UpdateMilestoneTypeDto } from './dto/milestone-type.dto';
import { MilestoneTypesService } from './milestone-types.service';

/** `/milestone-types`: list (order display_order, type_name), create, get, patch, delete, restore, (de)activate. */
export const MilestoneTypesController = createConfigResourceController({
  path: 'milestone-types',
  tag: 'Milestone types',
  codeParam: 'type_code',
  label: 'milestone type',
  service: MilestoneTypesService,
  createDto: CreateMilestoneTypeDto,
  updateDto: UpdateMilestoneTypeDto,
  responseDto: MilestoneTypeResponseDto,
  writers: CONFIG_WRITERS,
});
