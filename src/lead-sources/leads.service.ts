import { assertVersion } from '../common/http/etag';
import { Injectable } from '@nestjs/common';
import { Transactional } from '../database/transactional';
import { changedMeanwhile, duplicateCode, FieldError, notFound, raise, validationFailed } from '../common/errors/app-error';
import { ListResponse } from '../common/http/list.dto';
import { validateId, validateInput } from '../common/validation/validate-input';
import { DomainEventPublisher } from '../events/domain-event-publisher';
import { DOMAIN_EVENTS } from '../events/domain-events';
import { AuditLogService } from '../tenancy/audit-log.service';
import { CreateLeadDto, LeadResponseDto, ListLeadsQueryDto, UpdateLeadDto } from './dto/lead.dto';
import { LeadCreation } from './lead-creation';
import { publishConverted } from './lead-events';
import { LeadLifecycle } from './lead-lifecycle';
import { LeadReferences } from './lead-references';
import { TenantCalendar } from '../tenancy/tenant-calendar';
import { LeadRollups } from './lead-rollups';
import { patchedStages } from './lead-rules';
import { LeadEntity } from './lead.entity';
import { LeadFilter, LeadRepository, LeadWithRefs } from './lead.repository';
import { CampaignsService } from '../campaigns/campaigns.service';

/**
 * Lead facts (API.md §3): the orchestration of each read and write. Every write keeps, in its own
 * transaction, the daily rollup and the source and subsource counters in step with the live leads
 * (LeadRollups). Creating leads (one, or a batch) is LeadCreation; resolving the codes a body names
 * is LeadReferences; the stage and timestamp rules are pure (lead-rules.ts).
 */
@Injectable()
export class LeadsService {
  constructor(
    private readonly leads: LeadRepository,
    private readonly creation: LeadCreation,
    private readonly references: LeadReferences,
    private readonly rollups: LeadRollups,
    private readonly calendar: TenantCalendar,
    private readonly audit: AuditLogService,
    private readonly campaigns: CampaignsService,
    private readonly lifecycle: LeadLifecycle,
    private readonly events: DomainEventPublisher,
  ) {}

  /** For hosts (validate-input.ts): a live lead of the tenant in scope, 404 otherwise. */
  async get(id: number): Promise<LeadWithRefs> {
    const leadId = validateId(id, 'lead');
    return (await this.leads.findById(leadId)) ?? raise(notFound('lead', leadId));
  }

  /**
   * The live lead, its row locked for the rest of the caller's transaction: writes that depend on
   * one lead's facts (its milestone chain) run one at a time per lead. Call it first in the
   * transaction, so that the reads after it see what the previous lock holder committed (MySQL's
   * REPEATABLE READ snapshot starts at the first plain read).
   */
  async getForUpdate(id: number): Promise<LeadWithRefs> {
    await this.leads.lockRow(validateId(id, 'lead'));
    return this.get(id);
  }

  /**
   * The same lock for writes of what hangs off a lead (its milestones), which need only the lead's
   * own columns: one locking read by primary key (MySQL: SELECT … FOR UPDATE, which reads the latest
   * committed row and opens no snapshot, so the reads after it see the previous holder's commit).
   */
  async lockForDependants(id: number): Promise<LeadEntity> {
    const leadId = validateId(id, 'lead');
    return (await this.leads.lockById(leadId)) ?? raise(notFound('lead', leadId));
  }

  toResponses(rows: LeadWithRefs[]): Promise<LeadResponseDto[]> {
    return this.references.toResponses(rows);
  }

  async toResponse(row: LeadWithRefs): Promise<LeadResponseDto> {
    return (await this.toResponses([row]))[0];
  }

