import { Injectable } from '@nestjs/common';
import { TenantDefaultsSeeder } from '../tenancy/tenant-defaults';
import { MilestoneCategory } from './milestone-type.entity';
import { MilestoneTemplateRepository } from './milestone-template.repository';
import { MilestoneTypeRepository } from './milestone-type.repository';

const TYPES: { code: string; name: string; category: MilestoneCategory; typical: number; sla: number | null; mandatory: boolean }[] = [
  { code: 'LEAD_GENERATED', name: 'Lead generated', category: 'engagement', typical: 0, sla: null, mandatory: true },
  { code: 'CONTACTED', name: 'Contacted', category: 'engagement', typical: 2, sla: 3, mandatory: false },
  { code: 'SITE_VISIT', name: 'Site visit', category: 'action', typical: 7, sla: 10, mandatory: false },
  { code: 'PROPOSAL_SENT', name: 'Proposal sent', category: 'decision', typical: 5, sla: 7, mandatory: false },
  { code: 'CONVERTED', name: 'Converted', category: 'completion', typical: 14, sla: 30, mandatory: false },
];

/** API.md §2: the five pipeline steps and the "Standard Sales Pipeline" default template. */
@Injectable()
export class MilestonesDefaults implements TenantDefaultsSeeder {
  readonly name = 'milestones';
  readonly order = 30;

  constructor(
    private readonly types: MilestoneTypeRepository,
    private readonly templates: MilestoneTemplateRepository,
  ) {}

  async seed(): Promise<void> {
    for (const [i, t] of TYPES.entries()) {
      await this.types.insert({
        typeCode: t.code,
        typeName: t.name,
        category: t.category,
        displayOrder: i,
        isRequired: t.mandatory,
        isMandatory: t.mandatory,
        typicalDurationDays: t.typical,
        slaDays: t.sla,
        metadata: {},
      });
    }
    await this.templates.insert({
      templateName: 'Standard Sales Pipeline',
      templateType: 'standard',
      description: 'The default pipeline of a new tenant',
      isActive: true,
      isDefault: true,
      sequence: TYPES.map((t) => t.code),
      estimatedDays: TYPES.reduce((sum, t) => sum + t.typical, 0),
    });
  }
}
