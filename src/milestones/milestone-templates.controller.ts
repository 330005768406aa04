import { createTemplateController } from '../config-resource/template.controller';
import {
  CreateMilestoneTemplateDto,
  ListMilestoneTemplatesQueryDto,
  MilestoneTemplateResponseDto,
  UpdateMilestoneTemplateDto,
} from './dto/milestone-template.dto';
import { MilestoneTemplatesService } from './milestone-templates.service';

/** `/milestone-templates`: the shared template routes; at most one default per template_type. */
export const MilestoneTemplatesController = createTemplateController({
  path: 'milestone-templates',
  tag: 'Milestone templates',
  label: 'milestone template',
  service: MilestoneTemplatesService,
  createDto: CreateMilestoneTemplateDto,
  updateDto: UpdateMilestoneTemplateDto,
  responseDto: MilestoneTemplateResponseDto,
  listQueryDto: ListMilestoneTemplatesQueryDto,
  descriptions: {
    list: "The tenant's milestone templates, defaults first, then by template_name; filter by template_type.",
    create:
      'The sequence names 1..50 distinct live milestone types; estimated_days defaults to the sum of their typical_duration_days. is_default clears the previous default of the same template_type.',
    update: '; is_default clears the previous default of the same type',
    restore: '; it is no longer the default if its template_type has another default now',
  },
});
