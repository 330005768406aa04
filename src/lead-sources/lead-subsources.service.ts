import { Injectable } from '@nestjs/common';
import { ConfigResourceService } from '../common/config-resource/config-resource.service';
import { AuditLogService } from '../tenancy/audit-log.service';
import { TenantContext } from '../tenancy/tenant-context';
import { LeadSubsourceResponseDto } from './dto/lead-subsource.dto';
import { LeadSubsourceEntity } from './lead-subsource.entity';
import { toLeadSubsourceResponse } from './lead-source.mapper';
import { LeadSubsourceRepository } from './lead-subsource.repository';

/** The audit log's entity_type of a subsource. */
export const LEAD_SUBSOURCE = 'lead_subsource';

/** Audit key `SOURCE/SUBSOURCE`: subsource codes are unique within their source only. */
export const subsourceAuditKey = (e: LeadSubsourceEntity): string => `${e.source?.sourceCode ?? e.sourceId}/${e.subSourceCode}`;

/** Subsources: the shared configuration rules, scoped to one source (the `parentId` of each call). */
@Injectable()
export class LeadSubsourcesService extends ConfigResourceService<LeadSubsourceEntity, LeadSubsourceResponseDto> {
  constructor(subsources: LeadSubsourceRepository, audit: AuditLogService, tenancy: TenantContext) {
    super(subsources, audit, tenancy, {
      entityType: LEAD_SUBSOURCE,
      label: 'lead subsource',
      codeField: 'sub_source_code',
      codeOf: (e) => e.subSourceCode,
      toResponse: toLeadSubsourceResponse,
      createDefaults: { metadata: {} },
    });
  }

  protected override async prepareCreate(fields: Partial<LeadSubsourceEntity>, sourceId?: number): Promise<void> {
    fields.sourceId = sourceId;
  }

  protected override entityKey(e: LeadSubsourceEntity): string {
    return subsourceAuditKey(e);
  }
}
