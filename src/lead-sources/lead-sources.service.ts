import { Injectable } from '@nestjs/common';
import { ConfigResourceService } from '../common/config-resource/config-resource.service';
import { AuditLogService } from '../tenancy/audit-log.service';
import { TenantContext } from '../tenancy/tenant-context';
import { LeadSourceResponseDto } from './dto/lead-source.dto';
import { LeadSourceEntity } from './lead-source.entity';
import { toLeadSourceResponse } from './lead-source.mapper';
import { LeadSourceRepository } from './lead-source.repository';
import { LeadSubsourceRepository } from './lead-subsource.repository';

@Injectable()
export class LeadSourcesService extends ConfigResourceService<LeadSourceEntity, LeadSourceResponseDto> {
  constructor(
    sources: LeadSourceRepository,
    private readonly subsources: LeadSubsourceRepository,
    audit: AuditLogService,
    tenancy: TenantContext,
  ) {
    super(sources, audit, tenancy, {
      entityType: 'lead_source',
      label: 'lead source',
      codeField: 'source_code',
      codeOf: (e) => e.sourceCode,
      toResponse: toLeadSourceResponse,
      createDefaults: { metadata: {} },
    });
  }

  /** A deleted source takes its live subsources with it (same deletedAt, so restore brings them back). */
  protected override async cascadeDelete(source: LeadSourceEntity, deletedAt: Date): Promise<void> {
    await this.subsources.softDeleteBySource(source.id, deletedAt);
  }

  protected override async cascadeRestore(source: LeadSourceEntity, deletedAt: Date): Promise<void> {
    await this.subsources.restoreBySource(source.id, deletedAt);
  }
}
