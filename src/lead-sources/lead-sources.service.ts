import { Injectable } from '@nestjs/common';
import { ConfigResourceService } from '../config-resource/config-resource.service';
import { AuditLogService } from '../tenancy/audit-log.service';
import { TenantContext } from '../tenancy/tenant-context';
import { LeadSourceResponseDto } from './dto/lead-source.dto';
import { LeadSourceEntity } from './lead-source.entity';
import { toLeadSourceResponse, toLeadSubsourceResponse } from './lead-source.mapper';
import { LeadSourceRepository } from './lead-source.repository';
import { LeadSubsourceRepository } from './lead-subsource.repository';
import { LEAD_SUBSOURCE, subsourceAuditKey } from './lead-subsources.service';

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

  /**
   * A deleted source takes its live subsources with it (same deletedAt, so restore brings them back),
   * and the audit log gets one delete entry per subsource, as if each had been deleted on its own.
   * The subsources are read back after the UPDATE, which locked them: what was deleted, exactly.
   */
  protected override async cascadeDelete(source: LeadSourceEntity, deletedAt: Date): Promise<void> {
    if ((await this.subsources.softDeleteBySource(source.id, deletedAt)) === 0) return;
    const taken = await this.subsources.findBySourceDeletedAt(source.id, deletedAt);
    await this.audit.recordMany(
      taken.map((sub) => {
        const { deleted_at: _, ...before } = toLeadSubsourceResponse(sub);
        return { action: 'delete' as const, entityType: LEAD_SUBSOURCE, entityKey: subsourceAuditKey(sub), before, after: null };
      }),
    );
  }

  /** Brings back the subsources the delete took, each with its own restore entry (deleted_at back to null). */
  protected override async cascadeRestore(source: LeadSourceEntity, deletedAt: Date): Promise<void> {
    const taken = await this.subsources.findBySourceDeletedAt(source.id, deletedAt);
    if (taken.length === 0) return;
    await this.subsources.restoreBySource(source.id, deletedAt);
    const restored = new Map((await this.subsources.findByIds(taken.map((sub) => sub.id))).map((sub) => [sub.id, sub]));
    await this.audit.recordMany(
      taken
        .filter((sub) => restored.has(sub.id))
        .map((sub) => ({
          action: 'restore' as const,
          entityType: LEAD_SUBSOURCE,
          entityKey: subsourceAuditKey(sub),
          before: toLeadSubsourceResponse(sub),
          after: toLeadSubsourceResponse(restored.get(sub.id)!),
        })),
    );
  }
}
