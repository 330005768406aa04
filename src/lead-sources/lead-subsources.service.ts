import { Injectable } from '@nestjs/common';
import { Transactional } from '../database/transactional';
import { fieldInvalid, notFound, raise } from '../common/errors/app-error';
import { ConfigResourceService } from '../config-resource/config-resource.service';
import { AuditLogService } from '../tenancy/audit-log.service';
import { TenantContext } from '../tenancy/tenant-context';
import { LeadSubsourceResponseDto } from './dto/lead-subsource.dto';
import { CreateSubsourceCostDto } from './dto/subsource-cost.dto';
import { LeadSubsourceEntity } from './lead-subsource.entity';
import { toLeadSubsourceResponse } from './lead-source.mapper';
import { LeadSourceRepository } from './lead-source.repository';
import { LeadSubsourceRepository } from './lead-subsource.repository';
import { CostEntry, SubsourceCosts } from './subsource-costs';

/** The audit log's entity_type of a subsource. */
export const LEAD_SUBSOURCE = 'lead_subsource';

/** Audit key `SOURCE/SUBSOURCE`: subsource codes are unique within their source only. */
export const subsourceAuditKey = (e: LeadSubsourceEntity): string => `${e.source?.sourceCode ?? e.sourceId}/${e.subSourceCode}`;

/** Subsources: the shared configuration rules, scoped to one source (the `parentId` of each call). */
@Injectable()
export class LeadSubsourcesService extends ConfigResourceService<LeadSubsourceEntity, LeadSubsourceResponseDto> {
  constructor(
    private readonly subsources: LeadSubsourceRepository,
    private readonly sources: LeadSourceRepository,
    private readonly costs: SubsourceCosts,
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

  /**
   * The subsource a write changes, its row locked before anything of it is read (see
   * LeadSubsourceRepository.lockByCode): its PATCH and the writes of its cost history read the history
   * as the previous writer left it.
   */
  protected override async getForWrite(code: string, sourceId?: number): Promise<LeadSubsourceEntity> {
    if (sourceId !== undefined) await this.subsources.lockByCode(code, sourceId);
    return super.getForWrite(code, sourceId);
  }

  /** Creates a subsource under a live source (locked, see lockSource), with its cost history's first entry. */
  @Transactional()
  async createUnder(sourceCode: string, dto: object): Promise<LeadSubsourceEntity> {
    const created = await this.create(dto, await this.lockSource(sourceCode));
    await this.costs.begin(created);
    return created;
  }

  /** A live subsource's cost history, by valid_from (from the beginning first). */
  async costHistory(code: string, sourceId: number): Promise<CostEntry[]> {
    return this.costs.history(await this.get(code, sourceId));
  }

  /**
   * Writes the cost of one day of a live subsource's history (replacing that day's entry). The day may
   * not be after the tenant's today, so the subsource's cost_per_lead, the cost in force today, is that
   * of the latest entry: when this write changes it, the subsource gets a new version (audited as its update).
   */
  @Transactional()
  async putCost(code: string, dto: CreateSubsourceCostDto, sourceId: number): Promise<{ entry: CostEntry; created: boolean }> {
    const current = await this.getForWrite(code, sourceId);
    const today = await this.costs.today();
    if (dto.valid_from !== null && dto.valid_from > today)
      throw fieldInvalid('valid_from', `valid_from must not be after today (${today} in the tenant's time zone)`);
    const { entry, created, latest } = await this.costs.put(current, dto.valid_from, dto.cost_per_lead, this.entityKey(current));
    if (latest !== current.costPerLead) await this.applyUpdate(current, { costPerLead: latest }, 'update');
    return { entry, created };
  }

  /** Restores a subsource under a live source (locked, see lockSource). */
  @Transactional()
  async restoreUnder(sourceCode: string, code: string): Promise<LeadSubsourceEntity> {
    return this.restore(code, await this.lockSource(sourceCode));
  }

  protected override async prepareCreate(fields: Partial<LeadSubsourceEntity>, sourceId?: number): Promise<void> {
    fields.sourceId = sourceId;
  }

  /**
   * A new cost_per_lead is in force from the tenant's today: the history gets (or replaces) that day's
   * entry, recorded in the audit log by the subsource's own update (cost_per_lead before and after).
   */
  protected override async prepareUpdate(fields: Partial<LeadSubsourceEntity>, current: LeadSubsourceEntity): Promise<void> {
    if (fields.costPerLead === undefined || fields.costPerLead === current.costPerLead) return;
    await this.costs.put(current, await this.costs.today(), fields.costPerLead, null);
  }

  protected override entityKey(e: LeadSubsourceEntity): string {
    return subsourceAuditKey(e);
  }
}