  /** For hosts (validate-input.ts): the query as GET /leads takes it. */
  async list(query: ListLeadsQueryDto): Promise<ListResponse<LeadResponseDto>> {
    const q = validateInput(ListLeadsQueryDto, query);
    const page = { limit: q.limit, offset: q.offset };
    const empty = { data: [], total: 0, ...page };
    if (q.sub_source_code && !q.source_code) {
      throw validationFailed([{ field: 'sub_source_code', message: 'sub_source_code needs source_code' }]);
    }
    // Filters name codes; an unknown code matches no lead. A code covers every row that had it,
    // deleted ones included: their leads show that code (API.md §1).
    const filter: LeadFilter = {
      leadCode: q.lead_code,
      status: q.status,
      sourceCode: q.source_code,
      subSourceCode: q.sub_source_code,
      channelCode: q.channel_code,
    };
    if (q.campaign_code) {
      const ids = await this.campaigns.idsOfCode(q.campaign_code);
      if (ids.length === 0) return empty;
      filter.campaignIds = ids;
    }
    // Days of the tenant's zone: from the first instant of created_from to the first after created_to.
    const { zone } = await this.calendar.read();
    if (q.created_from) filter.createdFrom = zone.startOf(q.created_from);
    if (q.created_to) filter.createdTo = zone.bounds(q.created_to, q.created_to).to;
    const [rows, total] = await this.leads.list(filter, page);
    return { data: await this.toResponses(rows), total, ...page };
  }

  /** For hosts (validate-input.ts): the body as POST /leads takes it. */
  @Transactional()
  async create(body: CreateLeadDto): Promise<{ row: LeadWithRefs; response: LeadResponseDto }> {
    return this.creation.createOne(validateInput(CreateLeadDto, body));
  }

  /** All or nothing: every bad row is reported by index and nothing is stored. */
  @Transactional()
  async createBulk(items: unknown[]): Promise<{ rows: LeadWithRefs[]; responses: LeadResponseDto[] }> {
    return this.creation.createBatch(items);
  }

  /** For hosts (validate-input.ts): the body as PATCH /leads/:id takes it; `ifMatch` the version expected. */
  @Transactional()
  async update(id: number, body: UpdateLeadDto, ifMatch?: number): Promise<LeadWithRefs> {
    // As the route: the id is checked before the body.
    validateId(id, 'lead');
    const dto = validateInput(UpdateLeadDto, body);
    // Lock first: concurrent writers of one lead queue, and each reads what the previous one wrote.
    const current = await this.getForUpdate(id);
    assertVersion(current, ifMatch);
    const errors: FieldError[] = [];

    const ref = await this.references.resolveChanged(current, dto, errors);
    const { stages: staged, errors: stageErrors } = patchedStages(current, dto, new Date());
    errors.push(...stageErrors);
    if (errors.length > 0) throw validationFailed(errors, errors.map((e) => `${e.field}: ${e.message}`).join('; '));

    const leadCode = dto.lead_code !== undefined ? dto.lead_code : current.leadCode;
    if (leadCode && leadCode !== current.leadCode) {
      const [holder] = await this.leads.existingCodes([leadCode], current.id);
      if (holder) throw duplicateCode('lead', leadCode, holder.id);
    }

    const next: Partial<LeadEntity> = {
      leadCode,
      ...ref,
      acquisitionCost: dto.acquisition_cost ?? current.acquisitionCost,
      ...staged,
    };
    delete next.createdAt;
    const changed = await this.leads.update(current.id, next, current.version);
    if (changed === 0) throw changedMeanwhile('lead');
    const after = await this.get(current.id);
    await this.rollups.add([
      { lead: current, sign: -1 },
      { lead: after, sign: 1 },
    ]);
    const [before, now] = await this.toResponses([current, after]);
    await this.audit.record('update', 'lead', current.id, before, now);
    if (before.status !== now.status) {
      this.events.publish(DOMAIN_EVENTS.leadStatusChanged, { leadId: now.id, leadCode: now.lead_code, statusBefore: before.status, statusAfter: now.status });
      if (now.status === 'converted') publishConverted(this.events, now);
    }
    return after;
  }

  /** For hosts (validate-input.ts): soft-deletes a live lead; `ifMatch` the version expected. */
  @Transactional()
  async remove(id: number, ifMatch?: number): Promise<void> {
    const current = await this.getForUpdate(id);
    assertVersion(current, ifMatch);
    const deletedAt = new Date();
    if ((await this.leads.softDelete(current.id, current.version, deletedAt)) === 0) {
      throw changedMeanwhile('lead');
    }
    await this.rollups.add([{ lead: current, sign: -1 }]);
    await this.lifecycle.leadDeleted(current, deletedAt);
    await this.audit.record('delete', 'lead', current.id, await this.toResponse(current), null);
    this.events.publish(DOMAIN_EVENTS.leadDeleted, { leadId: current.id, leadCode: current.leadCode });
  }
}
