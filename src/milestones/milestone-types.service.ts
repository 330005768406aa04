import { Injectable } from '@nestjs/common';
import { ConfigResourceService } from '../config-resource/config-resource.service';
import { AuditLogService } from '../tenancy/audit-log.service';
import { TenantContext } from '../tenancy/tenant-context';
import { MilestoneTypeResponseDto } from './dto/milestone-type.dto';
import { toMilestoneTypeResponse } from './milestone.mapper';
import { MilestoneTypeEntity } from './milestone-type.entity';
import { MilestoneTypeRepository } from './milestone-type.repository';

/**
 * Milestone types: the shared configuration rules (codes, PATCH with If-Match, soft delete, restore,
 * activation). A deleted or inactive type takes no new milestones; the milestones it has keep it
 * and keep counting in analytics under its code.
 */
@Injectable()
export class MilestoneTypesService extends ConfigResourceService<MilestoneTypeEntity, MilestoneTypeResponseDto> {
  constructor(types: MilestoneTypeRepository, audit: AuditLogService, tenancy: TenantContext) {
    super(types, audit, tenancy, {
      entityType: 'milestone_type',
      label: 'milestone type',
      codeField: 'type_code',
      codeOf: (e) => e.typeCode,
      toResponse: toMilestoneTypeResponse,
      createDefaults: { category: 'action', metadata: {} },
    });
  }
}
