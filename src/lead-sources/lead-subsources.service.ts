import { Injectable } from '@nestjs/common';
import { Transactional } from '../database/transactional';
import { notFound, raise } from '../common/errors/app-error';
import { ConfigResourceService } from '../config-resource/config-resource.service';
import { AuditLogService } from '../tenancy/audit-log.service';
import { TenantContext } from '../tenancy/tenant-context';
import { LeadSubsourceResponseDto } from './dto/lead-subsource.dto';
import { LeadSubsourceEntity } from './lead-subsource.entity';
import { toLeadSubsourceResponse } from './lead-source.mapper';
import { LeadSourceRepository } from './lead-source.repository';
import { LeadSubsourceRepository } from './lead-subsource.repository';

/** The audit log's entity_type of a subsource. */
export const LEAD_SUBSOURCE = 'lead_subsource';

/** Audit key `SOURCE/SUBSOURCE`: subsource codes are unique within their source only. */
export const subsourceAuditKey = (e: LeadSubsourceEntity): string => `${e.source?.sourceCode ?? e.sourceId}/${e.subSourceCode}`;

/** Subsources: the shared configuration rules, scoped to one source (the `parentId` of each call). */
@Injectable()
export class LeadSubsourcesService extends ConfigResourceService<LeadSubsourceEntity, LeadSubsourceResponseDto> {
  constructor(
    subsources: LeadSubsourceRepository,
    private readonly sources: LeadSourceRepository,
    audit: AuditLogService,
    tenancy: TenantContext,
  ) {
    super(subsources, audit, tenancy, {
      entityType: LEAD_SUBSOURCE,
      label: 'lead subsource',
      codeField: 'sub_source_code',
      codeOf: (e) => e.subSourceCode,
      toResponse: toLeadSubsourceResponse,
      createDefaults: { metadata: {} },
    });
  }

  /**
   * The live source with this code, locked until the write's transaction ends: a concurrent delete of
   * the source then either waits and takes the new subsource with it, or went first and makes this
   * write answer 404. Read outside the transaction, a source deleted meanwhile would keep a live
   * subsource.
   */
  private async lockSource(sourceCode: string): Promise<number> {
    return ((await this.sources.findByCodeForWrite(sourceCode)) ?? raise(notFound('lead source', sourceCode))).id;
  }

  /** Creates a subsource under a live source (locked, see lockSource). */
  @Transactional()
  async createUnder(sourceCode: string, dto: object): Promise<LeadSubsourceEntity> {
    return this.create(dto, await this.lockSource(sourceCode));
  }

  /** Restores a subsource under a live source (locked, see lockSource). */
  @Transactional()
  async restoreUnder(sourceCode: string, code: string): Promise<LeadSubsourceEntity> {
    return this.restore(code, await this.lockSource(sourceCode));
  }

  protected override async prepareCreate(fields: Partial<LeadSubsourceEntity>, sourceId?: number): Promise<void> {
    fields.sourceId = sourceId;
  }

  protected override entityKey(e: LeadSubsourceEntity): string {
    return subsourceAuditKey(e);
  }
}
